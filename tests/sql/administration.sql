-- Administration without SQL (issue 15): the lead-only functions of sql/023 for contacts,
-- contracts, raises, opening hours and holidays; every refusal with its TK code; who may call
-- them; the audit of every change; and that deadlines follow.
BEGIN;
SELECT plan(79);

\ir lib/as_role.psql

CREATE ROLE tt_agent LOGIN;
CREATE ROLE tt_lead LOGIN;
CREATE ROLE tt_paivi LOGIN;
CREATE ROLE tt_ville LOGIN;
SELECT tuki.agent_add('tt_agent', 'Aino Agentti', 'second_line');
SELECT tuki.agent_add('tt_lead', 'Lauri Liidi', NULL, true);
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy'), ('KONE', 'Konepaja Oy');
SELECT set_config('tuki.now', '2027-12-01 09:00+02', true);

-- contacts
SELECT matches(pg_temp.val_as('tt_lead', $$SELECT tuki.contact_add('ACME', 'Päivi Mäkelä', 'paivi@acme.fi', '+358 40 1', 'fi', true, 'tt_paivi')$$),
    '^\d+$', 'a lead adds a contact and gets its number');
SELECT is((SELECT format('%s %s %s %s %s %s %s', customer, name, email, phone, language, may_order_billable, login) FROM tuki.contact WHERE email = 'paivi@acme.fi'),
    'ACME Päivi Mäkelä paivi@acme.fi +358 40 1 fi t tt_paivi', 'with every field');
SELECT ok(pg_has_role('tt_paivi', 'tuki_customer', 'MEMBER'), 'her login becomes a customer''s login');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contact_add('ACME', 'Toinen', 'PAIVI@acme.fi')$$),
    '^TK006\|PAIVI@acme.fi is already the address of contact \d+ \(Päivi Mäkelä\) of ACME\|.+\|Change that contact instead', 'a duplicate e-mail (any case) is refused');
SELECT is(pg_temp.run_as('tt_lead', $$SELECT tuki.contact_add('KONE', 'Päivi Muu', 'paivi@acme.fi')$$), 'ok', 'the same address at another customer is fine');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contact_add('NOPE', 'X')$$), '^TK006\|unknown customer ''NOPE''', 'an unknown customer');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contact_add('ACME', '  ')$$), '^TK006\|contact name is empty', 'a blank name');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contact_add('ACME', 'X', 'not an address')$$), '^TK006\|invalid e-mail address', 'an invalid address');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contact_add('ACME', 'X', language => 'de')$$), '^TK006\|unknown language ''de''\|Known languages: fi, sk, en', 'an unknown language');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contact_add('ACME', 'X', login => 'tt_nobody')$$), '^TK006\|role tt_nobody does not exist\|.+\|Ask a DBA: CREATE ROLE tt_nobody LOGIN;', 'a login that does not exist');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contact_add('ACME', 'X', login => 'tt_agent')$$), '^TK006\|tt_agent is an agent, administrator or group role', 'an agent''s login');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contact_add('ACME', 'X', login => 'tuki_owner')$$), '^TK006\|tuki_owner is an agent, administrator or group role', 'a group role');
CREATE ROLE tt_dba LOGIN IN ROLE tuki_owner;
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contact_add('ACME', 'X', login => 'tt_dba')$$), '^TK006\|tt_dba is an agent, administrator or group role', 'an administrator''s login');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contact_add('KONE', 'X', login => 'tt_paivi')$$), '^TK006\|login tt_paivi is already contact \d+ \(Päivi Mäkelä\) of ACME', 'another contact''s login');

CREATE TEMP TABLE paivi AS SELECT id FROM tuki.contact WHERE login = 'tt_paivi';
GRANT SELECT ON paivi TO PUBLIC;
SELECT is(pg_temp.run_as('tt_lead', $$SELECT tuki.contact_set((SELECT id FROM paivi), 'phone', '+358 40 2')$$), 'ok', 'a lead changes a phone number');
SELECT is(pg_temp.run_as('tt_lead', $$SELECT tuki.contact_set((SELECT id FROM paivi), 'billable', 'no')$$), 'ok', 'and whether she may order billable work');
SELECT is(pg_temp.run_as('tt_lead', $$SELECT tuki.contact_set((SELECT id FROM paivi), 'login', 'tt_ville')$$), 'ok', 'and her login');
SELECT is((SELECT format('%s %s %s', phone, may_order_billable, login) FROM tuki.contact WHERE id = (SELECT id FROM paivi)), '+358 40 2 f tt_ville', 'all changed');
SELECT ok(pg_has_role('tt_ville', 'tuki_customer', 'MEMBER') AND NOT pg_has_role('tt_paivi', 'tuki_customer', 'MEMBER'),
    'the new login is a customer''s, the old one no longer');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contact_set((SELECT id FROM paivi), 'colour', 'red')$$), '^TK006\|unknown contact field ''colour''\|Fields: name, email', 'an unknown field');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contact_set((SELECT id FROM paivi), 'billable', 'maybe')$$), '^TK006\|billable must be yes or no', 'billable is yes or no');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contact_set(424242, 'phone', '1')$$), '^TK006\|no contact 424242', 'an unknown contact');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contact_set((SELECT id FROM paivi), 'name', '')$$), '^TK006\|contact name is empty', 'the name cannot be cleared');
SELECT is(pg_temp.run_as('tt_lead', $$SELECT tuki.contact_deactivate((SELECT id FROM paivi))$$), 'ok', 'a lead deactivates a contact');
SELECT is((SELECT active FROM tuki.contact WHERE id = (SELECT id FROM paivi)), false, 'she is kept, inactive');

-- contracts
SELECT matches(pg_temp.val_as('tt_lead', $$SELECT tuki.contract_add('ACME', 'light', 'fi-8-16', '2027-01-01', '2027-12-31', 600)$$), '^\d+$', 'a lead adds a contract');
CREATE TEMP TABLE acme AS SELECT id FROM tuki.contract WHERE customer = 'ACME';
GRANT SELECT ON acme TO PUBLIC;
SELECT is((SELECT format('%s %s %s %s %s', service_level, calendar, valid_from, valid_to, quota_minutes) FROM tuki.contract WHERE id = (SELECT id FROM acme)),
    'light fi-8-16 2027-01-01 2027-12-31 600', 'with its level, calendar, validity and quota');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contract_add('ACME', 'light', 'fi-8-16', '2027-06-01')$$),
    '^TK006\|contract of ACME from 2027-06-01 overlaps contract \d+\|Contract \d+ is valid from 2027-01-01 to 2027-12-31\.\|End the old one first: contract set \d+ to=2027-05-31', 'an overlapping contract is refused');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contract_add('ACME', 'light', 'fi-7-15', '2028-01-01')$$), '^TK006\|unknown calendar ''fi-7-15''\|Known calendar values: .*fi-8-16', 'an unknown calendar');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contract_add('ACME', 'gold', 'fi-8-16', '2028-01-01')$$), '^TK006\|unknown service level ''gold''', 'an unknown level');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contract_add('ACME', 'light', 'fi-8-16', '2028-01-01', '2027-01-01')$$), '^TK006\|a contract cannot run from 2028-01-01 to 2027-01-01', 'ending before it starts');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contract_add('ACME', 'light', 'fi-8-16', '2028-01-01', NULL, -5)$$), '^TK006\|quota must be 0 or more minutes, not -5', 'a negative quota');
SELECT is(pg_temp.run_as('tt_lead', $$SELECT tuki.contract_set((SELECT id FROM acme), 'to', '')$$), 'ok', 'a lead makes a contract open-ended');
SELECT is(pg_temp.run_as('tt_lead', $$SELECT tuki.contract_set((SELECT id FROM acme), 'quota', '900')$$), 'ok', 'and changes its quota');
SELECT is((SELECT format('%s %s', valid_to, quota_minutes) FROM tuki.contract WHERE id = (SELECT id FROM acme)), ' 900', 'both changed');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contract_set((SELECT id FROM acme), 'quota', 'lots')$$), '^TK006\|quota ''lots'' is not a valid number of minutes', 'a quota that is no number');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contract_set((SELECT id FROM acme), 'calendar', 'mars')$$), '^TK006\|unknown calendar ''mars''', 'an unknown calendar for a contract');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contract_set((SELECT id FROM acme), 'owner', 'x')$$), '^TK006\|unknown contract field ''owner''', 'an unknown contract field');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contract_set(424242, 'quota', '1')$$), '^TK006\|no contract 424242', 'an unknown contract');

-- a temporary raise, and the deadlines of the tickets it covers
SELECT tuki.ticket_create('ACME', 'Ennen korotusta', 'b', impact => 1, urgency => 1);  -- created Wed 2027-12-01 09:00
SELECT is((SELECT service_level FROM tuki.ticket WHERE subject = 'Ennen korotusta'), 'light', 'a ticket before the raise is light');
SELECT is(pg_temp.val_as('tt_lead', $$SELECT tuki.contract_raise('ACME', 'premium', '2027-12-01', '2027-12-07')$$), (SELECT id::text FROM acme),
    'a lead raises the contract to premium for a week');
SELECT is((SELECT format('%s %s', service_level, service_rank) FROM tuki.ticket WHERE subject = 'Ennen korotusta'),
    (SELECT format('premium %s', rank) FROM tuki.service_level WHERE code = 'premium'), 'the open ticket created that day follows: premium and its rank');
SELECT is((SELECT response_due FROM tuki.ticket WHERE subject = 'Ennen korotusta'),
    tuki.business_add('fi-8-16', '2027-12-01 09:00+02', (SELECT response_minutes FROM tuki.sla_target WHERE service_level = 'premium' AND priority = 1)),
    'and its response deadline is premium''s P1 target');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contract_raise('ACME', 'premium', '2026-12-20', '2027-01-10')$$),
    '^TK006\|no contract of ACME covers 2026-12-20 to 2027-01-10\|Contracts of ACME: \d+ from 2027-01-01 to further notice\.\|', 'a raise outside the contract is refused');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contract_raise('ACME', 'light', '2027-12-10', '2027-12-11')$$), '^TK006\|light is no raise from light', 'a level that is no raise');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contract_raise('ACME', 'premium', '2027-12-11', '2027-12-10')$$), '^TK006\|a raise cannot run from 2027-12-11 to 2027-12-10', 'a raise that ends before it begins');
-- on 2027-12-01 (the desk's clock, which only an administrator moves) the raise has begun
SELECT matches(pg_temp.err_as('postgres', $$SELECT tuki.contract_raise('ACME', 'standard', '2027-12-20', '2027-12-24')$$),
    '^TK006\|contract \d+ already had a raise to premium from 2027-12-01 to 2027-12-07', 'a raise that has begun is not replaced');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.contract_set((SELECT id FROM acme), 'to', '2027-12-03')$$),
    '^TK006\|contract \d+ would end before its raise', 'the contract cannot end inside its raise');

-- opening hours and holidays: the deadlines follow
SELECT is(pg_temp.run_as('tt_lead', $$SELECT tuki.holiday_add('fi-8-16', '2027-12-02', 'Firman päivä')$$), 'ok', 'a lead adds a holiday');
SELECT is((SELECT response_due FROM tuki.ticket WHERE subject = 'Ennen korotusta'),
    tuki.business_add('fi-8-16', '2027-12-01 09:00+02', (SELECT response_minutes FROM tuki.sla_target WHERE service_level = 'premium' AND priority = 1)),
    'the deadline still is the calendar''s answer');
SELECT is(tuki.business_minutes('fi-8-16', '2027-12-02 00:00+02', '2027-12-03 00:00+02'), 0::numeric, 'the holiday is closed (calendar_open rebuilt)');
SELECT is((SELECT count(*)::int FROM tuki.sla_bulk_pass), 0, 'the rewrite''s pass for the lead''s transaction is gone');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.holiday_add('fi-8-16', '2027-12-02', 'Toinen')$$),
    '^TK006\|2027-12-02 is already a holiday of fi-8-16: Firman päivä\|.+\|Remove it first: holiday remove fi-8-16 2027-12-02', 'a day is one holiday');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.holiday_add('mars', '2027-12-24', 'X')$$), '^TK006\|unknown calendar ''mars''', 'an unknown calendar for a holiday');
SELECT is(pg_temp.run_as('tt_lead', $$SELECT tuki.holiday_remove('fi-8-16', '2027-12-02')$$), 'ok', 'a lead removes it again');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.holiday_remove('fi-8-16', '2027-12-02')$$), '^TK006\|2027-12-02 is no holiday of fi-8-16', 'a day that is no holiday');
SELECT is(pg_temp.run_as('tt_lead', $$SELECT tuki.calendar_hours_set('fi-8-16', '{3}', '{10:00}', '{12:00}')$$), 'ok', 'a lead shortens Wednesdays to 10-12');
SELECT is(tuki.business_minutes('fi-8-16', '2027-12-01 00:00+02', '2027-12-02 00:00+02'), 120::numeric, 'Wednesday has two open hours');
-- the open ticket created Wednesday 09:00 (premium P1: 30 and 240 minutes) moves with them, in
-- the lead's own session: response 10:30, resolution Wednesday 10-12 and Thursday 08-10
SELECT is((SELECT format('%s %s', response_due, resolve_due) FROM tuki.ticket WHERE subject = 'Ennen korotusta'),
    format('%s %s', '2027-12-01 10:30+02'::timestamptz, '2027-12-02 10:00+02'::timestamptz), 'the open ticket''s deadlines follow the lead''s new hours');
SELECT is((SELECT count(*)::int FROM tuki.ticket_event WHERE kind = 'sla_recalc' AND detail->>'reason' = 'calendar' AND actor = 'tt_lead'), 2,
    'as sla_recalc events with the lead as actor (one per statement: old hours removed, new added)');
SELECT is(pg_temp.run_as('tt_lead', $$SELECT tuki.calendar_hours_set('fi-8-16', '{3}', '{}', '{}')$$), 'ok', 'and closes Wednesdays');
SELECT is(tuki.business_minutes('fi-8-16', '2027-12-01 00:00+02', '2027-12-02 00:00+02'), 0::numeric, 'Wednesday is closed');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.calendar_hours_set('fi-8-16', '{8}', '{}', '{}')$$), '^TK006\|opening hours need weekdays 1 \(Monday\) to 7', 'a weekday 8');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.calendar_hours_set('fi-8-16', '{1}', '{08:00}', '{}')$$), '^TK006\|each opening time needs a closing time', 'unpaired times');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.calendar_hours_set('mars', '{1}', '{}', '{}')$$), '^TK006\|unknown calendar ''mars''', 'an unknown calendar for hours');

-- a contract moved to another calendar: its open tickets' deadlines are counted there (24x7:
-- created Wednesday 09:00, premium P1 response 30 minutes, resolution 240)
SELECT is(pg_temp.run_as('tt_lead', $$SELECT tuki.contract_set((SELECT id FROM acme), 'calendar', '24x7')$$), 'ok', 'a lead moves the contract to 24x7');
SELECT is((SELECT format('%s %s', response_due, resolve_due) FROM tuki.ticket WHERE subject = 'Ennen korotusta'),
    format('%s %s', '2027-12-01 09:30+02'::timestamptz, '2027-12-01 13:00+02'::timestamptz), 'the open ticket''s deadlines follow the new calendar');

-- only leads: an agent gets TK005 from every one, a customer may not call them at all
SELECT is((SELECT string_agg(DISTINCT regexp_replace(pg_temp.err_as('tt_agent', q), '^(TK\d+)\|([^|]*)\|.*$', '\1 \2'), '; ')
             FROM (VALUES ($$SELECT tuki.contact_add('ACME', 'X')$$), ($$SELECT tuki.contact_set(1, 'phone', '1')$$),
                          ($$SELECT tuki.contact_deactivate(1)$$), ($$SELECT tuki.contract_add('KONE', 'light', 'fi-8-16', '2027-01-01')$$),
                          ($$SELECT tuki.contract_set(1, 'quota', '1')$$), ($$SELECT tuki.contract_raise('ACME', 'premium', '2027-12-20', '2027-12-21')$$),
                          ($$SELECT tuki.calendar_hours_set('fi-8-16', '{1}', '{}', '{}')$$), ($$SELECT tuki.holiday_add('fi-8-16', '2027-12-24', 'Jouluaatto')$$),
                          ($$SELECT tuki.holiday_remove('fi-8-16', '2027-12-24')$$)) v(q)),
    'TK005 only a lead may add contacts; TK005 only a lead may add contracts; TK005 only a lead may add holidays; TK005 only a lead may change contacts; TK005 only a lead may change contracts; TK005 only a lead may change opening hours; TK005 only a lead may raise service levels; TK005 only a lead may remove holidays',
    'an agent trying any of them gets TK005 naming what only leads may do');
SELECT is(pg_temp.run_as('tt_ville', $$SELECT tuki.holiday_add('fi-8-16', '2027-12-24', 'Jouluaatto')$$), '42501', 'a contact may not even call them');
SELECT is((SELECT count(*)::int FROM tuki.admin_audit WHERE actor IN ('tt_agent', 'tt_ville')), 0, 'nothing was changed by them');

-- grants: agents (and so leads) may call the API and are refused by it; customers and the
-- read-only role may not call it; the helpers are no role's; staff read the audit, nobody writes it
CREATE TEMP TABLE admin_api (f regprocedure);
INSERT INTO admin_api VALUES ('tuki.contact_add(text, text, text, text, text, boolean, text)'), ('tuki.contact_set(bigint, text, text)'),
    ('tuki.contact_deactivate(bigint)'), ('tuki.contract_add(text, text, text, date, date, integer)'), ('tuki.contract_set(bigint, text, text)'),
    ('tuki.contract_raise(text, text, date, date)'), ('tuki.calendar_hours_set(text, integer[], time[], time[])'),
    ('tuki.holiday_add(text, date, text)'), ('tuki.holiday_remove(text, date)');
SELECT is((SELECT string_agg(format('%s %s', r, f), ', ' ORDER BY r, f::text) FROM admin_api,
                  unnest(ARRAY['tuki_agent', 'tuki_lead', 'tuki_customer', 'tuki_readonly', 'tuki_system']) r
            WHERE has_function_privilege(r, f, 'EXECUTE') <> (r IN ('tuki_agent', 'tuki_lead'))),
    NULL, 'the API is executable by agents and leads only');
SELECT is((SELECT string_agg(format('%s %s', r, f), ', ') FROM unnest(ARRAY['tuki.admin_audit_record()', 'tuki.require_lead(text)',
                  'tuki.contact_check(tuki.contact)', 'tuki.contact_grant_login(text, text)', 'tuki.contract_check_dates(date, date, integer)']::regprocedure[]) f,
                  unnest(ARRAY['tuki_agent', 'tuki_lead', 'tuki_customer', 'tuki_readonly', 'tuki_system']) r
            WHERE has_function_privilege(r, f, 'EXECUTE')),
    NULL, 'its helpers are no role''s to call');
SELECT is((SELECT string_agg(format('%s %s', r, p), ', ' ORDER BY r, p) FROM unnest(ARRAY['tuki_agent', 'tuki_lead', 'tuki_customer', 'tuki_readonly']) r,
                  unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p
            WHERE has_table_privilege(r, 'tuki.admin_audit', p)),
    'tuki_agent SELECT, tuki_lead SELECT, tuki_readonly SELECT', 'staff read the audit; nobody writes it but its trigger');
SELECT is(pg_temp.run_as('tt_ville', $$SELECT count(*) FROM tuki.admin_audit$$), '42501', 'a contact cannot read it');

-- the audit: who, when, what, before and after; readable; append-only
SELECT is((SELECT format('%s %s %s', actor, action, new->>'name') FROM tuki.admin_audit WHERE object LIKE 'holiday fi-8-16 2027-12-02' AND action = 'add'),
    'tt_lead add Firman päivä', 'the holiday is in the audit with who added it');
SELECT matches((SELECT tuki.admin_audit_text(a) FROM tuki.admin_audit a WHERE object = 'contract ' || (SELECT id FROM acme) AND new->>'raise_level' = 'premium' AND old->>'raise_level' IS NULL),
    format('^\d{4}-\d\d-\d\d \d\d:\d\d  tt_lead  contract %s changed: raise_from - → 2027-12-01, raise_level - → premium, raise_to - → 2027-12-07$', (SELECT id FROM acme)),
    'the raise reads as one line naming what changed (times in UTC)');
SELECT matches((SELECT tuki.admin_audit_text(a) FROM tuki.admin_audit a WHERE object = 'contact ' || (SELECT id FROM paivi) AND old->>'phone' = '+358 40 1'),
    format('^\d{4}-\d\d-\d\d \d\d:\d\d  tt_lead  contact %s changed: phone \+358 40 1 → \+358 40 2$', (SELECT id FROM paivi)), 'a contact''s change too');
SELECT is(pg_temp.val_as('tt_agent', $$SELECT count(*) FROM tuki.admin_audit WHERE object LIKE 'hours fi-8-16 Wed'$$), '3', 'agents read it: Wednesday''s hours removed, added, removed');
SELECT throws_ok($$DELETE FROM tuki.admin_audit$$, 'TK002', NULL, 'the audit is append-only, even for a superuser');

SELECT * FROM finish();
ROLLBACK;
