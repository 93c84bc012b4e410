#!/usr/bin/env bash
# One libFuzzer harness: build it with clang (libFuzzer is clang's, whatever compiler builds
# tuki), then fuzz from its seed corpus for a bounded time. A crash, a sanitizer report or a
# leak fails the test, and the input that caused it is printed (hex) to reproduce it with
#   OUT/fuzz_NAME INPUT_FILE
# Usage: run.sh NAME OUT HARNESS.c SOURCES...   (meson passes these; tests/meson.build)
# Longer runs: tests/fuzz/README.
set -euo pipefail
name=$1 out=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# The suite's short run is a fixed walk: a fixed seed and a fixed number of inputs (about 15 s
# each on the 2-core CI machine), so a red run is a finding to replay, never luck or the
# machine's speed. TUKI_FUZZ_SEED=0 lets libFuzzer pick a seed; TUKI_FUZZ_RUNS=-1 with
# TUKI_FUZZ_SECONDS=1800 is a long run bounded by time only.
seed=${TUKI_FUZZ_SEED:-1}
case "$name" in
cmdline) default_runs=120000 ;;
duration) default_runs=600000 ;;
config) default_runs=4000 ;;
mail_parse) default_runs=3000 ;;
*) default_runs=2000 ;;
esac
runs=${TUKI_FUZZ_RUNS:-$default_runs}
seconds=${TUKI_FUZZ_SECONDS:-120} # a cap on the fixed walk, not its length

command -v clang >/dev/null || { echo "not ok - clang is not installed (apt-get install clang)"; exit 1; }
mkdir -p "$out"
bin=$out/fuzz_$name
# shellcheck disable=SC2046 # pkg-config prints flags as separate words
clang -g -O1 -std=c11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined -I"$root/src" $(pkg-config --cflags ncursesw libpq libconfig gmime-3.0) \
    "$@" -o "$bin.new" $(pkg-config --libs ncursesw libpq libconfig gmime-3.0) -lreadline -lm
mv "$bin.new" "$bin"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" # crash-* and leak-* files land here
status=0
# Suppressions name functions inside libraries built without frame pointers: only the slow
# unwinder sees them.
ASAN_OPTIONS=fast_unwind_on_malloc=0 LSAN_OPTIONS=suppressions=$here/lsan.supp:print_suppressions=0 \
    "$bin" -seed="$seed" -runs="$runs" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
    "$work" "$here/corpus/$name" >"$work/log" 2>&1 || status=$?
grep -E '^(stat::number_of_executed_units|stat::new_units_added|Done [0-9]+ runs)' "$work/log" |
    sed 's/^/# /' || true
if [ "$status" != 0 ]; then
    echo "not ok - fuzz_$name found a failure (exit $status)"
    grep -vE '^(#[0-9]+\s|INFO:)' "$work/log" | head -80 | sed 's/^/# /'
    for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
        # kept beside the harness (the work directory goes), shown whole with offsets
        [ -e "$f" ] && { cp "$f" "$out/"; echo "# input $(basename "$f") (kept as $out/$(basename "$f")):"
                         od -Ad -tx1 -v "$f" | head -200 | sed 's/^/#  /'; }
    done
    exit 1
fi
echo "ok - fuzz_$name: no failure (seed $seed, $runs runs, at most ${seconds}s)"
