#!/usr/bin/env bash
# kill -9 of a console and of 'tuki -c' in the middle of a command, and of 'tuki -c' at a random
# point of a long script: every API call is one transaction, so each command is in the
# database whole or not at all. The commands used write twice ('status ID STATUS NOTE' adds an
# internal note and changes the status), so half a command would show as a note without its
# status change or the reverse.
. "$(dirname "$0")/../ui/lib.sh"
. "$(dirname "$0")/lib.sh"
ui_fixture
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }

# hold_ticket ID SECONDS: locks the ticket in a background transaction for that long, so the
# next command on it waits inside the server; the holder's pid is in $holder.
hold_ticket() {
    q -c "BEGIN" -c "SELECT 1 FROM tuki.ticket WHERE id = $1 FOR UPDATE" -c "SELECT pg_sleep($2)" \
        -c "COMMIT" >/dev/null &
    holder=$!
    sleep 0.3
}
# waiting_backend LOGIN: waits (up to 10 s) until a backend of LOGIN waits for a lock.
waiting_backend() {
    local i
    for i in $(seq 200); do
        [ "$(q -c "SELECT count(*) FROM pg_stat_activity WHERE usename = '$1' AND wait_event_type = 'Lock'")" = 1 ] &&
            return 0
        sleep 0.05
    done
    return 1
}
# whole TICKET: each of alice's internal notes on the ticket came with exactly one status event
# in the same transaction (same actor, same time), and each such status event with its note:
# prints the number of whole commands, or "half: ..." when one is not.
whole() {
    q -v ticket="$1" <<'SQL'
SELECT CASE WHEN bool_and(n_notes = 1 AND n_status = 1) IS NOT FALSE THEN count(*)::text
            ELSE 'half: ' || string_agg(format('%s notes, %s status events at %s', n_notes, n_status, at), '; ') END
  FROM (SELECT e.at, count(*) FILTER (WHERE e.kind = 'note') AS n_notes, count(*) FILTER (WHERE e.kind = 'status') AS n_status
          FROM tuki.ticket_event e
         WHERE e.ticket = :ticket AND e.actor = 'alice' AND e.kind IN ('note', 'status')
         GROUP BY e.at) x
SQL
}

# 1. The console, its command waiting in the server for a lock on #3
check "alice's console is up" console_open one alice
hold_ticket 3 3
ui_keys :
ui_type "status 3 waiting_customer Odotetaan-vastausta"
ui_keys Enter
check "console: the command is waiting inside the server" waiting_backend alice
pid=$(console_pid one)
check "console: found its process ($pid)" test -n "$pid"
kill -9 "$pid"
check "console: killed" ui_wait_exit 5
check "the lock holder finished" wait "$holder"
sleep 0.5
got=$(whole 3)
check "console: its command is whole or absent on #3 ($got whole)" test "$got" = 0 -o "$got" = 1
status=$(q -c "SELECT status FROM tuki.ticket WHERE id = 3")
check "console: #3's status agrees ($status with $got commands)" \
    test "$got/$status" = "0/new" -o "$got/$status" = "1/waiting_customer"
echo "# console killed mid-command: $got of 1 command committed"

# 2. 'tuki -c', killed while its fourth command waits for a lock on #6
cmds=()
for k in 1 2 3; do cmds+=(-c "status 5 $( ((k % 2)) && echo waiting_customer || echo open) askel-$k"); done
cmds+=(-c "status 6 waiting_customer askel-4")
for k in 5 6 7; do cmds+=(-c "status 5 $( ((k % 2)) && echo waiting_customer || echo open) askel-$k"); done
hold_ticket 6 3
"$TUKI" -d user=alice "${cmds[@]}" >/dev/null 2>&1 &
script=$!
check "tuki -c: the fourth command is waiting inside the server" waiting_backend alice
kill -9 "$script"
wait "$script" 2>/dev/null
check "the lock holder finished" wait "$holder"
sleep 0.5
done5=$(whole 5)
done6=$(whole 6)
check "tuki -c: the three commands before it are whole on #5 ($done5)" test "$done5" = 3
check "tuki -c: the one it was in is whole or absent on #6 ($done6)" test "$done6" = 0 -o "$done6" = 1
check "tuki -c: none after it ran" test -z "$(q -c "SELECT 1 FROM tuki.message WHERE body IN ('askel-5', 'askel-6', 'askel-7')")"
echo "# tuki -c killed mid-command: 3 before it whole, $done6 of the one in flight, none after"

# 3. 'tuki -c' with 250 two-write commands on #8 (about 400 a second), killed at a random moment
cmds=()
for k in $(seq 250); do cmds+=(-c "status 8 $( ((k % 2)) && echo waiting_customer || echo open) vaihe-$k"); done
"$TUKI" -d user=alice "${cmds[@]}" >/dev/null 2>&1 &
script=$!
sleep "0.$((RANDOM % 20 + 10))"
kill -9 "$script"
wait "$script" 2>/dev/null
sleep 0.5
done8=$(whole 8)
notes=$(q -c "SELECT string_agg(substr(body, 7), ' ' ORDER BY id) FROM tuki.message WHERE ticket = 8 AND body LIKE 'vaihe-%'")
want=$( ((done8 > 0)) && seq -s ' ' 1 "$done8")
check "random kill: every command is whole ($done8 of 250 ran)" test "$done8" -ge 0 2>/dev/null
check "random kill: the commands that ran are the first $done8, in order" test "$notes" = "$want"
check "random kill: it was killed mid-script" test "$done8" -lt 250
status=$(q -c "SELECT status FROM tuki.ticket WHERE id = 8")
want=$( ((done8 == 0)) && echo new || { ((done8 % 2)) && echo waiting_customer || echo open; })
check "random kill: #8 is where the last whole command left it ($status)" test "$status" = "$want"
echo "# tuki -c killed at a random moment: $done8 of 250 commands whole, none half"
ui_done
