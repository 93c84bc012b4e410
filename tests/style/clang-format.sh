#!/usr/bin/env bash
# Every C file of the tree as .clang-format wants it: prints the files that differ, fails if any.
set -u
root=${TUKI_SOURCE_ROOT:?}
cd "$root" || exit 1
command -v clang-format >/dev/null || { echo "clang-format is not installed"; exit 1; }
bad=0
while IFS= read -r f; do
    if ! clang-format --dry-run -Werror "$f" 2>/dev/null; then
        echo "not formatted: $f (clang-format -i $f)"
        bad=1
    fi
done < <(git ls-files '*.c' '*.h' 2>/dev/null || find src tests -name '*.[ch]')
exit $bad
