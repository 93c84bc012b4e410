-- How much statement work one change of a ticket costs (tests/bench/run's status change and
-- take): an UPDATE has one AFTER statement trigger, which writes the history and the SLA's
-- sla_recalc events in one INSERT; the alert pass of a paused clock writes nothing when no
-- alert is due. Counted as the calls of the events' statement trigger (one per INSERT into
-- tuki.ticket_event) in this transaction (track_functions). The events themselves are
-- checked by history.sql and sla_rules.sql.
-- 24x7 calendar, standard P3 targets (migration 005).
BEGIN;
SELECT plan(7);

\ir lib/as_role.psql

CREATE ROLE wp_agent LOGIN;
SELECT tuki.agent_add('wp_agent', 'Aino Agentti', 'second_line');
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('ACME', 'standard', '24x7', '2020-01-01');
CREATE TEMP TABLE ids (name text PRIMARY KEY, id bigint NOT NULL);
GRANT SELECT ON ids TO PUBLIC;
INSERT INTO ids VALUES ('fresh', tuki.ticket_create('ACME', 'Fresh', 'help'));
SELECT is(pg_temp.run_as('wp_agent', $$SELECT tuki.ticket_take((SELECT id FROM ids WHERE name = 'fresh'))$$), 'ok',
    'the agent takes a fresh ticket');

SET LOCAL track_functions = 'all';
-- calls of the events' statement trigger so far in this transaction
CREATE FUNCTION pg_temp.event_inserts() RETURNS bigint LANGUAGE sql AS $$
    SELECT coalesce((SELECT f.calls FROM pg_stat_xact_user_functions f
                      WHERE f.schemaname = 'tuki' AND f.funcname = 'ticket_event_check_ticket'), 0)
$$;

SELECT is((SELECT count(*)::integer FROM pg_trigger g
            WHERE g.tgrelid = 'tuki.ticket'::regclass AND NOT g.tgisinternal
              AND (g.tgtype & 1) = 0          -- statement
              AND (g.tgtype & 2) = 0          -- AFTER
              AND (g.tgtype & 16) <> 0),      -- UPDATE
    1, 'one AFTER UPDATE statement trigger on tuki.ticket (history and SLA events together)');

-- a pause of a ticket well inside its targets: status and sla_recalc (pause) events in one
-- INSERT, and the alert pass judges it and writes nothing
CREATE TEMP TABLE mark AS SELECT pg_temp.event_inserts() AS n, (SELECT max(id) FROM tuki.ticket_event) AS ev;
GRANT SELECT ON mark TO PUBLIC;
SELECT is(pg_temp.run_as('wp_agent', $$SELECT tuki.ticket_set_status((SELECT id FROM ids WHERE name = 'fresh'), 'waiting_customer')$$),
    'ok', 'the agent pauses the ticket');
SELECT is((SELECT string_agg(e.kind || coalesce(':' || (e.detail ->> 'reason'), ''), ', ' ORDER BY e.id)
             FROM tuki.ticket_event e WHERE e.id > (SELECT ev FROM mark)),
    'status, sla_recalc:pause', 'the pause records its status and sla_recalc events, no alert');
SELECT is(pg_temp.event_inserts() - (SELECT n FROM mark), 1::bigint,
    'one INSERT of events for the pause: the alert pass found nothing due and wrote nothing');

-- a resume: the same, without an alert pass
UPDATE mark SET n = pg_temp.event_inserts(), ev = (SELECT max(id) FROM tuki.ticket_event);
SELECT is(pg_temp.run_as('wp_agent', $$SELECT tuki.ticket_set_status((SELECT id FROM ids WHERE name = 'fresh'), 'open')$$),
    'ok', 'the agent resumes it');
SELECT is(pg_temp.event_inserts() - (SELECT n FROM mark), 1::bigint, 'one INSERT of events for the resume');

SELECT * FROM finish();
ROLLBACK;
