#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster that lives only for this call.
#   tests/lib/pgcluster.sh CMD [ARGS...]
# The cluster listens on a Unix socket in a private temporary directory only (no TCP),
# uses trust authentication there, and is stopped and deleted on exit, failure or Ctrl-C.
# Exported for CMD: PGHOST PGPORT PGUSER=postgres PGDATABASE=postgres TUKI_TEST_PGDATA.
# PostgreSQL refuses to run as root, so as root the server runs as the 'postgres' user
# (or 'nobody' when that does not exist).
set -euo pipefail

die() { echo "pgcluster: $*" >&2; exit 1; }

find_pg_bin() {
    local d
    if [ -n "${TUKI_PG_BINDIR:-}" ]; then echo "$TUKI_PG_BINDIR"; return; fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
        [ -x "$d/initdb" ] && { echo "$d"; return; }
    done
    d=$(command -v initdb 2>/dev/null) && { dirname "$d"; return; }
    die "initdb not found: install PostgreSQL (Debian: apt-get install postgresql)"
}

bindir=$(find_pg_bin)
base=$(mktemp -d "${TMPDIR:-/tmp}/tuki-pg.XXXXXX")
chmod 755 "$base"
data="$base/data"
sock="$base/sock"
mkdir -p "$sock"

as_server() { "$@"; }
if [ "$(id -u)" = 0 ]; then
    runas=postgres
    getent passwd postgres >/dev/null || runas=nobody
    chown "$runas" "$base" "$sock"
    as_server() { runuser -u "$runas" -- "$@"; }
fi
chmod 700 "$sock"

stopped=0
cleanup() {
    if [ "$stopped" = 0 ]; then
        stopped=1
        as_server "$bindir/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$base"
    fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

as_server "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$base/initdb.log" 2>&1 || { cat "$base/initdb.log" >&2; die "initdb failed"; }
as_server "$bindir/pg_ctl" -D "$data" -w -t 60 -l "$base/server.log" \
    -o "-c listen_addresses= -k $sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60" \
    start >/dev/null || { cat "$base/server.log" >&2; die "server did not start"; }

export PGHOST="$sock" PGPORT=5432 PGUSER=postgres PGDATABASE=postgres TUKI_TEST_PGDATA="$data"
unset PGSERVICE PGHOSTADDR PGPASSWORD PGOPTIONS
"$@"
