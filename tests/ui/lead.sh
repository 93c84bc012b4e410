#!/usr/bin/env bash
# A team lead rebalancing work: the workload view by key, several tickets assigned at once,
# a ticket released; and a key binding from the configuration file.
. "$(dirname "$0")/lib.sh"
ui_fixture
"$TUKI" -d user=alice -c 'take 1' -c 'take 7' -c 'take 4' >/dev/null
conf=$(mktemp)
trap 'ui_cleanup; rm -f "$conf"' EXIT
printf 'keys = (\n  { key = "T"; command = "take"; },\n  { key = "F5"; command = "filter mine"; }\n);\n' >"$conf"

ui_start 120 40 "$TUKI" -f "$conf" -d user=lena
check "lena's console is up" ui_wait_for "connected as lena"
ui_keys w
check "w shows the workload per agent" ui_wait_for "Workload per agent"
check "alice holds three open tickets" ui_wait_for_re '^│alice +3 +0 +0 '
ui_keys :
ui_type "assign 1,4 bob"
ui_keys Enter
check "assign two tickets at once" ui_wait_for "assigned 2 tickets to bob"
check "the workload follows by itself" ui_wait_for_re '^│bob +2 +0 +0 '
ui_keys :
ui_type "release 7"
ui_keys Enter
check "release hands #7 back" ui_wait_for "released #7 back to the queue"
check "nobody holds it now" test -z "$(psql -XAtc "SELECT assignee FROM tuki.ticket WHERE id = 7")"
ui_keys T
check "a configured key: T takes the top of the queue" ui_wait_for "(top of the queue)"
ui_keys F5
check "a configured function key: F5 filters mine" ui_wait_for "Queue: mine (1)"
ui_keys q
check "quits" ui_wait_exit
check "exit status 0" test "$(ui_exit_status)" = 0
ui_done
