#!/usr/bin/env bash
# Two consoles open while the server is stopped for 20 s: both show the offline banner the
# whole time, keep retrying with backoff, and once the server is back reconnect by themselves
# and show a change committed while they were still away. Prints the reconnect times.
. "$(dirname "$0")/../ui/lib.sh"
. "$(dirname "$0")/lib.sh"
ui_fixture

check "alice's console is up" console_open one alice
check "bob's console is up" console_open two bob

fault_stop
for n in one two; do
    console $n
    check "stopped: console $n shows the offline banner" ui_wait_for "offline:" 10
done
sleep 20
for n in one two; do
    console $n
    check "after 20 s: console $n still says it is offline" on_screen "offline:"
    check "after 20 s: console $n has not claimed to be connected" not on_screen "connected as"
done
check "the server starts again" fault_start || { tail -5 "$FAULT_LOG"; ui_done; }
since=$(fault_now)
set_subject 1 "Katko ohi"
await_reconnects "the server's start" "$since" one:alice two:bob
for n in one two; do
    console $n
    check "console $n shows the change committed as the server came back" ui_wait_for "Katko ohi" 10
done
set_subject 4 "Katon jälkeen"
for n in one two; do
    console $n
    check "console $n shows a change committed after it reconnected" ui_wait_for "Katon jälkeen" 10
    ui_keys q
    check "console $n quits cleanly" ui_wait_exit
    check "console $n exits 0" test "$(ui_exit_status)" = 0
done
ui_done
