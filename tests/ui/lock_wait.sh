#!/usr/bin/env bash
# A statement that waits for a row lock never freezes the console: while ':take 4' waits
# for another session's SELECT … FOR UPDATE, the status line names it, '?' shows the help,
# a resize redraws, and Esc cancels the take; once the lock is gone the take succeeds.
. "$(dirname "$0")/lib.sh"
ui_fixture

# (A trailing space keeps tmux from reading a final ";" as its own separator.)
# A DBA's psql holds ticket 4's row in an open transaction.
UI_SESSION=dba ui_start 100 10 psql -X
UI_SESSION=dba check "psql is up" ui_wait_for "=#"
UI_SESSION=dba ui_type "BEGIN; SELECT id FROM tuki.ticket WHERE id = 4 FOR UPDATE; "
UI_SESSION=dba ui_keys Enter
UI_SESSION=dba check "the DBA holds the row" ui_wait_for "(1 row)"

ui_start 120 40 "$TUKI" -d user=alice
check "console is up" ui_wait_for "connected as alice"
check "the queue is in" ui_wait_for "│4 "
ui_keys :
ui_type "take 4"
ui_keys Enter
check "the status line names the statement waiting" ui_wait_for "waiting for #4 (take)" 3

# Milliseconds from now until TEXT is on screen (or 5000 when it never comes).
ms_until() {
    local text=$1 start now
    start=$(date +%s%N)
    while :; do
        now=$(date +%s%N)
        ui_screen | grep -qF -- "$text" && break
        (((now - start) / 1000000 >= 5000)) && break
        sleep 0.01
    done
    echo $(((now - start) / 1000000))
}
ui_keys '?'
ms=$(ms_until "Commands (%i = the selected ticket)")
echo "# help after $ms ms"
check "? shows the help within 200 ms while the take waits ($ms ms)" test "$ms" -le 200

# The SLA pane's corner sits where the new width puts it: 30 columns from the right.
sla_corner_at() {
    ui_screen | head -1 | python3 -c '
import sys
line = sys.stdin.readline().rstrip("\n")
print(line.find("┐┌ SLA"), len(line))'
}
check "before: the SLA pane starts at column 90 of 120" test "$(sla_corner_at)" = "89 120"
ui_resize 100 35
ok_resize=
for _ in $(seq 100); do
    [ "$(sla_corner_at)" = "69 100" ] && { ok_resize=1; break; }
    sleep 0.02
done
check "a resize redraws while the take waits (SLA pane at column 70 of 100)" test -n "$ok_resize"
check "the waiting note is still there after the resize" ui_wait_for "waiting for #4 (take)" 1

ui_keys Escape
check "Esc cancels the take and the status line says so" \
    ui_wait_for "cancelled: #4 (take) — nothing was changed" 3
check "nothing was changed: #4 is still new and nobody's" \
    test "$(psql -XAtc "SELECT status || ' ' || coalesce(assignee, '-') FROM tuki.ticket WHERE id = 4")" = "new -"

# Ctrl-C does the same to a waiting statement (and only then does not quit).
ui_keys :
ui_type "take 4"
ui_keys Enter
check "the second take waits too" ui_wait_for "waiting for #4 (take)" 3
ui_keys C-c
check "Ctrl-C cancels it" ui_wait_for "cancelled: #4 (take) — nothing was changed" 3
sleep 0.3
check "and the console is still running" not ui_dead

UI_SESSION=dba ui_type "ROLLBACK; "
UI_SESSION=dba ui_keys Enter
UI_SESSION=dba check "the DBA lets go" ui_wait_for "ROLLBACK"
ui_keys :
ui_type "take 4"
ui_keys Enter
check "with the lock gone, the take succeeds" ui_wait_for "took #4" 5
check "and #4 is alice's" test "$(psql -XAtc "SELECT assignee FROM tuki.ticket WHERE id = 4")" = alice

ui_keys q
check "quits" ui_wait_exit
check "exit status 0" test "$(ui_exit_status)" = 0
ui_done
