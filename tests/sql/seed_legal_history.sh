#!/usr/bin/env bash
# Every seeded ticket's history is a legal path through tuki.transition, in time order, within
# the data set's span, and the data set covers what the demo promises (types, channels,
# priorities, levels, teams, reopenings, escalations, bugs, billable work, breaches, a queue).
set -euo pipefail

failures=0
pass() { echo "ok - $*"; }
fail() { echo "not ok - $*"; failures=$((failures + 1)); }
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -c "$1"; }
# expect_zero LABEL SQL: the query counts violations
expect_zero() {
    local got
    got=$(q "$2")
    if [ "$got" = 0 ]; then pass "$1"; else fail "$1 ($got violations)"; fi
}
# expect_true LABEL SQL
expect_true() {
    local got
    got=$(q "$2")
    if [ "$got" = t ]; then pass "$1"; else fail "$1 (got '$got')"; fi
}

anchor='2026-03-16 10:30:00+02'
# over two connections, as a large seed loads (batches of 1,000 interleaved)
"$TUKI" seed --tickets 3000 --seed 3 --jobs 2 --now "$anchor" >/dev/null 2>&1 || { echo "not ok - tuki seed failed"; exit 1; }
pass "tuki seed --tickets 3000 --jobs 2 loaded"

expect_true "3000 tickets" "SELECT count(*) = 3000 FROM tuki.ticket"

# The status events of each ticket, in order, with the one before.
chain="SELECT e.ticket, e.id, e.actor, e.detail->>'from' AS f, e.detail->>'to' AS t,
              lag(e.detail->>'to') OVER (PARTITION BY e.ticket ORDER BY e.id) AS prev_to,
              row_number() OVER (PARTITION BY e.ticket ORDER BY e.id DESC) AS from_end
         FROM tuki.ticket_event e WHERE e.kind = 'status'"

expect_zero "every status event is a move in tuki.transition" \
    "SELECT count(*) FROM ($chain) c WHERE NOT EXISTS
        (SELECT 1 FROM tuki.transition x WHERE x.from_status = c.f AND x.to_status = c.t)"
expect_zero "each move starts where the one before ended (the first from new)" \
    "SELECT count(*) FROM ($chain) c WHERE c.f IS DISTINCT FROM coalesce(c.prev_to, 'new')"
expect_zero "the last move ends in the ticket's status" \
    "SELECT count(*) FROM ($chain) c JOIN tuki.ticket t ON t.id = c.ticket WHERE c.from_end = 1 AND c.t <> t.status"
expect_zero "tickets without moves are still new" \
    "SELECT count(*) FROM tuki.ticket t WHERE t.status <> 'new'
        AND NOT EXISTS (SELECT 1 FROM tuki.ticket_event e WHERE e.ticket = t.id AND e.kind = 'status')"
expect_zero "lead-only moves were made by leads" \
    "SELECT count(*) FROM ($chain) c JOIN tuki.transition x ON x.from_status = c.f AND x.to_status = c.t
        WHERE x.lead_only AND NOT EXISTS (SELECT 1 FROM tuki.agent a WHERE a.login = c.actor AND a.is_lead)"
expect_zero "every history begins with created, at the ticket's creation time" \
    "SELECT count(*) FROM tuki.ticket t
        WHERE (SELECT e.kind FROM tuki.ticket_event e WHERE e.ticket = t.id ORDER BY e.id LIMIT 1) <> 'created'
           OR (SELECT e.at FROM tuki.ticket_event e WHERE e.ticket = t.id ORDER BY e.id LIMIT 1) <> t.created_at"
expect_zero "a mailed-in ticket's created event names the system, never an agent" \
    "SELECT count(*) FROM tuki.ticket t JOIN tuki.ticket_event e ON e.ticket = t.id AND e.kind = 'created'
        WHERE t.channel = 'email' AND e.actor <> 'system'"
expect_true "mailed-in tickets were seeded, and the others' created events name agents" \
    "SELECT count(*) FILTER (WHERE t.channel = 'email') > 0
            AND bool_and(e.actor IN (SELECT login FROM tuki.agent)) FILTER (WHERE t.channel <> 'email')
       FROM tuki.ticket t JOIN tuki.ticket_event e ON e.ticket = t.id AND e.kind = 'created'"
expect_zero "events of a ticket never go back in time" \
    "SELECT count(*) FROM (SELECT e.at < lag(e.at) OVER (PARTITION BY e.ticket ORDER BY e.id) AS back
                            FROM tuki.ticket_event e) x WHERE x.back"
expect_zero "nothing happens after the anchor or before the 18 months" \
    "SELECT count(*) FROM tuki.ticket_event
        WHERE at > timestamptz '$anchor' OR at < timestamptz '$anchor' - interval '19 months'"
expect_zero "each ticket's updated_at is the time of the last event that changed the ticket" \
    "SELECT count(*) FROM tuki.ticket t
      WHERE t.updated_at <> (SELECT max(e.at) FROM tuki.ticket_event e WHERE e.ticket = t.id
                               AND e.kind IN ('created', 'status', 'assign', 'escalate', 'priority', 'responded',
                                              'edit', 'sla_recalc'))"
expect_zero "every event was made by an agent or by the desk itself (system: SLA alerts)" \
    "SELECT count(*) FROM tuki.ticket_event e WHERE e.actor <> 'system' AND NOT EXISTS (SELECT 1 FROM tuki.agent a WHERE a.login = e.actor)"
expect_zero "no message after a ticket was closed" \
    "SELECT count(*) FROM tuki.message m JOIN tuki.ticket t ON t.id = m.ticket WHERE m.at > t.closed_at"
expect_zero "billable work only where the contact may order it" \
    "SELECT count(*) FROM tuki.worklog w JOIN tuki.ticket t ON t.id = w.ticket
        LEFT JOIN tuki.contact c ON c.id = t.contact WHERE w.billable AND NOT coalesce(c.may_order_billable, false)"
expect_zero "resolved and closed tickets carry their timestamps" \
    "SELECT count(*) FROM tuki.ticket WHERE (status = 'resolved' AND (resolved_at IS NULL OR responded_at IS NULL))
        OR (status = 'closed' AND closed_at IS NULL)"

expect_true "twelve customers, Finnish and Slovak names" \
    "SELECT count(*) = 12 AND bool_or(name LIKE '%ä%') AND bool_or(name LIKE '%Ž%') FROM tuki.customer"
expect_true "contacts with ä, ö, č, ž, ť; only some may order billable work" \
    "SELECT bool_or(name ~ 'ä') AND bool_or(name ~ 'ö') AND bool_or(name ~ 'č') AND bool_or(name ~ 'ž')
            AND bool_or(name ~ 'ť') AND bool_or(may_order_billable) AND bool_or(NOT may_order_billable) FROM tuki.contact"
expect_true "contracts on all three levels and all shipped calendars, one level raise" \
    "SELECT count(DISTINCT service_level) = 3 AND count(DISTINCT calendar) = 4 AND count(raise_level) = 1 FROM tuki.contract"
expect_true "two teams of agents and a lead" \
    "SELECT count(DISTINCT team) = 2 AND count(*) FILTER (WHERE is_lead) >= 1 AND count(*) >= 9 FROM tuki.agent"
expect_true "every type, channel and priority" \
    "SELECT count(DISTINCT type) = 6 AND count(DISTINCT channel) = 5 AND count(DISTINCT priority) = 5 FROM tuki.ticket"
expect_true "every service level on tickets, the raise included" \
    "SELECT count(DISTINCT service_level) = 3 FROM tuki.ticket"
expect_true "reopenings, escalations, waits, priority changes" \
    "SELECT bool_or(kind = 'status' AND detail->>'from' = 'resolved' AND detail->>'to' = 'open')
        AND bool_or(kind = 'escalate') AND bool_or(kind = 'priority')
        AND bool_or(kind = 'status' AND detail->>'to' = 'waiting_customer')
        AND bool_or(kind = 'status' AND detail->>'to' = 'waiting_third_party') FROM tuki.ticket_event"
expect_true "confirmed bugs with fix versions" \
    "SELECT count(*) > 0 FROM tuki.ticket WHERE type = 'bug' AND bug_confirmed AND fix_version ~ '^4\.[0-9]+\.[0-9]+$'"
expect_true "replies and internal notes, Finnish and English" \
    "SELECT bool_or(visibility = 'internal') AND bool_or(body ~ 'Kiitos|Hei') AND bool_or(body ~ 'Thank|We ')
        FROM tuki.message WHERE NOT from_customer"
expect_true "worklogs, some billable" "SELECT bool_or(billable) AND bool_or(NOT billable) FROM tuki.worklog"
expect_true "a realistic share of response breaches (3-30%)" \
    "SELECT avg((responded_at > response_due)::int) BETWEEN 0.03 AND 0.30 FROM tuki.ticket WHERE responded_at IS NOT NULL"
# Replayed statements carry many tickets at their own times: each is judged at its own time,
# so the recorded breaches are exactly the targets tuki.sla says were missed.
expect_zero "every finished target that was missed has its breach event, and no other has one" \
    "SELECT count(*) FROM tuki.sla s
      WHERE s.state IN ('met', 'missed')
        AND (s.state = 'missed') <> EXISTS (SELECT 1 FROM tuki.ticket_event e WHERE e.ticket = s.ticket
                                             AND e.kind = 'sla_breach' AND e.detail->>'target' = s.target)"
expect_zero "no breach is recorded for a clock still within its target" \
    "SELECT count(*) FROM tuki.sla s
      WHERE s.state IN ('ok', 'warning')
        AND EXISTS (SELECT 1 FROM tuki.ticket_event e WHERE e.ticket = s.ticket
                     AND e.kind = 'sla_breach' AND e.detail->>'target' = s.target)"
expect_true "a queue of a few dozen active tickets, some unassigned" \
    "SELECT count(*) BETWEEN 24 AND 200 AND bool_or(assignee IS NULL) FROM tuki.queue"
expect_true "the queue has tickets from the last day" \
    "SELECT count(*) >= 12 FROM tuki.queue WHERE created_at > timestamptz '$anchor' - interval '1 day'"

[ "$failures" = 0 ]
