#!/usr/bin/env bash
# The queue pane shows the same tickets in the same order as tuki.queue, and a subject with
# wide characters does not shift the columns to its right.
. "$(dirname "$0")/lib.sh"
ui_fixture

ui_start 120 40 "$TUKI" -d user=alice
check "console is up" ui_wait_for "connected as alice"
want=$(psql -XAtc "SELECT id FROM tuki.queue ORDER BY position LIMIT 20" | tr '\n' ' ')
# The queue rows are the lines between the header and the frame's bottom, first column.
got=$(ui_screen | awk '/│#  *P/{on=1; next} on && /^└/{exit} on {print}' |
    sed -n 's/^│\([0-9][0-9]*\) .*/\1/p' | tr '\n' ' ')
echo "# tuki.queue: $want"
echo "# on screen:  $got"
check "same ids in the same order as tuki.queue" test "$got" = "$want"

wide=$(ui_column "Päivä čaká 漢字")
check "the wide subject is on screen" test -n "$wide"
status_wide=$(ui_screen | python3 -c '
import sys, unicodedata
w = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
cols = set()
for line in sys.stdin:
    if line.startswith("│") and (" new " in line) and ("prem" in line or "std" in line or "lite" in line):
        cols.add(w(line[:line.index(" new ")]))
print(len(cols))')
check "the Status column lines up on every row (wide subject included)" test "$status_wide" = 1

ui_keys q
check "quits" ui_wait_exit
check "exit status 0" test "$(ui_exit_status)" = 0
ui_done
