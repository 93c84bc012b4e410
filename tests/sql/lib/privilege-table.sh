#!/usr/bin/env bash
# The privilege table block of tuki-schema(7) as the migrations make it. Prints it, or with
# --write rewrites the block between the BEGIN/END PRIVILEGE TABLE comments of the man page.
# Usage (in the worktree, after a build):
#   TUKI=build/tuki tests/lib/pgcluster.sh tests/sql/lib/privilege-table.sh [--write]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
man=$here/../../../man/tuki-schema.7
"$TUKI" migrate >/dev/null
table=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -f "$here/privilege_table.sql" -c 'SELECT line FROM privilege_table ORDER BY n')
if [ "${1:-}" != --write ]; then
    printf '%s\n' "$table"
    exit 0
fi
grep -q '^\.\\" BEGIN PRIVILEGE TABLE' "$man" || { echo "no BEGIN PRIVILEGE TABLE in $man" >&2; exit 1; }
new=$(mktemp)
TABLE=$table awk '
    /^\.\\" BEGIN PRIVILEGE TABLE/ { print; print ".EX"; print ENVIRON["TABLE"]; print ".EE"; skip = 1; next }
    /^\.\\" END PRIVILEGE TABLE/ { skip = 0 }
    !skip' "$man" >"$new"
cat "$new" >"$man" && rm -f "$new"
echo "rewrote the privilege table of $man"
