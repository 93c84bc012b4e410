#!/usr/bin/env bash
# Resizing 120x40 -> 40x12 -> 20x6 -> 120x40: no crash, a sane layout each time.
. "$(dirname "$0")/lib.sh"
ui_fixture

ui_start 120 40 "$TUKI" -d user=alice
check "console is up" ui_wait_for "connected as alice"
check "SLA pane at 120 columns" ui_wait_for "┌ SLA"

ui_resize 40 12
check "40x12: the queue is still there" ui_wait_for "┌ Queue"
check "40x12: no SLA pane" ui_wait_gone "┌ SLA"
# Display width, not bytes: box drawing is one column.
widest() { ui_screen | python3 -c 'import sys; print(max((len(l.rstrip("\n")) for l in sys.stdin), default=0))'; }
check "40x12: no line wider than the terminal ($(widest))" test "$(widest)" -le 40

ui_resize 20 6
check "20x6: something sane is shown" ui_wait_for "┌ Queue" 5
ui_resize 12 4
check "12x4: a too-small note" ui_wait_for "too small" 5
ui_resize 120 40
check "120x40 again: the SLA pane is back" ui_wait_for "┌ SLA"
check "120x40 again: the queue rows are back" ui_wait_for "Tulostin ei tulosta"
ui_keys q
check "quits" ui_wait_exit
check "exit status 0 (no crash)" test "$(ui_exit_status)" = 0
ui_done
