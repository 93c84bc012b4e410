#!/usr/bin/env bash
# The soak: 8 concurrent clients of every role (four agents, a lead, the read-only role, the
# contacts of two customers) issue a random mix of every API call, legal and illegal, for a
# bounded time; then soak_check.sql checks the invariants over the history and the call log.
#   TUKI_SOAK_SECONDS  how long the clients run (default 20; the suite's short form)
#   TUKI_SOAK_SEED     the seed of the clients' choices (default 17; printed, to replay a run)
# Runs against the migrated throwaway cluster in the environment (tests/lib/run-db-test.sh);
# TUKI_SOAK names the driver (tests/stress/soak.c, built by meson).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=${TUKI_SOAK_SECONDS:-20}
seed=${TUKI_SOAK_SEED:-17}
: "${TUKI_SOAK:?TUKI_SOAK must name the soak driver (meson sets it)}"
psql=(psql -X -q -v ON_ERROR_STOP=1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"${psql[@]}" -f "$here/soak_setup.sql" >/dev/null
max_ticket=$("${psql[@]}" -Atc 'SELECT max(id) FROM tuki.ticket')

"$TUKI_SOAK" "$seconds" "$seed" "$work" "$max_ticket" \
    agent:soak_agent_1 agent:soak_agent_2 agent:soak_agent_3 agent:soak_agent_4 lead:soak_lead \
    readonly:soak_readonly contact:soak_contact_acme contact:soak_contact_kone

"${psql[@]}" -c 'CREATE TABLE public.soak_call (call bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                   client int, login text, role text, op text, ticket bigint, arg text, state text,
                   at timestamptz, tries int, seen text)'
cat "$work"/client-*.tsv |
    "${psql[@]}" -c '\copy public.soak_call (client, login, role, op, ticket, arg, state, at, tries, seen) FROM STDIN'
"${psql[@]}" -c 'ANALYZE public.soak_call'
echo "checking the invariants ($(date +%T))"

"${psql[@]}" -At <<SQL
SELECT format('calls: %s in %s s, %s a second; %s succeeded, %s refused, %s retries after 40001/40P01',
              count(*), $seconds, round(count(*) / $seconds::numeric), count(*) FILTER (WHERE state = '00000'),
              count(*) FILTER (WHERE state <> '00000'), coalesce(sum(tries - 1), 0))
  FROM public.soak_call;
SELECT format('  %-9s %-15s %6s calls: %s', role, op, sum(n),
              string_agg(format('%s %s', state, n), ', ' ORDER BY n DESC))
  FROM (SELECT role, op, state, count(*) AS n FROM public.soak_call GROUP BY role, op, state) x
 GROUP BY role, op ORDER BY role, op;
SQL

# the error codes the manual documents are the only ones allowed
codes=$(grep -o 'TK[0-9][0-9][0-9]' "$TUKI_SOURCE_ROOT/man/tuki-schema.7" | sort -u | paste -sd,)
out=$("${psql[@]}" -At -v codes="$codes" -f "$here/soak_check.sql")
echo "$out"
echo "seed $seed (TUKI_SOAK_SEED=$seed TUKI_SOAK_SECONDS=$seconds replays this run's choices)"
grep -q '^invariants: [0-9]* checked, 0 violated$' <<<"$out" || { echo "FAIL: an invariant was violated"; exit 1; }
echo "PASS"
