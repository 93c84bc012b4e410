-- Views for the console and for people in psql. security_invoker: row-level security of the reader applies.
SET LOCAL ROLE tuki_owner;

-- ORDER BY and WHERE match the index ticket_queue_order, so the top of the queue is an index scan
CREATE VIEW tuki.queue WITH (security_invoker = true) AS
SELECT row_number() OVER w AS position,
       t.id, t.priority, t.service_level, t.customer, t.subject, t.status, t.team, t.assignee,
       t.type, t.channel, t.impact, t.urgency, t.contact, t.created_at, t.updated_at, t.version,
       t.responded_at, t.response_due, t.resolve_due,
       t.next_due
  FROM tuki.ticket t
 WHERE t.status IN ('new', 'open', 'waiting_customer', 'waiting_third_party')
WINDOW w AS (ORDER BY t.service_rank, t.priority, t.next_due NULLS LAST, t.id)
 ORDER BY t.service_rank, t.priority, t.next_due NULLS LAST, t.id;
COMMENT ON VIEW tuki.queue IS 'Active tickets (not resolved or closed) in queue order: service level rank (premium first), priority, the next deadline still running (tuki.ticket.next_due, nulls last), id. SLA columns are appended by the SLA-clock migrations.';
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
COMMENT ON COLUMN tuki.queue.next_due IS 'The next deadline still running (tuki.ticket.next_due): response_due until the first reply, resolve_due while the resolution clock runs, the earlier of the two; null when none runs (sorted last).';

CREATE VIEW tuki.workload WITH (security_invoker = true) AS
SELECT a.login, a.display_name, a.team, a.is_lead,
       count(t.id) FILTER (WHERE t.status IN ('new', 'open')) AS open,
       count(t.id) FILTER (WHERE t.status IN ('waiting_customer', 'waiting_third_party')) AS waiting,
       count(t.id) FILTER (WHERE t.next_due < tuki.now()) AS overdue,
       count(t.id) AS active,
       min(t.created_at) AS oldest
  FROM tuki.agent a
  LEFT JOIN tuki.ticket t ON t.assignee = a.login
       AND t.status IN ('new', 'open', 'waiting_customer', 'waiting_third_party')
 WHERE a.active
 GROUP BY a.login, a.display_name, a.team, a.is_lead;
COMMENT ON VIEW tuki.workload IS 'Active tickets held per active agent.';
COMMENT ON COLUMN tuki.workload.login IS 'Agent login.';
COMMENT ON COLUMN tuki.workload.display_name IS 'Agent name.';
COMMENT ON COLUMN tuki.workload.team IS 'Home team.';
COMMENT ON COLUMN tuki.workload.is_lead IS 'Lead or not.';
COMMENT ON COLUMN tuki.workload.open IS 'Held tickets in new or open.';
COMMENT ON COLUMN tuki.workload.waiting IS 'Held tickets waiting for the customer or a third party.';
COMMENT ON COLUMN tuki.workload.overdue IS 'Held tickets past a deadline that still runs (tuki.ticket.next_due before tuki.now()); a response deadline already met or missed does not count.';
COMMENT ON COLUMN tuki.workload.active IS 'All held active tickets.';
COMMENT ON COLUMN tuki.workload.oldest IS 'Creation time of the oldest held active ticket.';

GRANT SELECT ON tuki.queue, tuki.workload TO tuki_agent, tuki_readonly;

RESET ROLE;
