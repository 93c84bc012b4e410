#!/usr/bin/env bash
# Paging a long queue by keys (keyset windows): every window is an unbroken slice of
# tuki.queue's order, forwards, backwards and at both ends; tickets without a running
# deadline (paused, answered) and ties in rank and priority included. tuki -c lists the
# whole queue (in windows of 1,000) in the same order.
. "$(dirname "$0")/lib.sh"
ui_fixture
psql -X -q -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
INSERT INTO tuki.ticket (customer, contract, service_level, type, channel, impact, urgency, subject)
SELECT c.customer, c.id, c.service_level, 'incident', 'email', 1 + i % 3, 1 + (i / 7) % 3,
       format('Häiriö %s', i)
  FROM generate_series(1, 1200) AS i JOIN tuki.contract c ON c.id = 1 + i % 3;
-- some answered (no response deadline any more), some waiting for the customer (paused)
UPDATE tuki.ticket SET status = 'open', assignee = 'bob' WHERE id % 2 = 0 AND status = 'new';
INSERT INTO tuki.message (ticket, visibility, body, author)
SELECT id, 'public', 'Katsotaan.', 'bob' FROM tuki.ticket WHERE id % 4 = 0;
UPDATE tuki.ticket SET status = 'waiting_customer' WHERE id % 4 = 0 AND status = 'open';
SQL
psql -XAtc "SELECT id FROM tuki.queue ORDER BY position" >"$UI_DIR/view"
echo "# $(wc -l <"$UI_DIR/view") active tickets, $(psql -XAtc "SELECT count(*) FROM tuki.queue WHERE next_due IS NULL") without a running deadline"

"$TUKI" -d user=alice -c 'filter all' | cut -f1 >"$UI_DIR/script"
check "tuki -c lists the whole queue in tuki.queue's order" cmp -s "$UI_DIR/view" "$UI_DIR/script"

# The ids on screen, top to bottom.
visible() { ui_screen | awk '/│#  *P/{on=1; next} on && /^└/{exit} on {print}' | sed -n 's/^│\([0-9][0-9]*\) .*/\1/p'; }
# Is the window an unbroken slice of the view's order? Prints where it starts (1-based).
slice_start() {
    python3 - "$UI_DIR/view" <(visible) <<'PY'
import sys
view = open(sys.argv[1]).read().split()
win = open(sys.argv[2]).read().split()
for i in range(len(view) - len(win) + 1):
    if view[i:i + len(win)] == win:
        print(i + 1)
        break
else:
    print(0)
PY
}
wait_moved() { # waits until the window starts somewhere else than $1
    local start=$SECONDS
    while ((SECONDS - start < UI_TIMEOUT)); do
        local s
        s=$(slice_start)
        [ "$s" != "$1" ] && [ "$s" != 0 ] && { echo "$s"; return; }
        sleep 0.05
    done
    echo 0
}

ui_start 120 40 "$TUKI" -d user=alice
check "console is up" ui_wait_for "connected as alice"
at=$(slice_start)
check "the first window is the head of the queue" test "$at" = 1
for i in 1 2 3 4 5 6; do
    ui_keys PageDown
    next=$(wait_moved "$at")
    check "PageDown $i: an unbroken slice further on ($at -> $next)" test "$next" -gt "$at"
    at=$next
done
for i in 1 2; do
    ui_keys PageUp
    next=$(wait_moved "$at")
    check "PageUp $i: an unbroken slice further back ($at -> $next)" test "$next" -gt 0 -a "$next" -lt "$at"
    at=$next
done
ui_keys k k k
sleep 0.3
check "k past the top of the window: still an unbroken slice" test "$(slice_start)" -gt 0
at=$(slice_start) # where the k's left the window: G must move it from there
ui_keys G
total=$(wc -l <"$UI_DIR/view")
tail_start=$(( total - $(visible | wc -l) + 1 ))
next=$(wait_moved "$at")
check "G: the window is the tail of the queue (starts at $next, want $tail_start)" test "$next" = "$tail_start"
ui_keys PageUp
next2=$(wait_moved "$next")
check "PageUp from the end: an unbroken slice further back" test "$next2" -gt 0 -a "$next2" -lt "$next"
ui_keys g
check "g: back to the head" test "$(wait_moved "$next2")" = 1
# One row at a time past the window's bottom (the rows in view move up before the fetch
# brings the next one): the cursor ends on the 41st ticket, which Enter opens.
for _ in $(seq 40); do ui_keys j; sleep 0.02; done
ui_keys Enter
want=$(sed -n 41p "$UI_DIR/view")
check "40 j from the head select the 41st ticket (#$want)" ui_wait_for "#$want  " 5
ui_keys q
check "quits" ui_wait_exit
ui_done
