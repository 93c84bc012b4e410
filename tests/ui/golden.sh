#!/usr/bin/env bash
# Golden screens: what an agent sees, compared whole with tests/ui/golden/*.txt (tig's way).
# Regenerate: UI_GOLDEN_UPDATE=1 meson test -C build golden.sh (see lib.sh for the masks).
. "$(dirname "$0")/lib.sh"
ui_fixture
# The ticket pane names the zone of its times: the same on every machine.
export TZ=UTC
unset PGTZ

ui_start 120 40 "$TUKI" -d user=alice
check "console is up" ui_wait_for "connected as alice"
check "the clocks are in" ui_wait_for "#11 res "
check "queue and SLA panes" ui_golden queue

ui_keys Enter
check "the ticket opens" ui_wait_for "Hei, tulostin ei toimi."
check "ticket pane" ui_golden ticket

ui_keys '?'
check "help is shown" ui_wait_for "Commands (%i = the selected ticket)"
check "help" ui_golden help

ui_keys w
check "workload is shown" ui_wait_for "Workload per agent"
check "workload" ui_wait_for "lena"
check "workload pane" ui_golden workload

ui_keys :
ui_type "assign 1 "
check "the prompt is open" ui_wait_for "tuki: assign 1"
check "prompt" ui_golden prompt
ui_keys Escape
check "the prompt is closed" ui_wait_gone "tuki: assign 1"

# The SLA pane at the smallest width that still has it.
ui_resize 80 24
check "the SLA pane at 80 columns" ui_wait_for "┐┌ SLA"
check "SLA pane, 80x24" ui_golden sla

ui_resize 15 5
check "too small" ui_wait_for "too small"
check "the too-small note" ui_golden too_small
ui_resize 120 40
check "back to full size" ui_wait_for "Queue: my team and mine"

ui_keys q
check "quits" ui_wait_exit
ui_done
