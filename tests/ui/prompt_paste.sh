#!/usr/bin/env bash
# A bracketed paste (ESC [ 200 ~ … ESC [ 201 ~) at the prompt inserts the pasted bytes
# literally, however they arrive, and never reads past them; half a paste start
# (ESC [ 2 0 0 ~ a b c with no end yet) waits for the rest instead of reading on.
. "$(dirname "$0")/lib.sh"
ui_fixture
state=$(mktemp -d)
trap 'ui_cleanup; rm -rf "$state"' EXIT
export XDG_STATE_HOME=$state # a history of its own
UI_TIMEOUT=20
hex() { printf '%s' "$1" | od -An -tx1 | tr -s ' \n' '  '; }
paste_start="1b 5b 32 30 30 7e"
paste_end="1b 5b 32 30 31 7e"

ui_start_checked 120 40 -d user=alice
check "console is up" ui_wait_for "connected as alice"

ui_keys :
# shellcheck disable=SC2046 # one hex byte per argument
ui_keys -H $paste_start $(hex abc)
sleep 0.5
check "the console survives a paste that has not ended" not ui_dead
ui_type "de"
sleep 0.3
check "until it ends, typed bytes belong to the paste" not ui_wait_for "tuki: abc" 1
# shellcheck disable=SC2046
ui_keys -H $paste_end
check "the paste is inserted when it ends" ui_wait_for "tuki: abcde"
ui_keys C-u

# Control characters inside a paste are text, not editing keys (C-u would kill the line,
# Tab would complete, Enter would run it); the end sequence may come in pieces.
# shellcheck disable=SC2046
ui_keys -H $paste_start $(hex "ab") 15 $(hex "cd") 09 0d $(hex "ef") 1b 5b 32
# shellcheck disable=SC2046
ui_keys -H 30 31 7e $(hex "gh")
check "pasted Ctrl-U, Tab and Enter stay in the line" ui_wait_for_re "tuki: ab.cd.{1,2}efgh"
check "nothing pasted ran as a command" not ui_wait_for "unknown command" 1
ui_keys C-a C-k
# A paste then Enter runs what was pasted, as typed text would.
# shellcheck disable=SC2046
ui_keys -H $paste_start $(hex "take 6") $paste_end 0d
check "a pasted command runs on Enter" ui_wait_for "took #6"

# The terminal marks pastes while the prompt is open (tmux paste-buffer -p brackets only
# when the program asked for it): a pasted newline is text, not Enter.
printf 'take 6\nrm -rf' >"$state/two-lines"
ui_tmux load-buffer "$state/two-lines"
ui_keys :
ui_wait_for "tuki: " >/dev/null # the terminal brackets pastes only once the prompt asked it to
ui_tmux paste-buffer -p -t "$UI_SESSION"
check "a pasted newline stays in the line" ui_wait_for "tuki: take 6�rm -rf"
check "and runs nothing" not ui_wait_for "took #6" 1
ui_keys C-g

# A long paste arrives whole up to the prompt's limit (8192 bytes): 8,000 bytes in one line,
# in the history file at the end.
python3 -c 'print("xyzzy " + "0123456789" * 799, end="")' >"$state/long"
ui_tmux load-buffer "$state/long"
ui_keys :
ui_wait_for "tuki: " >/dev/null
ui_tmux paste-buffer -p -t "$UI_SESSION"
ui_wait_for "456789" 20 >/dev/null
ui_keys Enter
check "the long line runs (as an unknown command)" ui_wait_for "xyzzy" 20

# Beyond the limit a paste is not inserted (readline's motions would take seconds a key on
# it): the status line says so and points to the editor; nothing is cut silently or run.
python3 -c 'print("plugh " + "0123456789" * 10000, end="")' >"$state/huge"
ui_tmux load-buffer "$state/huge"
ui_keys :
ui_wait_for "tuki: " >/dev/null
ui_tmux paste-buffer -p -t "$UI_SESSION"
check "a 100,006-byte paste is refused with the limit named" \
    ui_wait_for "100006 bytes do not fit the prompt's line (at most 8192)" 20
ui_keys C-e
check "the next key shows the line again, empty" ui_wait_for_re "^tuki: *$"
ui_keys Enter
check "and nothing runs" not ui_wait_for "plugh" 1

# What a key puts beyond the limit is cut off: the kill ring cannot grow from prompt to
# prompt by yanking twice and killing the line (the fuzzer's stall: one % then took 36 s).
python3 -c 'print("w" * 5000, end="")' >"$state/half"
ui_tmux load-buffer "$state/half"
ui_keys :
ui_wait_for "tuki: " >/dev/null
ui_tmux paste-buffer -p -t "$UI_SESSION"
ui_wait_for "wwwww" 20 >/dev/null
ui_keys C-a C-k C-y C-y
check "a yank beyond the limit is cut back to it" \
    ui_wait_for "10000 bytes do not fit the prompt's line (at most 8192)" 20
ui_keys C-a C-k C-g :
ui_wait_for "tuki: " >/dev/null
ui_keys C-y C-y
check "a kill of the cut line, yanked twice in the next prompt, is no more than the limit" \
    ui_wait_for "16384 bytes do not fit the prompt's line (at most 8192)" 20
ui_keys C-g

ui_keys :
ui_type "quit"
ui_keys Enter
check "quits" ui_wait_exit
check "the long pasted line is in the history whole" \
    test "$(grep -c "^xyzzy $(printf '0123456789%.0s' $(seq 799))\$" "$state/tuki/history")" = 1
status=$(ui_exit_status)
check "no crash and no memory error (exit $status)" test "$status" = 0
[ "$status" = 0 ] || ui_checker_report
ui_done
