#!/usr/bin/env bash
# A connection failure prints libpq's message, exits 69 and never starts curses.
. "$(dirname "$0")/lib.sh"

ui_start 100 20 bash -c '"$TUKI" -d "host=/nonexistent"; echo "exit=$?"; stty -a | grep -o -- "-\?icanon" | head -1 | sed "s/^/mode=/"; sleep 30'
check "exit status 69" ui_wait_for "exit=69"
ui_wait_for "mode=" >/dev/null # the shell prints the terminal's mode just after
screen=$(ui_screen)
check "libpq's own message" grep -q '/nonexistent/.s.PGSQL.5432' <<<"$screen"
check "no curses frames" not grep -q '┌' <<<"$screen"
check "terminal still canonical" grep -q "^mode=icanon" <<<"$screen"
ui_done
