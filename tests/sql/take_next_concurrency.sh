#!/usr/bin/env bash
# 8 agents, each in its own session logged in as itself, race over 2,000 new tickets with
# tuki.ticket_take_next() (and now and then tuki.ticket_take of a random ticket) until the queue is empty.
# Asserts: every ticket taken exactly once, by the agent the history names; no error but TK003.
set -euo pipefail
agents=8
tickets=2000
psql=(psql -X -q -v ON_ERROR_STOP=1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"${psql[@]}" -v agents="$agents" -v tickets="$tickets" <<'SQL'
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('ACME', 'standard', '24x7', '2020-01-01');
\o /dev/null
SELECT format('SELECT tuki.agent_add(%L, %L, %L)', 'tt_race_' || g, 'Agent ' || g, 'second_line')
  FROM generate_series(1, :agents) g \gexec
CREATE TEMP TABLE made AS SELECT tuki.ticket_create('ACME', 'Ticket ' || g, 'body', 'incident', 1 + g % 3, 1 + (g / 3) % 3)
  FROM generate_series(1, :tickets) g;
SQL
echo "setup: $agents agents, $("${psql[@]}" -Atc "SELECT count(*) FROM tuki.ticket WHERE status = 'new'") new tickets"

for i in $(seq 1 "$agents"); do
    PGUSER=tt_race_$i "${psql[@]}" -v seed="0.$i" >"$work/out.$i" 2>"$work/err.$i" <<'SQL' &
SELECT setseed(:seed);
DO $$
DECLARE
    v bigint;
    pick bigint;
    busy int := 0;
    n int := 0;
BEGIN
    LOOP
        n := n + 1;
        IF n % 7 = 0 THEN
            -- try to grab a random ticket directly: either it is free, or someone holds it (TK003)
            pick := 1 + floor(random() * (SELECT max(id) FROM tuki.ticket))::bigint;
            IF (SELECT assignee FROM tuki.ticket WHERE id = pick) IS DISTINCT FROM session_user::text THEN
                BEGIN
                    PERFORM tuki.ticket_take(pick);
                    RAISE NOTICE 'took % by take', pick;
                EXCEPTION WHEN SQLSTATE 'TK003' THEN
                    busy := busy + 1;
                END;
                COMMIT;
            END IF;
            CONTINUE;
        END IF;
        v := tuki.ticket_take_next();
        COMMIT;
        EXIT WHEN v IS NULL;
        RAISE NOTICE 'took % by take_next', v;
    END LOOP;
    RAISE NOTICE 'busy %', busy;
END
$$;
SQL
done
rc=0
wait || rc=$?
for i in $(seq 1 "$agents"); do
    if grep -v -e 'NOTICE:  took ' -e 'NOTICE:  busy ' "$work/err.$i" | grep -q .; then
        echo "session $i said:"; cat "$work/err.$i" | grep -v 'NOTICE:  took ' | head -20
        fail "session $i had an error other than TK003"
    fi
done
[ "$rc" = 0 ] || fail "a session exited with $rc"

took=$(cat "$work"/err.* | grep -c 'NOTICE:  took ' || true)
distinct=$(cat "$work"/err.* | sed -n 's/.*NOTICE:  took \([0-9]*\) .*/\1/p' | sort -u | wc -l)
by_take=$(cat "$work"/err.* | grep -c 'by take$' || true)
busy=$(cat "$work"/err.* | sed -n 's/.*NOTICE:  busy \([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
echo "sessions reported $took takes ($by_take by ticket_take, the rest by ticket_take_next) of $distinct distinct tickets; $busy TK003 refusals"
for i in $(seq 1 "$agents"); do printf ' tt_race_%s:%s' "$i" "$(grep -c 'NOTICE:  took ' "$work/err.$i" || true)"; done; echo

[ "$took" = "$tickets" ] || fail "sessions took $took tickets, expected $tickets"
[ "$distinct" = "$tickets" ] || fail "only $distinct distinct tickets among $took takes: some ticket was handed out twice"
[ "$busy" -gt 0 ] || echo "note: no ticket_take hit a held ticket this time"

check=$("${psql[@]}" -At <<'SQL'
SELECT concat_ws(' ',
    (SELECT count(*) FROM tuki.ticket WHERE assignee IS NULL OR status <> 'open'),
    (SELECT count(*) FROM (SELECT ticket FROM tuki.ticket_event WHERE kind = 'assign' GROUP BY ticket HAVING count(*) <> 1) x),
    (SELECT count(*) FROM tuki.ticket t JOIN tuki.ticket_event e ON e.ticket = t.id AND e.kind = 'assign'
      WHERE e.actor <> t.assignee OR e.detail->>'to' <> t.assignee),
    (SELECT count(DISTINCT assignee) FROM tuki.ticket))
SQL
)
read -r untaken multi wrong_actor holders <<<"$check"
echo "database: $untaken tickets not open+assigned, $multi with other than one assign event, $wrong_actor with an event actor other than the holder, $holders agents hold tickets"
[ "$untaken" = 0 ] || fail "$untaken tickets were not taken"
[ "$multi" = 0 ] || fail "$multi tickets were assigned more than once"
[ "$wrong_actor" = 0 ] || fail "$wrong_actor assign events name the wrong actor"
[ "$holders" -ge 2 ] || fail "only $holders agent(s) got tickets: the sessions did not run concurrently"
echo "PASS: $tickets tickets, $agents concurrent agents, each ticket taken exactly once"
