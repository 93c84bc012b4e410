-- The invariants of any desk's history, whoever wrote it (the soak's clients, tuki seed through
-- tuki.history_load): run as a superuser by tests/stress/soak_check.sql and
-- tests/sql/seed_history.sh, each adding one row per invariant (name, violations, a sample) to
-- their temporary table verdict (ord serial, name text, bad bigint, sample text).

-- 1. Every ticket's path of status changes is legal: starts at new, each step continues from
--    the last one and is in tuki.transition, lead-only steps by leads, and it ends at the
--    ticket's status.
CREATE TEMP TABLE status_step AS
    SELECT e.ticket, e.id, e.actor, e.detail->>'from' AS from_status, e.detail->>'to' AS to_status,
           lag(e.detail->>'to') OVER w AS previous_to, row_number() OVER w AS n
      FROM tuki.ticket_event e WHERE e.kind = 'status'
    WINDOW w AS (PARTITION BY e.ticket ORDER BY e.id);
INSERT INTO verdict (name, bad, sample)
SELECT 'every status path is legal per tuki.transition', count(*),
       string_agg(format('#%s %s->%s by %s', s.ticket, s.from_status, s.to_status, s.actor), '; ' ORDER BY s.id)
  FROM status_step s
  LEFT JOIN tuki.transition tr ON tr.from_status = s.from_status AND tr.to_status = s.to_status
 WHERE tr.from_status IS NULL
    OR s.from_status IS DISTINCT FROM coalesce(s.previous_to, 'new')
    -- (an administrator, a superuser or member of tuki_owner, acts with a lead's rights)
    OR (tr.lead_only AND NOT EXISTS (SELECT 1 FROM tuki.agent a WHERE a.login = s.actor AND a.is_lead)
                     AND NOT coalesce((SELECT pg_has_role(r.oid, 'tuki_owner', 'MEMBER') FROM pg_roles r
                                        WHERE r.rolname = s.actor), false));
INSERT INTO verdict (name, bad, sample)
SELECT 'every ticket''s status is where its path ends', count(*),
       string_agg(format('#%s is %s, path ends at %s', t.id, t.status, coalesce(l.to_status, 'new')), '; ')
  FROM tuki.ticket t
  LEFT JOIN (SELECT DISTINCT ON (ticket) ticket, to_status FROM status_step ORDER BY ticket, id DESC) l ON l.ticket = t.id
 WHERE t.status <> coalesce(l.to_status, 'new');

-- 2. Each SLA warning and breach is in the history once per ticket and clock.
INSERT INTO verdict (name, bad, sample)
SELECT 'each SLA warning and breach recorded once', count(*), string_agg(format('#%s %s %s x%s', ticket, kind, clock, n), '; ')
  FROM (SELECT ticket, kind, detail->>'target' AS clock, count(*) AS n FROM tuki.ticket_event
         WHERE kind IN ('sla_warning', 'sla_breach') GROUP BY 1, 2, 3 HAVING count(*) > 1) x;
-- 3. Who acted and where each ticket stands: every event names an agent, a contact's login, the
--    desk itself (system) or an administrator (a superuser or member of tuki_owner); each
--    ticket's holder, team and priority are where its last assign, escalate and priority
--    events (or its created event) left them.
INSERT INTO verdict (name, bad, sample)
SELECT 'every event names an agent, a contact, system or an administrator', count(*),
       string_agg(DISTINCT e.actor, ' ')
  FROM tuki.ticket_event e
 WHERE e.actor <> 'system'
   AND NOT EXISTS (SELECT 1 FROM tuki.agent a WHERE a.login = e.actor)
   AND NOT EXISTS (SELECT 1 FROM tuki.contact c WHERE c.login = e.actor)
   AND NOT coalesce((SELECT pg_has_role(r.oid, 'tuki_owner', 'MEMBER') FROM pg_roles r WHERE r.rolname = e.actor), false);
INSERT INTO verdict (name, bad, sample)
SELECT 'each ticket''s holder, team and priority are where its history left them', count(*),
       string_agg(format('#%s %s/%s/P%s, history says %s/%s/P%s', t.id, coalesce(t.assignee, '-'), t.team, t.priority,
                         coalesce(h.assignee, '-'), h.team, h.priority), '; ')
  FROM tuki.ticket t
 CROSS JOIN LATERAL (
    SELECT (SELECT e.detail->>'to' FROM tuki.ticket_event e WHERE e.ticket = t.id AND e.kind = 'assign'
             ORDER BY e.id DESC LIMIT 1) AS assignee,
           coalesce((SELECT e.detail->>'to' FROM tuki.ticket_event e WHERE e.ticket = t.id AND e.kind = 'escalate'
                      ORDER BY e.id DESC LIMIT 1), c.detail->>'team') AS team,
           coalesce((SELECT (e.detail->>'to')::integer FROM tuki.ticket_event e WHERE e.ticket = t.id AND e.kind = 'priority'
                      ORDER BY e.id DESC LIMIT 1), (c.detail->>'priority')::integer) AS priority
      FROM tuki.ticket_event c WHERE c.ticket = t.id AND c.kind = 'created') h
 WHERE (t.assignee, t.team, t.priority) IS DISTINCT FROM (h.assignee, h.team, h.priority);

-- 4. SLA columns agree with the history and with a recomputation.
--    a) a recompute from the calendars and targets changes nothing
CREATE TEMP TABLE sla_before AS
    SELECT id, response_target, resolve_target, response_due, resolve_due, resolve_used, resolve_since
      FROM tuki.ticket;
BEGIN;
SELECT tuki.sla_recompute('recompute') AS recomputed \gset
CREATE TEMP TABLE sla_moved AS
    SELECT t.id FROM tuki.ticket t JOIN sla_before b ON b.id = t.id
     WHERE (t.response_target, t.resolve_target, t.response_due, t.resolve_due, t.resolve_used, t.resolve_since)
           IS DISTINCT FROM (b.response_target, b.resolve_target, b.response_due, b.resolve_due, b.resolve_used, b.resolve_since);
ROLLBACK;
INSERT INTO verdict (name, bad, sample)
SELECT 'tuki.sla_recompute changes nothing', :recomputed, NULL;
--    b) each ticket's clocks are those of its last sla_recalc event
CREATE TEMP TABLE recalc AS
    SELECT e.ticket, e.id, e.at, d.reason, (d.response).target AS response_target, (d.response).due AS response_due,
           (d.resolve).target AS resolve_target, (d.resolve).due AS resolve_due, (d.resolve).used AS used,
           (d.resolve).paused AS paused, (d.resolve).since AS since
      FROM tuki.ticket_event e, jsonb_populate_record(NULL::tuki.sla_recalc_detail, e.detail) d
     WHERE e.kind = 'sla_recalc';
INSERT INTO verdict (name, bad, sample)
SELECT 'each ticket''s SLA columns are those of its last sla_recalc event', count(*),
       string_agg(format('#%s', t.id), ' ')
  FROM tuki.ticket t
  JOIN (SELECT DISTINCT ON (ticket) * FROM recalc ORDER BY ticket, id DESC) r ON r.ticket = t.id
 WHERE (t.response_target, t.response_due, t.resolve_target, t.resolve_due, round(t.resolve_used, 2),
        t.resolve_since IS NULL, t.resolve_since)
       IS DISTINCT FROM (r.response_target, r.response_due, r.resolve_target, r.resolve_due, r.used, r.paused, r.since);
--    c) the resolution time used, recomputed from the history: each stretch the clock ran
--       (since one recalc's start until the next recalc moved it) adds its business minutes
CREATE TEMP TABLE stretch AS
    SELECT r.*, lag(r.since) OVER w AS prev_since, lag(r.used) OVER w AS prev_used, k.calendar
      FROM recalc r JOIN tuki.ticket t ON t.id = r.ticket JOIN tuki.contract k ON k.id = t.contract
    WINDOW w AS (PARTITION BY r.ticket ORDER BY r.id);
INSERT INTO verdict (name, bad, sample)
SELECT 'resolution minutes used = business minutes of the running stretches in the history', count(*),
       string_agg(format('#%s used %s, history says %s', ticket, used, expected), '; ')
  FROM (SELECT s.ticket, s.used,
               round(s.prev_used + CASE WHEN s.prev_since IS NOT NULL AND s.since IS DISTINCT FROM s.prev_since
                                        THEN tuki.business_minutes(s.calendar, s.prev_since,
                                                                   coalesce(s.since, greatest(s.at, s.prev_since)))
                                        ELSE 0 END, 2) AS expected
          FROM stretch s WHERE s.prev_used IS NOT NULL) x
 WHERE abs(used - expected) > 0.0101;
--    d) the response clock stopped at the first agent reply, resolution or close (a lead's
--       new -> closed), and only then
INSERT INTO verdict (name, bad, sample)
SELECT 'responded_at is the first agent reply, resolution or close in the history', count(*),
       string_agg(format('#%s %s vs %s', t.id, t.responded_at, f.first_at), '; ')
  FROM tuki.ticket t
  LEFT JOIN LATERAL (SELECT e.at AS first_at FROM tuki.ticket_event e
                      WHERE e.ticket = t.id
                        AND (e.kind = 'reply' OR (e.kind = 'status' AND e.detail->>'to' IN ('resolved', 'closed')))
                      ORDER BY e.id LIMIT 1) f ON true
 WHERE t.responded_at IS DISTINCT FROM f.first_at;

--    e) the resolution clock runs exactly while the status lets it (tuki-schema(7): new, open,
--       waiting_third_party) and has a deadline exactly then
INSERT INTO verdict (name, bad, sample)
SELECT 'the resolution clock runs exactly in the statuses that run it', count(*),
       string_agg(format('#%s %s since %s due %s', id, status, resolve_since, resolve_due), '; ')
  FROM tuki.ticket
 WHERE (resolve_since IS NOT NULL) <> (status IN ('new', 'open', 'waiting_third_party'))
    OR (resolve_due IS NOT NULL) <> (status IN ('new', 'open', 'waiting_third_party'));

