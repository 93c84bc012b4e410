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
check "40x12: the wide-character row is on screen" ui_wait_for "漢字"
# tmux cuts whatever passes the right edge (so the longest line can never be too long):
# a pane laid out wider than the terminal shows instead as frame lines whose right border
# is missing or out of place. Every frame line must end with its border exactly at column
# 40, counting CJK glyphs as the two columns they take.
frames_fit() {
    ui_screen | head -n 11 | python3 -c '
import sys, unicodedata
bad = []
for n, line in enumerate(sys.stdin, 1):
    line = line.rstrip("\n")
    width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
    if width != 40 or line[-1:] not in ("│", "┐", "┘"):
        bad.append("%d: %d columns, ends %r" % (n, width, line[-1:]))
print("; ".join(bad))
sys.exit(1 if bad else 0)'
}
check "40x12: every frame line ends with its border at column 40" frames_fit

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
