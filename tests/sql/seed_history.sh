#!/usr/bin/env bash
# A seeded history keeps the invariants of any desk's history (tests/stress/history_check.sql,
# the soak's own checker): legal status paths per tuki.transition, each alert once, actors that
# are agents, contacts or system, current columns where the history left them, SLA columns that
# a fresh tuki.sla_recompute leaves alone and that match the last sla_recalc event. tuki seed
# writes it through tuki.history_load, the production triggers standing aside, so these checks
# are what says its replay follows the desk's rules. Also: an illegal step is refused.
set -euo pipefail
: "${TUKI_SOURCE_ROOT:?}"
anchor='2026-03-16 10:30:00+02'
"$TUKI" seed --tickets 3000 --seed 5 --jobs 2 --now "$anchor" >/dev/null 2>&1 || { echo "not ok - tuki seed failed"; exit 1; }
echo "ok - tuki seed --tickets 3000 --jobs 2 loaded"

out=$(psql -X -q -A -t -v ON_ERROR_STOP=1 <<SQL
SET client_min_messages = warning;
CREATE TEMP TABLE verdict (ord serial, name text, bad bigint, sample text);
\ir $TUKI_SOURCE_ROOT/tests/stress/history_check.sql
SELECT format('%s - %s%s', CASE WHEN bad = 0 THEN 'ok' ELSE 'not ok' END, name,
              CASE WHEN bad <> 0 THEN format(' (%s violations: %s)', bad, left(sample, 300)) ELSE '' END)
  FROM verdict ORDER BY ord;
SQL
)
echo "$out"
failures=$(grep -c '^not ok' <<<"$out" || true)

# the checks look at something: status moves, sla_recalc events and alerts were loaded
counts=$(psql -X -A -t -c "SELECT count(*) FILTER (WHERE kind = 'status') > 1000 AND count(*) FILTER (WHERE kind = 'sla_recalc') > 3000
                                  AND count(*) FILTER (WHERE kind = 'sla_breach') > 0 FROM tuki.ticket_event")
if [ "$counts" = t ]; then echo "ok - the history has status moves, clock recalculations and breaches to check"
else echo "not ok - too little history to check"; failures=$((failures + 1)); fi

# The shared rule functions plan beside a lateral reference to whole ticket rows, as a DBA would
# call them (tuki.ticket_change_events once failed to plan there).
if psql -X -q -A -t -v ON_ERROR_STOP=1 -c "SELECT count(*) FROM tuki.ticket t CROSS JOIN LATERAL tuki.ticket_change_events(t, t) x" >/dev/null; then
    echo "ok - tuki.ticket_change_events(t, t) over tuki.ticket plans and runs"
else
    echo "not ok - tuki.ticket_change_events(t, t) over tuki.ticket failed"; failures=$((failures + 1))
fi

# An illegal step (closed -> open) in a loaded history is refused with TK001, and nothing of the
# batch is written.
before=$(psql -X -A -t -c "SELECT count(*) FROM tuki.ticket")
err=$(psql -X -q -A -t -v ON_ERROR_STOP=1 2>&1 <<'SQL' || true
CREATE TEMP TABLE history_ticket AS
SELECT 999001::bigint AS id, t.customer, t.contact, t.contract, t.service_level, t.type, t.channel, t.impact, t.urgency,
       'illegal'::text AS subject, 'second_line'::text AS team, timestamptz '2026-03-10 09:00+02' AS created_at,
       (SELECT login FROM tuki.agent WHERE NOT is_lead LIMIT 1) AS actor
  FROM tuki.ticket t WHERE t.contact IS NOT NULL LIMIT 1;
CREATE TEMP TABLE history_step (ticket bigint, n integer, at timestamptz, actor text,
    msg_body text, msg_visibility text, msg_from_customer boolean, msg_channel text, msg_contact bigint, msg_recorded_by text,
    status text, resolution text, assign boolean NOT NULL DEFAULT false, assignee text, team text,
    impact integer, urgency integer, bug_confirmed boolean, fix_version text,
    work_minutes integer, work_billable boolean, work_note text, work_approved_by bigint);
INSERT INTO history_step (ticket, n, at, actor, status, resolution)
SELECT 999001, g.n, timestamptz '2026-03-10 09:00+02' + g.n * interval '1 hour', (SELECT actor FROM history_ticket), g.status, g.note
  FROM (VALUES (1, 'open', NULL), (2, 'resolved', 'done'), (3, 'closed', NULL), (4, 'open', NULL)) g(n, status, note);
SELECT tuki.history_load();
SQL
)
after=$(psql -X -A -t -c "SELECT count(*) FROM tuki.ticket")
if grep -q 'TK001.*cannot go from closed to open (step 4)\|cannot go from closed to open (step 4)' <<<"$err" && [ "$before" = "$after" ]; then
    echo "ok - a history with an illegal move is refused (TK001) and writes nothing"
else
    echo "not ok - an illegal move was not refused: $err"; failures=$((failures + 1))
fi

# refused_for ROLE PATTERN NAME: tuki.history_load run as ROLE fails with PATTERN in its message.
refused_for() {
    local err
    err=$(PGUSER=$1 psql -X -q -A -t -c "SELECT tuki.history_load()" 2>&1 || true)
    if grep -q -- "$2" <<<"$err"; then
        echo "ok - $3"
    else
        echo "not ok - $3: $err"; failures=$((failures + 1))
    fi
}

# Only administrators load histories.
psql -X -q -c "CREATE ROLE tt_seed_agent LOGIN; GRANT tuki_agent TO tt_seed_agent" >/dev/null
refused_for tt_seed_agent 'permission denied for function history_load' "an agent may not run tuki.history_load"

# An administrator who is not a superuser may not switch the triggers off for a load: the
# schema owner's members are not granted session_replication_role.
psql -X -q -c "CREATE ROLE tt_seed_owner LOGIN IN ROLE tuki_owner" >/dev/null
refused_for tt_seed_owner 'may not load a history: it needs to set session_replication_role' \
    "a member of tuki_owner who is not a superuser may not load (TK005)"

[ "$failures" = 0 ]
