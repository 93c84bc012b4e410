#!/usr/bin/env bash
# Cancelling the prompt in the middle of anything readline is doing (a history search, a
# quoted insert waiting for its key, a numeric argument, half a key sequence, an edited
# history line) leaves nothing behind: the next prompt opens empty, history and Enter
# work, and the program ends with no memory error.
. "$(dirname "$0")/lib.sh"
ui_fixture
state=$(mktemp -d)
trap 'ui_cleanup; rm -rf "$state"' EXIT
export XDG_STATE_HOME=$state # a history of its own
UI_TIMEOUT=20

ui_start_checked 120 40 -d user=alice
check "console is up" ui_wait_for "connected as alice"
ui_keys :
ui_type "filter all"
ui_keys Enter
check "a first line for the history" ui_wait_for "Queue: all"

# prompt_is_clean WHAT: after a cancel, ':' opens an empty prompt whose Up finds the history.
prompt_is_clean() {
    # Closed first: an Esc and the ':' after it in one read would be Meta-: to readline.
    ui_wait_gone "tuki: " 5 || return 1
    ui_keys :
    ui_type "#"
    ui_wait_for "tuki: #" 5 || return 1
    ui_keys BSpace Up
    ui_wait_for "tuki: filter all" 5 || return 1
    ui_keys C-g
    ui_wait_gone "tuki: filter all" 5
}

for cancel in C-c C-g Escape; do
    ui_keys : C-r
    ui_type "filt"
    ui_wait_for "filt" 5 >/dev/null
    ui_keys "$cancel"
    [ "$cancel" = C-g ] && ui_keys C-g # the first Ctrl-G ends the search, as in readline
    check "cancelled during a history search ($cancel)" prompt_is_clean

    ui_keys :
    ui_type "ab"
    ui_keys C-v
    ui_keys "$cancel"
    [ "$cancel" != C-c ] && ui_keys C-g # Ctrl-V took the key literally
    check "cancelled during a quoted insert ($cancel)" prompt_is_clean

    ui_keys : M-5 C-x
    ui_keys "$cancel"
    [ "$cancel" = C-g ] && ui_keys C-g # C-x C-g aborts the sequence, as in readline
    check "cancelled during a numeric argument and C-x ($cancel)" prompt_is_clean

    ui_keys : Up
    ui_type " edited"
    ui_keys C-w C-_ Left
    ui_keys "$cancel"
    check "cancelled on an edited history line ($cancel)" prompt_is_clean
done

ui_keys :
ui_type "quit"
ui_keys Enter
check "quits" ui_wait_exit
status=$(ui_exit_status)
check "no crash and no memory error (exit $status)" test "$status" = 0
[ "$status" = 0 ] || ui_checker_report
ui_done
