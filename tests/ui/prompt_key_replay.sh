#!/usr/bin/env bash
# The prompt survives the 192-key sequence that once freed readline's undo list twice
# (found by a key storm; one tmux send-keys argument list per line), with no memory error.
. "$(dirname "$0")/lib.sh"
ui_fixture
state=$(mktemp -d)
trap 'ui_cleanup; rm -rf "$state"' EXIT
UI_TIMEOUT=30
export XDG_STATE_HOME=$state # a history of its own
# r, n, e and N open $EDITOR: here one that changes nothing, so the edit is cancelled
export EDITOR=true VISUAL=

ui_start_checked 120 40 -d user=alice
check "console is up" ui_wait_for "connected as alice"
while read -ra keys; do
    ((${#keys[@]})) || continue
    ui_keys "${keys[@]}"
    ui_dead && break
done <"$(dirname "$0")/prompt-keys-double-free.keys"
check "the console is still running after the sequence" not ui_dead
# Whatever state the keys left: leave the prompt, then quit by the command line.
ui_keys C-g Escape
sleep 0.2
ui_keys :
ui_type "quit"
ui_keys Enter
check "quits" ui_wait_exit
status=$(ui_exit_status)
check "no crash and no memory error (exit $status)" test "$status" = 0
[ "$status" = 0 ] || ui_checker_report
ui_done
