-- What the console asks of the schema beyond the contract's views.
SET LOCAL ROLE tuki_owner;

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
    -- tuki.sla_alarm over every active ticket's stored deadlines, against each calendar's
    -- open-time total now, looked up once (MATERIALIZED, or the planner repeats the look-up
    -- for every row)
    WITH open_now AS MATERIALIZED (
        SELECT h.calendar, b.us
          FROM tuki.calendar_horizon h CROSS JOIN LATERAL tuki.open_before(h.calendar_id, tuki.now()) b
    ), pct AS MATERIALIZED (SELECT tuki.sla_warning_percent() AS p)
    SELECT t.id
      FROM tuki.ticket t
      JOIN tuki.contract k ON k.id = t.contract
      JOIN open_now n ON n.calendar = k.calendar
     CROSS JOIN pct
     WHERE t.is_active
       AND ((t.responded_at IS NULL
             AND tuki.sla_alarm(t.response_target, tuki.sla_left_us(true, t.response_due_cum, n.us, t.response_target, 0), pct.p) <> 'ok')
         OR tuki.sla_alarm(t.resolve_target,
                           tuki.sla_left_us(t.resolve_since IS NOT NULL, t.resolve_due_cum, n.us, t.resolve_target, t.resolve_used),
                           pct.p) <> 'ok')
$$;
COMMENT ON FUNCTION tuki.sla_alarm_ids() IS 'Ids of the active tickets with an SLA clock at warning or past its target right now (tuki.sla_alarm; the console''s breaching filter). The caller''s row-level security applies where the ids are used.';

-- The console's queue, filtered and paged by key. One WHERE for every filter, the filter passed
-- as values ($1 kind, $2 its argument), so no SQL is built from text; inlined by the planner,
-- so a query with known values uses the index of tuki.ticket.queue_key that fits.
CREATE FUNCTION tuki.queue_filter(kind text, arg text) RETURNS SETOF tuki.ticket
    LANGUAGE sql STABLE
AS $$
    SELECT t.* FROM tuki.ticket t
     WHERE t.is_active
       AND (queue_filter.kind = 'all'
            OR (queue_filter.kind = 'mine' AND t.assignee = current_user)
            OR (queue_filter.kind = 'unassigned' AND t.assignee IS NULL)
            OR (queue_filter.kind = 'customer' AND t.customer = queue_filter.arg)
            OR (queue_filter.kind = 'status' AND t.status = queue_filter.arg)
            OR (queue_filter.kind = 'breaching' AND t.id IN (SELECT tuki.sla_alarm_ids())))
$$;
COMMENT ON FUNCTION tuki.queue_filter(text, text) IS 'The active tickets a console filter shows: kind all, mine (assigned to current_user), unassigned, customer (arg: its code), status (arg: the status), breaching (tuki.sla_alarm_ids). Unordered; tuki.queue_after and tuki.queue_before page it in queue order.';

CREATE FUNCTION tuki.queue_after(kind text, arg text, after tuki.queue_key, n integer) RETURNS SETOF tuki.ticket
    LANGUAGE sql STABLE
AS $$
    SELECT t.* FROM tuki.queue_filter(queue_after.kind, queue_after.arg) t
     -- no OR for the first page: the planner does not fold a composite constant's IS NULL, and
     -- an OR would make the key a filter instead of the index range's start
     WHERE t.queue_key > coalesce(queue_after.after,
                                  ROW(-2147483648, -2147483648, '-infinity', -9223372036854775808)::tuki.queue_key)
     ORDER BY t.queue_key LIMIT queue_after.n
$$;
COMMENT ON FUNCTION tuki.queue_after(text, text, tuki.queue_key, integer) IS 'The first n tickets of a console filter (tuki.queue_filter) after the key after in queue order (tuki.ticket.queue_key), all from the top when after is null: the console''s keyset paging, an index range of ticket_queue_order, ticket_takeable or ticket_assignee whatever the depth.';

CREATE FUNCTION tuki.queue_before(kind text, arg text, before tuki.queue_key, n integer) RETURNS SETOF tuki.ticket
    LANGUAGE sql STABLE
AS $$
    SELECT t.* FROM tuki.queue_filter(queue_before.kind, queue_before.arg) t
     WHERE t.queue_key < queue_before.before
     ORDER BY t.queue_key DESC LIMIT queue_before.n
$$;
COMMENT ON FUNCTION tuki.queue_before(text, text, tuki.queue_key, integer) IS 'The n tickets of a console filter just before the key before in queue order, nearest first: paging back.';

REVOKE EXECUTE ON FUNCTION tuki.sla_clock_now(bigint[]), tuki.sla_alarm_ids(), tuki.queue_filter(text, text),
    tuki.queue_after(text, text, tuki.queue_key, integer), tuki.queue_before(text, text, tuki.queue_key, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tuki.sla_clock_now(bigint[]), tuki.sla_alarm_ids(), tuki.queue_filter(text, text),
    tuki.queue_after(text, text, tuki.queue_key, integer), tuki.queue_before(text, text, tuki.queue_key, integer)
    TO tuki_agent, tuki_readonly;

RESET ROLE;
