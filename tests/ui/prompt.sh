#!/usr/bin/env bash
# The readline prompt: Tab completes commands, statuses, agents and ids; Up recalls history;
# Esc cancels; history survives a restart in $XDG_STATE_HOME.
. "$(dirname "$0")/lib.sh"
ui_fixture
state=$(mktemp -d)
trap 'ui_cleanup; rm -rf "$state"' EXIT

ui_start 120 40 env XDG_STATE_HOME="$state" "$TUKI" -d user=alice
check "console is up" ui_wait_for "connected as alice"
ui_keys :
ui_type "esc"
# (tmux drops trailing blanks from captures: each check types on after the completion)
ui_keys Tab
ui_type "3"
check "Tab completes a command, with a space after it" ui_wait_for "tuki: escalate 3"
ui_type " th"
ui_keys Tab
ui_type "#"
check "Tab completes a team" ui_wait_for "tuki: escalate 3 third_line #"
ui_keys Escape
check "Esc cancels" ui_wait_gone "tuki: escalate"

ui_keys :
ui_type "assign 7 bo"
ui_keys Tab
ui_type "#"
check "Tab completes an agent" ui_wait_for "tuki: assign 7 bob #"
ui_keys C-u
ui_type "status 1 waiting_c"
ui_keys Tab
ui_type "#"
check "Tab completes a status" ui_wait_for "tuki: status 1 waiting_customer #"
ui_keys C-u
ui_type "filter customer:TA"
ui_keys Tab
check "Tab completes a filter with a customer" ui_wait_for "tuki: filter customer:TATRA"
ui_keys Enter
check "the filter applies" ui_wait_for "Queue: customer TATRA (3)"

ui_keys :
ui_type "take 6"
ui_keys Enter
check "take 6" ui_wait_for "took #6"
ui_keys : Up
check "Up recalls the last command" ui_wait_for "tuki: take 6"
ui_keys Up
check "and the one before" ui_wait_for "tuki: filter customer:TATRA"
ui_keys C-c
check "Ctrl-C abandons the line, not the console" ui_wait_gone "tuki: filter"
ui_keys q
check "quits" ui_wait_exit
check "history file written" grep -qx "take 6" "$state/tuki/history"

UI_SESSION=again ui_start 120 40 env XDG_STATE_HOME="$state" "$TUKI" -d user=alice
UI_SESSION=again
check "restarted" ui_wait_for "connected as alice"
ui_keys : Up
check "history survives a restart" ui_wait_for "tuki: take 6"
ui_keys Escape
ui_wait_gone "tuki: take 6" >/dev/null
ui_keys q
check "quits again" ui_wait_exit
ui_done
