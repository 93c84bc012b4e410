#!/usr/bin/env bash
# Roles are cluster-wide: migrating a second database in the same cluster must reuse them, and a
# database owner who is not a superuser (but has CREATEROLE) must be able to migrate a third one.
set -euo pipefail
psql=(psql -X -q -v ON_ERROR_STOP=1)
fail() { echo "FAIL: $*"; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
sqldir=${TUKI_SOURCE_ROOT:-$here/../..}/sql

migrate() {  # migrate the database $1 as the role $2
    if [ -n "${TUKI:-}" ]; then
        PGDATABASE=$1 PGUSER=$2 "$TUKI" migrate >/dev/null
    else
        for f in "$sqldir"/[0-9][0-9][0-9]_*.sql; do
            PGDATABASE=$1 PGUSER=$2 "${psql[@]}" -o /dev/null -1 -f "$f" >/dev/null
        done
    fi
}

"${psql[@]}" -c 'CREATE DATABASE second' -c 'CREATE ROLE tt_dbowner LOGIN CREATEROLE' -c 'CREATE DATABASE third OWNER tt_dbowner'
migrate second postgres || fail "migrating a second database in the same cluster failed"
echo "second database migrated by a superuser"
migrate third tt_dbowner || fail "migrating as a non-superuser database owner with CREATEROLE failed"
echo "third database migrated by its owner tt_dbowner (CREATEROLE, not superuser)"

roles=$("${psql[@]}" -At -c "SELECT string_agg(rolname || ':' || rolcanlogin, ' ' ORDER BY rolname) FROM pg_roles WHERE rolname LIKE 'tuki\_%'")
echo "roles: $roles"
[ "$roles" = "tuki_agent:false tuki_customer:false tuki_lead:false tuki_owner:false tuki_readonly:false tuki_system:false" ] || fail "unexpected roles: $roles"

for db in postgres second third; do
    owner=$(PGDATABASE=$db "${psql[@]}" -At -c "SELECT count(*) FROM pg_class WHERE relnamespace = 'tuki'::regnamespace AND relkind IN ('r','v') AND relowner <> 'tuki_owner'::regrole")
    [ "$owner" = 0 ] || fail "$db: $owner relations not owned by tuki_owner"
done

# the same agent works in two desks of the cluster, with its own rows in each
"${psql[@]}" -o /dev/null -c "SELECT tuki.agent_add('tt_everywhere', 'Eveliina Everywhere', 'second_line')"
PGDATABASE=third PGUSER=tt_dbowner "${psql[@]}" -o /dev/null <<'SQL'
SELECT tuki.agent_add('tt_everywhere', 'Eveliina Everywhere', 'third_line');
INSERT INTO tuki.customer (code, name) VALUES ('TATRA', 'Tatra Softvér s.r.o.');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('TATRA', 'standard', 'sk-8-17', '2020-01-01');
SELECT tuki.ticket_create('TATRA', 'Tlačiareň netlačí', 'Dobrý deň', 'incident', 2, 2);
SELECT tuki.ticket_escalate(1, 'third_line');
SQL
got=$(PGDATABASE=third PGUSER=tt_everywhere "${psql[@]}" -At -c 'SELECT tuki.ticket_take_next()')
[ "$got" = 1 ] || fail "the agent could not take the ticket in the third database (got '$got')"
actor=$(PGDATABASE=third "${psql[@]}" -At -c "SELECT string_agg(DISTINCT actor, ',') FROM tuki.ticket_event WHERE kind = 'assign' AND ticket = 1")
[ "$actor" = tt_everywhere ] || fail "assign events name '$actor'"
n=$("${psql[@]}" -At -c 'SELECT count(*) FROM tuki.ticket')
[ "$n" = 0 ] || fail "the first database sees $n tickets of another"
echo "PASS: roles created once per cluster, three databases migrated (one by a non-superuser owner), agents work in each"
