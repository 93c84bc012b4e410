-- Issue 17, finding 3: a lead cannot give a customer staff access. tuki.agent_add checked only
-- the role it registers, so a NOLOGIN group with a contact in it became an agent and the
-- contact read every customer's tickets and internal notes. Now every role that inherits the
-- registered role's rights is checked, and a customer's login that a DBA grants a staff role
-- later still reads only what a contact may (the staff policies ask tuki.role_is_customer).
BEGIN;
SELECT plan(17);

\ir lib/as_role.psql

CREATE ROLE tt_lead LOGIN;
SELECT tuki.agent_add('tt_lead', 'Lauri Liidi', NULL, true);
CREATE ROLE tt_acme LOGIN IN ROLE tuki_customer;
CREATE ROLE tt_plain LOGIN;                               -- nobody's contact, in no tuki role
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy'), ('KONE', 'Konepaja Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from)
SELECT code, 'standard', '24x7', '2020-01-01' FROM tuki.customer;
INSERT INTO tuki.contact (customer, name, email, login) VALUES ('ACME', 'Päivi Mäkelä', 'paivi@acme.fi', 'tt_acme');
SELECT tuki.ticket_create(c, 'Pyyntö ' || c, 'b') FROM (VALUES ('ACME'), ('KONE')) x(c);
SELECT tuki.ticket_note(id, 'INTERNAL ' || customer) FROM tuki.ticket;

-- registration refuses every role a contact would inherit rights from
CREATE ROLE tt_group NOLOGIN;
GRANT tt_group TO tt_acme;
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.agent_add('tt_group', 'Ryhmä')$$),
    '^TK006\|tt_group is or passes its rights to a customer contact''s login: tt_acme\|.+\|.+',
    'a group role with a contact in it is refused: TK006 naming the contact');
CREATE ROLE tt_outer NOLOGIN;
CREATE ROLE tt_middle NOLOGIN IN ROLE tt_outer;
GRANT tt_middle TO tt_acme;
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.agent_add('tt_outer', 'Ulompi')$$),
    '^TK006\|tt_outer is or passes its rights to a customer contact''s login: tt_acme\|',
    'a contact two levels down is found too');
CREATE ROLE tt_custgroup NOLOGIN;
CREATE ROLE tt_custmember LOGIN IN ROLE tt_custgroup, tuki_customer;   -- a customer role, no contact row
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.agent_add('tt_custgroup', 'Asiakasryhmä')$$),
    '^TK006\|tt_custgroup is or passes its rights to a customer contact''s login: tt_custmember\|',
    'a member of tuki_customer without a contact row counts as a customer');
CREATE ROLE tt_contact_only LOGIN;
INSERT INTO tuki.contact (customer, name, email, login) VALUES ('KONE', 'Jari Mäkinen', 'jari@kone.fi', 'tt_contact_only');
SELECT matches(pg_temp.err_as('tt_lead', $$SELECT tuki.agent_add('tt_contact_only', 'Jari')$$),
    '^TK006\|tt_contact_only is or passes', 'a contact''s login outside tuki_customer is refused');
SELECT is(pg_temp.run_as('tt_lead', $$SELECT tuki.agent_add('tt_acme', 'Päivi')$$), 'TK006', 'a contact''s own login is refused');
SELECT is((SELECT string_agg(login, ',') FROM tuki.agent WHERE login <> 'tt_lead'), NULL, 'none of those became an agent');
SELECT is((SELECT count(*)::int FROM pg_auth_members m WHERE m.roleid = 'tuki_agent'::regrole
            AND m.member::regrole::text IN ('tt_group', 'tt_outer', 'tt_custgroup', 'tt_contact_only', 'tt_acme')), 0,
    'and none got tuki_agent');
CREATE ROLE tt_agents NOLOGIN;
CREATE ROLE tt_member LOGIN IN ROLE tt_agents;
SELECT is(pg_temp.run_as('tt_lead', $$SELECT tuki.agent_add('tt_agents', 'Tiimi')$$), 'ok', 'a group of staff only may still be registered');
SELECT is(pg_temp.run_as('tt_lead', $$SELECT tuki.agent_add('tt_plain', 'Tavallinen')$$), 'ok', 'as may an ordinary login');

-- granting afterwards: a DBA puts the contact into a registered group, or gives it a staff role
GRANT tt_agents TO tt_acme;
GRANT tuki_readonly TO tt_acme;
SELECT is(pg_temp.val_as('tt_acme', 'SELECT string_agg(DISTINCT customer, '','') FROM tuki.ticket'), 'ACME',
    'a contact given staff roles later still sees only its own organisation''s tickets');
SELECT is(pg_temp.val_as('tt_acme', $$SELECT count(*) FROM tuki.message WHERE visibility = 'internal'$$), '0',
    'and no internal notes');
SELECT is(pg_temp.val_as('tt_acme', 'SELECT count(*) FROM tuki.ticket_event'), '0', 'and no history');
SELECT is(pg_temp.val_as('tt_acme', 'SELECT count(*) FROM tuki.contact'), '1', 'and only its own contact row');
SET SESSION AUTHORIZATION tt_acme;
SET ROLE tt_agents;
CREATE TEMP TABLE seen_as_group AS SELECT string_agg(DISTINCT customer, ',') AS customers FROM tuki.ticket;
RESET ROLE;
RESET SESSION AUTHORIZATION;
SELECT is((SELECT coalesce(customers, 'none') FROM seen_as_group), 'none',
    'SET ROLE to the registered group shows no ticket at all: the session''s login decides, and the group is no customer');
SELECT is(pg_temp.run_as('tt_acme', $$SELECT tuki.ticket_note(1, 'x')$$), 'TK005',
    'and it cannot use the API: it is not a registered agent');
SELECT is(pg_temp.val_as('tt_member', 'SELECT string_agg(DISTINCT customer, '','' ORDER BY customer) FROM tuki.ticket'), 'ACME,KONE',
    'a member of the staff group still reads every ticket');
SELECT is(pg_temp.val_as('tt_plain', $$SELECT count(*) FROM tuki.message WHERE visibility = 'internal'$$), '2',
    'and an agent reads every internal note');

SELECT * FROM finish();
ROLLBACK;
