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
# The cursor goes by display width: "tuki: note 6 Päivä 漢字" is 6 + 7 + 6 + 4 columns.
ui_keys :
ui_type "note 6 Päivä 漢字"
check "wide text typed" ui_wait_for "tuki: note 6 Päivä 漢字"
check "cursor after the wide text, by display width" test "$(ui_cursor | cut -d' ' -f1)" = 23
ui_keys Left
check "one CJK character back is two columns" test "$(ui_cursor | cut -d' ' -f1)" = 21
ui_type "ä"
check "editing inside wide text" ui_wait_for "tuki: note 6 Päivä 漢ä字"
ui_keys C-g
check "Ctrl-G cancels" ui_wait_gone "tuki: note"

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

# vi editing from ~/.inputrc ($if tuki): Esc leaves insert mode instead of cancelling.
home=$(mktemp -d)
printf '$if tuki\nset editing-mode vi\n$endif\n' >"$home/.inputrc"
UI_SESSION=vi
ui_start 120 40 env HOME="$home" XDG_STATE_HOME="$state" "$TUKI" -d user=alice
check "vi: console up" ui_wait_for "connected as alice"
ui_keys :
ui_type "take 9"
ui_keys Escape
ui_type "0x"
check "vi: Esc, 0 and x edit in command mode" ui_wait_for "tuki: ake 9"
ui_type "ix"
check "vi: i inserts again" ui_wait_for "tuki: xake 9"
ui_keys Escape
sleep 0.3 # two separate presses, as a person makes them
ui_keys Escape
check "vi: Esc in command mode cancels" ui_wait_gone "tuki: xake 9"
ui_keys q
check "vi: quits" ui_wait_exit
rm -rf "$home"
ui_done
