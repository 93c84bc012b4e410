-- SLA alerts: each warning and breach is recorded once (tuki.sla_alert's primary key) as an
-- event and announced with NOTIFY; by the triggers when a clock stops or pauses, and by the
-- sweep that consoles call once a minute and cron may too.
SET LOCAL ROLE tuki_owner;

-- Which SLA alerts a ticket's clocks call for when judged with open_us (tuki.open_before of the
-- moment judged) on its calendar: the response warning and breach, the resolution warning and
-- breach, with the deadline and target each names. The one definition, used by the alert pass
-- below and by tuki.history_load (025); inlined (plain SQL), its alarms computed once per row.
CREATE FUNCTION tuki.sla_alerts_due(status text, responded_at timestamptz, response_target integer,
                                    response_due timestamptz, response_due_cum bigint, resolve_target integer,
                                    resolve_due timestamptz, resolve_due_cum bigint, resolve_used numeric,
                                    resolve_since timestamptz, calendar_id integer, open_us bigint, warn_percent numeric)
    RETURNS TABLE (clock text, kind text, due timestamptz, target integer)
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    -- the time left as columns first: tuki.sla_alarm is inlined only when its arguments are
    -- cheap (it reads the time left three times)
    SELECT x.clock, x.kind, x.due, x.target
      FROM (SELECT tuki.sla_alarm(sla_alerts_due.response_target, l.response_left, sla_alerts_due.warn_percent) AS response_alarm,
                   tuki.sla_alarm(sla_alerts_due.resolve_target, l.resolve_left, sla_alerts_due.warn_percent) AS resolve_alarm
              FROM (SELECT tuki.sla_left_us(true, sla_alerts_due.response_due_cum, sla_alerts_due.open_us,
                                            sla_alerts_due.response_target, 0) AS response_left,
                           tuki.sla_left_us(sla_alerts_due.resolve_since IS NOT NULL, sla_alerts_due.resolve_due_cum,
                                            sla_alerts_due.open_us, sla_alerts_due.resolve_target,
                                            sla_alerts_due.resolve_used) AS resolve_left
                    OFFSET 0) l) a
     CROSS JOIN LATERAL (VALUES
        ('response', 'warning', sla_alerts_due.response_due, sla_alerts_due.response_target,
         sla_alerts_due.responded_at IS NULL AND a.response_alarm <> 'ok'),
        -- breached = more business time used than the target (as tuki.sla says): after a
        -- deadline at closing time nothing is breached until the calendar opens again
        ('response', 'breach', sla_alerts_due.response_due, sla_alerts_due.response_target,
         CASE WHEN sla_alerts_due.responded_at IS NULL THEN a.response_alarm = 'breached'
              ELSE sla_alerts_due.responded_at > sla_alerts_due.response_due
                   AND (SELECT b.us FROM tuki.open_before(sla_alerts_due.calendar_id, sla_alerts_due.responded_at) b)
                       > sla_alerts_due.response_due_cum END),
        ('resolve', 'warning', sla_alerts_due.resolve_due, sla_alerts_due.resolve_target,
         sla_alerts_due.status NOT IN ('resolved', 'closed') AND a.resolve_alarm <> 'ok'),
        ('resolve', 'breach', sla_alerts_due.resolve_due, sla_alerts_due.resolve_target, a.resolve_alarm = 'breached')
     ) AS x(clock, kind, due, target, hit)
     WHERE x.hit
$$;
COMMENT ON FUNCTION tuki.sla_alerts_due(text, timestamptz, integer, timestamptz, bigint, integer, timestamptz, bigint, numeric, timestamptz, integer, bigint, numeric) IS 'The SLA alerts a ticket''s clocks call for, judged at the moment whose open-time total on the ticket''s calendar is open_us: response warning (unanswered, tuki.sla_alarm not ok), response breach (unanswered and breached, or answered after more business time than the target), resolution warning (not resolved or closed, alarm not ok), resolution breach; each with the deadline and target minutes. Used by tuki.sla_record_alerts and tuki.history_load.';

CREATE FUNCTION tuki.sla_alert_detail(clock text, due timestamptz, target integer) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT jsonb_build_object('target', clock, 'due', due, 'target_minutes', target) $$;
COMMENT ON FUNCTION tuki.sla_alert_detail(text, timestamptz, integer) IS 'The detail of an sla_warning or sla_breach event: the clock (target: response or resolve), its deadline and target minutes.';

-- One generic plan per session: with a custom plan (PL/pgSQL's choice, since the generic
-- plan's estimate counts the sweep's branch too) the big query below was planned again on
-- every call: 3.7 ms per call against 1.6 ms with the generic plan, for a status change that pauses a clock (100,000
-- active tickets, tests/bench/run). The generic plan reads the given ids by index and the
-- sweep's branch by its one-time filter; the sweep itself is no slower with it.
CREATE FUNCTION tuki.sla_record_alerts(ids bigint[]) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    now_at timestamptz := tuki.now();
    pct numeric := tuki.sla_warning_percent();
    recorded integer;
    touched bigint[];
    -- the alerts due and not recorded yet, as parallel arrays (ticket, time, clock, kind, due, target)
    h_id bigint[];
    h_at timestamptz[];
    h_clock text[];
    h_kind text[];
    h_due timestamptz[];
    h_target integer[];
BEGIN
    -- First judge, then write only when something is due: a status change that pauses a clock
    -- (which calls this for its ticket) mostly finds nothing, and an INSERT with nothing to
    -- insert still starts its plan and fires tuki.ticket_event's statement trigger (0.3 of the
    -- 0.6 ms this call cost a pause, tests/bench/run).
    WITH candidate AS (
        SELECT t.*, now_at AS judged_at
          FROM tuki.ticket t WHERE t.id = ANY (ids)
        UNION ALL
        -- the sweep: the tickets in alarm (an index range per contract), not every active one
        SELECT t.*, now_at FROM tuki.ticket t
         WHERE ids IS NULL AND t.id IN (SELECT tuki.sla_alarm_ids())
    ), open_now AS MATERIALIZED (
        -- each calendar's running open-time total now: business time left = due_cum - this
        -- (MATERIALIZED, or the planner repeats the look-up wherever a row uses it)
        SELECT h.calendar, h.calendar_id, b.us
          FROM tuki.calendar_horizon h CROSS JOIN LATERAL tuki.open_before(h.calendar_id, now_at) b
    ), located AS (
        SELECT t.*, n.calendar_id, n.us AS open_us
          FROM candidate t
          JOIN tuki.contract k ON k.id = t.contract
          JOIN open_now n ON n.calendar = k.calendar
    ), hit AS (
        SELECT t.id, t.judged_at, x.clock, x.kind, x.due, x.target
          FROM located t
         CROSS JOIN LATERAL tuki.sla_alerts_due(t.status, t.responded_at, t.response_target, t.response_due,
                                               t.response_due_cum, t.resolve_target, t.resolve_due, t.resolve_due_cum,
                                               t.resolve_used, t.resolve_since, t.calendar_id, t.open_us, pct) x
         WHERE NOT EXISTS (SELECT 1 FROM tuki.sla_alert a WHERE a.ticket = t.id AND a.clock = x.clock AND a.kind = x.kind)
    )
    SELECT array_agg(h.id ORDER BY h.id, h.clock, h.kind), array_agg(h.judged_at ORDER BY h.id, h.clock, h.kind),
           array_agg(h.clock ORDER BY h.id, h.clock, h.kind), array_agg(h.kind ORDER BY h.id, h.clock, h.kind),
           array_agg(h.due ORDER BY h.id, h.clock, h.kind), array_agg(h.target ORDER BY h.id, h.clock, h.kind)
      INTO h_id, h_at, h_clock, h_kind, h_due, h_target
      FROM hit h;
    IF h_id IS NULL THEN
        RETURN 0;
    END IF;
    WITH hit AS (
        SELECT * FROM unnest(h_id, h_at, h_clock, h_kind, h_due, h_target) AS h(id, judged_at, clock, kind, due, target)
    ), fresh AS (
        -- a concurrent sweep that got there first makes ON CONFLICT skip the row
        INSERT INTO tuki.sla_alert (ticket, clock, kind, at)
        SELECT h.id, h.clock, h.kind, h.judged_at FROM hit h ORDER BY h.id, h.clock, h.kind
        ON CONFLICT DO NOTHING
        RETURNING ticket, clock, kind
    ), ev AS (
        INSERT INTO tuki.ticket_event (ticket, kind, detail)
        SELECT f.ticket, 'sla_' || f.kind, tuki.sla_alert_detail(f.clock, h.due, h.target)
          FROM fresh f JOIN hit h ON h.id = f.ticket AND h.clock = f.clock AND h.kind = f.kind
         ORDER BY f.ticket, f.clock, f.kind DESC
        RETURNING ticket
    )
    SELECT count(*), array_agg(DISTINCT ticket ORDER BY ticket) INTO recorded, touched FROM ev;
    PERFORM tuki.notify('sla', touched);
    RETURN recorded;
END
$$;
COMMENT ON FUNCTION tuki.sla_record_alerts(bigint[]) IS 'Records SLA warnings (sla_warning events) and breaches (sla_breach events, detail {target: response|resolve, due, target_minutes}) not recorded before, for the given tickets or (ids null) all active tickets; one NOTIFY kind sla listing the tickets. Returns the number of events written. Safe to run concurrently: tuki.sla_alert makes each one happen once.';

-- The sweep's mutex is a row only the desk can lock: SELECT ... FOR UPDATE needs UPDATE on the
-- table, which nobody but tuki_owner has. An advisory lock key would be anyone's to hold
-- (pg_advisory_lock is PUBLIC), and holding it would stop every sweep.
CREATE TABLE tuki.sla_sweep_lock (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row)
);
INSERT INTO tuki.sla_sweep_lock DEFAULT VALUES;
COMMENT ON TABLE tuki.sla_sweep_lock IS 'One row, locked FOR UPDATE by the running tuki.sla_sweep (others skip it and return 0). Only tuki_owner may lock it (row locks need UPDATE), so no login can hold the sweep off.';
COMMENT ON COLUMN tuki.sla_sweep_lock.only_row IS 'Always true: the table has exactly one row.';

CREATE FUNCTION tuki.sla_sweep() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- one sweep works at a time; the others return at once, the running one covers them
    PERFORM 1 FROM tuki.sla_sweep_lock FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    RETURN tuki.sla_record_alerts(NULL);
END
$$;
COMMENT ON FUNCTION tuki.sla_sweep() IS 'Records every SLA warning and breach of active tickets not recorded yet (sla_warning / sla_breach events, one NOTIFY kind sla) and returns how many events it wrote. Idempotent and safe to call concurrently from every console and cron: a sweep that finds another one running (the row of tuki.sla_sweep_lock locked) returns 0, and tuki.sla_alert records each alert once regardless.';

RESET ROLE;
