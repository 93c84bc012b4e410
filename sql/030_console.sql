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

GRANT EXECUTE ON FUNCTION tuki.sla_clock_now(bigint[]) TO tuki_agent, tuki_readonly;

RESET ROLE;
