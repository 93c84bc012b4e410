#!/usr/bin/env bash
# Issue 17, finding 7: any login can NOTIFY tuki, so a console cannot trust a payload. It can
# ask tuki.untrusted_notifiers which senders (PQnotifies be_pid) are sessions that cannot have
# sent a desk notification: customers, the read-only role, logins with no tuki role.
set -euo pipefail
fail() { echo "not ok - $*" >&2; exit 1; }
pass() { echo "ok - $*"; }
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$work"' EXIT

q <<'SQL' >/dev/null
CREATE ROLE tt_agent LOGIN;
SELECT tuki.agent_add('tt_agent', 'Aino Agentti', 'second_line');
CREATE ROLE tt_acme LOGIN IN ROLE tuki_customer;
CREATE ROLE tt_ro LOGIN IN ROLE tuki_readonly;
CREATE ROLE tt_outsider LOGIN;
CREATE ROLE tt_sneaky LOGIN IN ROLE tuki_customer;    -- a contact a DBA also put into tuki_agent
GRANT tuki_agent TO tt_sneaky;
SQL

# each sender NOTIFYs tuki, writes its pid and stays connected
for who in tt_agent tt_acme tt_ro tt_outsider tt_sneaky postgres; do
    psql -X -q -A -t -v ON_ERROR_STOP=1 -U "$who" <<SQL >"$work/$who" 2>&1 &
NOTIFY tuki, '{"v":1,"kind":"ticket","ids":[1]}';
SELECT pg_backend_pid();
\o /dev/null
SELECT pg_sleep(30);
SQL
    pids+=($!)
done
for who in tt_agent tt_acme tt_ro tt_outsider tt_sneaky postgres; do
    for _ in $(seq 1 100); do grep -qE '^[0-9]+$' "$work/$who" 2>/dev/null && break; sleep 0.1; done
    grep -qE '^[0-9]+$' "$work/$who" || fail "$who did not start: $(cat "$work/$who")"
    declare "pid_$who=$(grep -E '^[0-9]+$' "$work/$who")"
done
all="{$pid_tt_agent,$pid_tt_acme,$pid_tt_ro,$pid_tt_outsider,$pid_tt_sneaky,$pid_postgres,999999}"
want=$(printf '%s\n' "$pid_tt_acme" "$pid_tt_ro" "$pid_tt_outsider" "$pid_tt_sneaky" | sort -n | paste -sd, -)
for asker in tt_agent tt_acme tt_ro; do
    got=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -U "$asker" -c "SELECT array_to_string(tuki.untrusted_notifiers('$all'), ',')")
    [ "$got" = "$want" ] || fail "asked by $asker: untrusted '$got', want '$want' (customer, read-only, outsider, customer made staff)"
done
pass "customer, read-only, outsider and a customer made staff are untrusted senders; agent and superuser are not; a gone pid is not listed"
echo "harden_notify_sender: all passed"
