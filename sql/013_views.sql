-- Views and queries for people in psql, reports and the console. security_invoker: row-level
-- security of the reader applies. tuki.sla (one row per ticket and clock), tuki.queue (active
-- tickets in queue order with their SLA state), tuki.workload, and what the console asks:
-- its filters paged by key (tuki.queue_filter, tuki.queue_after, tuki.queue_before), the
-- breaching tickets (tuki.sla_alarm_ids) and the clocks it shows (tuki.sla_clock_now).
SET LOCAL ROLE tuki_owner;

CREATE FUNCTION tuki.sla_state(finished boolean, used numeric, target numeric, warn_percent numeric) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN target IS NULL THEN NULL
                WHEN finished THEN CASE WHEN used <= target THEN 'met' ELSE 'missed' END
                ELSE tuki.sla_alarm(target::integer, (target - used) * 60000000, warn_percent) END
$$;
COMMENT ON FUNCTION tuki.sla_state(boolean, numeric, numeric, numeric) IS 'State of one SLA clock: met or missed once finished (used within or past the target), otherwise tuki.sla_alarm: breached past the target, warning from warn_percent of it, else ok.';

CREATE FUNCTION tuki.sla_clocks(calendar_id integer, at timestamptz, warn_percent numeric, status text,
                                created_at timestamptz, responded_at timestamptz, resolved_at timestamptz,
                                response_target integer, response_due timestamptz,
                                resolve_target integer, resolve_due timestamptz,
                                resolve_used numeric, resolve_since timestamptz)
    RETURNS TABLE (target text, target_minutes integer, due timestamptz, used numeric, remaining numeric,
                   paused boolean, finished boolean, stopped_at timestamptz, state text)
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 2
AS $$
    SELECT x.target, x.target_minutes, x.due, round(x.used, 4), round(x.target_minutes - x.used, 4),
           x.paused, x.finished, x.stopped_at,
           tuki.sla_state(x.finished, x.used, x.target_minutes, sla_clocks.warn_percent)
      FROM (SELECT b.us FROM tuki.open_before(sla_clocks.calendar_id, sla_clocks.created_at) b OFFSET 0) c0
     CROSS JOIN (SELECT b.us FROM tuki.open_before(sla_clocks.calendar_id,
                                                   coalesce(sla_clocks.responded_at, greatest(sla_clocks.at, sla_clocks.created_at))) b
                 OFFSET 0) c1
     CROSS JOIN (SELECT b.us FROM tuki.open_before(sla_clocks.calendar_id, sla_clocks.resolve_since) b OFFSET 0) s0
     CROSS JOIN (SELECT b.us FROM tuki.open_before(sla_clocks.calendar_id, greatest(sla_clocks.at, sla_clocks.resolve_since)) b
                 OFFSET 0) s1
     CROSS JOIN LATERAL (VALUES
        ('response', sla_clocks.response_target, sla_clocks.response_due, (c1.us - c0.us) / 60000000.0,
         false, sla_clocks.responded_at IS NOT NULL, sla_clocks.responded_at),
        ('resolve', sla_clocks.resolve_target, sla_clocks.resolve_due,
         sla_clocks.resolve_used + CASE WHEN sla_clocks.resolve_since IS NOT NULL THEN (s1.us - s0.us) / 60000000.0 ELSE 0 END,
         sla_clocks.resolve_since IS NULL AND sla_clocks.status <> 'closed',
         sla_clocks.status IN ('resolved', 'closed'), sla_clocks.resolved_at)
     ) AS x(target, target_minutes, due, used, paused, finished, stopped_at)
     WHERE x.target_minutes IS NOT NULL
$$;
COMMENT ON FUNCTION tuki.sla_clocks(integer, timestamptz, numeric, text, timestamptz, timestamptz, timestamptz, integer, timestamptz, integer, timestamptz, numeric, timestamptz) IS 'The two SLA clocks of a ticket (counted in the calendar with tuki.calendar.id calendar_id) at instant at, one row each (response, resolve): target, due, business minutes used and remaining, paused, finished, when it stopped, and state. Shared by tuki.sla and tuki.queue; inlined by the planner.';

CREATE VIEW tuki.sla WITH (security_invoker = true) AS
SELECT t.id AS ticket, c.target, t.customer, t.status, t.priority, t.service_level, k.calendar,
       c.target_minutes, c.due, c.used, c.remaining, c.paused, c.state, c.stopped_at
  FROM tuki.ticket t
  JOIN tuki.contract k ON k.id = t.contract
  JOIN tuki.calendar kc ON kc.code = k.calendar
 CROSS JOIN (SELECT tuki.now() AS at, tuki.sla_warning_percent() AS pct OFFSET 0) n
 CROSS JOIN LATERAL tuki.sla_clocks(kc.id, n.at, n.pct, t.status, t.created_at, t.responded_at, t.resolved_at,
                                    t.response_target, t.response_due, t.resolve_target, t.resolve_due,
                                    t.resolve_used, t.resolve_since) c;
COMMENT ON VIEW tuki.sla IS 'One row per ticket and SLA clock (response, resolve) as of tuki.now(): target, due, business minutes used and remaining, paused, state ok|warning|breached|met|missed. Tickets without targets have no rows.';
COMMENT ON COLUMN tuki.sla.ticket IS 'Ticket number.';
COMMENT ON COLUMN tuki.sla.target IS 'Which clock: response (to the first public agent reply) or resolve (to resolution, not counting pauses).';
COMMENT ON COLUMN tuki.sla.customer IS 'Customer code.';
COMMENT ON COLUMN tuki.sla.status IS 'Ticket status.';
COMMENT ON COLUMN tuki.sla.priority IS 'Ticket priority P1..P5.';
COMMENT ON COLUMN tuki.sla.service_level IS 'Effective service level of the ticket.';
COMMENT ON COLUMN tuki.sla.calendar IS 'Business calendar the clock counts in (the contract''s).';
COMMENT ON COLUMN tuki.sla.target_minutes IS 'Target in business minutes (tuki.sla_target).';
COMMENT ON COLUMN tuki.sla.due IS 'Deadline; for resolve null while paused or stopped (it moves while paused).';
COMMENT ON COLUMN tuki.sla.used IS 'Business minutes used so far (until the clock stopped).';
COMMENT ON COLUMN tuki.sla.remaining IS 'target_minutes - used; negative once breached or missed.';
COMMENT ON COLUMN tuki.sla.paused IS 'True while the resolution clock is paused (waiting_customer, resolved); always false for response.';
COMMENT ON COLUMN tuki.sla.state IS 'ok, warning (from tuki.sla_warning_percent() of the target), breached (past it), met or missed (once stopped: responded, resolved or closed).';
COMMENT ON COLUMN tuki.sla.stopped_at IS 'When the clock stopped: responded_at for response, resolved_at for resolve; null while it runs or is paused.';

-- The SLA state of a queue row from its stored deadlines: one look-up of the open time now in
-- the ticket's calendar, the rest arithmetic (tuki.sla_left_us, tuki.sla_alarm). A one-row
-- SQL function, so the planner inlines it into the query that joins it (LATERAL): no call per
-- row, and the look-up (with the warning percent) is memoized per contract. At 103,621 active
-- tickets, tuki.queue's page 1,000 by OFFSET took 1.9 s with this in PL/pgSQL, 0.35 s inlined.
CREATE FUNCTION tuki.sla_now(contract bigint, responded_at timestamptz, response_target integer,
                             response_due_cum bigint, resolve_target integer, resolve_since timestamptz,
                             resolve_due_cum bigint, resolve_used numeric)
    RETURNS TABLE (state text, minutes_left numeric)
    LANGUAGE sql STABLE ROWS 1
AS $$
    -- the worse of the two alarms; a null one (no target, response finished) counts for nothing
    SELECT CASE WHEN 'breached' IN (a.response_alarm, a.resolve_alarm) THEN 'breached'
                WHEN 'warning' IN (a.response_alarm, a.resolve_alarm) THEN 'warning'
                WHEN 'ok' IN (a.response_alarm, a.resolve_alarm) THEN 'ok' END,
           round(least(CASE WHEN sla_now.response_target IS NOT NULL THEN a.response_left END,
                       CASE WHEN sla_now.resolve_target IS NOT NULL THEN a.resolve_left END) / 60000000.0, 4)
      FROM (SELECT l.response_left, l.resolve_left,
                   tuki.sla_alarm(sla_now.response_target, l.response_left, l.pct) AS response_alarm,
                   tuki.sla_alarm(sla_now.resolve_target, l.resolve_left, l.pct) AS resolve_alarm
              FROM (SELECT CASE WHEN sla_now.responded_at IS NULL
                                THEN tuki.sla_left_us(true, sla_now.response_due_cum, n.us, sla_now.response_target, 0) END
                               AS response_left,
                           tuki.sla_left_us(sla_now.resolve_since IS NOT NULL, sla_now.resolve_due_cum, n.us,
                                            sla_now.resolve_target, sla_now.resolve_used) AS resolve_left,
                           n.pct
                      -- OFFSET 0 keeps the look-up a subquery of its own, which is memoized
                      FROM (SELECT (SELECT o.us FROM tuki.contract_open_time(sla_now.contract, tuki.now()) o) AS us,
                                   tuki.sla_warning_percent() AS pct
                            OFFSET 0) n) l) a
$$;
COMMENT ON FUNCTION tuki.sla_now(bigint, timestamptz, integer, bigint, integer, timestamptz, bigint, numeric) IS 'One row: the SLA state of an active ticket now (tuki.now()), from its stored deadlines (see tuki.sla_left_us): the worst tuki.sla_alarm of its unfinished clocks (breached, warning, ok; null without targets) and the least business minutes left on them. What tuki.queue shows; join it LATERAL (inlined by the planner).';

-- ORDER BY position numbers every active ticket before the limit: a number that follows the
-- queue order is known only once the rows before it are counted. The view keeps that narrow
-- and the rest to the rows read:
-- - o numbers the ids of the active tickets, read in queue order from an index-only scan of
--   ticket_queue_order (plain columns), by unnest(ARRAY(...)) WITH ORDINALITY: PostgreSQL
--   knows a function scan comes out in the order of its ordinality column, so ORDER BY
--   position needs no sort. row_number() over the same order was sorted again by position,
--   which the planner cannot tell it follows (tests/bench/run, 103,627 active of 1,100,000:
--   the first page 26.0 ms against 40.8 ms, 177 against 316 bare 50-row scans);
-- - the ticket is joined by id in a nested loop that keeps that order, so LIMIT n stops after
--   n rows: n primary-key look-ups, not one per active ticket; a LATERAL sub-select with
--   OFFSET 0, which only a nested loop can join: for a deep page (OFFSET 49950) the planner
--   would otherwise hash the numbering against a sequential scan of every ticket ever filed
--   (391 ms at 1,100,000 tickets against 170 ms);
-- - the SLA columns come from one tuki.sla_now call per row returned (LATERAL: a composite's
--   fields taken from the call itself would call it once per field).
-- tuki-schema(7), PERFORMANCE.
CREATE VIEW tuki.queue WITH (security_invoker = true) AS
SELECT o.position,
       q.id, q.priority, q.service_level, q.customer, q.subject, q.status, q.team, q.assignee,
       q.type, q.channel, q.impact, q.urgency, q.contact, q.created_at, q.updated_at, q.version,
       q.responded_at, q.response_due, q.resolve_due,
       nullif(q.queue_due, 'infinity') AS next_due,
       s.state AS sla_state,
       s.minutes_left AS business_minutes_left,
       q.resolve_since IS NULL AS sla_paused
  FROM unnest(ARRAY(SELECT k.id FROM tuki.ticket k WHERE k.is_active
                     ORDER BY k.service_rank, k.priority, k.queue_due, k.id)) -- tuki.queue_key
       WITH ORDINALITY AS o (id, position)
 CROSS JOIN LATERAL (SELECT * FROM tuki.ticket q WHERE q.id = o.id OFFSET 0) q
 CROSS JOIN LATERAL tuki.sla_now(q.contract, q.responded_at, q.response_target, q.response_due_cum,
                                 q.resolve_target, q.resolve_since, q.resolve_due_cum, q.resolve_used) s;
COMMENT ON VIEW tuki.queue IS 'Active tickets (tuki.ticket.is_active) in queue order (tuki.queue_key): service level rank (premium first), priority, the next deadline still running (nulls last), id; with their SLA state now.';
COMMENT ON COLUMN tuki.queue.position IS 'Place in the queue, 1 = next to be served.';
COMMENT ON COLUMN tuki.queue.id IS 'Ticket number.';
COMMENT ON COLUMN tuki.queue.priority IS 'P1..P5.';
COMMENT ON COLUMN tuki.queue.service_level IS 'Effective service level of the ticket.';
COMMENT ON COLUMN tuki.queue.customer IS 'Customer code.';
COMMENT ON COLUMN tuki.queue.subject IS 'Subject.';
COMMENT ON COLUMN tuki.queue.status IS 'Status (one of the active ones).';
COMMENT ON COLUMN tuki.queue.team IS 'Responsible team.';
COMMENT ON COLUMN tuki.queue.assignee IS 'Agent holding it, null when free.';
COMMENT ON COLUMN tuki.queue.type IS 'Request type.';
COMMENT ON COLUMN tuki.queue.channel IS 'Channel it came in by.';
COMMENT ON COLUMN tuki.queue.impact IS 'Impact 1..3.';
COMMENT ON COLUMN tuki.queue.urgency IS 'Urgency 1..3.';
COMMENT ON COLUMN tuki.queue.contact IS 'Contact id.';
COMMENT ON COLUMN tuki.queue.created_at IS 'Creation time.';
COMMENT ON COLUMN tuki.queue.updated_at IS 'Last change.';
COMMENT ON COLUMN tuki.queue.version IS 'Row version for tuki.ticket_expect_version.';
COMMENT ON COLUMN tuki.queue.responded_at IS 'First public agent reply, null before.';
COMMENT ON COLUMN tuki.queue.response_due IS 'Response deadline (SLA clocks).';
COMMENT ON COLUMN tuki.queue.resolve_due IS 'Resolution deadline (SLA clocks).';
COMMENT ON COLUMN tuki.queue.next_due IS 'The next deadline still running (tuki.ticket.queue_due): response_due until the first reply, resolve_due while the resolution clock runs, the earlier of the two; null when none runs (sorted last).';
COMMENT ON COLUMN tuki.queue.sla_state IS 'Worst state of the ticket''s unfinished SLA clocks (tuki.sla_alarm): breached, warning or ok (null without targets).';
COMMENT ON COLUMN tuki.queue.business_minutes_left IS 'Smallest remaining business minutes of the unfinished SLA clocks; negative when breached.';
COMMENT ON COLUMN tuki.queue.sla_paused IS 'True while the resolution clock is paused (waiting_customer).';
GRANT SELECT ON tuki.queue TO tuki_agent, tuki_readonly;

CREATE VIEW tuki.workload WITH (security_invoker = true) AS
SELECT a.login, a.display_name, a.team, a.is_lead,
       count(t.id) FILTER (WHERE t.status IN ('new', 'open')) AS open,
       count(t.id) FILTER (WHERE t.status NOT IN ('new', 'open')) AS waiting,
       count(t.id) FILTER (WHERE t.queue_due < tuki.now()) AS overdue,
       count(t.id) AS active,
       min(t.created_at) AS oldest
  FROM tuki.agent a
  LEFT JOIN tuki.ticket t ON t.assignee = a.login AND t.is_active
 WHERE a.active
 GROUP BY a.login, a.display_name, a.team, a.is_lead;
COMMENT ON VIEW tuki.workload IS 'Active tickets held per active agent.';
COMMENT ON COLUMN tuki.workload.login IS 'Agent login.';
COMMENT ON COLUMN tuki.workload.display_name IS 'Agent name.';
COMMENT ON COLUMN tuki.workload.team IS 'Home team.';
COMMENT ON COLUMN tuki.workload.is_lead IS 'Lead or not.';
COMMENT ON COLUMN tuki.workload.open IS 'Held tickets in new or open.';
COMMENT ON COLUMN tuki.workload.waiting IS 'Held active tickets in other statuses than new and open (waiting for the customer or a third party).';
COMMENT ON COLUMN tuki.workload.overdue IS 'Held tickets past a deadline that still runs (tuki.ticket.queue_due before tuki.now()); a response deadline already met or missed does not count.';
COMMENT ON COLUMN tuki.workload.active IS 'All held active tickets.';
COMMENT ON COLUMN tuki.workload.oldest IS 'Creation time of the oldest held active ticket.';

GRANT SELECT ON tuki.workload TO tuki_agent, tuki_readonly;

CREATE FUNCTION tuki.sla_clock_now(ids bigint[])
    RETURNS TABLE (ticket bigint, target text, state text, target_minutes numeric,
                   remaining_minutes numeric, paused boolean, running boolean)
    LANGUAGE sql STABLE SECURITY INVOKER
    SET search_path = pg_catalog, pg_temp
AS $$
    -- running: the clock is counting down right now (not paused, not finished, the
    -- calendar open), so a client may count it down locally until its next fetch.
    SELECT s.ticket, s.target, s.state, s.target_minutes, s.remaining, s.paused,
           NOT s.paused AND tuki.business_minutes(s.calendar, tuki.now(),
                                                  tuki.now() + interval '1 second') > 0
      FROM tuki.sla s
     WHERE s.ticket = ANY (ids)
       AND s.state IN ('ok', 'warning', 'breached')
$$;
COMMENT ON FUNCTION tuki.sla_clock_now(bigint[]) IS 'The unfinished SLA clocks of the given tickets as the console shows them: state, target and business minutes left, paused, and whether the clock runs at this instant (calendar open, not paused). Row-level security of the caller applies.';

CREATE FUNCTION tuki.sla_alarm_ids() RETURNS SETOF bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT t.id FROM tuki.ticket t WHERE t.is_active AND t.alarm_at <= tuki.now()
$$;
COMMENT ON FUNCTION tuki.sla_alarm_ids() IS 'Ids of the active tickets with an SLA clock at warning or past its target right now (tuki.ticket.alarm_at <= tuki.now(): tuki.sla_alarm''s judgement, stored; the sweep''s candidates). The caller''s row-level security applies where the ids are used.';

-- The console's queue, filtered and paged by key. One WHERE for every filter, the filter passed
-- as values ($1 kind, $2 its argument), so no SQL is built from text; inlined by the planner,
-- so a query with known values uses the queue index that fits (007_tickets.sql).
CREATE FUNCTION tuki.queue_filter(kind text, arg text) RETURNS SETOF tuki.ticket
    LANGUAGE sql STABLE
AS $$
    -- current_user::text COLLATE "default": the text of a role name has the C collation of type
    -- name, and compared with it the assignee's index (ticket_assignee) could not be used: the
    -- filter mine walked the whole queue's index and read every ticket until 50 were the
    -- caller's (4.6x a bare 50-row scan at 1,100,000 tickets)
    SELECT t.* FROM tuki.ticket t
     WHERE t.is_active
       AND (queue_filter.kind = 'all'
            OR (queue_filter.kind = 'mine' AND t.assignee = current_user::text COLLATE "default")
            OR (queue_filter.kind = 'unassigned' AND t.assignee IS NULL)
            OR (queue_filter.kind = 'customer' AND t.customer = queue_filter.arg)
            OR (queue_filter.kind = 'status' AND t.status = queue_filter.arg)
            OR (queue_filter.kind = 'team' AND t.team = queue_filter.arg)
            OR (queue_filter.kind = 'type' AND t.type = queue_filter.arg)
            OR (queue_filter.kind = 'home'
                AND (t.assignee = current_user::text COLLATE "default"
                     OR t.team = (SELECT a.team FROM tuki.agent a WHERE a.login = current_user::text COLLATE "default")
                     -- an agent of no team (or no agent at all) has every team as home
                     OR (SELECT a.team FROM tuki.agent a WHERE a.login = current_user::text COLLATE "default") IS NULL))
            -- the stored judgement of tuki.sla_alarm: walking the queue stops after a page when
            -- many are in alarm, an index range (ticket_alarm) finds them when few are
            OR (queue_filter.kind = 'breaching' AND t.alarm_at <= tuki.now()))
$$;
COMMENT ON FUNCTION tuki.queue_filter(text, text) IS 'The active tickets a console filter shows: kind all, mine (assigned to current_user), unassigned, customer (arg: its code), status (arg: the status), team (arg: the team), type (arg: the request type), home (the caller''s own team''s tickets and those assigned to the caller; every team for an agent of no team), breaching (tuki.ticket.alarm_at <= tuki.now(), as tuki.sla_alarm_ids). Unordered; tuki.queue_after and tuki.queue_before page it in queue order. tuki.queue_filter_arg checks an argument first.';

-- An unknown team, type or status is an error the console shows, not a silently empty queue.
CREATE FUNCTION tuki.queue_filter_arg(kind text, arg text) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    wanted text := lower(btrim(queue_filter_arg.arg));
    found text;
    valid text;
BEGIN
    CASE queue_filter_arg.kind
    WHEN 'team' THEN
        found := (SELECT t.code FROM tuki.team t WHERE t.code = wanted);
        valid := (SELECT string_agg(t.code, ', ' ORDER BY t.code) FROM tuki.team t);
    WHEN 'type' THEN
        found := (SELECT t.code FROM tuki.ticket_type t WHERE t.code = wanted);
        valid := (SELECT string_agg(t.code, ', ' ORDER BY t.code) FROM tuki.ticket_type t);
    WHEN 'status' THEN
        found := (SELECT s.code FROM tuki.status s WHERE s.code = wanted);
        valid := (SELECT string_agg(s.code, ', ' ORDER BY s.code) FROM tuki.status s);
    ELSE
        PERFORM tuki.fail('TK006', format('no filter kind %s takes an argument', queue_filter_arg.kind),
                          'Filters with an argument: team:T, type:T, status:S, customer:CODE.',
                          'help filter lists the filters.');
    END CASE;
    IF found IS NULL THEN
        PERFORM tuki.fail('TK006', format('no %s %s', queue_filter_arg.kind, queue_filter_arg.arg),
                          format('Valid: %s.', valid),
                          format('filter %s:NAME takes one of them; Tab completes it.', queue_filter_arg.kind));
    END IF;
    RETURN found;
END
$$;
COMMENT ON FUNCTION tuki.queue_filter_arg(text, text) IS 'The argument of a console filter of kind team, type or status as the schema spells it (any case, blanks trimmed); TK006 naming the valid values when there is no such team, request type or status.';

-- Keyset paging compares the key's fields as a row of plain columns: an index range of the
-- queue index that fits, even for an agent under row-level security (tuki.queue_key).
CREATE FUNCTION tuki.queue_after(kind text, arg text, after tuki.queue_key, n integer) RETURNS SETOF tuki.ticket
    LANGUAGE sql STABLE
AS $$
    SELECT t.* FROM tuki.queue_filter(queue_after.kind, queue_after.arg) t
     -- no OR for the first page (after null): the smallest key instead, so the key stays the
     -- index range's start; CASE, not coalesce, which PostgreSQL 15 does not count as leakproof
     WHERE (t.service_rank, t.priority, t.queue_due, t.id)
           > (CASE WHEN queue_after.after IS NULL THEN -2147483648 ELSE (queue_after.after).service_rank END,
              CASE WHEN queue_after.after IS NULL THEN -2147483648 ELSE (queue_after.after).priority END,
              CASE WHEN queue_after.after IS NULL THEN '-infinity' ELSE (queue_after.after).due END,
              CASE WHEN queue_after.after IS NULL THEN -9223372036854775808 ELSE (queue_after.after).id END)
     ORDER BY t.service_rank, t.priority, t.queue_due, t.id
     LIMIT queue_after.n
$$;
COMMENT ON FUNCTION tuki.queue_after(text, text, tuki.queue_key, integer) IS 'The first n tickets of a console filter (tuki.queue_filter) after the key after in queue order (tuki.queue_key), all from the top when after is null: the console''s keyset paging, an index range of ticket_queue_order, ticket_takeable or ticket_assignee whatever the depth.';

CREATE FUNCTION tuki.queue_before(kind text, arg text, before tuki.queue_key, n integer) RETURNS SETOF tuki.ticket
    LANGUAGE sql STABLE
AS $$
    SELECT t.* FROM tuki.queue_filter(queue_before.kind, queue_before.arg) t
     WHERE (t.service_rank, t.priority, t.queue_due, t.id)
           < ((queue_before.before).service_rank, (queue_before.before).priority,
              (queue_before.before).due, (queue_before.before).id)
     ORDER BY t.service_rank DESC, t.priority DESC, t.queue_due DESC, t.id DESC
     LIMIT queue_before.n
$$;
COMMENT ON FUNCTION tuki.queue_before(text, text, tuki.queue_key, integer) IS 'The n tickets of a console filter just before the key before in queue order (tuki.queue_key), nearest first: paging back.';

RESET ROLE;
