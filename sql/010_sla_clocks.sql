-- SLA clocks: targets, deadlines, pause and resume, kept current by triggers on tuki.ticket.
-- The response clock runs from created_at until responded_at. The resolution clock runs while
-- the ticket is new, open or waiting_third_party and is paused otherwise; time used before the
-- current running stretch is kept in resolve_used. Deadlines come from tuki.sla_deadlines, one
-- set-based function shared by the row triggers and the bulk recomputation; how much time a
-- clock has left and its alarm (tuki.sla_left_us, tuki.sla_alarm) are defined here once.
SET LOCAL ROLE tuki_owner;

-- PL/pgSQL, so the look-up is planned once per session, not on every call as a SQL function
-- that cannot be inlined would be. No SET clause (the names are qualified, and it is not
-- SECURITY DEFINER): every ticket change calls it, and a SET costs 2 us a call.
CREATE FUNCTION tuki.sla_warning_percent() RETURNS numeric
    LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
BEGIN
    RETURN coalesce((SELECT s.value::numeric FROM tuki.setting s WHERE s.key = 'sla_warning_percent'), 75);
END
$$;
COMMENT ON FUNCTION tuki.sla_warning_percent() IS 'The warning threshold in percent of a target (tuki.setting sla_warning_percent, default 75).';

-- Business time left on a clock: running, its deadline's place on the calendar's open-time axis
-- less the open time up to now; paused, what the target leaves of the time used.
CREATE FUNCTION tuki.sla_left_us(running boolean, due_cum bigint, open_us bigint, target integer, used numeric)
    RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN running THEN due_cum - open_us ELSE (target - used) * 60000000 END $$;
COMMENT ON FUNCTION tuki.sla_left_us(boolean, bigint, bigint, integer, numeric) IS 'Business time left on an SLA clock in microseconds (negative past the target): while it runs, due_cum (the deadline on the calendar''s open-time axis, tuki.ticket.response_due_cum / resolve_due_cum) less open_us (tuki.open_before of now); while paused, target minus the minutes used.';

-- The warning margin: a clock warns once its business time left is at most this.
CREATE FUNCTION tuki.sla_warn_margin_us(target integer, warn_percent numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT target * (100 - warn_percent) * 600000 $$;
COMMENT ON FUNCTION tuki.sla_warn_margin_us(integer, numeric) IS 'The business time left (microseconds) at which an SLA clock with this target (business minutes) turns to warning: (100 - warn_percent) percent of the target.';

-- What a resolution clock has left of its target, in microseconds of open time. A running
-- clock's deadline lies this far along its calendar's open-time axis from where the clock last
-- started (tuki.sla_deadlines), so where it started is the deadline's position less this: no
-- look-up for tuki.sla_recompute's new targets or for banking a pause (tuki.ticket_sla_next).
CREATE FUNCTION tuki.sla_budget_us(target integer, used numeric) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT round((target - used) * 60000000)::bigint $$;
COMMENT ON FUNCTION tuki.sla_budget_us(integer, numeric) IS 'The business time (microseconds) a resolution clock with this target (business minutes) has left after used minutes; negative past the target. tuki.ticket.resolve_due_cum less this is where the running clock last started on its calendar''s open-time axis.';

-- The SLA alarm, defined once: the alert pass, the console's breaching filter, tuki.sla and
-- tuki.queue all judge a running or paused clock by it.
CREATE FUNCTION tuki.sla_alarm(target integer, left_us numeric, warn_percent numeric) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN target IS NULL OR left_us IS NULL THEN NULL
                WHEN left_us < 0 THEN 'breached'
                WHEN left_us <= tuki.sla_warn_margin_us(target, warn_percent) THEN 'warning'
                ELSE 'ok' END
$$;
COMMENT ON FUNCTION tuki.sla_alarm(integer, numeric, numeric) IS 'State of an SLA clock that has not finished, from its target (business minutes) and the business time left (microseconds; negative past the target): breached when more than the target is used, warning once warn_percent of the target is used, else ok. The one definition used by tuki.sla, tuki.queue, tuki.sla_record_alerts and tuki.sla_alarm_ids.';

-- Where a ticket's alarm starts, as a place on its calendar's open-time axis: tuki.sla_alarm
-- turns a running clock to warning once due_cum - open_us <= the margin, that is once the
-- calendar's open time reaches due_cum - margin; a paused clock's alarm does not move (it is
-- in alarm from the start of the axis, or not at all). tuki.ticket.alarm_at stores the instant
-- the calendar reaches it, so the tickets in alarm are those with alarm_at <= now: one
-- comparison per row, or an index range, not a computation over every active ticket.
CREATE FUNCTION tuki.sla_alarm_position(responded_at timestamptz, response_target integer, response_due_cum bigint,
                                        resolve_target integer, resolve_since timestamptz, resolve_due_cum bigint,
                                        resolve_used numeric, warn_percent numeric) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT least(CASE WHEN responded_at IS NULL AND response_target IS NOT NULL
                      THEN ceil(response_due_cum - tuki.sla_warn_margin_us(response_target, warn_percent))::bigint END,
                 CASE WHEN resolve_target IS NULL THEN NULL
                      WHEN resolve_since IS NOT NULL
                      THEN ceil(resolve_due_cum - tuki.sla_warn_margin_us(resolve_target, warn_percent))::bigint
                      WHEN tuki.sla_alarm(resolve_target, (resolve_target - resolve_used) * 60000000, warn_percent) <> 'ok'
                      THEN -9223372036854775808 END)
$$;
COMMENT ON FUNCTION tuki.sla_alarm_position(timestamptz, integer, bigint, integer, timestamptz, bigint, numeric, numeric) IS 'The place on the calendar''s open-time axis (microseconds, as tuki.open_before) from which tuki.sla_alarm says warning or breached for one of the ticket''s unfinished clocks (the response clock until responded_at, the resolution clock running or paused); the smallest bigint for a paused clock already in alarm; null when no clock can alarm. tuki.sla_alarm_at turns it into the instant stored in tuki.ticket.alarm_at.';

CREATE FUNCTION tuki.sla_deadlines(calendar_id integer, created_at timestamptz, response_target integer,
                                   resolve_since timestamptz, resolve_used numeric, resolve_target integer,
                                   response_base bigint DEFAULT NULL, resolve_base bigint DEFAULT NULL)
    RETURNS TABLE (response_due timestamptz, response_due_cum bigint,
                   resolve_due timestamptz, resolve_due_cum bigint)
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
AS $$
    -- The look-ups of tuki.open_before and tuki.open_reach, spelt out as lateral joins: inlined
    -- into a set-based query they are nested loops over index scans, where the functions'
    -- scalar subqueries would each be an InitPlan started again for every row (20% slower).
    -- A look-up whose answer cannot matter is not made: the WHERE of each stops it before the
    -- index (no target, a paused clock, or a base the caller already knows).
    SELECT CASE WHEN r.cum <= rd.cum_after
                THEN rd.opens + make_interval(secs => (r.cum - rd.cum_before) / 1000000.0) END,
           r.cum,
           CASE WHEN s.left_us <= 0 THEN sla_deadlines.resolve_since
                WHEN s.cum <= sd.cum_after THEN sd.opens + make_interval(secs => (s.cum - sd.cum_before) / 1000000.0) END,
           s.cum
      FROM (SELECT sla_deadlines.resolve_since = sla_deadlines.created_at AS since_created) k
      -- open time up to created_at; also the resolution clock's base while it has run since
      -- creation without a pause (the common case: one look-up serves both clocks)
      LEFT JOIN LATERAL (SELECT least(o.cum_after, o.cum_before + tuki.epoch_us(sla_deadlines.created_at) - tuki.epoch_us(o.opens)) AS us
                           FROM tuki.calendar_open o
                          WHERE o.calendar_id = sla_deadlines.calendar_id AND o.opens <= sla_deadlines.created_at
                            AND ((sla_deadlines.response_base IS NULL AND sla_deadlines.response_target IS NOT NULL)
                                 OR (sla_deadlines.resolve_base IS NULL AND k.since_created))
                          ORDER BY o.opens DESC LIMIT 1) rb ON true
      LEFT JOIN LATERAL (SELECT least(o.cum_after, o.cum_before + tuki.epoch_us(sla_deadlines.resolve_since) - tuki.epoch_us(o.opens)) AS us
                           FROM tuki.calendar_open o
                          WHERE o.calendar_id = sla_deadlines.calendar_id AND o.opens <= sla_deadlines.resolve_since
                            AND sla_deadlines.resolve_base IS NULL AND NOT k.since_created
                          ORDER BY o.opens DESC LIMIT 1) sb ON true
     CROSS JOIN LATERAL (SELECT coalesce(sla_deadlines.response_base, rb.us, 0)
                                + sla_deadlines.response_target * 60000000::bigint AS cum) r
     CROSS JOIN LATERAL (SELECT l.left_us,
                                CASE WHEN sla_deadlines.resolve_since IS NOT NULL
                                     THEN coalesce(sla_deadlines.resolve_base, CASE WHEN k.since_created THEN rb.us ELSE sb.us END, 0)
                                          + l.left_us END AS cum
                           FROM (SELECT tuki.sla_budget_us(sla_deadlines.resolve_target, sla_deadlines.resolve_used) AS left_us) l) s
      LEFT JOIN LATERAL (SELECT o.opens, o.cum_before, o.cum_after
                           FROM tuki.calendar_open o
                          WHERE o.calendar_id = sla_deadlines.calendar_id AND o.cum_before < r.cum
                          ORDER BY o.cum_before DESC LIMIT 1) rd ON true
      LEFT JOIN LATERAL (SELECT o.opens, o.cum_before, o.cum_after
                           FROM tuki.calendar_open o
                          WHERE o.calendar_id = sla_deadlines.calendar_id AND o.cum_before < s.cum
                          ORDER BY o.cum_before DESC LIMIT 1) sd ON true
$$;
COMMENT ON FUNCTION tuki.sla_deadlines(integer, timestamptz, integer, timestamptz, numeric, integer, bigint, bigint) IS 'For the calendar with tuki.calendar.id calendar_id, one row: the response deadline (response_target business minutes after created_at) and, when resolve_since is set, the resolution deadline (what is left of resolve_target after resolve_used, counted from resolve_since; resolve_since itself when already used up), each also as a position in the calendar''s running open-time total. Index look-ups, inlined by the planner, so it is cheap per row in set-based updates. A caller that knows a clock''s base (the open-time total at created_at or resolve_since) passes it and saves that look-up. Null beyond the calendar horizon.';

CREATE FUNCTION tuki.sla_is_running(status text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT status IN ('new', 'open', 'waiting_third_party') $$;
COMMENT ON FUNCTION tuki.sla_is_running(text) IS 'True for the statuses in which the resolution clock runs (new, open, waiting_third_party); it is paused in waiting_customer and resolved and stopped in closed.';

-- The instant a ticket's alarm starts: where its calendar's open time reaches the alarm position.
-- A one-row set-returning SQL function like tuki.open_reach, so the planner inlines it into a
-- set-based query (tuki.sla_recompute) as a lateral join; a scalar sub-select would keep it from
-- being inlined, and it would be planned again for every call.
CREATE FUNCTION tuki.sla_alarm_at(calendar_id integer, alarm_position bigint) RETURNS TABLE (at timestamptz)
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
AS $$
    SELECT CASE WHEN sla_alarm_at.alarm_position <= 0 THEN '-infinity'::timestamptz ELSE r.at END
      FROM (SELECT) one
      LEFT JOIN LATERAL tuki.open_reach(sla_alarm_at.calendar_id, sla_alarm_at.alarm_position) r
        ON sla_alarm_at.alarm_position > 0
$$;
COMMENT ON FUNCTION tuki.sla_alarm_at(integer, bigint) IS 'One row: the instant at which the calendar''s (tuki.calendar.id) open time reaches a tuki.sla_alarm_position: -infinity at or before the start of the horizon (a paused clock already in alarm), null for none or beyond the horizon. What tuki.ticket.alarm_at holds.';

-- PL/pgSQL with the warning percent in a variable: called as one SQL expression, the
-- percent's function call (used twice) kept tuki.sla_alarm_position, and the position (used
-- three times) tuki.sla_alarm_at, from being inlined, and each was planned again at every
-- call (90 us each, per SLA change and per mailed-in ticket).
CREATE FUNCTION tuki.ticket_alarm_at(t tuki.ticket, calendar_id integer) RETURNS timestamptz
    LANGUAGE plpgsql STABLE
AS $$
DECLARE
    pct numeric := tuki.sla_warning_percent();
    pos bigint := tuki.sla_alarm_position(t.responded_at, t.response_target, t.response_due_cum, t.resolve_target,
                                          t.resolve_since, t.resolve_due_cum, t.resolve_used, pct);
BEGIN
    RETURN (SELECT a.at FROM tuki.sla_alarm_at(calendar_id, pos) a);
END
$$;
COMMENT ON FUNCTION tuki.ticket_alarm_at(tuki.ticket, integer) IS 'What a ticket row''s alarm_at should be, its calendar being tuki.calendar.id calendar_id, with the desk''s warning percent.';

-- BEFORE, per row, named to run after ticket_before_insert/ticket_before_update (which set
-- priority, status timestamps and service_rank first).

-- The SLA clocks of a ticket after a change from o (null for a new ticket) at time at: the one
-- definition of pausing, resuming, banking and re-reading targets, used by the row trigger and
-- by tuki.history_load (025). Not SECURITY DEFINER and no SET clause: the trigger runs it for
-- every row, with the rights of whoever writes the row.
CREATE FUNCTION tuki.ticket_sla_next(n tuki.ticket, o tuki.ticket, at timestamptz) RETURNS tuki.ticket
    LANGUAGE plpgsql STABLE
AS $$
DECLARE
    cal text;
    cal_id integer;
    since timestamptz;
    running boolean := tuki.sla_is_running(n.status);
    reread boolean;
    d record;
BEGIN
    IF o.id IS NULL THEN
        n.resolve_used := 0;
        n.resolve_since := CASE WHEN running THEN n.created_at END;
        reread := true;
    ELSE
        -- the clock state is the desk's; whatever a raw UPDATE wrote is ignored
        n.response_target := o.response_target;
        n.resolve_target := o.resolve_target;
        n.resolve_used := o.resolve_used;
        n.resolve_since := o.resolve_since;
        n.response_due := o.response_due;
        n.resolve_due := o.resolve_due;
        n.response_due_cum := o.response_due_cum;
        n.resolve_due_cum := o.resolve_due_cum;
        n.alarm_at := o.alarm_at;
        reread := (n.priority, n.service_level, n.contract) IS DISTINCT FROM (o.priority, o.service_level, o.contract);
        IF NOT reread AND running = (o.resolve_since IS NOT NULL) THEN
            IF n.responded_at IS DISTINCT FROM o.responded_at THEN
                -- the response clock stopped: its alarm is over
                n.alarm_at := tuki.ticket_alarm_at(n, (SELECT k.id FROM tuki.contract c JOIN tuki.calendar k ON k.code = c.calendar
                                                         WHERE c.id = n.contract));
            END IF;
            RETURN n;                   -- nothing that moves a clock changed
        END IF;
    END IF;

    SELECT c.calendar, k.id INTO cal, cal_id
      FROM tuki.contract c JOIN tuki.calendar k ON k.code = c.calendar WHERE c.id = n.contract;
    IF o.id IS NOT NULL THEN
        since := greatest(at, o.resolve_since);
        IF o.resolve_since IS NOT NULL AND (NOT running OR reread) THEN
            -- pause, stop, or new targets: bank the business time used so far, read off the
            -- calendar's open-time axis from where the clock started (its deadline's position
            -- less its budget) to now: one look-up, where tuki.business_minutes (the checked
            -- interface: both ends looked up, the horizon checked) cost 65 us a pause. It
            -- answers only for a clock with no deadline position (no target).
            n.resolve_used := o.resolve_used
                + coalesce((SELECT tuki.minutes_of_us(b.us - (o.resolve_due_cum - tuki.sla_budget_us(o.resolve_target, o.resolve_used)))
                              FROM tuki.open_before(cal_id, since) b),
                           tuki.business_minutes(cal, o.resolve_since, since));
            n.resolve_since := CASE WHEN running THEN since END;
        ELSIF o.resolve_since IS NULL AND running THEN
            n.resolve_since := since;   -- resume (waiting_customer -> open, reopen)
        END IF;
    END IF;
    IF reread THEN
        SELECT t.response_minutes, t.resolve_minutes INTO n.response_target, n.resolve_target
          FROM tuki.sla_target t WHERE t.service_level = n.service_level AND t.priority = n.priority;
        IF o.responded_at IS NOT NULL THEN
            n.response_target := o.response_target;     -- a finished response keeps its target
        END IF;
    END IF;
    -- the response deadline follows from created_at, the target and the calendar only: without
    -- new targets it stays as it was, and its two calendar look-ups are not made (a pause or
    -- resume needs only the resolution clock's)
    -- a pause without new targets needs no deadline at all (a paused clock has none): no query
    IF reread OR n.resolve_since IS NOT NULL THEN
        SELECT * INTO d FROM tuki.sla_deadlines(cal_id, n.created_at, CASE WHEN reread THEN n.response_target END,
                                                n.resolve_since, n.resolve_used, n.resolve_target);
        IF reread THEN
            n.response_due := d.response_due;
            n.response_due_cum := d.response_due_cum;
        END IF;
        n.resolve_due := d.resolve_due;
        n.resolve_due_cum := d.resolve_due_cum;
    ELSE
        n.resolve_due := NULL;
        n.resolve_due_cum := NULL;
    END IF;
    n.alarm_at := tuki.ticket_alarm_at(n, cal_id);
    RETURN n;
END
$$;
COMMENT ON FUNCTION tuki.ticket_sla_next(tuki.ticket, tuki.ticket, timestamptz) IS 'The ticket n with its SLA clocks after a change from o at time at (o null: a new ticket, both clocks start). Pauses the resolution clock outside new/open/waiting_third_party (banking the business minutes used), resumes it on the way back, re-reads the targets when priority, service level or contract change (keeping the time used and a finished response''s target), and recomputes the deadlines. Used by the SLA row trigger and tuki.history_load.';

-- BEFORE INSERT (the trigger's WHEN leaves out bulk mode); an update's clocks are kept by
-- ticket_before_update with its checks.
CREATE FUNCTION tuki.ticket_sla_before() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    RETURN tuki.ticket_sla_next(NEW, NULL, tuki.now());
END
$$;
COMMENT ON FUNCTION tuki.ticket_sla_before() IS 'Trigger: starts the SLA clocks of a new ticket (tuki.ticket_sla_next at tuki.now()): reads the targets and starts both clocks. An update''s clocks are kept by ticket_before_update.';

-- BEFORE UPDATE, every row but tuki.sla_recompute's bulk rewrite: the whole of a change in one
-- trigger call, in this order: the lifecycle check and derivation (tuki.ticket_checked,
-- tuki.ticket_lifecycle, 008_lifecycle.sql), the clocks (tuki.ticket_sla_next), the version
-- stamp (tuki.ticket_stamp). Three row triggers did this, each a call of its own, two with a
-- WHEN that PostgreSQL reads again for every UPDATE statement and one with a user and
-- configuration switch (track_functions, a status change under load: 131 us for the three,
-- 117 us for this one, the clocks' own work included).
CREATE FUNCTION tuki.ticket_before_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    now_at timestamptz := tuki.now();
BEGIN
    NEW := tuki.ticket_lifecycle(tuki.ticket_checked(NEW, OLD), OLD, now_at);
    NEW := tuki.ticket_sla_next(NEW, OLD, now_at);
    RETURN tuki.ticket_stamp(NEW, OLD, now_at);
END
$$;
COMMENT ON FUNCTION tuki.ticket_before_update() IS 'Trigger: checks a change of a ticket (tuki.ticket_checked: the holding rule TK005, every status change against tuki.transition TK001/TK005, a resolution note to resolve TK007, closed tickets stay closed TK008), derives its status timestamps and derived columns (tuki.ticket_lifecycle), keeps its SLA clocks (tuki.ticket_sla_next) and stamps version and updated_at (tuki.ticket_stamp). Not fired for tuki.sla_recompute''s bulk rewrite (see the trigger''s WHEN).';

-- The shape of an sla_recalc event's detail, as types: to_jsonb of a row of them builds the
-- same JSON as nested jsonb_build_object calls at a third less cost per event (those look up
-- how to convert each argument on every call), and a DBA can read a detail back typed with
-- jsonb_populate_record(NULL::tuki.sla_recalc_detail, detail).
CREATE TYPE tuki.sla_response_clock AS (target integer, due timestamptz, stopped timestamptz);
CREATE TYPE tuki.sla_resolve_clock AS (target integer, due timestamptz, used numeric, paused boolean, since timestamptz);
CREATE TYPE tuki.sla_recalc_detail AS (reason text, response tuki.sla_response_clock, resolve tuki.sla_resolve_clock);
COMMENT ON TYPE tuki.sla_response_clock IS 'The response clock in an sla_recalc event: target minutes, due time, and when it stopped (the first public reply; null while running).';
COMMENT ON TYPE tuki.sla_resolve_clock IS 'The resolution clock in an sla_recalc event: target minutes, due time, business minutes used before since (rounded to 0.01), whether it is paused, and since when it runs (null while paused).';
COMMENT ON TYPE tuki.sla_recalc_detail IS 'The detail of an sla_recalc event: why the clocks were recalculated, and both clocks.';

-- Column by column, not the whole ticket row: a whole-row argument builds a composite of all
-- of the ticket's columns for every event (half of the detail's cost in a 100,000-row rewrite).
CREATE FUNCTION tuki.sla_event_detail(reason text, response_target integer, response_due timestamptz,
                                      responded_at timestamptz, resolve_target integer, resolve_due timestamptz,
                                      resolve_used numeric, resolve_since timestamptz) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT to_jsonb(ROW(reason,
                        ROW(response_target, response_due, responded_at)::tuki.sla_response_clock,
                        ROW(resolve_target, resolve_due, round(resolve_used, 2), resolve_since IS NULL,
                            resolve_since)::tuki.sla_resolve_clock)::tuki.sla_recalc_detail)
$$;
COMMENT ON FUNCTION tuki.sla_event_detail(text, integer, timestamptz, timestamptz, integer, timestamptz, numeric, timestamptz) IS 'The detail of an sla_recalc event: the reason and, per clock, target minutes, due time and (resolution) minutes banked and whether it is paused.';

-- Why an update recalculated a ticket's clocks, and the sla_recalc event's detail; null when
-- its targets, deadlines and pause state are as they were. Plain SQL, inlined per row.
CREATE FUNCTION tuki.sla_recalc_detail_of(n tuki.ticket, o tuki.ticket) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN (n.response_target, n.resolve_target, n.response_due, n.resolve_due, n.resolve_since IS NULL)
                     IS DISTINCT FROM (o.response_target, o.resolve_target, o.response_due, o.resolve_due,
                                       o.resolve_since IS NULL)
           THEN tuki.sla_event_detail(CASE WHEN n.priority IS DISTINCT FROM o.priority THEN 'priority'
                                           WHEN n.service_level IS DISTINCT FROM o.service_level THEN 'level'
                                           WHEN n.contract IS DISTINCT FROM o.contract THEN 'contract'
                                           WHEN n.resolve_since IS NULL AND o.resolve_since IS NOT NULL THEN 'pause'
                                           WHEN n.resolve_since IS NOT NULL AND o.resolve_since IS NULL THEN 'resume'
                                           ELSE 'recompute' END,
                                      n.response_target, n.response_due, n.responded_at,
                                      n.resolve_target, n.resolve_due, n.resolve_used, n.resolve_since) END
$$;
COMMENT ON FUNCTION tuki.sla_recalc_detail_of(tuki.ticket, tuki.ticket) IS 'The detail of the sla_recalc event one update of a ticket (new row n, old row o) records: the reason (priority, level, contract, pause, resume or recompute) and both clocks; null when targets, deadlines and pause state did not change.';

-- Every event one change of a ticket (new row n, old row o) records, in order: its history
-- (tuki.ticket_history_events) and its sla_recalc. Inlined into the row trigger of UPDATE;
-- tuki.history_load (025) records a loaded history's changes through it too.
CREATE FUNCTION tuki.ticket_change_events(n tuki.ticket, o tuki.ticket)
    RETURNS TABLE (ord integer, kind text, detail jsonb)
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT e.ord, e.kind, e.detail
      -- OFFSET 0 keeps the UNION ALL a subquery: pulled up beside a caller's lateral reference
      -- to a ticket row, PostgreSQL 15 failed to plan it ("variable not found in subplan
      -- target list")
      FROM (SELECT h.ord, h.kind, h.detail FROM tuki.ticket_history_events(n, o) h
            UNION ALL
            SELECT 7, 'sla_recalc', tuki.sla_recalc_detail_of(n, o)
            OFFSET 0) e
     WHERE e.detail IS NOT NULL
$$;
COMMENT ON FUNCTION tuki.ticket_change_events(tuki.ticket, tuki.ticket) IS 'The events one change of a ticket (new row n, old row o) records, in order (ord): status, assign, escalate, priority, responded, edit (tuki.ticket_history_events) and sla_recalc (tuki.sla_recalc_detail_of). Written by the row trigger ticket_after_update_row and by tuki.history_load.';

-- AFTER INSERT, per statement, named to run after ticket_after_insert: the first clocks.
CREATE FUNCTION tuki.ticket_sla_after() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO tuki.ticket_event (ticket, kind, detail)
    SELECT n.id, 'sla_recalc',
           tuki.sla_event_detail('created', n.response_target, n.response_due, n.responded_at,
                                 n.resolve_target, n.resolve_due, n.resolve_used, n.resolve_since)
      FROM new_rows n ORDER BY n.id;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION tuki.ticket_sla_after() IS 'Statement trigger: an sla_recalc event (reason created) with the first deadlines of every new ticket.';

-- AFTER UPDATE, per row (all but tuki.sla_recompute's bulk rewrite): the history of
-- 009_history.sql (tuki.ticket_history_events) and the SLA's sla_recalc events of one change in
-- one INSERT, and the alert pass for a clock that stopped or paused (it may have passed its
-- target since the last sweep). Per row, with OLD and NEW at hand: a statement trigger with
-- both transition tables had to aggregate them into arrays and pair their rows first, and
-- PostgreSQL kept a copy of both versions of every row for it (130 us of its own time a status
-- change under load, track_functions). With this trigger, the single BEFORE trigger and the
-- alert pass only when due, status changes ran at 0.21x to 0.22x of a bare UPDATE + INSERT
-- against 0.14x to 0.17x before, measured alternately in one cluster (tuki-schema(7),
-- PERFORMANCE).
CREATE FUNCTION tuki.ticket_after_update_row() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    now_at timestamptz := tuki.now();
    alarm text;
BEGIN
    INSERT INTO tuki.ticket_event (ticket, kind, detail)
    SELECT NEW.id, e.kind, e.detail FROM tuki.ticket_change_events(NEW, OLD) e ORDER BY e.ord;
    -- A clock that stopped or paused is judged now (the sweep judges running clocks and paused
    -- ones in alarm; a resolved or closed ticket leaves it). Only a ticket that was in alarm
    -- (alarm_at at most now, or not known) can have an alert due, and the alert pass
    -- (tuki.sla_record_alerts, 70 us) is called only when one may be due and not recorded yet:
    -- pausing a ticket whose alerts are all recorded, as on a swept desk, writes nothing.
    -- Nested IFs, not one AND: a plain expression PL/pgSQL evaluates by itself, while a
    -- condition holding a query starts the query's plan even when its first terms are false.
    IF (OLD.alarm_at IS NULL OR OLD.alarm_at <= now_at) THEN
        IF OLD.responded_at IS NULL AND NEW.responded_at IS NOT NULL THEN
            -- the response clock stopped: whether it was answered late needs the calendar's
            -- open time at the answer (tuki.sla_alerts_due, one look-up of the open time now and
            -- of tuki.sla_alert, 15 us)
            IF EXISTS (SELECT 1
                         FROM tuki.contract_open_time(NEW.contract, now_at) o
                        CROSS JOIN LATERAL tuki.sla_alerts_due(NEW.status, NEW.responded_at, NEW.response_target,
                                                              NEW.response_due, NEW.response_due_cum, NEW.resolve_target,
                                                              NEW.resolve_due, NEW.resolve_due_cum, NEW.resolve_used,
                                                              NEW.resolve_since, o.calendar_id, o.us, tuki.sla_warning_percent()) x
                        WHERE NOT EXISTS (SELECT 1 FROM tuki.sla_alert a
                                           WHERE a.ticket = NEW.id AND a.clock = x.clock AND a.kind = x.kind)) THEN
                PERFORM tuki.sla_record_alerts(ARRAY[NEW.id]);
            END IF;
        ELSIF OLD.resolve_since IS NOT NULL AND NEW.resolve_since IS NULL THEN
            -- the resolution clock paused or stopped with its time just banked: its alarm is
            -- the minutes used against the target, no look-up (tuki.sla_alerts_due's query
            -- started a plan of 30 nodes for this, 90 us of every pause, track_functions). The
            -- alert pass judges every clock when this one's alarm names an alert not recorded;
            -- a clock still running is the sweep's.
            alarm := tuki.sla_alarm(NEW.resolve_target, tuki.sla_left_us(false, NULL, NULL, NEW.resolve_target, NEW.resolve_used),
                                    tuki.sla_warning_percent());
            IF alarm IN ('warning', 'breached') THEN
                IF (SELECT count(*) FROM tuki.sla_alert a
                     WHERE a.ticket = NEW.id AND a.clock = 'resolve'
                       AND a.kind IN ('warning', CASE WHEN alarm = 'breached' THEN 'breach' END))
                   < (CASE WHEN alarm = 'breached' THEN 2 ELSE 1 END) THEN
                    PERFORM tuki.sla_record_alerts(ARRAY[NEW.id]);
                END IF;
            END IF;
        END IF;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION tuki.ticket_after_update_row() IS 'Row trigger: records the history of a changed ticket (tuki.ticket_history_events: status, assign, escalate, priority, responded, edit) and an sla_recalc event when its targets, deadlines or pause state changed (tuki.sla_recalc_detail_of), and records warnings and breaches of a clock that just stopped or paused.';

-- AFTER UPDATE, per statement: one notification for the statement's tickets and, for
-- tuki.sla_recompute's bulk rewrite, its events set-based.
CREATE FUNCTION tuki.ticket_after_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ids bigint[];
BEGIN
    IF tuki.sla_bulk_mode() THEN
        -- tuki.sla_recompute (an administrator's session) writes only values it computed and
        -- found changed: an event for every row, no comparison, no history kind can apply, and
        -- the alert pass is left to the sweep. Anyone else's tuki.sla_bulk setting counts for
        -- nothing here, as in the row triggers.
        INSERT INTO tuki.ticket_event (ticket, kind, detail)
        SELECT n.id, 'sla_recalc',
               tuki.sla_event_detail(coalesce(nullif(current_setting('tuki.sla_reason', true), ''), 'recompute'),
                                     n.response_target, n.response_due, n.responded_at,
                                     n.resolve_target, n.resolve_due, n.resolve_used, n.resolve_since)
          FROM new_rows n ORDER BY n.id;
    END IF;
    SELECT array_agg(n.id ORDER BY n.id) INTO ids FROM new_rows n;
    PERFORM tuki.notify('ticket', ids);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION tuki.ticket_after_update() IS 'Statement trigger: sends one notification for the changed tickets and, in tuki.sla_recompute''s bulk rewrite, records an sla_recalc event for every ticket it changed (the row trigger ticket_after_update_row records the history of every other update).';

-- The bulk test is the row triggers' WHEN, so a bulk rewrite of 100,000 rows makes no call of
-- the trigger functions per row. The WHEN runs with the rights of whoever writes the row (tuki_agent may call
-- tuki.sla_bulk_mode, 014_security.sql).
CREATE TRIGGER ticket_before_insert_sla BEFORE INSERT ON tuki.ticket
    FOR EACH ROW WHEN (NOT tuki.sla_bulk_mode())
    EXECUTE FUNCTION tuki.ticket_sla_before();
CREATE TRIGGER ticket_before_update BEFORE UPDATE ON tuki.ticket
    FOR EACH ROW WHEN (NOT tuki.sla_bulk_mode())
    EXECUTE FUNCTION tuki.ticket_before_update();
CREATE TRIGGER ticket_after_insert_sla AFTER INSERT ON tuki.ticket
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tuki.ticket_sla_after();
CREATE TRIGGER ticket_after_update_row AFTER UPDATE ON tuki.ticket
    FOR EACH ROW WHEN (NOT tuki.sla_bulk_mode())
    EXECUTE FUNCTION tuki.ticket_after_update_row();
CREATE TRIGGER ticket_after_update AFTER UPDATE ON tuki.ticket
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tuki.ticket_after_update();
COMMENT ON TRIGGER ticket_before_insert_sla ON tuki.ticket IS 'Starts the SLA clocks (after ticket_before_insert has set the priority); not fired in bulk mode (tuki.sla_bulk on).';
COMMENT ON TRIGGER ticket_before_update ON tuki.ticket IS 'The lifecycle check, the SLA clocks and the version stamp of every update by every role, the owner included, except tuki.sla_recompute''s bulk rewrite of SLA columns.';
COMMENT ON TRIGGER ticket_after_insert_sla ON tuki.ticket IS 'sla_recalc event with the first deadlines of new tickets.';
COMMENT ON TRIGGER ticket_after_update_row ON tuki.ticket IS 'History and sla_recalc events of each changed ticket; warnings and breaches of clocks that stopped. Not fired for tuki.sla_recompute''s bulk rewrite.';
COMMENT ON TRIGGER ticket_after_update ON tuki.ticket IS 'The notification of an UPDATE statement; the sla_recalc events of tuki.sla_recompute''s bulk rewrite.';

-- Bulk: after calendar or target changes, recompute every active ticket set-based.
CREATE FUNCTION tuki.sla_recompute(reason text DEFAULT 'recompute', calendars text[] DEFAULT NULL,
                                   contracts bigint[] DEFAULT NULL) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET jit = off                 -- compiling its plans cost 0.7 s of a 100,000-ticket rewrite (tests/bench/sla)
    SET work_mem = '64MB'         -- sorts, hashes and transition tables of 100,000 rows in memory
AS $$
DECLARE
    changed integer;
    -- new targets or a new warning percent leave every calendar as it was; a rebuilt calendar
    -- or a contract moved to another one changes where on the open-time axis each clock started
    same_calendar boolean := reason IN ('targets', 'warning');
    pct numeric := tuki.sla_warning_percent();
BEGIN
    -- the row trigger stands aside only in an administrator's session (tuki.sla_bulk_mode);
    -- for anyone else it would put every old value back and the rewrite would do nothing
    -- only administrators may run it by hand; nobody else may execute it, so a call from
    -- inside a trigger in anyone else's session is the desk's own (a lead's change of hours,
    -- holidays or a contract), and gets a pass for its rewrite
    IF NOT tuki.actor_is_admin() AND pg_trigger_depth() = 0 THEN
        PERFORM tuki.fail('TK005', 'only an administrator may recompute SLA deadlines',
            'Deadlines are recomputed by themselves when calendars, holidays, SLA targets or contracts change.',
            'Ask the schema owner (a member of tuki_owner) to run tuki.sla_recompute().');
    END IF;
    IF NOT tuki.actor_is_admin() THEN
        INSERT INTO tuki.sla_bulk_pass (xact) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
    END IF;
    PERFORM set_config('tuki.sla_bulk', 'on', true);
    PERFORM set_config('tuki.sla_reason', reason, true);
    UPDATE tuki.ticket t
       SET response_target = x.response_target, resolve_target = x.resolve_target,
           response_due = coalesce(x.frozen_due, x.response_due),
           response_due_cum = coalesce(x.frozen_cum, x.response_due_cum),
           resolve_due = x.resolve_due, resolve_due_cum = x.resolve_due_cum,
           alarm_at = x.alarm_at
      FROM (SELECT o.id, n.response_target, n.resolve_target, d.*, a.at AS alarm_at,
                   -- a finished response clock keeps its deadline (and is not looked up again)
                   CASE WHEN o.responded_at IS NOT NULL THEN o.response_due END AS frozen_due,
                   CASE WHEN o.responded_at IS NOT NULL THEN o.response_due_cum END AS frozen_cum
              FROM tuki.ticket o
              JOIN tuki.contract c ON c.id = o.contract
              JOIN tuki.calendar k ON k.code = c.calendar
              LEFT JOIN tuki.sla_target st ON st.service_level = o.service_level AND st.priority = o.priority
             CROSS JOIN LATERAL (SELECT CASE WHEN o.responded_at IS NULL THEN st.response_minutes
                                             ELSE o.response_target END AS response_target,
                                        st.resolve_minutes AS resolve_target,
                                        -- new targets on an unchanged calendar: where each clock
                                        -- started on the calendar's open-time axis is the stored
                                        -- deadline position less the old budget (no look-up)
                                        CASE WHEN same_calendar
                                             THEN o.response_due_cum - o.response_target * 60000000::bigint END AS response_base,
                                        CASE WHEN same_calendar
                                             THEN o.resolve_due_cum - tuki.sla_budget_us(o.resolve_target, o.resolve_used) END AS resolve_base) n
             CROSS JOIN LATERAL tuki.sla_deadlines(k.id, o.created_at,
                                                   CASE WHEN o.responded_at IS NULL THEN n.response_target END, o.resolve_since,
                                                   o.resolve_used, n.resolve_target, n.response_base, n.resolve_base) d
             -- the position as a column of its own (OFFSET 0): tuki.sla_alarm_at reads it
             -- three times, and the expression would be computed each time
             CROSS JOIN LATERAL (SELECT tuki.sla_alarm_position(
                                            o.responded_at, n.response_target,
                                            CASE WHEN o.responded_at IS NOT NULL THEN o.response_due_cum ELSE d.response_due_cum END,
                                            n.resolve_target, o.resolve_since, d.resolve_due_cum, o.resolve_used, pct) AS pos
                                 OFFSET 0) ap
             CROSS JOIN LATERAL tuki.sla_alarm_at(k.id, ap.pos) a
             WHERE o.is_active
               AND (calendars IS NULL OR c.calendar = ANY (calendars))
               AND (contracts IS NULL OR c.id = ANY (contracts))) x
     WHERE t.id = x.id
       AND (t.response_target, t.resolve_target, t.response_due, t.response_due_cum, t.resolve_due, t.resolve_due_cum,
            t.alarm_at)
           IS DISTINCT FROM (x.response_target, x.resolve_target, coalesce(x.frozen_due, x.response_due),
                             coalesce(x.frozen_cum, x.response_due_cum), x.resolve_due, x.resolve_due_cum, x.alarm_at);
    GET DIAGNOSTICS changed = ROW_COUNT;
    DELETE FROM tuki.sla_bulk_pass WHERE xact = pg_current_xact_id();
    PERFORM set_config('tuki.sla_bulk', '', true);
    PERFORM set_config('tuki.sla_reason', '', true);
    RETURN changed;
END
$$;
COMMENT ON FUNCTION tuki.sla_recompute(text, text[], bigint[]) IS 'Re-reads the targets and recomputes the deadlines of all active tickets (optionally only those on the given calendars or contracts) in one set-based UPDATE, keeping the time used; an sla_recalc event with the reason for each ticket that changed. Returns how many changed. Run by triggers when calendars, contracts or targets change (in any session: a lead''s change of hours or holidays too); by hand by administrators only (TK005).';

CREATE FUNCTION tuki.sla_inputs_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cals text[];
BEGIN
    IF TG_TABLE_NAME = 'calendar_horizon' THEN
        SELECT array_agg(DISTINCT n.calendar) INTO cals FROM new_rows n;
        PERFORM tuki.sla_recompute('calendar', cals);
    ELSE
        PERFORM tuki.sla_recompute('targets');
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION tuki.sla_inputs_changed() IS 'Statement trigger: recomputes active tickets'' deadlines after a calendar was rebuilt (hours, holidays, zone) or SLA targets changed.';

-- A new warning percent moves when every active ticket's alarm starts (tuki.ticket.alarm_at).
CREATE FUNCTION tuki.setting_sla_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows n WHERE n.key = 'sla_warning_percent') THEN
        PERFORM tuki.sla_recompute('warning');
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION tuki.setting_sla_changed() IS 'Statement trigger on tuki.setting: a changed sla_warning_percent recomputes when the alarm of each active ticket starts (tuki.ticket.alarm_at).';
CREATE TRIGGER setting_sla_changed_ins AFTER INSERT ON tuki.setting
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tuki.setting_sla_changed();
CREATE TRIGGER setting_sla_changed_upd AFTER UPDATE ON tuki.setting
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tuki.setting_sla_changed();
COMMENT ON TRIGGER setting_sla_changed_ins ON tuki.setting IS 'A new sla_warning_percent moves every active ticket''s alarm.';
COMMENT ON TRIGGER setting_sla_changed_upd ON tuki.setting IS 'A changed sla_warning_percent moves every active ticket''s alarm.';

-- tuki.calendar_rebuild writes a fresh calendar_horizon row whenever hours, holidays or the zone change
CREATE TRIGGER calendar_horizon_sla AFTER INSERT ON tuki.calendar_horizon
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tuki.sla_inputs_changed();
CREATE TRIGGER sla_target_changed AFTER INSERT OR UPDATE OR DELETE ON tuki.sla_target
    FOR EACH STATEMENT EXECUTE FUNCTION tuki.sla_inputs_changed();
COMMENT ON TRIGGER calendar_horizon_sla ON tuki.calendar_horizon IS 'A rebuilt calendar moves the deadlines of active tickets on it.';
COMMENT ON TRIGGER sla_target_changed ON tuki.sla_target IS 'Changed targets apply to active tickets, keeping the time used.';

-- A contract's level (or temporary raise) or calendar changes: active tickets follow, keeping the time used.
CREATE FUNCTION tuki.contract_sla_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    moved bigint[];
BEGIN
    -- the effective level of a ticket is the contract's level (or raise) on its creation day
    UPDATE tuki.ticket t
       SET service_level = tuki.contract_level(t.contract, (t.created_at AT TIME ZONE k.tz)::date)
      FROM new_rows n JOIN tuki.calendar k ON k.code = n.calendar
     WHERE t.contract = n.id
       AND t.is_active
       AND t.service_level IS DISTINCT FROM tuki.contract_level(t.contract, (t.created_at AT TIME ZONE k.tz)::date);
    SELECT array_agg(n.id) INTO moved
      FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.calendar IS DISTINCT FROM o.calendar;
    IF moved IS NOT NULL THEN
        PERFORM tuki.sla_recompute('contract', NULL, moved);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION tuki.contract_sla_changed() IS 'Statement trigger on tuki.contract: active tickets take the contract''s effective level on their creation day (so a temporary raise applies to tickets created in its range) with an sla_recalc event; a changed calendar recomputes their deadlines.';

CREATE TRIGGER contract_sla_changed AFTER UPDATE ON tuki.contract
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tuki.contract_sla_changed();
COMMENT ON TRIGGER contract_sla_changed ON tuki.contract IS 'Level, raise or calendar changes reach the active tickets of the contract.';

RESET ROLE;
