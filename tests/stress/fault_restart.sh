#!/usr/bin/env bash
# Two consoles open while (a) the server restarts (pg_ctl restart -m fast) and (b) their backends
# are terminated: each console notices, says so (the offline banner, then "connected as"
# again), reconnects by itself and shows the data: a change committed as it came back (after
# the restart; while it was away after the kill) and one committed after it was back (so it
# LISTENs again). Prints the reconnect times.
. "$(dirname "$0")/../ui/lib.sh"
. "$(dirname "$0")/lib.sh"
ui_fixture

check "alice's console is up" console_open one alice
check "bob's console is up" console_open two bob

# shows_changes NAME WHEN: both consoles show the change committed WHEN, before this call, and
# one committed after they were back.
shows_changes() {
    local name=$1 when=$2 n
    for n in one two; do
        console $n
        check "$name: console $n shows the change committed $when" ui_wait_for "Vika $name kesken" 10
    done
    set_subject 4 "Vika $name ohi"
    for n in one two; do
        console $n
        check "$name: console $n shows a change committed after it reconnected" ui_wait_for "Vika $name ohi" 10
        # the status line moves on again, so the next fault's "connected as" is news
        ui_keys :
        ui_type "filter all"
        ui_keys Enter
        ui_wait_gone "connected as" 5
    done
}

# (a) the server restarts under them
since=$(fault_now)
fault_restart &
restart=$!
await_reconnects "pg_ctl restart" "$since" one:alice two:bob
check "restart: pg_ctl restart succeeded" wait $restart
for n in one two; do
    check "restart: console $n showed the offline banner" test "${FAULT_BANNER[$n]:-}" = yes
done
set_subject 1 "Vika restart kesken"
shows_changes restart "as the server came back"

# (b) both backends terminated; the server stays up, so the banner may be too brief to see
# and "connected as" on the status line is what tells of it
since=$(fault_now)
psql -XAtc "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE usename IN ('alice', 'bob') AND application_name = 'tuki'" >/dev/null
set_subject 1 "Vika terminate kesken"
await_reconnects "pg_terminate_backend" "$since" one:alice two:bob
shows_changes terminate "while it was away"
check "one backend each serves the consoles again" \
    test "$(psql -XAtc "SELECT count(*) FROM pg_stat_activity WHERE usename IN ('alice', 'bob') AND application_name = 'tuki'")" = 2

for n in one two; do
    console $n
    ui_keys q
    check "console $n quits cleanly" ui_wait_exit
    check "console $n exits 0" test "$(ui_exit_status)" = 0
done
ui_done
