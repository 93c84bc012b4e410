#!/usr/bin/env bash
# One database test: a fresh throwaway cluster, 'tuki migrate', pgTAP in schema tap, then
#   FILE.sql  -> pg_prove FILE.sql
#   FILE.sh   -> the script itself (PG* variables and $TUKI in its environment)
# Usage: run-db-test.sh FILE   (TUKI is the binary under test; meson sets it)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
file=$1
: "${TUKI:?TUKI must name the tuki binary under test}"
export TUKI
# Box drawing and Mäkelä need a UTF-8 locale whatever the caller has.
export LANG=C.UTF-8 LC_ALL=C.UTF-8

inner() {
    "$TUKI" migrate >/dev/null
    psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE SCHEMA tap; CREATE EXTENSION pgtap SCHEMA tap' \
        >/dev/null
    case "$file" in
    *.sql) PGOPTIONS=--search_path=tap,public pg_prove --failures "$file" ;;
    *) bash "$file" ;;
    esac
}
export -f inner
export file
exec "$here/pgcluster.sh" bash -c inner
