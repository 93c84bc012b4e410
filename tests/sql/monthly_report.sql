-- tuki.monthly_report, computed by hand for January 2026 of customer HEL (calendar fi-8-16:
-- Helsinki, Mon-Fri 08-16, UTC+2 in winter; 1 and 6 January are holidays). Standard targets:
-- P1 60 / 480, P2 120 / 960, P3 480 / 2880, P4 960 / 5760, P5 1920 / 9600 business minutes.
-- The desk's clock is moved with the tuki.now setting (the test runs as a superuser).
BEGIN;
SELECT plan(36);

CREATE TEMP TABLE ids (name text PRIMARY KEY, id bigint NOT NULL);
CREATE FUNCTION pg_temp.t(n text) RETURNS bigint LANGUAGE sql AS $$ SELECT id FROM ids WHERE name = n $$;
CREATE FUNCTION pg_temp.at(ts text) RETURNS void LANGUAGE sql AS $$ SELECT set_config('tuki.now', ts, true) $$;
CREATE FUNCTION pg_temp.new(n text, ts text, type text, impact int, urgency int) RETURNS void LANGUAGE sql AS $$
    SELECT pg_temp.at(ts);
    INSERT INTO ids SELECT n, tuki.ticket_create('HEL', 'Ticket ' || n, 'help', type, impact, urgency, 'paivi@hel.fi');
$$;
CREATE FUNCTION pg_temp.reply(n text, ts text) RETURNS void LANGUAGE sql AS $$
    SELECT pg_temp.at(ts);
    SELECT tuki.ticket_reply(pg_temp.t(n), 'Katsomme asiaa');
$$;
CREATE FUNCTION pg_temp.resolve(n text, ts text) RETURNS void LANGUAGE sql AS $$
    SELECT pg_temp.at(ts);
    SELECT tuki.ticket_set_status(pg_temp.t(n), 'resolved', 'Korjattu');
$$;
CREATE FUNCTION pg_temp.work(n text, ts text, minutes int, billable boolean) RETURNS void LANGUAGE sql AS $$
    SELECT pg_temp.at(ts);
    SELECT tuki.worklog_add(pg_temp.t(n), minutes, billable);
$$;
-- the first column of the first row of q run as who, or the SQLSTATE when it fails
CREATE FUNCTION pg_temp.val_as(who text, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE v text;
BEGIN
    EXECUTE format('SET SESSION AUTHORIZATION %I', who);
    BEGIN
        EXECUTE q INTO v;
    EXCEPTION WHEN OTHERS THEN
        RESET SESSION AUTHORIZATION;
        RETURN SQLSTATE;
    END;
    RESET SESSION AUTHORIZATION;
    RETURN v;
END $$;

CREATE ROLE tt_agent LOGIN;
CREATE ROLE tt_hel LOGIN IN ROLE tuki_customer;
CREATE ROLE tt_bra LOGIN IN ROLE tuki_customer;
CREATE ROLE tt_ro LOGIN IN ROLE tuki_readonly;
SELECT tuki.agent_add('tt_agent', 'Aino Agentti', 'second_line');
INSERT INTO tuki.customer (code, name) VALUES ('HEL', 'Helsingin Hälytys Oy'), ('BRA', 'Bratislavské Služby s.r.o.');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from, valid_to, quota_minutes) VALUES
    ('HEL', 'standard', 'fi-8-16', '2025-01-01', NULL, 120),
    ('BRA', 'light', 'sk-8-17', '2025-01-01', '2026-01-14', 60),
    ('BRA', 'premium', 'sk-8-17', '2026-01-15', NULL, 300);
INSERT INTO tuki.contact (customer, name, email, may_order_billable, login) VALUES
    ('HEL', 'Päivi Mäkelä', 'paivi@hel.fi', true, 'tt_hel'),
    ('BRA', 'Ľubica Šťastná', 'lubica@bra.sk', false, 'tt_bra');
SELECT set_config('tuki.actor', 'tt_agent', true);

-- t7: created 31 Dec 23:30 Helsinki (December), first reply Fri 2 Jan 08:30: 30 minutes (1 Jan is a holiday)
SELECT pg_temp.new('t7', '2025-12-31 23:30+02', 'incident', 3, 2);
-- t5: 1 Jan 00:30 Helsinki is still 31 Dec 22:30 UTC, but January here
SELECT pg_temp.new('t5', '2026-01-01 00:30+02', 'change', 2, 3);
SELECT pg_temp.reply('t7', '2026-01-02 08:30+02');
-- t1: P1 Mon 12 Jan 08:00, reply 08:30 (30, met), resolved 10:00 (120, met)
SELECT pg_temp.new('t1', '2026-01-12 08:00+02', 'incident', 1, 1);
SELECT pg_temp.reply('t1', '2026-01-12 08:30+02');
SELECT pg_temp.resolve('t1', '2026-01-12 10:00+02');
-- t2: P2 Mon 12 Jan 09:00, reply 12:00 (180 > 120, missed), resolved Tue 09:00 (420 + 60 = 480, met)
SELECT pg_temp.new('t2', '2026-01-12 09:00+02', 'incident', 1, 2);
SELECT pg_temp.reply('t2', '2026-01-12 12:00+02');
SELECT pg_temp.resolve('t2', '2026-01-13 09:00+02');
-- t3: P5 question Wed 14 Jan 10:00, reply 10:10 (10, met), never resolved
SELECT pg_temp.new('t3', '2026-01-14 10:00+02', 'question', 3, 3);
SELECT pg_temp.reply('t3', '2026-01-14 10:10+02');
-- t8: P1 Tue 20 Jan 08:00, reply 08:20 (20, met), resolved Wed 09:00 (480 + 60 = 540 > 480, missed)
SELECT pg_temp.new('t8', '2026-01-20 08:00+02', 'incident', 1, 1);
SELECT pg_temp.reply('t8', '2026-01-20 08:20+02');
SELECT pg_temp.resolve('t8', '2026-01-21 09:00+02');
-- t4: P3 service request Fri 30 Jan 15:00, no answer yet: a running clock is in no month's figures
SELECT pg_temp.new('t4', '2026-01-30 15:00+02', 'service_request', 2, 2);
-- t6: 1 Feb 00:30 Helsinki is 31 Jan 22:30 UTC, but February here
SELECT pg_temp.new('t6', '2026-02-01 00:30+02', 'incident', 3, 3);

-- work: January 60 + 45 + 40 non-billable = 145 (quota 120: 120 used, 25 over) and 30 ordered billable
SELECT pg_temp.work('t1', '2026-01-12 09:00+02', 60, false);
SELECT pg_temp.work('t2', '2026-01-13 08:30+02', 45, false);
SELECT pg_temp.work('t8', '2026-01-21 08:30+02', 30, true);
SELECT pg_temp.work('t7', '2026-01-31 23:50+02', 40, false);
-- 1 Feb 00:10 Helsinki (31 Jan 22:10 UTC) is February's
SELECT pg_temp.work('t3', '2026-02-01 00:10+02', 25, false);
SELECT pg_temp.at('2026-02-10 12:00+02');

CREATE TEMP TABLE jan AS SELECT * FROM tuki.monthly_report WHERE customer = 'HEL' AND month = '2026-01-01';
SELECT is((SELECT count(*)::int FROM jan), 1, 'one row for HEL and January 2026');
SELECT results_eq('SELECT customer_name, service_level, calendar, time_zone FROM jan',
    $$ VALUES ('Helsingin Hälytys Oy', 'standard', 'fi-8-16', 'Europe/Helsinki') $$, 'names the customer, level, calendar and zone');
SELECT is((SELECT created FROM jan), 6, 'six requests created in January, Helsinki time (t1 t2 t3 t4 t5 t8; t7 is December''s, t6 February''s)');
SELECT is((SELECT by_type FROM jan),
    '{"incident": 3, "question": 1, "service_request": 1, "change": 1, "bug": 0, "problem": 0}'::jsonb, 'by type, every type listed');
SELECT results_eq('SELECT p1, p2, p3, p4, p5 FROM jan', $$ VALUES (2, 1, 1, 1, 1) $$, 'by priority: P1 t1 t8, P2 t2, P3 t4, P4 t5, P5 t3');
SELECT is((SELECT resolved FROM jan), 3, 'three resolved in January (t1 t2 t8)');
SELECT results_eq('SELECT response_met, response_missed, response_compliance FROM jan', $$ VALUES (4, 1, 80.0) $$,
    'response clocks stopped in January: t1 t3 t7 t8 met, t2 missed: 80.0 %');
SELECT results_eq('SELECT resolve_met, resolve_missed, resolve_compliance FROM jan', $$ VALUES (2, 1, 66.7) $$,
    'resolution: t1 t2 met, t8 missed: 66.7 %');
SELECT results_eq('SELECT response_median_minutes, response_avg_minutes FROM jan', $$ VALUES (30.0, 54.0) $$,
    'response times 10 20 30 30 180: median 30, average 54 business minutes');
SELECT results_eq('SELECT resolve_median_minutes, resolve_avg_minutes FROM jan', $$ VALUES (480.0, 380.0) $$,
    'resolution times 120 480 540: median 480, average 380');
SELECT results_eq('SELECT worklog_minutes, ordered_billable_minutes, quota_minutes, quota_used_minutes, over_quota_minutes, billable_minutes FROM jan',
    $$ VALUES (175, 30, 120, 120, 25, 55) $$,
    'work 175 = 145 non-billable (120 within the quota, 25 over) + 30 ordered billable: 55 billable');

SELECT results_eq($$ SELECT created, by_type->>'incident', resolved, response_met + response_missed, worklog_minutes,
                            quota_used_minutes, billable_minutes
                       FROM tuki.monthly_report WHERE customer = 'HEL' AND month = '2026-02-01' $$,
    $$ VALUES (1, '1', 0, 0, 25, 25, 0) $$, 'February: t6 created just after midnight, 25 minutes of work within the quota');
SELECT results_eq($$ SELECT created, p4, response_met, response_compliance FROM tuki.monthly_report WHERE customer = 'HEL' AND month = '2025-12-01' $$,
    $$ VALUES (1, 1, 0, NULL::numeric) $$, 'December: t7 created on New Year''s Eve; its response is January''s');
SELECT is((SELECT min(month) || '..' || max(month) || ' ' || count(*) FROM tuki.monthly_report WHERE customer = 'HEL'),
    '2025-01-01..2026-02-01 14', 'HEL has a row for every month of its contract up to the current one, none beyond');
SELECT results_eq($$ SELECT created, resolved, worklog_minutes, billable_minutes, response_compliance FROM tuki.monthly_report
                     WHERE customer = 'HEL' AND month = '2025-06-01' $$,
    $$ VALUES (0, 0, 0, 0, NULL::numeric) $$, 'a quiet month is all zeros, compliance unknown (null)');

-- the contract in force at the end of the month decides level, quota and zone
SELECT results_eq($$ SELECT service_level, quota_minutes, time_zone FROM tuki.monthly_report WHERE customer = 'BRA' AND month = '2026-01-01' $$,
    $$ VALUES ('premium', 300, 'Europe/Bratislava') $$, 'BRA changed contract on 15 January: January reports the new one');
SELECT results_eq($$ SELECT service_level, quota_minutes FROM tuki.monthly_report WHERE customer = 'BRA' AND month = '2025-12-01' $$,
    $$ VALUES ('light', 60) $$, 'December the old one');
SELECT results_eq($$ SELECT first_day, last_day, service_level, raised FROM tuki.report_levels('BRA', '2026-01-01') $$,
    $$ VALUES ('2026-01-01'::date, '2026-01-14'::date, 'light', false), ('2026-01-15', '2026-01-31', 'premium', false) $$,
    'but the level day by day names both contracts: light to the 14th, premium from the 15th (no raise)');

-- quota arithmetic: only ordered billable work, quota exactly used, nothing logged
SELECT pg_temp.new('q', '2025-03-03 09:00+02', 'incident', 3, 3);
SELECT pg_temp.work('q', '2025-03-03 10:00+02', 120, false);
SELECT pg_temp.new('r', '2025-04-01 09:00+03', 'incident', 3, 3);
SELECT pg_temp.work('r', '2025-04-01 10:00+03', 50, true);
SELECT pg_temp.at('2026-02-10 12:00+02');
SELECT results_eq($$ SELECT month, worklog_minutes, quota_used_minutes, over_quota_minutes, billable_minutes FROM tuki.monthly_report
                     WHERE customer = 'HEL' AND month IN ('2025-03-01', '2025-04-01') ORDER BY month $$,
    $$ VALUES ('2025-03-01'::date, 120, 120, 0, 0), ('2025-04-01'::date, 50, 0, 0, 50) $$,
    'exactly the quota is not billable; ordered billable work does not touch the quota');

-- a reopened ticket leaves the month of its first resolution and counts when resolved again
SELECT pg_temp.at('2026-02-02 09:00+02');
SELECT tuki.ticket_set_status(pg_temp.t('t1'), 'open');
SELECT pg_temp.at('2026-02-10 12:00+02');
SELECT results_eq($$ SELECT resolved, resolve_met, resolve_missed FROM tuki.monthly_report WHERE customer = 'HEL' AND month = '2026-01-01' $$,
    $$ VALUES (2, 1, 1) $$, 'reopening t1 in February takes it out of January''s resolutions');
SELECT pg_temp.resolve('t1', '2026-02-02 10:00+02');
SELECT pg_temp.at('2026-02-10 12:00+02');
SELECT results_eq($$ SELECT resolved, resolve_met, resolve_median_minutes FROM tuki.monthly_report WHERE customer = 'HEL' AND month = '2026-02-01' $$,
    $$ VALUES (1, 1, 180.0) $$, 'resolved again on 2 February after 120 + 60 minutes: February''s');

-- row-level security: a contact sees its own organisation's rows only
SELECT is(pg_temp.val_as('tt_hel', 'SELECT string_agg(DISTINCT customer, '','') FROM tuki.monthly_report'), 'HEL',
    'HEL''s contact sees only HEL''s rows');
SELECT is(pg_temp.val_as('tt_bra', 'SELECT string_agg(DISTINCT customer, '','') FROM tuki.monthly_report'), 'BRA',
    'BRA''s contact sees only BRA''s rows');
SELECT is(pg_temp.val_as('tt_hel', $$SELECT concat_ws(' ', created, response_compliance, worklog_minutes, billable_minutes)
                                      FROM tuki.monthly_report WHERE month = '2026-01-01'$$),
    '6 80.0 175 55', 'and the same figures as staff');
SELECT is(pg_temp.val_as('tt_hel', $$SELECT count(*) FROM tuki.monthly_report WHERE customer = 'BRA'$$), '0',
    'asking for another customer by code gives nothing');
SELECT is(pg_temp.val_as('tt_hel', 'SELECT agent FROM tuki.worklog LIMIT 1'), 'tt_agent', 'a contact reads who did the work (the invoice lines name the agent)');
SELECT is(pg_temp.val_as('tt_hel', 'SELECT note FROM tuki.worklog LIMIT 1'), '42501', 'nor the work notes');
SELECT is(pg_temp.val_as('tt_hel', 'SELECT sum(minutes) FROM tuki.worklog'), '370', 'but it reads the minutes logged on its own tickets');
SELECT is(pg_temp.val_as('tt_bra', 'SELECT count(*) FROM tuki.worklog'), '0', 'and no other customer''s work');
SELECT is(pg_temp.val_as('tt_ro', 'SELECT string_agg(DISTINCT customer, '','' ORDER BY customer) FROM tuki.monthly_report'), 'BRA,HEL',
    'tuki_readonly sees every customer');
SELECT is(pg_temp.val_as('tt_agent', $$SELECT billable_minutes FROM tuki.monthly_report WHERE customer = 'HEL' AND month = '2026-01-01'$$),
    '55', 'agents read it too');

-- the view's contract with the catalogue
SELECT ok((SELECT reloptions @> ARRAY['security_invoker=true'] FROM pg_class WHERE oid = 'tuki.monthly_report'::regclass),
    'security_invoker, so row-level security applies to the reader');
SELECT is((SELECT string_agg(a.attname, ', ') FROM pg_attribute a
            WHERE a.attrelid = 'tuki.monthly_report'::regclass AND a.attnum > 0
              AND col_description(a.attrelid, a.attnum) IS NULL), NULL, 'every column is commented');

-- one customer's month reads that customer's rows of that month through indexes, never a whole table
SET LOCAL enable_seqscan = off;
CREATE FUNCTION pg_temp.plan(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; result text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN ' || q LOOP
        result := result || line || E'\n';
    END LOOP;
    RETURN result;
END $$;
SELECT unalike(pg_temp.plan($$SELECT * FROM tuki.monthly_report WHERE customer = 'HEL' AND month = '2026-01-01'$$),
    '%Seq Scan on ticket %', 'one customer''s month: no sequential scan of tuki.ticket');
SELECT unalike(pg_temp.plan($$SELECT * FROM tuki.monthly_report WHERE customer = 'HEL' AND month = '2026-01-01'$$),
    '%Seq Scan on worklog %', 'nor of tuki.worklog');
SELECT alike(pg_temp.plan($$SELECT * FROM tuki.monthly_report WHERE customer = 'HEL' AND month = '2026-01-01'$$),
    '%ticket_customer_resolved%', 'resolutions of the month come from the (customer, resolved_at) index');
RESET enable_seqscan;

SELECT * FROM finish();
ROLLBACK;
