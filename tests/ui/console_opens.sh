#!/usr/bin/env bash
# The console opens on a real database with its pane frames and a status line saying who is
# connected where, and 'q' leaves with the terminal restored.
. "$(dirname "$0")/lib.sh"

ui_start 120 40 "$TUKI"
check "status line names role and database" ui_wait_for "connected as postgres to postgres"
screen=$(ui_screen)
check "queue pane frame" grep -q "┌ Queue" <<<"$screen"
check "SLA pane frame" grep -q "┌ SLA" <<<"$screen"
check "ticket pane frame" grep -q "├ Ticket\|┌ Ticket" <<<"$screen"
ui_keys q
check "q quits" ui_wait_exit
check "exit status 0" test "$(ui_exit_status)" = 0
check "screen restored (no frames left)" not grep -q '┌' <<<"$(ui_screen)"
ui_done
