#!/usr/bin/env bash
# 'tuki demo' starts a private server, opens the console on it, and leaves no PostgreSQL
# process behind after 'q'; a second run reuses the data directory.
. "$(dirname "$0")/lib.sh"

data_home=$(mktemp -d)
chmod 755 "$data_home" # as root the server runs unprivileged and must enter it
trap 'ui_cleanup; rm -rf "$data_home"' EXIT
datadir="$data_home/tuki/demo"

# pgrep in a function: a 'bash -c' would match its own command line.
demo_server_running() { pgrep -f -- "$datadir" >/dev/null; }
no_demo_server() { ! demo_server_running; }

demo_round() {
    local round=$1
    UI_SESSION="demo$round"
    ui_start 120 40 env XDG_DATA_HOME="$data_home" "$TUKI" demo --tickets 40 # the server's life is under test here, not the data
    check "round $round: console on the demo database" ui_wait_for "connected as" 60
    check "round $round: a demo server is running" demo_server_running
    ui_keys q
    check "round $round: q quits" ui_wait_exit 60
    check "round $round: exit status 0" test "$(ui_exit_status)" = 0
    local sockdir
    sockdir=$(ui_screen | grep -o "host=/tmp/tuki-demo-[A-Za-z0-9]*" | head -1 | cut -d= -f2)
    check "round $round: told the psql login" test -n "$sockdir"
    check "round $round: socket directory removed" test ! -e "${sockdir:-/nonexistent}"
    check "round $round: no demo server left" no_demo_server
}

demo_round 1
check "data directory created" test -f "$datadir/PG_VERSION"
demo_round 2

# A stale lock file whose pid now belongs to another process: one clear line, then it starts
# (here without a terminal, so the console declines at once and the server stops again).
sleep 60 &
sleeper=$!
echo "$sleeper" >"$datadir/postmaster.pid"
out=$(XDG_DATA_HOME="$data_home" "$TUKI" demo </dev/null 2>&1)
kill "$sleeper" 2>/dev/null
echo "$out" | sed 's/^/# /'
check "said it removed the stale lock" grep -q "removed a stale lock file" <<<"$out"
check "the server started over it (the console then wanted a terminal)" grep -q "the console needs a terminal" <<<"$out"
check "no demo server left after that" no_demo_server
demo_round 3

# A second demo while one runs: one clear message, exit 69, the first one unharmed.
UI_SESSION=first
ui_start 120 40 env XDG_DATA_HOME="$data_home" "$TUKI" demo
check "first demo up" ui_wait_for "connected as" 60
out=$(XDG_DATA_HOME="$data_home" "$TUKI" demo 2>&1)
rc=$?
check "second demo exits 69" test "$rc" = 69
check "and says a demo server is already running" grep -q "a demo server is already running" <<<"$out"
check "the first still works" ui_wait_for "connected as"
ui_keys q
check "first demo quits" ui_wait_exit 60
check "no demo server left at the end" no_demo_server

out=$(XDG_DATA_HOME="$data_home" TUKI_PG_BINDIR=/nonexistent "$TUKI" demo 2>&1)
rc=$?
check "without initdb: exit 69" test "$rc" = 69
check "without initdb: one clear message" grep -q "needs the PostgreSQL server programs initdb and pg_ctl" <<<"$out"
ui_done
