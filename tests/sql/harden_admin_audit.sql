-- Issue 17, finding 11: what administrators can still do to the history, and its traces.
-- session_replication_role = replica once switched the append-only triggers off for a
-- superuser; they now fire ALWAYS. DDL that switches them off is recorded in tuki.ddl_audit
-- (and the server log), and the audit queries of tuki-schema(7) find what it left.
BEGIN;
SELECT plan(11);

CREATE ROLE tt_agent LOGIN;
SELECT tuki.agent_add('tt_agent', 'Aino Agentti', 'second_line');
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('ACME', 'standard', '24x7', '2020-01-01');
SELECT tuki.ticket_create('ACME', 'Historia', 'b');

-- a superuser in replica mode
SET session_replication_role = replica;
SELECT throws_ok($$UPDATE tuki.ticket_event SET actor = 'someone_else'$$, 'TK002', NULL,
    'replica mode: a superuser''s UPDATE of the history is still TK002');
SELECT throws_ok($$DELETE FROM tuki.ticket_event$$, 'TK002', NULL, 'and DELETE');
SELECT throws_ok($$TRUNCATE tuki.ticket_event$$, 'TK002', NULL, 'and TRUNCATE');
SELECT throws_ok($$UPDATE tuki.message SET body = 'rewritten'$$, 'TK002', NULL, 'messages too');
SELECT throws_ok($$DELETE FROM tuki.ticket$$, 'TK002', NULL, 'tickets are not deleted either');
SELECT throws_ok($$DELETE FROM tuki.ddl_audit$$, 'TK002', NULL, 'nor is the DDL audit');
RESET session_replication_role;

-- the schema owner switching a trigger off is DDL, and DDL is recorded
SET ROLE tuki_owner;
ALTER TABLE tuki.ticket_event DISABLE TRIGGER ticket_event_no_change;
RESET ROLE;
SELECT results_eq($$SELECT session_role, acting_role, command_tag, object FROM tuki.ddl_audit
                     WHERE statement ~ 'DISABLE TRIGGER ticket_event_no_change'$$,
    $$VALUES ('postgres'::text, 'tuki_owner'::text, 'ALTER TABLE'::text, 'tuki.ticket_event'::text)$$,
    'ALTER TABLE ... DISABLE TRIGGER by the owner is in tuki.ddl_audit: who, as whom, what');
-- audit query 1 of tuki-schema(7): triggers of the desk that are not enabled
SELECT is((SELECT string_agg(concat_ws(' ', tgrelid::regclass, tgname, tgenabled), ', ') FROM pg_trigger
            WHERE tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'tuki'::regnamespace)
              AND NOT tgisinternal AND tgenabled NOT IN ('O', 'A')),
    'tuki.ticket_event ticket_event_no_change D', 'the audit query lists the disabled trigger');
UPDATE tuki.ticket_event SET actor = 'forged' WHERE id = (SELECT min(id) FROM tuki.ticket_event);
SELECT is((SELECT actor FROM tuki.ticket_event WHERE id = (SELECT min(id) FROM tuki.ticket_event)), 'forged',
    'with the trigger off the owner can rewrite history: the audit is what remains');
-- audit query 2: rows of the append-only tables updated or deleted since statistics were reset
SELECT is((SELECT n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables WHERE relid = 'tuki.ticket_event'::regclass), 1::bigint,
    'the statistics count the rewritten row (pg_stat_xact_user_tables in this transaction, pg_stat_user_tables after)');
SET ROLE tuki_owner;
ALTER TABLE tuki.ticket_event ENABLE ALWAYS TRIGGER ticket_event_no_change;
RESET ROLE;
SELECT is((SELECT count(*)::int FROM tuki.ddl_audit WHERE statement ~ 'ticket_event_no_change'), 2, 'switching it back on is recorded too');

SELECT * FROM finish();
ROLLBACK;
