-- Everything a contact's login can reach, enumerated from the catalogue so that a new table,
-- view, sequence or function is covered without editing this file: every readable relation
-- gives back only the contact's own customer's rows (two customers with data); nothing is
-- writable but through a function that checks the contact; the functions a contact may execute
-- are exactly the list below, and every other one (agent, lead) refuses it.
BEGIN;
SELECT plan(14);

\ir lib/as_role.psql

CREATE ROLE tt_agent LOGIN;
CREATE ROLE tt_acme LOGIN IN ROLE tuki_customer;
CREATE ROLE tt_kone LOGIN IN ROLE tuki_customer;
SELECT tuki.agent_add('tt_agent', 'Aino Agentti', 'second_line');
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy'), ('KONE', 'Konepaja Mäkinen Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from, quota_minutes) VALUES
    ('ACME', 'premium', '24x7', '2020-01-01', 600), ('KONE', 'standard', '24x7', '2020-01-01', 300);
INSERT INTO tuki.contact (customer, name, email, login, may_order_billable, active) VALUES
    ('ACME', 'Päivi Mäkelä', 'paivi@acme.fi', 'tt_acme', true, true),
    ('KONE', 'Jari Mäkinen', 'jari@kone.fi', 'tt_kone', true, true);
-- each customer: two tickets with a request, a reply, a note, a file, work and events
CREATE TEMP TABLE t AS
SELECT c, pg_temp.val_as(w, format('SELECT tuki.ticket_create(%L, %L, %L)', c, 'Pyyntö ' || c || n, 'Request ' || n))::bigint AS id
  FROM (VALUES ('ACME', 'tt_acme'), ('KONE', 'tt_kone')) x(c, w), generate_series(1, 2) n;
SELECT is((SELECT string_agg(r, ',') FROM (SELECT pg_temp.run_as('tt_agent', format($$SELECT tuki.ticket_take(%1$s);
    SELECT tuki.ticket_reply(%1$s, 'Vastaus'); SELECT tuki.ticket_note(%1$s, 'SISÄINEN');
    SELECT tuki.worklog_add(%1$s, 30, false, 'muistiinpano');
    SELECT tuki.ticket_attach(%1$s, 'kuva.png', '\x89504e47'::bytea, 'image/png')$$, id)) r FROM t) x),
    'ok,ok,ok,ok', 'the agent answers, notes, logs work and attaches a file on all four tickets');
GRANT SELECT ON t TO PUBLIC;

-- the relations a contact can read, each with the column that says whose a row is
CREATE TEMP TABLE reach AS
SELECT c.oid::regclass::text AS rel, c.relname,
       CASE WHEN c.relname = 'ticket' THEN 'ticket:id'
            WHEN c.relname = 'customer' THEN 'customer:code'
            WHEN EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'customer' AND NOT a.attisdropped) THEN 'customer:customer'
            WHEN EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'ticket' AND NOT a.attisdropped) THEN 'ticket:ticket'
       END AS key
  FROM pg_class c
 WHERE c.relnamespace = 'tuki'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
   AND (has_table_privilege('tt_acme', c.oid, 'SELECT') OR has_any_column_privilege('tt_acme', c.oid, 'SELECT'));
-- the desk's own reference data: no customer's rows in them (agent: login and display name only)
CREATE TEMP TABLE reference_data (relname text);
INSERT INTO reference_data VALUES ('agent'), ('calendar'), ('calendar_horizon'), ('calendar_hours'), ('calendar_open'), ('channel'),
    ('holiday'), ('priority_matrix'), ('schema_version'), ('service_level'), ('setting'), ('sla_target'), ('status'), ('team'),
    ('ticket_type'), ('transition');

SELECT is((SELECT string_agg(rel, ', ' ORDER BY rel) FROM reach WHERE key IS NULL AND relname NOT IN (SELECT relname FROM reference_data)),
    NULL, 'every relation a contact can read is either reference data or keyed by customer or ticket');
SELECT is((SELECT string_agg(a.attname, ', ' ORDER BY a.attname) FROM pg_attribute a
            WHERE a.attrelid = 'tuki.agent'::regclass AND a.attnum > 0 AND has_column_privilege('tt_acme', a.attrelid, a.attnum, 'SELECT')),
    'display_name, login', 'of the agents a contact reads the login and display name only');
SELECT cmp_ok((SELECT count(*) FROM reach WHERE key IS NOT NULL), '>=', 8::bigint, 'the sweep covers the customer-keyed relations');

-- per relation: the other customer's rows exist, and the contact gets none of them (but some of its own)
CREATE FUNCTION pg_temp.whose(rel text, key text) RETURNS text LANGUAGE sql AS $$
    SELECT format(CASE split_part(key, ':', 1)
                       WHEN 'customer' THEN 'SELECT string_agg(DISTINCT %2$I, '','' ORDER BY %2$I) FROM %1$s'
                       ELSE 'SELECT string_agg(DISTINCT t.c, '','' ORDER BY t.c) FROM %1$s r JOIN pg_temp.t t ON t.id = r.%2$I' END,
                  rel, split_part(key, ':', 2)) $$;
SELECT is((SELECT string_agg(rel || '=' || coalesce(pg_temp.val_as('postgres', pg_temp.whose(rel, key)), 'none'), ' ' ORDER BY rel)
             FROM reach WHERE key IS NOT NULL AND coalesce(pg_temp.val_as('postgres', pg_temp.whose(rel, key)), '') <> 'ACME,KONE'),
    NULL, 'each keyed relation holds rows of both customers (so the next checks mean something)');
SELECT is((SELECT string_agg(rel || '=' || coalesce(pg_temp.val_as('tt_acme', pg_temp.whose(rel, key)), 'none'), ' ' ORDER BY rel)
             FROM reach WHERE key IS NOT NULL AND pg_temp.val_as('tt_acme', pg_temp.whose(rel, key)) IS DISTINCT FROM 'ACME'),
    NULL, 'ACME''s contact reads only ACME''s rows of every keyed relation');
SELECT is((SELECT string_agg(rel || '=' || coalesce(pg_temp.val_as('tt_kone', pg_temp.whose(rel, key)), 'none'), ' ' ORDER BY rel)
             FROM reach WHERE key IS NOT NULL AND pg_temp.val_as('tt_kone', pg_temp.whose(rel, key)) IS DISTINCT FROM 'KONE'),
    NULL, 'KONE''s contact reads only KONE''s rows of every keyed relation');
SELECT is(pg_temp.val_as('tt_acme', 'SELECT count(*) FROM tuki.message WHERE visibility <> ''public'' OR body = ''SISÄINEN'''), '0',
    'no internal note among the messages a contact reads');

-- writes: no relation or sequence is writable by a contact's login
SELECT is((SELECT string_agg(c.oid::regclass || ':' || p, ' ' ORDER BY c.oid::regclass::text, p)
             FROM pg_class c, unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
            WHERE c.relnamespace = 'tuki'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
              AND (has_table_privilege('tt_acme', c.oid, p) OR (p IN ('INSERT', 'UPDATE') AND has_any_column_privilege('tt_acme', c.oid, p)))),
    NULL, 'a contact may write no table or view directly');
SELECT is((SELECT string_agg(c.oid::regclass::text, ' ') FROM pg_class c
            WHERE c.relnamespace = 'tuki'::regnamespace
              AND CASE WHEN c.relkind = 'S' THEN has_sequence_privilege('tt_acme', c.oid, 'SELECT, USAGE, UPDATE') END),
    NULL, 'nor use or read any sequence');

-- functions: exactly these, and every one that may write checks the contact
CREATE TEMP TABLE allowed (fn text, writes boolean);
INSERT INTO allowed SELECT f, false FROM unnest(ARRAY[
    -- the clock, the actor, the limits and errors, business time and SLA arithmetic
    'tuki.actor()', 'tuki.actor_is_admin()', 'tuki.actor_is_lead()', 'tuki.now()',
    'tuki.fail(text,text,text,text)', 'tuki.limits()', 'tuki.limit_of(text)', 'tuki.is_blank(text)', 'tuki.role_is_customer(name)',
    'tuki.tz_is_valid(text)', 'tuki.calendar_horizon_years()', 'tuki.epoch_us(timestamp with time zone)',
    'tuki.open_before(integer,timestamp with time zone)', 'tuki.open_reach(integer,bigint)',
    'tuki.business_add_exact(text,timestamp with time zone,numeric)', 'tuki.business_add(text,timestamp with time zone,integer)',
    'tuki.business_minutes(text,timestamp with time zone,timestamp with time zone)', 'tuki.minutes_of_us(bigint)', 'tuki.easter_sunday(integer)',
    'tuki.weekday_on_or_after(date,integer)', 'tuki.holidays_fi(integer)', 'tuki.holidays_sk(integer)',
    'tuki.contract_level(bigint,date)', 'tuki.contract_on(text,timestamp with time zone)', 'tuki.allowed_targets(text)',
    'tuki.sla_warning_percent()', 'tuki.sla_left_us(boolean,bigint,bigint,integer,numeric)', 'tuki.sla_alarm(integer,numeric,numeric)', 'tuki.sla_warn_margin_us(integer,numeric)',
    'tuki.sla_budget_us(integer,numeric)',
    'tuki.sla_deadlines(integer,timestamp with time zone,integer,timestamp with time zone,numeric,integer,bigint,bigint)',
    'tuki.sla_is_running(text)', 'tuki.sla_state(boolean,numeric,numeric,numeric)',
    'tuki.sla_clocks(integer,timestamp with time zone,numeric,text,timestamp with time zone,timestamp with time zone,timestamp with time zone,integer,timestamp with time zone,integer,timestamp with time zone,numeric,timestamp with time zone)',
    'tuki.sla_now(bigint,timestamp with time zone,integer,bigint,integer,timestamp with time zone,bigint,numeric)',
    'tuki.contract_open_time(bigint,timestamp with time zone)',
    'tuki.untrusted_notifiers(integer[])', 'tuki.listen()',
    -- reading through row-level security: reports, search, the portal's views of its own
    'tuki.report_months(text)', 'tuki.report_levels(text,date)', 'tuki.report_raises(text,date)',
    'tuki.report_work(text,timestamp with time zone,timestamp with time zone,integer,text)',
    'tuki.search_text(text)', 'tuki.search_vector(text)', 'tuki.search_query(text)', 'tuki.search(text,integer)', 'tuki.customer_find(text)',
    'tuki.contact_self()', 'tuki.reopen_days()', 'tuki.portal_tickets(integer)', 'tuki.portal_timeline(bigint)', 'tuki.portal_quota(date)',
    'tuki.portal_attachment(bigint)']) f;
INSERT INTO allowed SELECT f, true FROM unnest(ARRAY[
    'tuki.ticket_create(text,text,text,text,integer,integer,text,text)', 'tuki.ticket_reply(bigint,text)',
    'tuki.ticket_reopen(bigint,text)', 'tuki.ticket_close(bigint)', 'tuki.ticket_attach(bigint,text,bytea,text,text)',
    'tuki.worklog_approve(bigint,text)']) f;

SELECT is((SELECT string_agg(p.oid::regprocedure::text, ', ' ORDER BY 1) FROM pg_proc p
            WHERE p.pronamespace = 'tuki'::regnamespace AND has_function_privilege('tt_acme', p.oid, 'EXECUTE')
              AND p.oid::regprocedure::text NOT IN (SELECT fn FROM allowed)),
    NULL, 'a contact may execute no function of tuki but those listed here');
SELECT is((SELECT string_agg(p.oid::regprocedure::text, ', ' ORDER BY 1) FROM pg_proc p
            WHERE p.pronamespace = 'tuki'::regnamespace AND has_function_privilege('tt_acme', p.oid, 'EXECUTE')
              AND p.provolatile = 'v' AND p.oid::regprocedure::text NOT IN (SELECT fn FROM allowed WHERE writes)
              -- raising an error, LISTENing the session on its own channel: neither writes
              AND p.oid NOT IN ('tuki.fail(text,text,text,text)'::regprocedure, 'tuki.listen()'::regprocedure)),
    NULL, 'every volatile function a contact may execute (one that may write) is a listed writer');
-- each listed writer, pointed at the other customer's ticket by a contact, refuses (TK006)
SELECT is((SELECT string_agg(q || '=' || pg_temp.run_as('tt_acme', q), ' ') FROM (VALUES
              (format('SELECT tuki.ticket_reply(%s, ''x'')', (SELECT min(id) FROM t WHERE c = 'KONE'))),
              (format('SELECT tuki.ticket_reopen(%s)', (SELECT min(id) FROM t WHERE c = 'KONE'))),
              (format('SELECT tuki.ticket_close(%s)', (SELECT min(id) FROM t WHERE c = 'KONE'))),
              (format('SELECT tuki.ticket_attach(%s, ''a'', ''\x00''::bytea)', (SELECT min(id) FROM t WHERE c = 'KONE'))),
              (format('SELECT tuki.worklog_approve(%s)', (SELECT min(w.id) FROM tuki.worklog w JOIN t ON t.id = w.ticket WHERE t.c = 'KONE')))) x(q)
            WHERE pg_temp.run_as('tt_acme', q) <> 'TK006'),
    NULL, 'every writer but ticket_create refuses another customer''s ticket (TK006); ticket_create forces the own customer (portal.sql)');
-- every function of agents and leads, called by a contact with null arguments: permission denied
SELECT is((SELECT string_agg(p.oid::regprocedure::text || '=' || r, ', ') FROM pg_proc p,
                 LATERAL (SELECT pg_temp.run_as('tt_acme', format('SELECT %s(%s)', p.oid::regproc,
                                  (SELECT string_agg('NULL::' || format_type(ty, NULL), ', ' ORDER BY o)
                                     FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY u(ty, o))))) x(r)
            WHERE p.pronamespace = 'tuki'::regnamespace AND p.prokind = 'f'
              AND (has_function_privilege('tuki_agent', p.oid, 'EXECUTE') OR has_function_privilege('tuki_lead', p.oid, 'EXECUTE'))
              AND p.oid::regprocedure::text NOT IN (SELECT fn FROM allowed) AND r <> '42501'),
    NULL, 'every agent and lead function refuses a contact (42501)');

SELECT * FROM finish();
ROLLBACK;
