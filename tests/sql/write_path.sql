-- How much statement work one change of a ticket costs (tests/bench/run's status change and
-- take): an UPDATE has one AFTER row trigger, which writes the history and the SLA's sla_recalc
-- events of the change in one INSERT, and one AFTER statement trigger, which notifies; the
-- alert pass of a paused clock is not even called when no alert is due, nor the events' check
-- of their ticket (ticket_event_ticket_exists) for the trigger's own events. INSERTs into
-- tuki.ticket_event are counted by a statement trigger this test adds (and rolls back), calls
-- of the alert pass by track_functions, in this transaction. The events themselves are checked
-- by history.sql and sla_rules.sql.
-- 24x7 calendar, standard P3 targets (migration 005).
BEGIN;
SELECT plan(15);

\ir lib/as_role.psql

CREATE ROLE wp_agent LOGIN;
SELECT tuki.agent_add('wp_agent', 'Aino Agentti', 'second_line');
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('ACME', 'standard', '24x7', '2020-01-01');
CREATE TEMP TABLE ids (name text PRIMARY KEY, id bigint NOT NULL);
GRANT SELECT ON ids TO PUBLIC;
INSERT INTO ids VALUES ('fresh', tuki.ticket_create('ACME', 'Fresh', 'help'));
-- a ticket ten days old: both clocks breached, and the sweep has recorded it
SELECT set_config('tuki.now', (now() - interval '10 days')::text, true);
INSERT INTO ids VALUES ('late', tuki.ticket_create('ACME', 'Late', 'help'));
SELECT set_config('tuki.now', '', true);
SELECT is(pg_temp.run_as('wp_agent', $$SELECT tuki.ticket_take((SELECT id FROM ids WHERE name = 'fresh'))$$), 'ok',
    'the agent takes a fresh ticket');
SELECT is(pg_temp.run_as('wp_agent', $$SELECT tuki.ticket_take((SELECT id FROM ids WHERE name = 'late'))$$), 'ok',
    'and a late one');
SELECT ok(tuki.sla_sweep() > 0, 'the sweep records the late one''s warnings and breaches');

SET LOCAL track_functions = 'all';
-- INSERT statements into tuki.ticket_event so far in this transaction
CREATE FUNCTION public.wp_event_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER wp_event_insert AFTER INSERT ON tuki.ticket_event FOR EACH STATEMENT EXECUTE FUNCTION public.wp_event_insert();
CREATE FUNCTION pg_temp.calls(fn text) RETURNS bigint LANGUAGE sql AS $$
    SELECT coalesce((SELECT sum(f.calls) FROM pg_stat_xact_user_functions f WHERE f.funcname = fn), 0)
$$;

SELECT is((SELECT string_agg(CASE WHEN (g.tgtype & 1) = 0 THEN 'statement' ELSE 'row' END, ', ' ORDER BY g.tgtype)
             FROM pg_trigger g
            WHERE g.tgrelid = 'tuki.ticket'::regclass AND NOT g.tgisinternal
              AND g.tgname LIKE 'ticket%'     -- (not the mail's outbox, 016_mail.sql)
              AND (g.tgtype & 2) = 0          -- AFTER
              AND (g.tgtype & 16) <> 0),      -- UPDATE
    'statement, row', 'one AFTER UPDATE row trigger (history and SLA events together) and one statement trigger (the notification) on tuki.ticket');

-- a pause of a ticket well inside its targets: status and sla_recalc (pause) events in one
-- INSERT, and no alert pass (it was not in alarm)
CREATE TEMP TABLE mark AS SELECT pg_temp.calls('wp_event_insert') AS n, pg_temp.calls('sla_record_alerts') AS alerts,
                                 pg_temp.calls('ticket_event_check_ticket') AS checks,
                                 (SELECT max(id) FROM tuki.ticket_event) AS ev;
GRANT SELECT ON mark TO PUBLIC;
SELECT is(pg_temp.run_as('wp_agent', $$SELECT tuki.ticket_set_status((SELECT id FROM ids WHERE name = 'fresh'), 'waiting_customer')$$),
    'ok', 'the agent pauses the ticket');
SELECT is((SELECT string_agg(e.kind || coalesce(':' || (e.detail ->> 'reason'), ''), ', ' ORDER BY e.id)
             FROM tuki.ticket_event e WHERE e.id > (SELECT ev FROM mark)),
    'status, sla_recalc:pause', 'the pause records its status and sla_recalc events, no alert');
SELECT is(pg_temp.calls('wp_event_insert') - (SELECT n FROM mark), 1::bigint, 'one INSERT of events for the pause');
SELECT is(pg_temp.calls('sla_record_alerts') - (SELECT alerts FROM mark), 0::bigint, 'and no alert pass: nothing can be due');
SELECT is(pg_temp.calls('ticket_event_check_ticket') - (SELECT checks FROM mark), 0::bigint,
    'the trigger''s own events of its own row are not checked against tuki.ticket again');
-- an update that moves an indexed column gives every index the new row version, the search
-- index's expression evaluated for it, with its functions inlined (a function that is not is
-- parsed and planned again for every row written: 11 us of each such status change)
UPDATE tuki.ticket SET subject = 'Fresh, retitled' WHERE id = (SELECT id FROM ids WHERE name = 'fresh');
SELECT is(pg_temp.calls('search_text') + pg_temp.calls('search_vector'), 0::bigint,
    'the search index''s expression (tuki.search_vector, tuki.search_text) is inlined, not called');

-- a resume: the same, without an alert pass
UPDATE mark SET n = pg_temp.calls('wp_event_insert'), ev = (SELECT max(id) FROM tuki.ticket_event);
SELECT is(pg_temp.run_as('wp_agent', $$SELECT tuki.ticket_set_status((SELECT id FROM ids WHERE name = 'fresh'), 'open')$$),
    'ok', 'the agent resumes it');
SELECT is(pg_temp.calls('wp_event_insert') - (SELECT n FROM mark), 1::bigint, 'one INSERT of events for the resume');

-- a pause of the late ticket, in alarm, whose alerts the sweep has recorded: no alert pass
-- either (tuki.sla_alerts_due names nothing that is not in tuki.sla_alert)
UPDATE mark SET n = pg_temp.calls('wp_event_insert'), alerts = pg_temp.calls('sla_record_alerts'),
                ev = (SELECT max(id) FROM tuki.ticket_event);
SELECT is(pg_temp.run_as('wp_agent', $$SELECT tuki.ticket_set_status((SELECT id FROM ids WHERE name = 'late'), 'waiting_customer')$$),
    'ok', 'the agent pauses the late ticket');
SELECT is(pg_temp.calls('sla_record_alerts') - (SELECT alerts FROM mark), 0::bigint,
    'no alert pass for a ticket whose alerts are all recorded');
SELECT is((SELECT string_agg(e.kind || coalesce(':' || (e.detail ->> 'reason'), ''), ', ' ORDER BY e.id)
             FROM tuki.ticket_event e WHERE e.id > (SELECT ev FROM mark)),
    'status, sla_recalc:pause', 'its pause records its status and sla_recalc events only');

SELECT * FROM finish();
ROLLBACK;
