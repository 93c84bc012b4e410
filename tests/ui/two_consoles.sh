#!/usr/bin/env bash
# Two consoles as two agents: what one does appears on the other within a second, with no
# key pressed on the other.
. "$(dirname "$0")/lib.sh"
ui_fixture

UI_SESSION=alice ui_start 120 40 "$TUKI" -d user=alice
UI_SESSION=bob ui_start 120 40 "$TUKI" -d user=bob
UI_SESSION=alice check "alice's console is up" ui_wait_for "connected as alice"
UI_SESSION=bob check "bob's console is up" ui_wait_for "connected as bob"

UI_SESSION=alice ui_keys :
UI_SESSION=alice ui_type "take 8"
UI_SESSION=alice ui_keys Enter
UI_SESSION=alice check "alice took 8" ui_wait_for "took #8"
# Bob's row for 8 must show alice as the agent within one second, untouched.
row_shows_alice() { UI_SESSION=bob ui_screen | grep -qE '^│8 .* open +alice'; }
start=$(date +%s%N)
seen=
while (( ($(date +%s%N) - start) / 1000000 < 1000 )); do
    row_shows_alice && { seen=1; break; }
    sleep 0.02
done
echo "# seen after $(( ($(date +%s%N) - start) / 1000000 )) ms"
check "bob sees it within 1 s without a key press" test -n "$seen"

# And the other way round, through a raw change by a DBA in psql (no key pressed on alice's).
UI_SESSION=alice check "row 9 is new and nobody's before" ui_wait_for_re '^│9 .* new +- ' 2
psql -Xqc "UPDATE tuki.ticket SET status = 'open', assignee = 'lena' WHERE id = 9"
# Row 9 is on alice's screen already; what must come is its new status and agent.
UI_SESSION=alice check "alice sees a change made in psql" ui_wait_for_re '^│9 .* open +lena ' 2

for s in alice bob; do
    UI_SESSION=$s ui_keys q
    UI_SESSION=$s check "$s quits" ui_wait_exit
    UI_SESSION=$s check "$s exit status 0" test "$(UI_SESSION=$s ui_exit_status)" = 0
done
ui_done
