-- Confirming a bug (tuki.ticket_confirm_bug): the fix version and the expected release date
-- are kept on the ticket and in its history, and the customer is told in their own language
-- through tuki.mail_template (bug_confirmed, bug_fix_version, bug_fix_release), the public
-- message then going out as a reply mail. Refusals: not a bug, a date without a version, a date
-- in the past; customers may not confirm.
BEGIN;
SELECT plan(17);

\ir lib/as_role.psql

CREATE ROLE tb_agent LOGIN IN ROLE tuki_agent;
CREATE ROLE tb_cust LOGIN IN ROLE tuki_customer;
SELECT tuki.agent_add('tb_agent', 'Aino Agent', 'third_line') IS NULL AS registered \gset
INSERT INTO tuki.customer (code, name, language) VALUES ('ACME', 'Acme Oy', 'fi'), ('TATRA', 'Tatra s.r.o.', 'sk'), ('WIDGETS', 'Widgets Ltd', 'en');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from)
SELECT code, 'standard', '24x7', '2020-01-01' FROM tuki.customer;
INSERT INTO tuki.contact (customer, name, email, login) VALUES
    ('ACME', 'Päivi Mäkelä', 'paivi@acme.fi', 'tb_cust'), ('TATRA', 'Ľubo Šťastný', 'lubo@tatra.sk', NULL),
    ('WIDGETS', 'Will Smith', 'will@widgets.example', NULL);
SELECT set_config('tuki.now', '2026-12-01 10:00+00', false) IS NULL AS moved \gset

CREATE TEMP TABLE b (name text PRIMARY KEY, id bigint);
GRANT SELECT ON b TO PUBLIC;
INSERT INTO b VALUES
    ('fi', tuki.ticket_create('ACME', 'Raportti kaatuu', 'Kaatuu aina.', 'bug', contact_email => 'paivi@acme.fi')),
    ('sk', tuki.ticket_create('TATRA', 'Export padá', 'Padá.', 'bug', contact_email => 'lubo@tatra.sk')),
    ('en', tuki.ticket_create('WIDGETS', 'Crash on save', 'It crashes.', 'bug', contact_email => 'will@widgets.example')),
    ('question', tuki.ticket_create('ACME', 'Kysymys', 'Mitä?', 'question', contact_email => 'paivi@acme.fi'));
CREATE FUNCTION pg_temp.confirm(n text, args text) RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.err_as('tb_agent', format('SELECT tuki.ticket_confirm_bug(%s, %s)', (SELECT id FROM b WHERE name = n), args)) $$;
CREATE FUNCTION pg_temp.told(n text) RETURNS text LANGUAGE sql AS $$
    SELECT body FROM tuki.message WHERE ticket = (SELECT id FROM b WHERE name = n) AND visibility = 'public'
       AND author_kind = 'agent' ORDER BY id DESC LIMIT 1 $$;

SELECT is(pg_temp.confirm('fi', $$'2.4.1', '2027-01-15'$$), 'ok', 'an agent confirms a bug with its fix version and release date');
SELECT is((SELECT bug_confirmed::text || ' ' || fix_version || ' ' || fix_release FROM tuki.ticket WHERE id = (SELECT id FROM b WHERE name = 'fi')),
    'true 2.4.1 2027-01-15', 'the ticket keeps them');
SELECT is(pg_temp.told('fi'), 'Vika on vahvistettu ja korjataan versiossa 2.4.1, jonka julkaisu on arviolta 15.1.2027.',
    'the Finnish customer is told in Finnish, the date as Finns write it');
SELECT is((SELECT body FROM tuki.outbox WHERE ticket = (SELECT id FROM b WHERE name = 'fi') AND kind = 'reply'),
    E'Vika on vahvistettu ja korjataan versiossa 2.4.1, jonka julkaisu on arviolta 15.1.2027.\n\n-- \nTuki',
    'and it goes out as a reply mail');
SELECT is((SELECT detail FROM tuki.ticket_event WHERE ticket = (SELECT id FROM b WHERE name = 'fi') AND kind = 'edit'),
    '{"fix_release": {"to": "2027-01-15", "from": null}, "fix_version": {"to": "2.4.1", "from": null}, "bug_confirmed": {"to": true, "from": false}}'::jsonb,
    'the history records version and date');

SELECT is(pg_temp.confirm('sk', $$'3.0', '2027-02-01'$$), 'ok', 'a Slovak customer''s bug');
SELECT is(pg_temp.told('sk'), 'Chyba je potvrdená a bude opravená vo verzii 3.0, ktorej vydanie očakávame 1. 2. 2027.', 'is told in Slovak');
SELECT is(pg_temp.confirm('en', $$'5.1'$$), 'ok', 'an English customer''s bug, no date yet');
SELECT is(pg_temp.told('en'), 'The bug is confirmed and will be fixed in version 5.1.', 'is told in English, without a date');
SELECT is(pg_temp.confirm('en', $$'5.1'$$), 'ok', 'the same again');
SELECT is((SELECT count(*)::integer FROM tuki.message WHERE ticket = (SELECT id FROM b WHERE name = 'en') AND author_kind = 'agent'), 1,
    'changes nothing and tells nobody twice');
SELECT is(pg_temp.confirm('en', $$NULL, '2027-03-01'$$), 'ok', 'a date for the version already given');
SELECT is(pg_temp.told('en'), 'The bug is confirmed and will be fixed in version 5.1, expected to be released on 2027-03-01.', 'tells the customer the date');

SELECT is(split_part(pg_temp.confirm('question', $$'1.0'$$), '|', 1), 'TK006', 'a question is not a bug: TK006');
SELECT is(pg_temp.confirm('sk', $$NULL, '2026-01-01'$$),
    format('TK006|ticket #%s: release date 2026-01-01 is in the past|The expected release date of a fix is today or later.|Leave the date out when it is not known.', (SELECT id FROM b WHERE name = 'sk')),
    'a release date in the past: TK006');
INSERT INTO b VALUES ('fresh', tuki.ticket_create('ACME', 'Uusi vika', 'x', 'bug', contact_email => 'paivi@acme.fi'));
SELECT is(split_part(pg_temp.confirm('fresh', $$NULL, '2027-01-01'$$), '|', 2),
    format('ticket #%s: a release date needs a fix version', (SELECT id FROM b WHERE name = 'fresh')), 'a date without any version: TK006');
SELECT is(pg_temp.run_as('tb_cust', format('SELECT tuki.ticket_confirm_bug(%s, ''9.9'')', (SELECT id FROM b WHERE name = 'fi'))), '42501',
    'customers may not confirm bugs');

SELECT * FROM finish();
ROLLBACK;
