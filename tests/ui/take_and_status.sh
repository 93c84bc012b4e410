#!/usr/bin/env bash
# Taking a ticket by key and by :take ID; an illegal :status shows TK001 and changes nothing.
. "$(dirname "$0")/lib.sh"
ui_fixture

ui_start 120 40 "$TUKI" -d user=alice
check "console is up" ui_wait_for "connected as alice"
first=$(psql -XAtc "SELECT id FROM tuki.queue ORDER BY position LIMIT 1")
ui_keys t
check "t takes the selected ticket" ui_wait_for "took #$first"
check "the database agrees" test "$(psql -XAtc "SELECT assignee || ' ' || status FROM tuki.ticket WHERE id = $first")" = "alice open"

ui_keys :
ui_type "take 5"
ui_keys Enter
check ":take 5 takes ticket 5" ui_wait_for "took #5"
check "and opens it (tuki(1): take assigns and opens)" ui_wait_for "┌ #5  KONE / Jussi Köykkä"
check "ticket 5 is alice's" test "$(psql -XAtc "SELECT assignee FROM tuki.ticket WHERE id = 5")" = alice

before=$(psql -XAtc "SELECT status || ' ' || version FROM tuki.ticket WHERE id = 5")
ui_keys :
ui_type "status 5 closed"
ui_keys Enter
check "illegal move shows TK001 in the status line" ui_wait_for "TK001: "
check "with what is allowed instead" ui_wait_for "allowed"
after=$(psql -XAtc "SELECT status || ' ' || version FROM tuki.ticket WHERE id = 5")
check "the ticket is as it was ($before)" test "$before" = "$after"

ui_keys :
ui_type 'status 5 resolved "printer driver reinstalled"'
ui_keys Enter
check "a legal move with a note" ui_wait_for "#5 is now resolved"
check "resolution stored verbatim" test "$(psql -XAtc "SELECT resolution FROM tuki.ticket WHERE id = 5")" = "printer driver reinstalled"

ui_keys q
check "quits" ui_wait_exit
check "exit status 0" test "$(ui_exit_status)" = 0
ui_done
