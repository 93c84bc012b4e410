#!/usr/bin/env bash
# 20,000 random keys (fixed seed) at the console and its prompt: editing, history, undo,
# revert, yank, search, completion, Esc, Ctrl-G, Enter and bracketed pastes, in bursts of
# up to 40 bytes. Afterwards the console still answers, and quits with no memory error.
# Keys that leave the console on purpose are not in the mix: q, Ctrl-C, Ctrl-Z, Ctrl-\.
. "$(dirname "$0")/lib.sh"
ui_fixture
state=$(mktemp -d)
trap 'ui_cleanup; rm -rf "$state"' EXIT
export XDG_STATE_HOME=$state # a history of its own
# r, n, e and N open $EDITOR: here one that changes nothing, so the edit is cancelled
export EDITOR=true VISUAL=
UI_TIMEOUT=30
KEYS=${TUKI_STORM_KEYS:-20000}
SEED=${TUKI_STORM_SEED:-17}
# Leaks readline 8.2 itself never frees on some of these paths (each named there); memory
# errors are never suppressed.
UI_LSAN_SUPPRESSIONS=$(cd "$(dirname "$0")/../fuzz" && pwd)/lsan.supp

# One line per burst: the bytes as hex, for tmux send-keys -H.
python3 - "$KEYS" "$SEED" >"$state/storm" <<'PY'
import random, sys
count, seed = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
esc = "\x1b"
keys = (
    list("abcdefghijklmnoprstuvwxyz0123456789 -:%") + ["ä", "漢"]
    + [esc + "[A", esc + "[B", esc + "[C", esc + "[D", esc + "[H", esc + "[F", esc + "[3~"]
    + ["\r", "\t", "\x7f", esc]
    + [chr(c) for c in (1, 2, 4, 5, 6, 7, 8, 11, 12, 14, 16, 18, 20, 21, 22, 23, 24, 25, 31)]
    + [esc + c for c in "rbfdyu.lct<>_"]
    + [esc + "[200~", esc + "[201~", esc + "[2"]
)
# Keys the prompt mostly gets: ':' opens it, and enough of everything else to edit.
weights = [3 if k in (":", "\r") else 1 for k in keys]
sent = 0
while sent < count:
    burst = rng.choices(keys, weights, k=min(rng.randint(1, 40), count - sent))
    sent += len(burst)
    print(" ".join(f"{b:02x}" for b in "".join(burst).encode()))
PY

ui_start_checked 120 40 -d user=alice
check "console is up" ui_wait_for "connected as alice"
while read -ra bytes; do
    ui_keys -H "${bytes[@]}"
    ui_dead && break
done <"$state/storm"
check "the console is still running after $KEYS keys (seed $SEED)" not ui_dead
# End any paste, leave the prompt and whatever is open, then quit by the command line.
for _ in 1 2 3; do
    ui_dead && break
    ui_keys -H 1b 5b 32 30 31 7e 07
    ui_keys Escape
    sleep 0.3
    ui_keys :
    ui_type "quit"
    ui_keys Enter
    ui_wait_exit 5 2>/dev/null && break
done
check "quits" ui_wait_exit
status=$(ui_exit_status)
check "no crash and no memory error (exit $status)" test "$status" = 0
[ "$status" = 0 ] || ui_checker_report
ui_done
