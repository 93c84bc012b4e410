#!/usr/bin/env bash
# Colours: 8 colours on a plain terminal, 256 where the terminal has them, none with
# NO_COLOR or console.colors = "none" (then only bold, reverse and dim), and the SLA bars
# coloured by state: green ok, red breached.
. "$(dirname "$0")/lib.sh"
ui_fixture

sgr() { ui_tmux capture-pane -e -p -t "$UI_SESSION"; }
has_color() { sgr | grep -qE $'\e\\[[0-9;]*(3[0-7]|38;5;[0-9]+)[;m]'; }
has_reverse() { sgr | grep -qE $'\e\\[([0-9;]*;)?7[;m]'; }
has_256() { sgr | grep -qE $'\e\\[[0-9;]*38;5;[0-9]+'; }
bar_in() { # bar_in SGR-REGEX: an SLA bar cell drawn in that colour
    sgr | grep -qE $'\e\\['"$1"'[;0-9]*m[█░]'
}
quit() {
    ui_keys q
    ui_wait_exit >/dev/null
}

UI_SESSION=eight ui_start 120 40 env TERM=screen "$TUKI" -d user=alice
UI_SESSION=eight check "8 colours: console up" ui_wait_for "connected as alice"
UI_SESSION=eight check "8 colours: the clocks are in" ui_wait_for "#11 res "
UI_SESSION=eight check "8 colours: colour is used" has_color
UI_SESSION=eight check "8 colours: a green bar (ok clock)" bar_in '(0;)?32'
UI_SESSION=eight check "8 colours: a red bar (the week-old breached ticket)" bar_in '(0;)?31'
UI_SESSION=eight check "8 colours: no 256-colour codes" not has_256
UI_SESSION=eight quit

UI_SESSION=rich ui_start 120 40 env TERM=screen-256color "$TUKI" -d user=alice
UI_SESSION=rich check "256 colours: console up" ui_wait_for "connected as alice"
UI_SESSION=rich check "256 colours: the clocks are in" ui_wait_for "#11 res "
UI_SESSION=rich check "256 colours: the breached bar uses colour 196" bar_in '(0;)?38;5;196'
UI_SESSION=rich quit

UI_SESSION=none ui_start 120 40 env TERM=screen-256color NO_COLOR=1 "$TUKI" -d user=alice
UI_SESSION=none check "NO_COLOR: console up" ui_wait_for "connected as alice"
UI_SESSION=none check "NO_COLOR: the clocks are in" ui_wait_for "#11 res "
UI_SESSION=none check "NO_COLOR: no colour at all" not has_color
UI_SESSION=none check "NO_COLOR: the selection is still visible (reverse)" has_reverse
UI_SESSION=none quit

conf=$(mktemp)
printf 'console = { colors = "none"; };\n' >"$conf"
UI_SESSION=cfg ui_start 120 40 env TERM=screen-256color "$TUKI" -f "$conf" -d user=alice
UI_SESSION=cfg check "console.colors none: console up" ui_wait_for "connected as alice"
UI_SESSION=cfg check "console.colors none: the clocks are in" ui_wait_for "#11 res "
UI_SESSION=cfg check "console.colors none: no colour" not has_color
UI_SESSION=cfg quit
rm -f "$conf"
ui_done
