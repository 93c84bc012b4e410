-- The customer's monthly report (tuki.monthly_report): one row per customer and calendar month,
-- and its itemised work (tuki.monthly_report_line): one row per worklog entry, the lines of an
-- invoice. A month is counted in the customer's own time zone (tuki.customer.time_zone), else in
-- that of the calendar of the contract in force that month, so a Helsinki customer's January
-- starts at 00:00 Helsinki time on 1 January. Everything is counted when it happened: tickets
-- when created, SLA clocks when they stopped, work when it was logged. Each part is a LATERAL
-- sub-select with the month's bounds, so one customer's month reads only that customer's rows
-- of that month through the indexes below.
SET LOCAL ROLE tuki_owner;

-- SLA clocks that stopped in a month, and work logged in a month
CREATE INDEX ticket_customer_responded ON tuki.ticket (customer, responded_at) WHERE responded_at IS NOT NULL;
CREATE INDEX ticket_customer_resolved ON tuki.ticket (customer, resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX worklog_at ON tuki.worklog (at, ticket);

CREATE FUNCTION tuki.report_months(customer text)
    RETURNS TABLE (month date, contract bigint, tz text, month_start timestamptz, month_end timestamptz)
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT DISTINCT ON (m.month) m.month, k.id, z.tz,
           m.month::timestamp AT TIME ZONE z.tz,
           (m.month + interval '1 month')::timestamp AT TIME ZONE z.tz
      FROM tuki.contract k
      JOIN tuki.customer c ON c.code = k.customer
      JOIN tuki.calendar cal ON cal.code = k.calendar
     CROSS JOIN LATERAL (SELECT coalesce(c.time_zone, cal.tz) AS tz) z
     CROSS JOIN LATERAL (
           SELECT g::date AS month
             FROM generate_series(date_trunc('month', k.valid_from::timestamp),
                                  least(date_trunc('month', coalesce(k.valid_to, 'infinity'::date)::timestamp),
                                        date_trunc('month', tuki.now() AT TIME ZONE z.tz)),
                                  interval '1 month') g) m
     WHERE k.customer = report_months.customer
     ORDER BY m.month, k.valid_from DESC
$$;
COMMENT ON FUNCTION tuki.report_months(text) IS 'The months of tuki.monthly_report for a customer: every calendar month some contract of the customer is in force, up to the current month, with the contract in force at the end of it (the latest one that month), the month''s time zone (the customer''s time_zone, else that contract''s calendar''s) and the month''s bounds in that zone [month_start, month_end). Runs with the caller''s rights; inlined by the planner.';

CREATE FUNCTION tuki.report_levels(customer text, month date)
    RETURNS TABLE (first_day date, last_day date, service_level text, raised boolean, contract bigint)
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    -- day by day (the effective level is tuki.contract_level's rule), then runs of equal days
    SELECT min(d.day), max(d.day), d.level, d.raised, d.contract
      FROM (SELECT g::date AS day, k.id AS contract, x.level, x.level IS DISTINCT FROM k.service_level AS raised,
                   g::date - (row_number() OVER (PARTITION BY k.id, x.level ORDER BY g))::integer AS run
              FROM generate_series(date_trunc('month', report_levels.month::timestamp),
                                   date_trunc('month', report_levels.month::timestamp) + interval '1 month' - interval '1 day',
                                   interval '1 day') g
              JOIN tuki.contract k ON k.customer = report_levels.customer
                                  AND g::date >= k.valid_from AND (k.valid_to IS NULL OR g::date <= k.valid_to)
             CROSS JOIN LATERAL (SELECT tuki.contract_level(k.id, g::date) AS level) x) d
     GROUP BY d.contract, d.level, d.raised, d.run
     ORDER BY min(d.day)
$$;
COMMENT ON FUNCTION tuki.report_levels(text, date) IS 'The service level in force on each day of a customer''s month (month: its first day), as runs of consecutive days [first_day, last_day] with the same contract and effective level (tuki.contract_level); raised is true during a temporary raise. Days without a contract are in no run. Runs with the caller''s rights.';

CREATE FUNCTION tuki.report_raises(customer text, month date)
    RETURNS TABLE (service_level text, raise_from date, raise_to date, contract bigint)
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT k.raise_level, k.raise_from, k.raise_to, k.id
      FROM tuki.contract k
     WHERE k.customer = report_raises.customer AND k.raise_level IS NOT NULL
       AND k.raise_from < (report_raises.month + interval '1 month')::date
       AND k.raise_to >= date_trunc('month', report_raises.month::timestamp)::date
     ORDER BY k.raise_from
$$;
COMMENT ON FUNCTION tuki.report_raises(text, date) IS 'The temporary level raises of a customer''s contracts that overlap a month (month: its first day), each with its full dates, which may reach into other months. Runs with the caller''s rights.';

CREATE FUNCTION tuki.report_work(customer text, month_start timestamptz, month_end timestamptz,
                                 quota_minutes integer, tz text)
    RETURNS TABLE (worklog bigint, at timestamptz, day date, ticket bigint, subject text, agent text,
                   agent_name text, minutes integer, ordered boolean, included_minutes integer,
                   billable_minutes integer, approved_by bigint, approved_by_name text)
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    -- The quota rule, defined once: non-billable work uses the quota in the order it was logged
    -- (at, then entry number) until it is used up; the entry that crosses it is split into an
    -- included and a billable part. Work ordered as billable never touches the quota.
    SELECT w.id, w.at, (w.at AT TIME ZONE report_work.tz)::date, w.ticket, w.subject, w.agent, a.display_name,
           w.minutes, w.billable,
           CASE WHEN w.billable THEN 0 ELSE least(w.minutes, greatest(report_work.quota_minutes - w.used_before, 0)) END,
           CASE WHEN w.billable THEN w.minutes
                ELSE w.minutes - least(w.minutes, greatest(report_work.quota_minutes - w.used_before, 0)) END,
           w.approved_by, o.name
      FROM (SELECT wl.id, wl.at, wl.ticket, t.subject, wl.agent, wl.minutes, wl.billable, wl.approved_by,
                   coalesce(sum(wl.minutes) FILTER (WHERE NOT wl.billable)
                                OVER (ORDER BY wl.at, wl.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::integer
                       AS used_before
              FROM tuki.worklog wl
              JOIN tuki.ticket t ON t.id = wl.ticket
             WHERE t.customer = report_work.customer
               AND wl.at >= report_work.month_start AND wl.at < report_work.month_end) w
      LEFT JOIN tuki.agent a ON a.login = w.agent
      LEFT JOIN tuki.contact o ON o.id = w.approved_by
$$;
COMMENT ON FUNCTION tuki.report_work(text, timestamptz, timestamptz, integer, text) IS 'A customer''s work logged in [month_start, month_end), one row per worklog entry, with the quota applied: included_minutes count against quota_minutes (non-billable work in the order logged, the entry crossing the quota split), billable_minutes are invoiced (work ordered as billable, and non-billable work beyond the quota); day is the local date in tz. The one definition of the quota rule: tuki.monthly_report sums it, tuki.monthly_report_line lists it. Runs with the caller''s rights; inlined by the planner.';

CREATE VIEW tuki.monthly_report WITH (security_invoker = true) AS
SELECT c.code AS customer, c.name AS customer_name, m.month, k.service_level, k.calendar, m.tz AS time_zone,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('from', l.first_day, 'to', l.last_day, 'level', l.service_level,
                                                     'raised', l.raised) ORDER BY l.first_day), '[]')
          FROM tuki.report_levels(c.code, m.month) l) AS service_levels,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('level', r.service_level, 'from', r.raise_from, 'to', r.raise_to)
                                  ORDER BY r.raise_from), '[]')
          FROM tuki.report_raises(c.code, m.month) r) AS raises,
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
       w.quota_used_minutes, w.over_quota_minutes, w.billable_minutes
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
       SELECT coalesce(sum(l.minutes), 0)::integer AS worklog_minutes,
              coalesce(sum(l.minutes) FILTER (WHERE l.ordered), 0)::integer AS ordered_billable_minutes,
              coalesce(sum(l.included_minutes), 0)::integer AS quota_used_minutes,
              coalesce(sum(l.billable_minutes) FILTER (WHERE NOT l.ordered), 0)::integer AS over_quota_minutes,
              coalesce(sum(l.billable_minutes), 0)::integer AS billable_minutes
         FROM tuki.report_work(c.code, m.month_start, m.month_end, k.quota_minutes, m.tz) l) w;

COMMENT ON VIEW tuki.monthly_report IS 'The customer''s monthly report: one row per customer and calendar month in which a contract is in force (up to the current month, which is partial). The month and every instant in it are taken in time_zone: the customer''s own, else that of the calendar of the contract in force at the end of the month. Requests are counted in the month they were created, SLA clocks in the month they stopped (response: first public reply or resolution; resolution: last resolution), work in the month it was logged. Times are business minutes of the ticket''s contract calendar, as in tuki.sla. Runs with the reader''s rights: a customer contact sees its own organisation''s rows only. Query one customer and month (WHERE customer = ... AND month = ...) to read only their rows.';
COMMENT ON COLUMN tuki.monthly_report.customer IS 'Customer code.';
COMMENT ON COLUMN tuki.monthly_report.customer_name IS 'Customer name.';
COMMENT ON COLUMN tuki.monthly_report.month IS 'The month, as the date of its first day (in time_zone).';
COMMENT ON COLUMN tuki.monthly_report.service_level IS 'Service level of the contract in force at the end of the month (without a temporary raise).';
COMMENT ON COLUMN tuki.monthly_report.calendar IS 'Business calendar of that contract.';
COMMENT ON COLUMN tuki.monthly_report.time_zone IS 'The month''s time zone, the customer''s time_zone or else that calendar''s: the month runs from 00:00 on its first day to 00:00 on the first day of the next month there.';
COMMENT ON COLUMN tuki.monthly_report.service_levels IS 'The service level in force on each day of the month (tuki.report_levels), as a JSON array of runs [{"from": day, "to": day, "level": code, "raised": true during a temporary raise}] in date order; days without a contract are in none.';
COMMENT ON COLUMN tuki.monthly_report.raises IS 'Temporary level raises in force on some day of the month (tuki.report_raises), as a JSON array [{"level": code, "from": day, "to": day}] with each raise''s full dates; [] when none.';
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
COMMENT ON COLUMN tuki.monthly_report.quota_used_minutes IS 'Non-billable work of the month counted against the quota: at most quota_minutes. The sum of included_minutes of tuki.monthly_report_line.';
COMMENT ON COLUMN tuki.monthly_report.over_quota_minutes IS 'Non-billable work beyond the quota; it becomes billable.';
COMMENT ON COLUMN tuki.monthly_report.billable_minutes IS 'Minutes to invoice: ordered_billable_minutes + over_quota_minutes; the sum of billable_minutes of tuki.monthly_report_line.';

CREATE VIEW tuki.monthly_report_line WITH (security_invoker = true) AS
SELECT c.code AS customer, m.month, m.tz AS time_zone, l.worklog, l.at, l.day, l.ticket, l.subject,
       l.agent, l.agent_name, l.minutes, l.ordered, l.included_minutes, l.billable_minutes,
       l.approved_by, l.approved_by_name
  FROM tuki.customer c
 CROSS JOIN LATERAL tuki.report_months(c.code) m
  JOIN tuki.contract k ON k.id = m.contract
 CROSS JOIN LATERAL tuki.report_work(c.code, m.month_start, m.month_end, k.quota_minutes, m.tz) l;
COMMENT ON VIEW tuki.monthly_report_line IS 'The itemised work of tuki.monthly_report, what an invoice is built from: one row per worklog entry of the customer''s month, with the same months, zone and quota. Per customer and month, sum(minutes) = worklog_minutes, sum(included_minutes) = quota_used_minutes and sum(billable_minutes) = billable_minutes of the report, exactly (one definition, tuki.report_work). Order by at, worklog for the order the quota was used in. Runs with the reader''s rights.';
COMMENT ON COLUMN tuki.monthly_report_line.customer IS 'Customer code.';
COMMENT ON COLUMN tuki.monthly_report_line.month IS 'The month, as the date of its first day (in time_zone).';
COMMENT ON COLUMN tuki.monthly_report_line.time_zone IS 'The month''s time zone, as in tuki.monthly_report.';
COMMENT ON COLUMN tuki.monthly_report_line.worklog IS 'The worklog entry (tuki.worklog.id).';
COMMENT ON COLUMN tuki.monthly_report_line.at IS 'When the work was logged.';
COMMENT ON COLUMN tuki.monthly_report_line.day IS 'The local date of at in time_zone.';
COMMENT ON COLUMN tuki.monthly_report_line.ticket IS 'The ticket worked on.';
COMMENT ON COLUMN tuki.monthly_report_line.subject IS 'The ticket''s subject, verbatim.';
COMMENT ON COLUMN tuki.monthly_report_line.agent IS 'Login of the agent who did the work.';
COMMENT ON COLUMN tuki.monthly_report_line.agent_name IS 'The agent''s display name.';
COMMENT ON COLUMN tuki.monthly_report_line.minutes IS 'Minutes worked.';
COMMENT ON COLUMN tuki.monthly_report_line.ordered IS 'True when ordered as billable work by an authorised contact (tuki.worklog.billable).';
COMMENT ON COLUMN tuki.monthly_report_line.included_minutes IS 'Minutes of this entry within the month''s quota (0 for ordered work); non-billable work uses the quota in the order logged.';
COMMENT ON COLUMN tuki.monthly_report_line.billable_minutes IS 'Minutes of this entry to invoice: all of ordered work, else the part beyond the quota (minutes - included_minutes).';
COMMENT ON COLUMN tuki.monthly_report_line.approved_by IS 'For ordered work, the contact who ordered or approved it (tuki.worklog.approved_by).';
COMMENT ON COLUMN tuki.monthly_report_line.approved_by_name IS 'That contact''s name (null to a contact who may not see that contact row).';

-- An invoice line names who ordered the work. Work done first and approved as billable afterwards
-- (by phone, by mail) is recorded here, with the same check as billable work logged directly.
CREATE FUNCTION tuki.worklog_approve(worklog bigint, contact_email text DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- a contact's own login (sql/022) approves as itself; anyone else must be an agent
    self tuki.contact := tuki.contact_self();
    me text := CASE WHEN self.id IS NULL THEN tuki.require_agent() END;
    w tuki.worklog;
    t tuki.ticket;
    who tuki.contact;
BEGIN
    SELECT * INTO w FROM tuki.worklog wl WHERE wl.id = worklog_approve.worklog;
    IF w.id IS NOT NULL AND self.id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM tuki.ticket tk WHERE tk.id = w.ticket AND tk.customer = self.customer) THEN
        w := NULL; -- another customer's entry is, to a contact, no entry
    END IF;
    IF w.id IS NULL THEN
        PERFORM tuki.fail('TK006', format('no worklog entry %s', coalesce(worklog_approve.worklog::text, 'NULL')),
            'Entries are numbered by tuki.worklog.id.', 'Look the entry up in tuki.monthly_report_line.');
    END IF;
    t := tuki.ticket_lock(w.ticket);
    IF t.status = 'closed' THEN
        PERFORM tuki.fail('TK008', format('ticket #%s is closed', t.id),
            'Closed is final: its work cannot change.', 'Open a new ticket that refers to it.');
    END IF;
    SELECT * INTO w FROM tuki.worklog wl WHERE wl.id = worklog_approve.worklog FOR UPDATE;
    IF w.billable THEN
        PERFORM tuki.fail('TK006', format('worklog entry %s is already billable', w.id),
            format('It was ordered or approved by contact %s.', w.approved_by), 'Nothing to approve.');
    END IF;
    IF self.id IS NOT NULL THEN
        who := self;
    ELSE
        SELECT * INTO who FROM tuki.contact c
         WHERE c.customer = t.customer AND lower(c.email) = lower(worklog_approve.contact_email);
    END IF;
    IF who.id IS NULL OR NOT who.may_order_billable OR NOT who.active THEN
        PERFORM tuki.fail('TK004', format('billable work on ticket #%s needs a contact who may order it', t.id),
            format('%s. Contacts of %s who may order billable work: %s.',
                   CASE WHEN who.id IS NULL THEN format('%s has no contact %s', t.customer, worklog_approve.contact_email)
                        ELSE format('%s is not authorised', who.name) END,
                   t.customer,
                   coalesce((SELECT string_agg(c.name, ', ' ORDER BY c.name) FROM tuki.contact c
                              WHERE c.customer = t.customer AND c.may_order_billable AND c.active), 'none')),
            CASE WHEN self.id IS NULL THEN 'Name an authorised contact''s e-mail address.'
                 ELSE 'Ask one of them to approve it.' END);
    END IF;
    UPDATE tuki.worklog SET billable = true, approved_by = who.id WHERE id = w.id;
    INSERT INTO tuki.ticket_event (ticket, kind, detail)
    VALUES (t.id, 'worklog_approved', jsonb_build_object('worklog', w.id, 'contact', who.id, 'minutes', w.minutes));
    PERFORM tuki.notify('ticket', ARRAY[t.id]);
END
$$;
COMMENT ON FUNCTION tuki.worklog_approve(bigint, text) IS 'Records that an authorised contact of the ticket''s customer (by e-mail address) approved a logged entry as billable work: it becomes billable with approved_by that contact, and a worklog_approved event is recorded. Agents name the contact; a contact''s own login (tuki.contact_self()) approves as itself, entries of its own customer only (contact_email ignored). Others: TK005; TK004 when the contact may not order billable work, TK006 for an unknown or already billable entry, TK008 on closed tickets.';

-- Customers read their own work as the invoice shows it: minutes, billable or not, who did it
-- (the agent's display name, as on the agent's replies) and who ordered it; never the note.
CREATE POLICY customer_own ON tuki.worklog FOR SELECT TO tuki_customer
    USING (ticket IN (SELECT t.id FROM tuki.ticket t));
COMMENT ON POLICY customer_own ON tuki.worklog IS 'A contact sees the work logged on the tickets it can see (only the columns id, ticket, agent, at, minutes, billable and approved_by are granted to tuki_customer), for tuki.monthly_report and its lines.';
GRANT SELECT (id, ticket, agent, at, minutes, billable, approved_by) ON tuki.worklog TO tuki_customer;
GRANT SELECT (login, display_name) ON tuki.agent TO tuki_customer;

REVOKE EXECUTE ON FUNCTION tuki.report_months(text), tuki.report_levels(text, date), tuki.report_raises(text, date),
    tuki.report_work(text, timestamptz, timestamptz, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tuki.report_months(text), tuki.report_levels(text, date), tuki.report_raises(text, date),
    tuki.report_work(text, timestamptz, timestamptz, integer, text) TO tuki_agent, tuki_readonly, tuki_customer;
REVOKE EXECUTE ON FUNCTION tuki.worklog_approve(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tuki.worklog_approve(bigint, text) TO tuki_agent;
GRANT SELECT ON tuki.monthly_report, tuki.monthly_report_line TO tuki_agent, tuki_readonly, tuki_customer;
-- 'tuki report' run by a contact checks, like every client, that it knows the schema's version
GRANT SELECT ON tuki.schema_version TO tuki_customer;

RESET ROLE;
