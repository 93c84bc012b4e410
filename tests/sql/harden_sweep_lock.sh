#!/usr/bin/env bash
# Issue 17, finding 5: no login can stop the SLA sweep. The sweep once skipped itself while
# anyone held advisory lock 'tuki' + 1 (pg_advisory_lock is PUBLIC); its mutex is now a row of
# tuki.sla_sweep_lock, which only the desk can lock.
set -euo pipefail

fail() { echo "not ok - $*" >&2; exit 1; }
pass() { echo "ok - $*"; }
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }
work=$(mktemp -d)
holder=
trap '[ -n "$holder" ] && kill "$holder" 2>/dev/null; rm -rf "$work"' EXIT

q <<'SQL' >/dev/null
CREATE ROLE tt_outsider LOGIN;                         -- any login, no tuki role at all
CREATE ROLE tt_ro LOGIN IN ROLE tuki_readonly;
CREATE ROLE tt_acme LOGIN IN ROLE tuki_customer;
CREATE ROLE tt_agent LOGIN;
SELECT tuki.agent_add('tt_agent', 'Aino Agentti', 'second_line');
INSERT INTO tuki.customer (code, name) VALUES ('LOCK', 'Lukko Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('LOCK', 'standard', '24x7', '2020-01-01');
INSERT INTO tuki.contact (customer, name, email, login) VALUES ('LOCK', 'Liisa Lukko', 'liisa@lukko.fi', 'tt_acme');
SQL
# five standard P1 tickets created 10 hours ago: each owes a warning and a breach per clock
q <<SQL >/dev/null
SET tuki.now = '$(q -c "SELECT now() - interval '10 hours'")';
SELECT count(tuki.ticket_create('LOCK', 'lock test ' || i, 'body', impact => 1, urgency => 1)) FROM generate_series(1, 5) i;
SQL

# 1. An outsider holds every advisory lock key the desk ever used (and a few neighbours).
psql -X -q -v ON_ERROR_STOP=1 -U tt_outsider >"$work/holder" 2>&1 <<SQL &
SELECT count(pg_advisory_lock(x'74756b69'::bigint * 256 + k)) FROM generate_series(0, 15) k;
SELECT pg_advisory_lock(x'74756b69'::bigint);
\! touch $work/ready
SELECT pg_sleep(20);
SQL
holder=$!
for _ in $(seq 1 100); do [ -e "$work/ready" ] && break; sleep 0.1; done
[ -e "$work/ready" ] || fail "the outsider could not take the advisory locks: $(cat "$work/holder")"
got=$(q -c "SELECT tuki.sla_sweep()")
[ "$got" = 20 ] || fail "with an outsider holding advisory locks the sweep recorded '$got' events, not 20"
pass "an outsider holding the advisory keys does not stop the sweep (20 events)"
kill "$holder" 2>/dev/null || true
wait "$holder" 2>/dev/null || true
holder=

# 2. Nobody but the desk can lock the sweep's row, whatever they may read.
for who in tt_outsider tt_ro tt_acme tt_agent; do
    for mode in 'FOR UPDATE' 'FOR NO KEY UPDATE' 'FOR SHARE' 'FOR KEY SHARE'; do
        out=$(psql -X -q -A -t -U "$who" -c "SELECT 1 FROM tuki.sla_sweep_lock $mode" 2>&1) \
            && fail "$who could lock tuki.sla_sweep_lock $mode: $out"
        grep -q 'permission denied' <<<"$out" || fail "$who, $mode: expected permission denied, got: $out"
    done
    out=$(psql -X -q -A -t -U "$who" -c "BEGIN" -c "LOCK TABLE tuki.sla_sweep_lock IN ROW SHARE MODE" 2>&1) \
        && fail "$who could LOCK TABLE tuki.sla_sweep_lock: $out"
done
pass "no role but tuki_owner can lock the sweep's row or table"

# 3. The mutex still works: a sweep that finds one running returns 0 at once.
q <<SQL >/dev/null
SET tuki.now = '$(q -c "SELECT now() - interval '10 hours'")';
SELECT tuki.ticket_create('LOCK', 'one more', 'body', impact => 1, urgency => 1);
SQL
q -c "BEGIN" -c "SELECT tuki.sla_sweep()" -c "SELECT pg_sleep(2)" -c "COMMIT" >"$work/first" &
first=$!
sleep 0.7
second=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -U tt_agent -c "SELECT tuki.sla_sweep()")
wait "$first"
[ "$(grep -E '^[0-9]+$' "$work/first" | head -1)" = 4 ] || fail "first sweep: $(cat "$work/first")"
[ "$second" = 0 ] || fail "a sweep during a running one recorded '$second', not 0"
pass "one sweep at a time: 4 and 0"
echo "harden_sweep_lock: all passed"
