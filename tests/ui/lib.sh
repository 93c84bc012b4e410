# Helpers for end-to-end tests that drive the real console in tmux.
# Each test gets its own tmux server (-L), so tests never see each other or a user's tmux.
# Source it, then: ui_start 120 40 "$TUKI" ; ui_wait_for "connected as" ; ui_keys q ; ...

UI_SOCKET="tuki-test-$$-$RANDOM"
UI_DIR=$(mktemp -d)
UI_SESSION=main
UI_TIMEOUT=${UI_TIMEOUT:-10}
ui_failures=0

ui_tmux() { tmux -u -L "$UI_SOCKET" "$@"; }


ui_cleanup() {
    ui_tmux kill-server >/dev/null 2>&1 || true
    rm -rf "$UI_DIR"
}
trap ui_cleanup EXIT

# ui_start COLS ROWS CMD...: starts CMD in a detached session of that size; the pane stays
# after CMD exits so its last screen can be read, and its exit status goes to a file
# (tmux 3.3 does not always report pane_dead_status).
ui_start() {
    local cols=$1 rows=$2
    shift 2
    rm -f "$UI_DIR/status.$UI_SESSION"
    ui_tmux -f /dev/null new-session -d -s "$UI_SESSION" -x "$cols" -y "$rows" \
        "$(printf '%q ' bash -c '"$@"; echo $? >"$0"' "$UI_DIR/status.$UI_SESSION" "$@")"
    ui_tmux set-option -t "$UI_SESSION" remain-on-exit on >/dev/null
    ui_tmux set-option -g status off >/dev/null
    ui_tmux resize-window -t "$UI_SESSION" -x "$cols" -y "$rows" >/dev/null 2>&1 || true
}

ui_screen() { ui_tmux capture-pane -p -t "$UI_SESSION"; }

ui_keys() { ui_tmux send-keys -t "$UI_SESSION" "$@"; }

# Literal text, no key names.
ui_type() { ui_tmux send-keys -t "$UI_SESSION" -l "$1"; }

ui_resize() { ui_tmux resize-window -t "$UI_SESSION" -x "$1" -y "$2"; }

# Where the terminal's cursor is: "x y".
ui_cursor() { ui_tmux display-message -p -t "$UI_SESSION" '#{cursor_x} #{cursor_y}'; }

ui_dead() { [ -s "$UI_DIR/status.$UI_SESSION" ]; }

ui_exit_status() { cat "$UI_DIR/status.$UI_SESSION" 2>/dev/null; }

ok() { echo "ok - $*"; }
not_ok() {
    echo "not ok - $*"
    ui_failures=$((ui_failures + 1))
}

# ui_wait_for TEXT [SECONDS]: waits until TEXT is on screen (a fixed string), polling.
ui_wait_for() {
    local text=$1 limit=${2:-$UI_TIMEOUT} start=$SECONDS
    while ((SECONDS - start < limit)); do
        ui_screen 2>/dev/null | grep -qF -- "$text" && return 0
        sleep 0.05
    done
    echo "# timed out after ${limit}s waiting for: $text" >&2
    echo "# screen was:" >&2
    ui_screen 2>/dev/null | sed 's/^/#   /' >&2
    return 1
}

# ui_wait_for_re REGEX [SECONDS]: the same for an extended regular expression.
ui_wait_for_re() {
    local re=$1 limit=${2:-$UI_TIMEOUT} start=$SECONDS
    while ((SECONDS - start < limit)); do
        ui_screen 2>/dev/null | grep -qE -- "$re" && return 0
        sleep 0.05
    done
    echo "# timed out after ${limit}s waiting for /$re/" >&2
    ui_screen 2>/dev/null | sed 's/^/#   /' >&2
    return 1
}

# ui_wait_gone TEXT [SECONDS]
ui_wait_gone() {
    local text=$1 limit=${2:-$UI_TIMEOUT} start=$SECONDS
    while ((SECONDS - start < limit)); do
        ui_screen 2>/dev/null | grep -qF -- "$text" || return 0
        sleep 0.05
    done
    echo "# timed out after ${limit}s waiting for this to go: $text" >&2
    ui_screen 2>/dev/null | sed 's/^/#   /' >&2
    return 1
}

# ui_wait_still [SECONDS]: waits until the screen has not changed for half a second, so the
# program is between repaints (ncurses ignores SIGTSTP while it updates the screen: a Ctrl-Z
# sent during a paint is lost, as in any curses program).
ui_wait_still() {
    local limit=${1:-$UI_TIMEOUT} start=$SECONDS last= now
    while ((SECONDS - start < limit)); do
        now=$(ui_screen 2>/dev/null)
        [ -n "$last" ] && [ "$now" = "$last" ] && return 0
        last=$now
        sleep 0.5
    done
    echo "# timed out after ${limit}s waiting for the screen to keep still" >&2
    return 1
}

# ui_wait_exit [SECONDS]: waits for the program to end.
ui_wait_exit() {
    local limit=${1:-$UI_TIMEOUT} start=$SECONDS
    while ((SECONDS - start < limit)); do
        ui_dead && return 0
        sleep 0.05
    done
    echo "# the program did not exit within ${limit}s" >&2
    return 1
}

check() {
    local what=$1
    shift
    if "$@"; then ok "$what"; else not_ok "$what"; fi
}

ui_done() {
    if ((ui_failures)); then
        echo "# $ui_failures check(s) failed"
        exit 1
    fi
    exit 0
}

# The small desk of tests/ui/fixture.sql: customers, agents alice, bob and lena (lead).
ui_fixture() {
    psql -X -q -v ON_ERROR_STOP=1 -f "$(dirname "${BASH_SOURCE[0]}")/fixture.sql" >/dev/null
}

# ui_column TEXT: the display column (0-based) where TEXT starts on its line of the screen,
# counting wide characters as two columns as the terminal does.
ui_column() {
    ui_screen | python3 -c '
import sys, unicodedata
needle = sys.argv[1]
for line in sys.stdin:
    i = line.find(needle)
    if i >= 0:
        print(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[:i]))
        break
' "$1"
}

# not CMD...: succeeds when CMD fails (for check, which takes a command).
not() { ! "$@"; }

# Golden screens: ui_golden NAME compares the screen with tests/ui/golden/NAME.txt.
# What changes from run to run is masked first, on both sides of the comparison alike:
# dates and times (YYYY-MM-DD, hh:mm; Finnish and Slovak DD.MM.YYYY, hh.mm) and the digits
# of SLA durations (0h29m → 9h99m,
# -6d16h → -9d99h), which count down with the wall clock; everything else — layout, order,
# ids, text, bars — must match exactly. To regenerate every golden file after a deliberate
# change to the screen, from the build directory's parent:
#     UI_GOLDEN_UPDATE=1 meson test -C build golden.sh
# and review the diff of tests/ui/golden/ before committing it.
UI_GOLDEN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/golden

ui_mask() {
    python3 -c '
import re, sys
text = sys.stdin.read()
text = re.sub(r"\d{4}-\d{2}-\d{2}", "YYYY-MM-DD", text)
text = re.sub(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?=\d{2}:\d{2}\b)", "Day ", text)
text = re.sub(r"\b\d{2}:\d{2}\b", "hh:mm", text)
text = re.sub(r"\b\d{2}\.\d{2}\.\d{4}\b", "DD.MM.YYYY", text)  # Finnish and Slovak %x
text = re.sub(r"\b\d{2}\.\d{2}\b", "hh.mm", text)  # Finnish time of day
text = re.sub(r"-?\d+[dh]\d\d[hm]\b", lambda m: re.sub(r"\d", "9", m.group(0)), text)
# a deadline past midnight carries its date: the screen depends on the hour the test runs,
# so a dated deadline at the end of a line reads as an undated one, padded to the same width
text = re.sub(r"(due|viimeistään) YYYY-MM-DD (hh:mm)( *)(│|$)",
              lambda m: m.group(1) + " " + m.group(2) + m.group(3) + " " * 11 + m.group(4), text,
              flags=re.M)
sys.stdout.write(text)'
}

ui_golden() {
    local name=$1 file="$UI_GOLDEN_DIR/$1.txt" got
    got=$(ui_screen | ui_mask)
    if [ -n "${UI_GOLDEN_UPDATE:-}" ]; then
        mkdir -p "$UI_GOLDEN_DIR"
        printf '%s\n' "$got" >"$file"
        echo "# wrote $file"
        return 0
    fi
    if [ ! -f "$file" ]; then
        echo "# no golden file $file (UI_GOLDEN_UPDATE=1 writes it)" >&2
        return 1
    fi
    # the golden file through the mask as well: its rules may be newer than the file
    if ! diff -u <(ui_mask <"$file") <(printf '%s\n' "$got") >"$UI_DIR/golden.diff"; then
        echo "# screen differs from $file:" >&2
        sed 's/^/#   /' "$UI_DIR/golden.diff" >&2
        return 1
    fi
}

# ui_start_checked COLS ROWS ARGS...: starts "$TUKI" ARGS... so that a memory error ends it
# with status 99 and its report in "$UI_DIR/checker.*": the build's sanitizers when it has
# them (TUKI_SANITIZE), else nothing but the exit status (a crash is still a crash).
# UI_LSAN_SUPPRESSIONS, when set, names a LeakSanitizer suppressions file.
# ui_checker_report prints that report, commented, for the test log.
ui_start_checked() {
    local cols=$1 rows=$2
    shift 2
    # Suppressions name library functions: the slow unwinder sees frames without frame pointers.
    local unwind=${UI_LSAN_SUPPRESSIONS:+:fast_unwind_on_malloc=0}
    ui_start "$cols" "$rows" env ASAN_OPTIONS="detect_leaks=1:exitcode=99:log_path=$UI_DIR/checker$unwind" \
        UBSAN_OPTIONS="halt_on_error=1:exitcode=99:log_path=$UI_DIR/checker" \
        LSAN_OPTIONS="${UI_LSAN_SUPPRESSIONS:+suppressions=$UI_LSAN_SUPPRESSIONS:print_suppressions=0}" \
        "$TUKI" "$@"
}
ui_checker_report() { cat "$UI_DIR"/checker* 2>/dev/null | sed 's/^/# /' | head -60; }
