-- Linking and merging tickets (tuki.ticket_link_add, tuki.ticket_merge, tuki.ticket_links_of):
-- both histories say so, a merged duplicate is closed with a pointer to the ticket that
-- carries on and its messages and work stay where they were written; every refusal has its
-- TK code; agents may, customers may not; links are never changed (TK002).
BEGIN;
SELECT plan(31);

\ir lib/as_role.psql

CREATE ROLE tl_a LOGIN IN ROLE tuki_agent;
CREATE ROLE tl_b LOGIN IN ROLE tuki_agent;
CREATE ROLE tl_cust LOGIN IN ROLE tuki_customer;
SELECT tuki.agent_add('tl_a', 'Aino A', 'second_line') IS NULL AS r \gset
SELECT tuki.agent_add('tl_b', 'Bertta B', 'second_line') IS NULL AS r \gset
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy'), ('KONE', 'Kone Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from)
SELECT code, 'standard', '24x7', '2020-01-01' FROM tuki.customer;
INSERT INTO tuki.contact (customer, name, email, login) VALUES
    ('ACME', 'Päivi Mäkelä', 'paivi@acme.fi', 'tl_cust'), ('KONE', 'Jussi Köykkä', 'jussi@kone.fi', NULL);

CREATE TEMP TABLE t (name text PRIMARY KEY, id bigint);
GRANT SELECT ON t TO PUBLIC;
INSERT INTO t VALUES
    ('incident', tuki.ticket_create('ACME', 'VPN katkeaa', 'Katkeaa.', 'incident', contact_email => 'paivi@acme.fi')),
    ('problem',  tuki.ticket_create('ACME', 'VPN-palvelimen muistivuoto', 'Ongelma.', 'problem', contact_email => 'paivi@acme.fi')),
    ('kone',     tuki.ticket_create('KONE', 'VPN ei toimi', 'Ei toimi.', 'incident', contact_email => 'jussi@kone.fi')),
    ('dup',      tuki.ticket_create('ACME', 'VPN katkeilee taas', 'Sama vika.', 'incident', contact_email => 'paivi@acme.fi')),
    ('held',     tuki.ticket_create('ACME', 'Bertan tiketti', 'x', 'incident', contact_email => 'paivi@acme.fi')),
    ('closed',   tuki.ticket_create('ACME', 'Vanha', 'x', 'incident', contact_email => 'paivi@acme.fi'));
CREATE FUNCTION pg_temp.t(n text) RETURNS bigint LANGUAGE sql AS $$ SELECT id FROM t WHERE name = n $$;
CREATE FUNCTION pg_temp.as_a(q text) RETURNS text LANGUAGE sql AS $$ SELECT pg_temp.err_as('tl_a', q) $$;
CREATE FUNCTION pg_temp.code(r text) RETURNS text LANGUAGE sql AS $$ SELECT split_part(r, '|', 1) $$;
SELECT tuki.ticket_set_status(pg_temp.t('closed'), 'resolved', 'done') IS NULL AS r \gset
SELECT tuki.ticket_set_status(pg_temp.t('closed'), 'closed') IS NULL AS r \gset
SELECT is(pg_temp.run_as('tl_b', format('SELECT tuki.ticket_take(%s)', pg_temp.t('held'))), 'ok', 'setup: Bertta holds a ticket');
SELECT is(pg_temp.run_as('tl_a', format('SELECT tuki.worklog_add(%s, 30, false, %L)', pg_temp.t('dup'), 'looked at it')), 'ok',
    'setup: work logged on the duplicate');

-- link
SELECT is(pg_temp.as_a(format('SELECT tuki.ticket_link_add(%s, %s)', pg_temp.t('incident'), pg_temp.t('problem'))), 'ok',
    'an agent links an incident to its problem');
SELECT is((SELECT string_agg(kind || ' ' || other_type || ' ' || other_subject, '; ') FROM tuki.ticket_links_of(pg_temp.t('incident'))),
    'relates problem VPN-palvelimen muistivuoto', 'the incident shows its problem');
SELECT is((SELECT string_agg(kind || ' ' || other_type || ' ' || other_subject, '; ') FROM tuki.ticket_links_of(pg_temp.t('problem'))),
    'relates incident VPN katkeaa', 'and the problem its incident');
SELECT is((SELECT string_agg(ticket::text || ':' || (detail->>'ticket'), ',' ORDER BY ticket) FROM tuki.ticket_event WHERE kind = 'link'),
    format('%s:%s,%s:%s', pg_temp.t('incident'), pg_temp.t('problem'), pg_temp.t('problem'), pg_temp.t('incident')),
    'both histories say so (a link event each, naming the other)');
SELECT is(pg_temp.as_a(format('SELECT tuki.ticket_link_add(%s, %s)', pg_temp.t('kone'), pg_temp.t('problem'))), 'ok',
    'another customer''s incident may relate to the same problem');
SELECT is(pg_temp.as_a(format('SELECT tuki.ticket_link_add(%s, %s)', pg_temp.t('problem'), pg_temp.t('incident'))),
    format('TK006|tickets #%s and #%s are already linked|Two tickets have at most one link.|open ID shows a ticket''s links.', pg_temp.t('incident'), pg_temp.t('problem')),
    'a pair already linked, either way round: TK006');
SELECT is(pg_temp.as_a(format('SELECT tuki.ticket_link_add(%s, %s)', pg_temp.t('incident'), pg_temp.t('incident'))),
    format('TK006|ticket #%s cannot be linked to itself|A link takes two different tickets.|link ID OTHER_ID', pg_temp.t('incident')),
    'a ticket with itself: TK006');
SELECT is(pg_temp.code(pg_temp.as_a(format('SELECT tuki.ticket_link_add(%s, %s)', pg_temp.t('incident'), pg_temp.t('closed')))), 'TK008',
    'a closed ticket: TK008');
SELECT is(pg_temp.code(pg_temp.as_a(format('SELECT tuki.ticket_link_add(%s, 999999)', pg_temp.t('incident')))), 'TK006', 'an unknown ticket: TK006');

-- merge
SELECT is(pg_temp.as_a(format('SELECT tuki.ticket_merge(%s, %s)', pg_temp.t('dup'), pg_temp.t('incident'))), 'ok',
    'an agent merges a duplicate into the ticket that carries on');
SELECT is((SELECT status FROM tuki.ticket WHERE id = pg_temp.t('dup')), 'closed', 'the duplicate is closed');
SELECT is((SELECT resolution FROM tuki.ticket WHERE id = pg_temp.t('dup')),
    format('Pyyntö on yhdistetty pyyntöön #%s (VPN katkeaa), jossa asian käsittely jatkuu.', pg_temp.t('incident')),
    'with a pointer to the other ticket, in the customer''s language');
SELECT is((SELECT detail FROM tuki.ticket_event WHERE ticket = pg_temp.t('dup') AND kind = 'merged'),
    jsonb_build_object('into', pg_temp.t('incident'), 'subject', 'VPN katkeaa'), 'the duplicate''s history says where it went');
SELECT is((SELECT detail FROM tuki.ticket_event WHERE ticket = pg_temp.t('incident') AND kind = 'merge'),
    jsonb_build_object('from', pg_temp.t('dup'), 'subject', 'VPN katkeilee taas', 'messages', 1, 'worklog_minutes', 30),
    'the other''s history says what came: the duplicate, its message and its 30 minutes of work');
SELECT is((SELECT count(*)::integer FROM tuki.message WHERE ticket = pg_temp.t('dup')), 1, 'the duplicate''s messages stay where they were written');
SELECT is((SELECT string_agg(kind || ' ' || other, ', ' ORDER BY kind) FROM tuki.ticket_links_of(pg_temp.t('incident'))),
    format('merged_from %s, relates %s', pg_temp.t('dup'), pg_temp.t('problem')), 'the ticket that carries on lists the duplicate');
SELECT is((SELECT string_agg(kind || ' ' || other, ', ') FROM tuki.ticket_links_of(pg_temp.t('dup'))),
    format('merged_into %s', pg_temp.t('incident')), 'and the duplicate points to it');
SELECT is((SELECT count(*)::integer FROM tuki.outbox WHERE ticket = pg_temp.t('dup') AND kind IN ('resolved', 'closed')), 2,
    'the customer hears of it as of any resolution and closing');

SELECT is(pg_temp.as_a(format('SELECT tuki.ticket_merge(%s, %s)', pg_temp.t('problem'), pg_temp.t('problem'))),
    format('TK006|ticket #%s cannot be merged into itself|A merge takes two different tickets.|merge ID OTHER_ID', pg_temp.t('problem')),
    'merging into itself: TK006');
SELECT is(pg_temp.code(pg_temp.as_a(format('SELECT tuki.ticket_merge(%s, %s)', pg_temp.t('problem'), pg_temp.t('closed')))), 'TK008',
    'merging into a closed ticket: TK008');
SELECT is(pg_temp.code(pg_temp.as_a(format('SELECT tuki.ticket_merge(%s, %s)', pg_temp.t('dup'), pg_temp.t('problem')))), 'TK008',
    'merging a closed ticket (one merged already): TK008');
SELECT is(pg_temp.as_a(format('SELECT tuki.ticket_merge(%s, %s)', pg_temp.t('kone'), pg_temp.t('held'))),
    format('TK006|ticket #%s is KONE''s and #%s is ACME''s|Only tickets of the same customer are merged: each customer sees its own history only.|link ID OTHER_ID relates tickets of different customers.',
           pg_temp.t('kone'), pg_temp.t('held')),
    'merging across customers: TK006');
-- as with resolving, the holding rule is about who holds a ticket, not who closes it
SELECT is(pg_temp.as_a(format('SELECT tuki.ticket_merge(%s, %s)', pg_temp.t('held'), pg_temp.t('problem'))), 'ok',
    'an agent may merge away a ticket another agent holds, as they may resolve it');
SELECT is((SELECT status || ' ' || assignee FROM tuki.ticket WHERE id = pg_temp.t('held')), 'closed tl_b', 'it is closed, still Bertta''s');

-- who may
SELECT is(pg_temp.run_as('tl_cust', format('SELECT tuki.ticket_link_add(%s, %s)', pg_temp.t('held'), pg_temp.t('problem'))), '42501',
    'customers may not link');
SELECT is(pg_temp.run_as('tl_cust', format('SELECT tuki.ticket_merge(%s, %s)', pg_temp.t('held'), pg_temp.t('problem'))), '42501',
    'nor merge');
SELECT is(pg_temp.run_as('tl_cust', format('SELECT count(*) FROM tuki.ticket_links_of(%s)', pg_temp.t('incident'))), '42501',
    'a contact reads no links (the other ticket may be another customer''s)');
SELECT ok(has_function_privilege('tuki_agent', 'tuki.ticket_merge(bigint, bigint)', 'EXECUTE')
          AND has_function_privilege('tuki_agent', 'tuki.ticket_link_add(bigint, bigint)', 'EXECUTE'), 'agents may link and merge');
SELECT is(pg_temp.code(pg_temp.err_as('postgres', 'DELETE FROM tuki.ticket_link')), 'TK002', 'links are never deleted, not even by the owner');

SELECT * FROM finish();
ROLLBACK;
