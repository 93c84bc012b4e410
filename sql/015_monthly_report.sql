-- The customer's monthly report (tuki.monthly_report): one row per customer and calendar month.
-- A month is counted in the time zone of the calendar of the contract in force that month, so a
-- Helsinki customer's January starts at 00:00 Helsinki time on 1 January. Everything is counted
-- when it happened: tickets when created, SLA clocks when they stopped, work when it was logged.
-- Each part is a LATERAL sub-select with the month's bounds, so one customer's month reads only
-- that customer's rows of that month through the indexes below.
SET LOCAL ROLE tuki_owner;

-- SLA clocks that stopped in a month, and work logged in a month
CREATE INDEX ticket_customer_responded ON tuki.ticket (customer, responded_at) WHERE responded_at IS NOT NULL;
CREATE INDEX ticket_customer_resolved ON tuki.ticket (customer, resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX worklog_at ON tuki.worklog (at, ticket);

CREATE FUNCTION tuki.report_months(customer text)
    RETURNS TABLE (month date, contract bigint, tz text, month_start timestamptz, month_end timestamptz)
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT DISTINCT ON (m.month) m.month, k.id, cal.tz,
           m.month::timestamp AT TIME ZONE cal.tz,
           (m.month + interval '1 month')::timestamp AT TIME ZONE cal.tz
      FROM tuki.contract k
      JOIN tuki.calendar cal ON cal.code = k.calendar
     CROSS JOIN LATERAL (
           SELECT g::date AS month
             FROM generate_series(date_trunc('month', k.valid_from::timestamp),
                                  least(date_trunc('month', coalesce(k.valid_to, 'infinity'::date)::timestamp),
                                        date_trunc('month', tuki.now() AT TIME ZONE cal.tz)),
                                  interval '1 month') g) m
     WHERE k.customer = report_months.customer
     ORDER BY m.month, k.valid_from DESC
$$;
COMMENT ON FUNCTION tuki.report_months(text) IS 'The months of tuki.monthly_report for a customer: every calendar month some contract of the customer is in force, up to the current month, with the contract in force at the end of it (the latest one that month), its calendar''s time zone and the month''s bounds in that zone [month_start, month_end). Runs with the caller''s rights; inlined by the planner.';

CREATE VIEW tuki.monthly_report WITH (security_invoker = true) AS
SELECT c.code AS customer, c.name AS customer_name, m.month, k.service_level, k.calendar, m.tz AS time_zone,
       tk.created,
       (SELECT jsonb_object_agg(ty.code, cardinality(array_positions(tk.types, ty.code))) FROM tuki.ticket_type ty) AS by_type,
       tk.p1, tk.p2, tk.p3, tk.p4, tk.p5,
       rs.resolved,
       sl.response_met, sl.response_missed,
       round(100.0 * sl.response_met / nullif(sl.response_met + sl.response_missed, 0), 1) AS response_compliance,
       sl.resolve_met, sl.resolve_missed,
       round(100.0 * sl.resolve_met / nullif(sl.resolve_met + sl.resolve_missed, 0), 1) AS resolve_compliance,
       round(sl.response_median::numeric, 1) AS response_median_minutes,
       round(sl.response_avg, 1) AS response_avg_minutes,
       round(sl.resolve_median::numeric, 1) AS resolve_median_minutes,
       round(sl.resolve_avg, 1) AS resolve_avg_minutes,
       w.worklog_minutes, w.ordered_billable_minutes,
       k.quota_minutes,
       least(w.worklog_minutes - w.ordered_billable_minutes, k.quota_minutes) AS quota_used_minutes,
       greatest(w.worklog_minutes - w.ordered_billable_minutes - k.quota_minutes, 0) AS over_quota_minutes,
       w.ordered_billable_minutes + greatest(w.worklog_minutes - w.ordered_billable_minutes - k.quota_minutes, 0)
           AS billable_minutes
  FROM tuki.customer c
 CROSS JOIN LATERAL tuki.report_months(c.code) m
  JOIN tuki.contract k ON k.id = m.contract
 CROSS JOIN LATERAL (
       SELECT count(*)::integer AS created,
              coalesce(array_agg(t.type), '{}') AS types,
              count(*) FILTER (WHERE t.priority = 1)::integer AS p1,
              count(*) FILTER (WHERE t.priority = 2)::integer AS p2,
              count(*) FILTER (WHERE t.priority = 3)::integer AS p3,
              count(*) FILTER (WHERE t.priority = 4)::integer AS p4,
              count(*) FILTER (WHERE t.priority = 5)::integer AS p5
         FROM tuki.ticket t
        WHERE t.customer = c.code AND t.created_at >= m.month_start AND t.created_at < m.month_end) tk
 CROSS JOIN LATERAL (
       SELECT count(*)::integer AS resolved
         FROM tuki.ticket t
        WHERE t.customer = c.code AND t.resolved_at >= m.month_start AND t.resolved_at < m.month_end) rs
 CROSS JOIN LATERAL (
       SELECT count(*) FILTER (WHERE s.target = 'response' AND s.state = 'met')::integer AS response_met,
              count(*) FILTER (WHERE s.target = 'response' AND s.state = 'missed')::integer AS response_missed,
              count(*) FILTER (WHERE s.target = 'resolve' AND s.state = 'met')::integer AS resolve_met,
              count(*) FILTER (WHERE s.target = 'resolve' AND s.state = 'missed')::integer AS resolve_missed,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY s.used) FILTER (WHERE s.target = 'response') AS response_median,
              avg(s.used) FILTER (WHERE s.target = 'response') AS response_avg,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY s.used) FILTER (WHERE s.target = 'resolve') AS resolve_median,
              avg(s.used) FILTER (WHERE s.target = 'resolve') AS resolve_avg
         FROM (SELECT x.target, x.used, x.state
                 FROM tuki.ticket t
                 JOIN tuki.contract tc ON tc.id = t.contract
                 JOIN tuki.calendar kc ON kc.code = tc.calendar
                CROSS JOIN LATERAL tuki.sla_clocks(kc.id, tuki.now(), tuki.sla_warning_percent(), t.status,
                                                   t.created_at, t.responded_at, t.resolved_at,
                                                   t.response_target, t.response_due, t.resolve_target, t.resolve_due,
                                                   t.resolve_used, t.resolve_since) x
                WHERE t.customer = c.code
                  AND ((t.responded_at >= m.month_start AND t.responded_at < m.month_end)
                       OR (t.resolved_at >= m.month_start AND t.resolved_at < m.month_end))
                  AND x.finished AND x.stopped_at >= m.month_start AND x.stopped_at < m.month_end) s) sl
 CROSS JOIN LATERAL (
       SELECT coalesce(sum(wl.minutes), 0)::integer AS worklog_minutes,
              coalesce(sum(wl.minutes) FILTER (WHERE wl.billable), 0)::integer AS ordered_billable_minutes
         FROM tuki.worklog wl
         JOIN tuki.ticket t ON t.id = wl.ticket
        WHERE t.customer = c.code AND wl.at >= m.month_start AND wl.at < m.month_end) w;

COMMENT ON VIEW tuki.monthly_report IS 'The customer''s monthly report: one row per customer and calendar month in which a contract is in force (up to the current month, which is partial). The month and every instant in it are taken in the time zone of the calendar of the contract in force at the end of the month. Requests are counted in the month they were created, SLA clocks in the month they stopped (response: first public reply or resolution; resolution: last resolution), work in the month it was logged. Times are business minutes of the ticket''s contract calendar, as in tuki.sla. Runs with the reader''s rights: a customer contact sees its own organisation''s rows only. Query one customer and month (WHERE customer = ... AND month = ...) to read only their rows.';
COMMENT ON COLUMN tuki.monthly_report.customer IS 'Customer code.';
COMMENT ON COLUMN tuki.monthly_report.customer_name IS 'Customer name.';
COMMENT ON COLUMN tuki.monthly_report.month IS 'The month, as the date of its first day (in time_zone).';
COMMENT ON COLUMN tuki.monthly_report.service_level IS 'Service level of the contract in force at the end of the month (without a temporary raise).';
COMMENT ON COLUMN tuki.monthly_report.calendar IS 'Business calendar of that contract.';
COMMENT ON COLUMN tuki.monthly_report.time_zone IS 'Time zone of that calendar: the month runs from 00:00 on its first day to 00:00 on the first day of the next month there.';
COMMENT ON COLUMN tuki.monthly_report.created IS 'Requests created in the month.';
COMMENT ON COLUMN tuki.monthly_report.by_type IS 'Requests created in the month per type, as JSON {type: count} with every type of tuki.ticket_type (0 when none): by_type->>''incident''.';
COMMENT ON COLUMN tuki.monthly_report.p1 IS 'Requests created in the month with (current) priority P1.';
COMMENT ON COLUMN tuki.monthly_report.p2 IS 'Requests created in the month with priority P2.';
COMMENT ON COLUMN tuki.monthly_report.p3 IS 'Requests created in the month with priority P3.';
COMMENT ON COLUMN tuki.monthly_report.p4 IS 'Requests created in the month with priority P4.';
COMMENT ON COLUMN tuki.monthly_report.p5 IS 'Requests created in the month with priority P5.';
COMMENT ON COLUMN tuki.monthly_report.resolved IS 'Requests whose (last) resolution was in the month, whenever they were created; a request reopened and not yet resolved again is not counted.';
COMMENT ON COLUMN tuki.monthly_report.response_met IS 'Response clocks that stopped in the month within their target.';
COMMENT ON COLUMN tuki.monthly_report.response_missed IS 'Response clocks that stopped in the month past their target.';
COMMENT ON COLUMN tuki.monthly_report.response_compliance IS 'response_met in percent of the response clocks that stopped in the month, one decimal; null when none did.';
COMMENT ON COLUMN tuki.monthly_report.resolve_met IS 'Resolution clocks that stopped (resolution) in the month within their target.';
COMMENT ON COLUMN tuki.monthly_report.resolve_missed IS 'Resolution clocks that stopped in the month past their target.';
COMMENT ON COLUMN tuki.monthly_report.resolve_compliance IS 'resolve_met in percent of the resolution clocks that stopped in the month, one decimal; null when none did.';
COMMENT ON COLUMN tuki.monthly_report.response_median_minutes IS 'Median response time of the response clocks that stopped in the month, in business minutes of the ticket''s calendar (tuki.sla used), one decimal.';
COMMENT ON COLUMN tuki.monthly_report.response_avg_minutes IS 'Average response time of those clocks, business minutes, one decimal.';
COMMENT ON COLUMN tuki.monthly_report.resolve_median_minutes IS 'Median resolution time of the resolution clocks that stopped in the month, business minutes without pauses (waiting for the customer), one decimal.';
COMMENT ON COLUMN tuki.monthly_report.resolve_avg_minutes IS 'Average resolution time of those clocks, business minutes without pauses, one decimal.';
COMMENT ON COLUMN tuki.monthly_report.worklog_minutes IS 'All work logged on the customer''s tickets in the month (tuki.worklog.at in the month), minutes.';
COMMENT ON COLUMN tuki.monthly_report.ordered_billable_minutes IS 'Work logged as billable (ordered by an authorised contact) in the month; always billed, never counted against the quota.';
COMMENT ON COLUMN tuki.monthly_report.quota_minutes IS 'Monthly maintenance quota of the contract in force at the end of the month.';
COMMENT ON COLUMN tuki.monthly_report.quota_used_minutes IS 'Non-billable work of the month counted against the quota: at most quota_minutes.';
COMMENT ON COLUMN tuki.monthly_report.over_quota_minutes IS 'Non-billable work beyond the quota; it becomes billable.';
COMMENT ON COLUMN tuki.monthly_report.billable_minutes IS 'Minutes to invoice: ordered_billable_minutes + over_quota_minutes.';

-- customers read the minutes of their own work, never who did it or the note
CREATE POLICY customer_own ON tuki.worklog FOR SELECT TO tuki_customer
    USING (ticket IN (SELECT t.id FROM tuki.ticket t));
COMMENT ON POLICY customer_own ON tuki.worklog IS 'A contact sees the work logged on the tickets it can see (only the columns ticket, at, minutes and billable are granted to tuki_customer), for tuki.monthly_report.';
GRANT SELECT (ticket, at, minutes, billable) ON tuki.worklog TO tuki_customer;

REVOKE EXECUTE ON FUNCTION tuki.report_months(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tuki.report_months(text) TO tuki_agent, tuki_readonly, tuki_customer;
GRANT SELECT ON tuki.monthly_report TO tuki_agent, tuki_readonly, tuki_customer;
-- 'tuki report' run by a contact checks, like every client, that it knows the schema's version
GRANT SELECT ON tuki.schema_version TO tuki_customer;

RESET ROLE;
