#!/usr/bin/env bash
# SIGTSTP (Ctrl-Z), SIGTERM and SIGINT leave the terminal sane: the shell gets a cooked,
# echoing terminal back, and fg brings the console back intact.
. "$(dirname "$0")/lib.sh"
ui_fixture

ui_start 120 40 bash --norc --noprofile -i
# bash --norc prompts "bash-5.2$ " or, as root, "bash-5.2# "
check "the shell is up" ui_wait_for "bash-"
ui_type "PS1='sh> '; tuki() { \"\$TUKI\" \"\$@\"; }"
ui_keys Enter
ui_type 'tuki -d user=alice'
ui_keys Enter
check "console is up" ui_wait_for "connected as alice"
# the first paint may still be under way (slow under ASan): a Ctrl-Z during it is ignored
check "the first paint is done" ui_wait_still
ui_keys C-z
check "Ctrl-Z suspends to the shell" ui_wait_for "Stopped"
ui_type 'stty -a | tr " " "\n" | grep -E "^-?(icanon|echo)$" | tr "\n" " "; echo'
ui_keys Enter
check "the terminal is cooked and echoing while suspended" ui_wait_for "icanon echo"
ui_type 'fg'
ui_keys Enter
check "fg brings the console back" ui_wait_for "Queue: my team and mine"
ui_keys q
check "q leaves" ui_wait_for "sh> "

ui_type 'clear; tuki -d user=alice'
ui_keys Enter
check "console up again" ui_wait_for "connected as alice"
# The console is the child of this pane's shell (tests run in parallel: no pgrep by name).
shell=$(pgrep -P "$(ui_tmux display-message -p -t "$UI_SESSION" '#{pane_pid}')" -x bash)
pid=$(pgrep -P "$shell" -x tuki)
kill -TERM "$pid"
# Type nothing before it is gone: keys typed meanwhile would go to the console, not the shell.
gone() { for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done; return 1; }
check "SIGTERM ends the console within 10 s" gone
ui_type 'echo "term=$?"'
ui_keys Enter
check "SIGTERM leaves cleanly (exit 0)" ui_wait_for "term=0"
ui_type 'stty -a | tr " " "\n" | grep -E "^-?(icanon|echo)$" | tr "\n" " "; echo done'
ui_keys Enter
check "terminal sane after SIGTERM" ui_wait_for "icanon echo done"
ui_type 'clear; tuki -d user=alice'
ui_keys Enter
check "console up a third time" ui_wait_for "connected as alice"
ui_keys C-c
ui_type 'echo "int=$?"'
ui_keys Enter
check "Ctrl-C quits cleanly (exit 0)" ui_wait_for "int=0"
ui_type 'stty -a | tr " " "\n" | grep -E "^-?(icanon|echo)$" | tr "\n" " "; echo fine'
ui_keys Enter
check "terminal sane after Ctrl-C" ui_wait_for "icanon echo fine"

# With the terminal's ISIG off, Ctrl-C arrives as a byte; at the prompt it abandons the line,
# elsewhere it quits, as the signal would.
ui_type 'clear; tuki -d user=alice'
ui_keys Enter
check "console up a fourth time" ui_wait_for "connected as alice"
stty -F "$(ui_tmux display-message -p -t "$UI_SESSION" '#{pane_tty}')" -isig
ui_keys :
ui_type 'take 9'
ui_keys C-c
ui_keys q
ui_type 'echo "byte=$?"'
ui_keys Enter
check "with ISIG off, Ctrl-C abandons the prompt line and q then quits (exit 0)" ui_wait_for "byte=0"
taken_by_alice() { [ "$(psql -X -At -c 'SELECT assignee FROM tuki.ticket WHERE id = 9')" = alice ]; }
check "the abandoned line did not run" not taken_by_alice
ui_type 'clear; tuki -d user=alice'
ui_keys Enter
check "console up a fifth time" ui_wait_for "connected as alice"
stty -F "$(ui_tmux display-message -p -t "$UI_SESSION" '#{pane_tty}')" -isig
ui_keys C-c
ui_type 'echo "byte2=$?"'
ui_keys Enter
check "with ISIG off, Ctrl-C outside the prompt quits (exit 0)" ui_wait_for "byte2=0"
ui_done
