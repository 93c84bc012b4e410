#!/usr/bin/env bash
# Prints the privilege table block of tuki-schema(7) as the migrations make it, for pasting
# between the BEGIN/END PRIVILEGE TABLE comments. Usage (in the worktree, after a build):
#   TUKI=build/tuki tests/lib/pgcluster.sh tests/sql/lib/privilege-table.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$TUKI" migrate >/dev/null
psql -X -q -A -t -v ON_ERROR_STOP=1 -f "$here/privilege_table.sql" -c 'SELECT line FROM privilege_table ORDER BY n'
