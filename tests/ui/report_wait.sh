#!/usr/bin/env bash
# `report CUSTOMER MONTH` in the console runs on the console's own connection like every other
# statement: while it waits for a lock the console keeps working, the status line names it,
# Esc (and Ctrl-C) cancels it; once the lock is gone the report opens in the pane.
. "$(dirname "$0")/lib.sh"
ui_fixture

# A DBA's psql holds the work log locked against readers (the report sums its minutes; the
# queue and the clocks do not read it).
UI_SESSION=dba ui_start 100 10 psql -X
UI_SESSION=dba check "psql is up" ui_wait_for "=#"
UI_SESSION=dba ui_type "BEGIN; LOCK TABLE tuki.worklog IN ACCESS EXCLUSIVE MODE; "
UI_SESSION=dba ui_keys Enter
UI_SESSION=dba check "the DBA holds the lock" ui_wait_for "LOCK TABLE"

ui_start 120 40 "$TUKI" -d user=alice
check "console is up" ui_wait_for "connected as alice"
check "the clocks are in" ui_wait_for "#11 res "
ui_keys :
ui_type "report acme 2026-05"
ui_keys Enter
check "the status line names the report waiting" \
    ui_wait_for "waiting for report acme 2026-05 … (Esc cancels)" 3
ui_keys j
check "keys keep working while it waits (j moves in the queue)" ui_wait_for "#7 resp" 2
ui_keys '?'
check "? shows the help while it waits" ui_wait_for "Commands (%i = the selected ticket)" 2
check "no report pane yet" not ui_wait_for "┌ Report" 1
ui_keys Escape
check "Esc cancels the report and the status line says so" \
    ui_wait_for "cancelled: report acme 2026-05 — nothing was changed" 3
check "and no report pane opens" not ui_wait_for "┌ Report" 1

ui_keys :
ui_type "report acme 2026-05"
ui_keys Enter
check "a second report waits too" ui_wait_for "waiting for report acme 2026-05" 3
ui_keys C-c
check "Ctrl-C cancels it" ui_wait_for "cancelled: report acme 2026-05 — nothing was changed" 3
sleep 0.3
check "and the console is still running" not ui_dead

UI_SESSION=dba ui_type "ROLLBACK; "
UI_SESSION=dba ui_keys Enter
UI_SESSION=dba check "the DBA lets go" ui_wait_for "ROLLBACK"
ui_keys :
ui_type "report acme 2026-05"
ui_keys Enter
check "with the lock gone, the report opens in the pane" ui_wait_for "┌ Report ACME 2026-05 " 5
check "with its first lines" ui_wait_for "Monthly report 2026-05: Acme Oy (ACME)"
check "the status line says which" ui_wait_for "report of ACME for 2026-05"

ui_keys q
check "quits" ui_wait_exit
check "exit status 0" test "$(ui_exit_status)" = 0
ui_done
