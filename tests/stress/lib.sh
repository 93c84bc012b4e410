# Helpers for the fault tests: two consoles in tmux (tests/ui/lib.sh drives them) and control
# of the throwaway server that tests/lib/pgcluster.sh started (TUKI_TEST_PGDATA).
# Source it after tests/ui/lib.sh.

FAULT_DATA=${TUKI_TEST_PGDATA:?the fault tests run inside tests/lib/run-db-test.sh}
FAULT_LOG=$(dirname "$FAULT_DATA")/server.log
FAULT_BINDIR=$(psql -XAtc "SELECT setting FROM pg_config WHERE name = 'BINDIR'")
# the options the server was started with (pg_ctl writes them to postmaster.opts), less the
# program and its data directory, so a stopped server can be started the same way again
FAULT_OPTS=$(sed -e 's/^[^ ]* *//' -e 's/"-D" "[^"]*" *//' "$FAULT_DATA/postmaster.opts")

# As root the server runs as the user that owns its data directory.
fault_pg_ctl() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u "$(stat -c %U "$FAULT_DATA")" -- "$FAULT_BINDIR/pg_ctl" -D "$FAULT_DATA" "$@"
    else
        "$FAULT_BINDIR/pg_ctl" -D "$FAULT_DATA" "$@"
    fi
}
fault_restart() { fault_pg_ctl -w -t 60 -l "$FAULT_LOG" -m fast restart >/dev/null; }
fault_stop() { fault_pg_ctl -w -t 60 -m fast stop >/dev/null; }
fault_start() { fault_pg_ctl -w -t 60 -l "$FAULT_LOG" -o "$FAULT_OPTS" start >/dev/null; }

# Seconds since the epoch with microseconds, and the difference of two such in seconds.
fault_now() { echo "$EPOCHREALTIME"; }
fault_since() { awk -v a="$1" -v b="$(fault_now)" 'BEGIN { printf "%.2f", b - a }'; }

# console NAME: the following ui_* calls drive the console in tmux session NAME.
console() { UI_SESSION=$1; }

# console_open NAME LOGIN: a console for LOGIN in session NAME, up and showing the queue; its
# status line is then moved off "connected as", so that the next "connected as" is a reconnect.
console_open() {
    console "$1"
    ui_start 120 30 "$TUKI" -d "user=$2"
    ui_wait_for "connected as $2" || return 1
    ui_keys :
    ui_type "filter all"
    ui_keys Enter
    ui_wait_gone "connected as $2"
}

# console_backend LOGIN: the pid of the console's backend(s) for LOGIN.
console_backend() {
    psql -XAtc "SELECT pid FROM pg_stat_activity WHERE usename = '$1' AND application_name = 'tuki'"
}

# console_pid NAME: the pid of the tuki process in session NAME (the child of the pane's shell).
console_pid() { pgrep -P "$(ui_tmux display-message -p -t "$1" '#{pane_pid}')"; }

# await_reconnects FAULT SINCE NAME:LOGIN...: watches all the consoles at once until each says
# it is connected again with no banner; reports per console the seconds since SINCE (a
# fault_now, taken when the fault struck or, after an outage, when the server was back) and
# whether its offline banner was seen on the way (also in FAULT_BANNER[NAME]).
# Fails when one does not come back within 30 s.
declare -A FAULT_BANNER
await_reconnects() {
    local fault=$1 since=$2 spec screen
    shift 2
    local -A back=() banner=()
    FAULT_BANNER=()
    local start=$SECONDS
    while ((${#back[@]} < $# && SECONDS - start < 30)); do
        for spec in "$@"; do
            [ -n "${back[$spec]:-}" ] && continue
            screen=$(ui_tmux capture-pane -p -t "${spec%%:*}" 2>/dev/null)
            if grep -qF "offline:" <<<"$screen"; then
                banner[$spec]=yes
            elif grep -qF "connected as ${spec#*:}" <<<"$screen"; then
                back[$spec]=$(fault_since "$since")
            fi
        done
        sleep 0.02
    done
    local failed=0
    for spec in "$@"; do
        if [ -n "${back[$spec]:-}" ]; then
            ok "$fault: ${spec#*:}'s console reconnected by itself"
            echo "# $fault: ${spec#*:} reconnected ${back[$spec]} s after $fault (offline banner seen: ${banner[$spec]:-no})"
            FAULT_BANNER[${spec%%:*}]=${banner[$spec]:-no}
        else
            not_ok "$fault: ${spec#*:}'s console reconnected by itself"
            failed=1
        fi
    done
    return $failed
}

# on_screen TEXT: the current console shows TEXT now (no waiting).
on_screen() { ui_screen | grep -qF -- "$1"; }

# set_subject ID TEXT: a change committed behind the consoles' backs.
set_subject() {
    psql -Xq -v ON_ERROR_STOP=1 -v id="$1" -v subject="$2" <<<"UPDATE tuki.ticket SET subject = :'subject' WHERE id = :id"
}
