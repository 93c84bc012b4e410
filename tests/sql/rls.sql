-- Roles and row-level security: customers see their own organisation's tickets and public messages only;
-- tuki_readonly reads everything and writes nothing; agents cannot reassign others' tickets, leads can.
BEGIN;
SELECT plan(55);

\ir lib/as_role.psql

CREATE ROLE tt_agent LOGIN;
CREATE ROLE tt_agent2 LOGIN;
CREATE ROLE tt_lead LOGIN;
CREATE ROLE tt_ro LOGIN IN ROLE tuki_readonly;
CREATE ROLE tt_acme LOGIN IN ROLE tuki_customer;
CREATE ROLE tt_kone LOGIN IN ROLE tuki_customer;
CREATE ROLE tt_tatra LOGIN IN ROLE tuki_customer;
CREATE ROLE tt_nobody LOGIN IN ROLE tuki_customer;   -- a customer role no contact is mapped to
CREATE ROLE tt_gone LOGIN IN ROLE tuki_customer;     -- mapped to a contact who left
SELECT tuki.agent_add('tt_agent', 'Aino Agentti', 'second_line');
SELECT tuki.agent_add('tt_agent2', 'Jozef Novák', 'second_line');
SELECT tuki.agent_add('tt_lead', 'Lauri Liidi', 'second_line', true);
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy'), ('KONE', 'Konepaja Mäkinen Oy'), ('TATRA', 'Tatra Softvér s.r.o.');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES
    ('ACME', 'premium', 'fi-8-16', '2020-01-01'), ('KONE', 'standard', 'fi-9-17', '2020-01-01'),
    ('TATRA', 'light', 'sk-8-17', '2020-01-01');
INSERT INTO tuki.contact (customer, name, email, login, active) VALUES
    ('ACME', 'Päivi Mäkelä', 'paivi@acme.fi', 'tt_acme', true),
    ('KONE', 'Jari Mäkinen', 'jari@kone.fi', 'tt_kone', true),
    ('TATRA', 'Zuzana Horváthová', 'zuzana@tatra.sk', 'tt_tatra', true),
    ('ACME', 'Pekka Poissa', 'pekka@acme.fi', 'tt_gone', false);

-- tickets: ACME 3, KONE 2, TATRA 4; each with the request, a reply and an internal note
CREATE TEMP TABLE t AS
SELECT c, tuki.ticket_create(c, 'Pyyntö ' || c || ' ' || n, 'Request body ' || n) AS id
  FROM (VALUES ('ACME', 3), ('KONE', 2), ('TATRA', 4)) x(c, k), generate_series(1, k) n;
SELECT count(*) FROM (SELECT tuki.ticket_reply(id, 'Public answer'), tuki.ticket_note(id, 'INTERNAL: asiakas on hankala') FROM t) x;

CREATE FUNCTION pg_temp.ids(who text) RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.val_as(who, 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tuki.ticket') $$;
CREATE FUNCTION pg_temp.own(cust text) RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(id::text, ',' ORDER BY id) FROM t WHERE c = cust $$;

SELECT is(pg_temp.ids('tt_acme'), pg_temp.own('ACME'), 'ACME''s contact sees exactly ACME''s tickets');
SELECT is(pg_temp.ids('tt_kone'), pg_temp.own('KONE'), 'KONE''s contact sees exactly KONE''s tickets');
SELECT is(pg_temp.ids('tt_tatra'), pg_temp.own('TATRA'), 'TATRA''s contact sees exactly TATRA''s tickets');
SELECT is(pg_temp.ids('tt_nobody'), NULL, 'a customer role mapped to no contact sees no tickets');
SELECT is(pg_temp.ids('tt_gone'), NULL, 'an inactive contact sees no tickets');
SELECT is(pg_temp.val_as(w, 'SELECT count(*) FROM tuki.message WHERE visibility = ''internal'' OR body LIKE ''INTERNAL%'''), '0',
          w || ' sees no internal notes')
  FROM unnest(ARRAY['tt_acme', 'tt_kone', 'tt_tatra']) w;
SELECT is(pg_temp.val_as(w, 'SELECT count(*) FROM tuki.message'), (2 * n)::text, w || ' sees the request and the reply of its own tickets')
  FROM (VALUES ('tt_acme', 3), ('tt_kone', 2), ('tt_tatra', 4)) x(w, n);
SELECT is(pg_temp.val_as('tt_kone', 'SELECT string_agg(code, '','') FROM tuki.customer'), 'KONE', 'a contact sees its own organisation only');
SELECT is(pg_temp.val_as('tt_kone', 'SELECT string_agg(name, '','') FROM tuki.contact'), 'Jari Mäkinen', 'and its own contact row only');
SELECT is(pg_temp.val_as('tt_kone', 'SELECT string_agg(customer, '','') FROM tuki.contract'), 'KONE', 'and its organisation''s contract');
SELECT is(pg_temp.val_as('tt_kone', format('SELECT count(*) FROM tuki.ticket WHERE id = %s', (SELECT min(id) FROM t WHERE c = 'ACME'))), '0',
    'asking for another customer''s ticket by id gives nothing');
SELECT is(pg_temp.val_as('tt_acme', 'SELECT count(*) FROM tuki.status'), '6', 'reference data is readable');
-- no session setting can widen it
SELECT is(pg_temp.val_as('tt_kone', 'SELECT set_config(''app.customer'', ''ACME'', false), set_config(''tuki.customer'', ''ACME'', false); SELECT count(*) FROM tuki.ticket'),
    '2', 'after setting app.customer and tuki.customer to ACME, KONE still counts its own 2 tickets ...');
SELECT is(pg_temp.ids('tt_kone'), pg_temp.own('KONE'), '... and changes nothing');
SELECT is(pg_temp.run_as('tt_kone', 'SET ROLE tt_acme'), '42501', 'a contact cannot become another contact');
-- what customers cannot touch
SELECT is(pg_temp.run_as('tt_acme', q), CASE WHEN what LIKE '%API' THEN 'TK006' ELSE '42501' END, 'a customer cannot ' || what)
  FROM (VALUES ('read the history', 'SELECT * FROM tuki.ticket_event'),
               ('read the worklog', 'SELECT * FROM tuki.worklog'),
               ('read the agents', 'SELECT * FROM tuki.agent'),
               ('read the queue', 'SELECT * FROM tuki.queue'),
               -- filing and replying: through the API, as itself (tests/sql/portal.sql)
               ('reply to another customer''s ticket through the API', format('SELECT tuki.ticket_reply(%s, ''x'')', (SELECT min(id) FROM t WHERE c = 'KONE'))),
               ('insert a message', format('INSERT INTO tuki.message (ticket, visibility, body) VALUES (%s, ''public'', ''x'')', (SELECT min(id) FROM t))),
               ('update its tickets', 'UPDATE tuki.ticket SET subject = ''x''')) x(what, q);

-- tuki_readonly: everything readable ...
SELECT is(pg_temp.ids('tt_ro'), (SELECT string_agg(id::text, ',' ORDER BY id) FROM t), 'tuki_readonly sees every ticket');
SELECT is(pg_temp.val_as('tt_ro', 'SELECT count(*) FROM tuki.message WHERE visibility = ''internal'''), '9', 'and internal notes');
SELECT is((SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_class c
            WHERE c.relnamespace = 'tuki'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p')
              AND c.oid <> 'tuki.notify_key'::regclass -- the channels' key: the owner's only (tuki-schema(7), NOTIFICATIONS)
              AND pg_temp.val_as('tt_ro', format('SELECT count(*) >= 0 FROM tuki.%I', c.relname)) <> 'true'), NULL,
    'tuki_readonly can SELECT from every table and view in tuki but the notification channels'' key');
-- ... nothing writable
SELECT is((SELECT string_agg(r || ':' || c.relname || ':' || p, ' ') FROM pg_class c,
                 unnest(ARRAY['tuki_readonly', 'tuki_agent', 'tuki_lead', 'tuki_customer']) r,
                 unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
            WHERE c.relnamespace = 'tuki'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p')
              AND has_table_privilege(r, c.oid, p)), NULL,
    'no client group role holds any write privilege on any table or view');
SELECT is(pg_temp.run_as('tt_ro', q), '42501', 'tuki_readonly cannot ' || what)
  FROM (VALUES ('INSERT', 'INSERT INTO tuki.customer (code, name) VALUES (''X'', ''x'')'),
               ('UPDATE', 'UPDATE tuki.ticket SET subject = ''x'''),
               ('DELETE', 'DELETE FROM tuki.message'),
               ('call ticket_create', 'SELECT tuki.ticket_create(''ACME'', ''x'', ''y'')'),
               ('call ticket_take_next', 'SELECT tuki.ticket_take_next()'),
               ('call agent_add', 'SELECT tuki.agent_add(''tt_ro'', ''x'')')) x(what, q);
SELECT is(pg_temp.val_as('tt_ro', 'SELECT count(*) FROM tuki.queue'), '9', 'tuki_readonly reads the queue');

-- SECURITY DEFINER functions: search_path pinned, nothing executable by PUBLIC
SELECT is((SELECT string_agg(p.oid::regprocedure::text, ', ') FROM pg_proc p
            WHERE p.pronamespace = 'tuki'::regnamespace AND p.prosecdef
              AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) s WHERE s LIKE 'search_path=%')), NULL,
    'every SECURITY DEFINER function pins search_path');
SELECT is((SELECT string_agg(p.oid::regprocedure::text, ', ') FROM pg_proc p
            WHERE p.pronamespace = 'tuki'::regnamespace AND p.prosecdef AND has_function_privilege('public', p.oid, 'EXECUTE')), NULL,
    'no SECURITY DEFINER function is executable by PUBLIC');
SELECT is((SELECT string_agg(p.oid::regprocedure::text, ', ') FROM pg_proc p
            WHERE p.pronamespace = 'tuki'::regnamespace AND p.prosecdef AND p.proowner <> 'tuki_owner'::regrole), NULL,
    'every SECURITY DEFINER function belongs to tuki_owner');
SELECT is((SELECT rolcanlogin FROM pg_roles WHERE rolname = 'tuki_owner'), false, 'tuki_owner cannot log in');

-- assignment rules
CREATE TEMP TABLE a AS SELECT (SELECT min(id) FROM t WHERE c = 'KONE') AS id;
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_take(%s)', (SELECT id FROM a))), 'ok', 'agent 1 takes a ticket');
SELECT is(pg_temp.run_as('tt_agent2', format('SELECT tuki.ticket_assign(%s, ''tt_agent2'')', (SELECT id FROM a))), 'TK005',
    'agent 2 cannot reassign it to themself: TK005');
SELECT is(pg_temp.run_as('tt_agent2', format('SELECT tuki.ticket_release(%s)', (SELECT id FROM a))), 'TK005', 'nor release it');
SELECT is(pg_temp.run_as('tt_agent2', format('SELECT tuki.ticket_take(%s)', (SELECT id FROM a))), 'TK003', 'nor take it (TK003)');
SELECT is((SELECT assignee FROM tuki.ticket WHERE id = (SELECT id FROM a)), 'tt_agent', 'it is still agent 1''s');
SELECT is(pg_temp.run_as('tt_lead', format('SELECT tuki.ticket_assign(%s, ''tt_agent2'')', (SELECT id FROM a))), 'ok', 'a lead reassigns it');
SELECT is((SELECT assignee FROM tuki.ticket WHERE id = (SELECT id FROM a)), 'tt_agent2', 'now agent 2 holds it');
SELECT is(pg_temp.run_as('tt_agent2', format('SELECT tuki.ticket_assign(%s, ''tt_agent'')', (SELECT id FROM a))), 'ok', 'an agent may hand on their own ticket');
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_release(%s)', (SELECT id FROM a))), 'ok', 'and release their own ticket');
SELECT is(pg_temp.run_as('tt_agent2', format('SELECT tuki.ticket_assign(%s, ''tt_agent'')', (SELECT id FROM a))), 'ok', 'anyone may assign an unassigned ticket');
SELECT is(pg_temp.run_as('tt_lead', format('SELECT tuki.ticket_release(%s)', (SELECT id FROM a))), 'ok', 'a lead may release anyone''s ticket');
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_assign(%s, ''nobody_here'')', (SELECT id FROM a))), 'TK006', 'an unknown agent is TK006');
SELECT is(pg_temp.run_as('tt_agent', 'SELECT tuki.agent_add(''tt_new'', ''Uusi'')'), '42501', 'agents cannot even call agent_add');
SELECT is(pg_temp.run_as('tt_lead', 'SELECT tuki.agent_add(''tt_nobody'', ''Ei'')'), 'TK006', 'a lead cannot make a customer role an agent');

SELECT * FROM finish();
ROLLBACK;
