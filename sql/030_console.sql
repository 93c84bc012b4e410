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
    -- The warning arithmetic of tuki.sla_record_alerts, without recording anything: each
    -- calendar's open-time total now, once (MATERIALIZED, or the planner repeats the
    -- look-up for every row), against every active ticket's deadlines.
    WITH open_now AS MATERIALIZED (
        SELECT h.calendar, b.us
          FROM tuki.calendar_horizon h CROSS JOIN LATERAL tuki.open_before(h.calendar_id, tuki.now()) b
    ), pct AS MATERIALIZED (SELECT tuki.sla_warning_percent() AS p)
    SELECT t.id
      FROM tuki.ticket t
      JOIN tuki.contract k ON k.id = t.contract
      JOIN open_now n ON n.calendar = k.calendar
     CROSS JOIN pct
     WHERE t.status IN ('new', 'open', 'waiting_customer', 'waiting_third_party')
       AND ((t.responded_at IS NULL
             AND t.response_due_cum - n.us <= t.response_target * (100 - pct.p) * 600000)
         OR CASE WHEN t.resolve_since IS NOT NULL
                 THEN t.resolve_due_cum - n.us <= t.resolve_target * (100 - pct.p) * 600000
                 ELSE t.resolve_used >= t.resolve_target * pct.p / 100 END)
$$;
COMMENT ON FUNCTION tuki.sla_alarm_ids() IS 'Ids of the active tickets with an SLA clock at warning or past its target right now (the console''s breaching filter); the same arithmetic as tuki.sla_record_alerts. The caller''s row-level security applies where the ids are used.';

REVOKE EXECUTE ON FUNCTION tuki.sla_clock_now(bigint[]), tuki.sla_alarm_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tuki.sla_clock_now(bigint[]), tuki.sla_alarm_ids()
    TO tuki_agent, tuki_readonly;

RESET ROLE;
