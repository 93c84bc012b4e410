-- Views for the console and for people in psql. security_invoker: row-level security of the reader applies.
SET LOCAL ROLE tuki_owner;

CREATE VIEW tuki.workload WITH (security_invoker = true) AS
SELECT a.login, a.display_name, a.team, a.is_lead,
       count(t.id) FILTER (WHERE t.status IN ('new', 'open')) AS open,
       count(t.id) FILTER (WHERE t.status NOT IN ('new', 'open')) AS waiting,
       count(t.id) FILTER (WHERE (t.queue_key).due < tuki.now()) AS overdue,
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
COMMENT ON COLUMN tuki.workload.overdue IS 'Held tickets past a deadline that still runs (the due of tuki.ticket.queue_key before tuki.now()); a response deadline already met or missed does not count.';
COMMENT ON COLUMN tuki.workload.active IS 'All held active tickets.';
COMMENT ON COLUMN tuki.workload.oldest IS 'Creation time of the oldest held active ticket.';

GRANT SELECT ON tuki.workload TO tuki_agent, tuki_readonly;

RESET ROLE;
