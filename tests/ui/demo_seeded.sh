#!/usr/bin/env bash
# The README's first command: 'tuki demo' on a fresh machine seeds the demo database, opens the
# console as the demo agent on a populated queue with coloured SLA timers, tells the psql
# login, and 'q' leaves no PostgreSQL process of the demo behind.
. "$(dirname "$0")/lib.sh"

data_home=$(mktemp -d)
chmod 755 "$data_home" # as root the server runs unprivileged and must enter it
trap 'ui_cleanup; rm -rf "$data_home"' EXIT
datadir="$data_home/tuki/demo"

# pgrep in a function: a 'bash -c' would match its own command line.
demo_server_running() { pgrep -f -- "$datadir" >/dev/null; }
no_demo_server() { ! demo_server_running; }

# The queue's title says how many active tickets it holds: "Queue: my team and mine (44)".
queue_count() { ui_screen | grep -o 'Queue: [a-z ]*([0-9]*)' | head -1 | grep -o '[0-9]*' | tail -1; }
queue_populated() { local n; n=$(queue_count); [ -n "$n" ] && [ "$n" -ge 24 ]; }
# The console loads the queue after it connects: give it a moment.
wait_queue_populated() {
    local start=$SECONDS
    while ((SECONDS - start < 30)); do
        queue_populated && return 0
        sleep 0.2
    done
    ui_screen | sed 's/^/#   /' >&2
    return 1
}
seeded_customer_shown() { ui_screen | grep -qE 'POHJOISM|SAIMAAN|ZILINA|TATRANET|KOTIPIHA|HAMEENLI|KOSICE|OULUN|KAARINA|TURUN|AANEKOS|NITRA'; }
# Distinct colours right before the SLA bars (█ used, ░ left): ok, warning, breached differ.
sla_colours() {
    ui_tmux capture-pane -e -p -t "$UI_SESSION" | grep -oa $'\e\\[[0-9;]*m[█░]' | sort -u | wc -l
}
sla_timers_coloured() { [ "$(sla_colours)" -ge 2 ]; }

ui_start 140 40 env XDG_DATA_HOME="$data_home" "$TUKI" demo
# seeding 2,000 tickets takes a few seconds on a quiet machine, longer on a busy CI runner
check "console opens as the demo agent" ui_wait_for "connected as demo" 240
check "a demo server is running" demo_server_running
check "the queue is populated" wait_queue_populated
ok "$(queue_count) active tickets in the queue"
check "seeded customers in the queue" seeded_customer_shown
check "SLA timers are shown" ui_wait_for "resp" 10
check "SLA timers in more than one colour ($(sla_colours))" sla_timers_coloured
ui_keys q
check "q quits" ui_wait_exit 60
check "exit status 0" test "$(ui_exit_status)" = 0
check "told the psql login of the demo agent" ui_wait_for "user=demo" 5
check "no postgres process of the demo left" no_demo_server
ui_done
