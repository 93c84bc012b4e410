-- SLA views: tuki.sla (one row per ticket and clock) and the SLA columns of tuki.queue.
SET LOCAL ROLE tuki_owner;

CREATE FUNCTION tuki.sla_state(finished boolean, used numeric, target numeric, warn_percent numeric) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN target IS NULL THEN NULL
                WHEN finished THEN CASE WHEN used <= target THEN 'met' ELSE 'missed' END
                WHEN used > target THEN 'breached'
                WHEN used >= target * warn_percent / 100 THEN 'warning'
                ELSE 'ok' END
$$;
COMMENT ON FUNCTION tuki.sla_state(boolean, numeric, numeric, numeric) IS 'State of one SLA clock: met or missed once finished (used within or past the target), otherwise breached past the target, warning from warn_percent of it, else ok.';

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

-- tuki.queue as migration 007 made it, with SLA columns appended
CREATE OR REPLACE VIEW tuki.queue WITH (security_invoker = true) AS
SELECT row_number() OVER w AS position,
       t.id, t.priority, t.service_level, t.customer, t.subject, t.status, t.team, t.assignee,
       t.type, t.channel, t.impact, t.urgency, t.contact, t.created_at, t.updated_at, t.version,
       t.responded_at, t.response_due, t.resolve_due,
       t.next_due,
       s.sla_state, s.business_minutes_left, s.sla_paused
  FROM tuki.ticket t
  JOIN tuki.contract k ON k.id = t.contract
  JOIN tuki.calendar kc ON kc.code = k.calendar
 CROSS JOIN (SELECT tuki.now() AS at, tuki.sla_warning_percent() AS pct OFFSET 0) n
  LEFT JOIN LATERAL (
        SELECT (ARRAY['ok', 'warning', 'breached'])[max(CASE c.state WHEN 'breached' THEN 3 WHEN 'warning' THEN 2 ELSE 1 END)] AS sla_state,
               min(c.remaining) AS business_minutes_left,
               bool_or(c.paused) AS sla_paused
          FROM tuki.sla_clocks(kc.id, n.at, n.pct, t.status, t.created_at, t.responded_at, t.resolved_at,
                               t.response_target, t.response_due, t.resolve_target, t.resolve_due,
                               t.resolve_used, t.resolve_since) c
         WHERE NOT c.finished) s ON true
 WHERE t.status IN ('new', 'open', 'waiting_customer', 'waiting_third_party')
WINDOW w AS (ORDER BY t.service_rank, t.priority, t.next_due NULLS LAST, t.id)
 ORDER BY t.service_rank, t.priority, t.next_due NULLS LAST, t.id;
COMMENT ON COLUMN tuki.queue.sla_state IS 'Worst state of the ticket''s unfinished SLA clocks: breached, warning or ok (null without targets).';
COMMENT ON COLUMN tuki.queue.business_minutes_left IS 'Smallest remaining business minutes of the unfinished SLA clocks; negative when breached.';
COMMENT ON COLUMN tuki.queue.sla_paused IS 'True while the resolution clock is paused (waiting_customer).';

REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA tuki FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tuki.sla_state(boolean, numeric, numeric, numeric),
    tuki.sla_clocks(integer, timestamptz, numeric, text, timestamptz, timestamptz, timestamptz, integer, timestamptz, integer, timestamptz, numeric, timestamptz)
    TO tuki_agent, tuki_readonly, tuki_customer;
GRANT SELECT ON tuki.sla TO tuki_agent, tuki_readonly, tuki_customer;

RESET ROLE;
