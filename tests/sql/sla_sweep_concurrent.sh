#!/usr/bin/env bash
# Concurrent SLA sweeps record each warning and breach exactly once, and announce them.
# Runs against the migrated throwaway cluster in the environment (PGHOST etc.).
set -euo pipefail

fail() { echo "not ok - $*" >&2; exit 1; }
pass() { echo "ok - $*"; }
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }

# Tickets on the 24x7 calendar, created 10 hours ago as standard P1 (response 60, resolve 480):
# both clocks are past their targets, so each ticket owes one warning and one breach per clock.
make_tickets() {   # $1 = customer code, $2 = how many
    q <<SQL
SET tuki.now = '$(q -c "SELECT now() - interval '10 hours'")';
SELECT count(tuki.ticket_create('$1', 'sweep test ' || i, 'body', impact => 1, urgency => 1))
  FROM generate_series(1, $2) i;
SQL
}
q <<'SQL'
INSERT INTO tuki.customer (code, name) VALUES ('SWEEP', 'Sweep Oy'), ('SWEEP2', 'Sweep Two Oy'), ('SWEEP3', 'Sweep Three Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from)
SELECT code, 'standard', '24x7', '2020-01-01' FROM tuki.customer WHERE code LIKE 'SWEEP%';
SQL

# events per (ticket, clock, kind) for one customer: how many, and the largest count of a kind
check_once() {   # $1 = customer, $2 = tickets, $3 = label
    local got max
    got=$(q -c "SELECT count(*) FROM tuki.ticket_event e JOIN tuki.ticket t ON t.id = e.ticket
                 WHERE t.customer = '$1' AND e.kind IN ('sla_warning', 'sla_breach')")
    max=$(q -c "SELECT coalesce(max(n), 0) FROM (SELECT count(*) n FROM tuki.ticket_event e JOIN tuki.ticket t ON t.id = e.ticket
                 WHERE t.customer = '$1' AND e.kind IN ('sla_warning', 'sla_breach')
                 GROUP BY e.ticket, e.kind, e.detail->>'target') x")
    [ "$got" = $(($2 * 4)) ] || fail "$3: expected $(($2 * 4)) alert events, got $got"
    [ "$max" = 1 ] || fail "$3: an alert was recorded $max times"
    pass "$3: $got alert events, each (ticket, clock, kind) exactly once"
}

# 1. Two sweeps at the same time: the first holds its transaction open for two seconds.
make_tickets SWEEP 50 >/dev/null
q -c "BEGIN" -c "SELECT tuki.sla_sweep()" -c "SELECT pg_sleep(2)" -c "COMMIT" >/tmp/sweep_a.$$ &
a=$!
sleep 0.5
b_result=$(q -c "SELECT tuki.sla_sweep()")
wait $a
a_result=$(grep -E '^[0-9]+$' /tmp/sweep_a.$$ | head -1); rm -f /tmp/sweep_a.$$
[ "$a_result" = 200 ] || fail "first sweep should record 200 events, recorded '$a_result'"
[ "$b_result" = 0 ] || fail "concurrent second sweep should record nothing, recorded '$b_result'"
pass "two concurrent sweeps: 200 and 0"
check_once SWEEP 50 "concurrent sweeps"

# 2. Without the sweep's lock (tuki.sla_record_alerts directly) the second one waits for the
#    first's uncommitted alerts and then finds them taken: still exactly once.
make_tickets SWEEP2 30 >/dev/null
q -c "BEGIN" -c "SELECT tuki.sla_record_alerts(NULL)" -c "SELECT pg_sleep(2)" -c "COMMIT" >/tmp/sweep_c.$$ &
c=$!
sleep 0.5
d_result=$(q -c "SELECT tuki.sla_record_alerts(NULL)")
wait $c
c_result=$(grep -E '^[0-9]+$' /tmp/sweep_c.$$ | head -1); rm -f /tmp/sweep_c.$$
[ "$c_result" = 120 ] || fail "first recorder should record 120 events, recorded '$c_result'"
[ "$d_result" = 0 ] || fail "blocked second recorder should record nothing after the first commits, recorded '$d_result'"
pass "racing recorders without the lock: 120 and 0"
check_once SWEEP2 30 "racing recorders"

# 3. A burst: ten consoles and cron sweeping at once, while new tickets keep arriving.
make_tickets SWEEP3 20 >/dev/null &
pids=($!)
for i in $(seq 1 10); do
    q -c "SELECT tuki.sla_sweep()" -c "SELECT tuki.sla_sweep()" >/dev/null &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "a sweep failed"; done
q -c "SELECT tuki.sla_sweep()" >/dev/null
check_once SWEEP3 20 "ten parallel sweepers"
check_once SWEEP 50 "earlier alerts untouched"

# 4. A sweep that records something announces it on the staff channel (kind sla); one that does not, not.
make_tickets SWEEP 1 >/dev/null
out=$(psql -X -v ON_ERROR_STOP=1 -c "SELECT tuki.listen()" -c "SELECT tuki.sla_sweep()" -c "SELECT 1" 2>&1)
grep -q 'Asynchronous notification "tuki_s_[0-9a-f]*" with payload "{"v":1,"kind":"sla","ids":\[' <<<"$out" \
    || fail "no NOTIFY kind sla after a sweep that recorded alerts: $out"
pass "a recording sweep sends NOTIFY {kind: sla, ids: [...]}"
out=$(psql -X -v ON_ERROR_STOP=1 -c "SELECT tuki.listen()" -c "SELECT tuki.sla_sweep()" -c "SELECT 1" 2>&1)
grep -q 'Asynchronous notification' <<<"$out" && fail "an idle sweep sent a notification: $out"
pass "an idle sweep sends nothing"
echo "sla_sweep_concurrent: all passed"
