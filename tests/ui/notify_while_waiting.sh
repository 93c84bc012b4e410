#!/usr/bin/env bash
# A change another agent commits while the console waits for its own statement reaches the
# screen once that statement returns, with no key pressed: the notification libpq read along
# with the answer is drained then, not left until some later wake-up.
. "$(dirname "$0")/lib.sh"
ui_fixture

# lena takes #10 in a transaction she keeps open: alice's take of it has to wait.
UI_SESSION=dba ui_start 100 10 psql -X -d "user=lena"
UI_SESSION=dba check "psql is up" ui_wait_for "=>"
UI_SESSION=dba ui_type "BEGIN; SELECT tuki.ticket_take(10); "
UI_SESSION=dba ui_keys Enter
UI_SESSION=dba check "lena holds #10" ui_wait_for "(1 row)"

ui_start 120 40 "$TUKI" -d user=alice
check "console is up" ui_wait_for "connected as alice"
check "#7 is new and nobody's" ui_wait_for_re '^│7 .* new +- '
ui_keys :
ui_type "take 10"
ui_keys Enter
check "alice's take waits" ui_wait_for "waiting for #10 (take)" 3

# Meanwhile bob takes #7 and commits: alice's backend is busy, so it tells her afterwards.
PGUSER=bob psql -Xqc "SELECT tuki.ticket_take(7)" >/dev/null
row7_is_bobs() { ui_screen | grep -qE '^│7 .* open +bob'; }
sleep 0.5
check "nothing about #7 can reach the console while its statement waits" not row7_is_bobs

# lena commits: alice's take fails (TK003, no reload of its own) and the notifications come.
UI_SESSION=dba ui_type "COMMIT; "
UI_SESSION=dba ui_keys Enter
check "alice's take returns (lena has it)" ui_wait_for "TK003" 5
start=$(date +%s%N)
seen=
while (( ($(date +%s%N) - start) / 1000000 < 1000 )); do
    row7_is_bobs && { seen=1; break; }
    sleep 0.02
done
echo "# bob's #7 seen $(( ($(date +%s%N) - start) / 1000000 )) ms after the take returned"
check "bob's #7 is on screen within 1 s, no key pressed" test -n "$seen"

ui_keys q
check "quits" ui_wait_exit
check "exit status 0" test "$(ui_exit_status)" = 0
ui_done
