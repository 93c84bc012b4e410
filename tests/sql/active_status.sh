#!/usr/bin/env bash
# Whether a status is active is tuki.status.is_active and nothing else: a DBA's one UPDATE of
# that row takes waiting_third_party out of tuki.queue, tuki.ticket_take_next, tuki.workload and
# every console filter (run through 'tuki -c', so the console's own queries are checked), and
# the opposite UPDATE brings it back.
set -euo pipefail
psql=(psql -X -q -A -t -v ON_ERROR_STOP=1)
fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok - $*"; }

"${psql[@]}" -o /dev/null <<'SQL'
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy'), ('KONE', 'Kone Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from)
VALUES ('ACME', 'standard', '24x7', '2020-01-01'), ('KONE', 'standard', '24x7', '2020-01-01');
SELECT tuki.agent_add('tt_held', 'Hanna Holder', 'second_line');
SELECT tuki.agent_add('tt_taker', 'Teemu Taker', 'second_line');
-- A: new, nobody holds it. B: held by tt_held, waiting for a third party. C: waiting for a third
-- party, released to the queue, first in queue order (P1) and past its deadlines (a month old).
CREATE TABLE public.t AS
SELECT tuki.ticket_create('ACME', 'A new', 'b', 'incident', 3, 3) AS a,
       tuki.ticket_create('ACME', 'B held, waiting', 'b', 'incident', 2, 2) AS b;
ALTER TABLE t ADD COLUMN c bigint;
SELECT set_config('tuki.now', (now() - interval '30 days')::text, false);
UPDATE t SET c = tuki.ticket_create('KONE', 'C free, waiting', 'b', 'incident', 1, 1);
SELECT set_config('tuki.now', '', false);
UPDATE tuki.ticket SET status = 'open', assignee = 'tt_held' WHERE id IN (SELECT b FROM t UNION ALL SELECT c FROM t);
UPDATE tuki.ticket SET status = 'waiting_third_party' WHERE id IN (SELECT b FROM t UNION ALL SELECT c FROM t);
UPDATE tuki.ticket SET assignee = NULL WHERE id = (SELECT c FROM t);
GRANT SELECT ON public.t TO PUBLIC;
SQL
read -r A B C < <("${psql[@]}" -F ' ' -c 'SELECT a, b, c FROM t')

# ids a filter shows in the console ('tuki -c', as the holding agent), in queue order
filter() { PGUSER=tt_held "$TUKI" -c "filter $1" | awk -F '\t' '$1 ~ /^[0-9]+$/ { printf "%s ", $1 }'; }
queue() { "${psql[@]}" -c "SELECT string_agg(id::text, ' ' ORDER BY position) FROM tuki.queue WHERE customer IN ('ACME', 'KONE')"; }
# what take_next would hand out now, without taking it
take_next() { PGUSER=tt_taker "${psql[@]}" -c 'BEGIN' -c 'SELECT tuki.ticket_take_next()' -c 'ROLLBACK'; }
expect() { # what, got, want
    [ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
    ok "$1"
}

check_active() {
    expect "active: tuki.queue" "$(queue)" "$C $B $A"
    expect "active: filter all" "$(filter all)" "$C $B $A "
    expect "active: filter unassigned" "$(filter unassigned)" "$C $A "
    expect "active: filter mine" "$(filter mine)" "$B "
    expect "active: filter status:waiting_third_party" "$(filter status:waiting_third_party)" "$C $B "
    expect "active: filter customer:KONE" "$(filter customer:KONE)" "$C "
    expect "active: filter breaching" "$(filter breaching)" "$C "
    expect "active: take_next hands out the top unassigned ticket" "$(take_next)" "$C"
    expect "active: tuki.workload" "$("${psql[@]}" -c "SELECT active FROM tuki.workload WHERE login = 'tt_held'")" "1"
}
check_active

"${psql[@]}" -c "UPDATE tuki.status SET is_active = false WHERE code = 'waiting_third_party'" >/dev/null
expect "inactive: the tickets follow the status row" \
    "$("${psql[@]}" -c "SELECT string_agg(is_active::text, ' ' ORDER BY id) FROM tuki.ticket WHERE id IN ($A, $B, $C)")" "true false false"
expect "inactive: tuki.queue" "$(queue)" "$A"
expect "inactive: filter all" "$(filter all)" "$A "
expect "inactive: filter unassigned" "$(filter unassigned)" "$A "
expect "inactive: filter mine" "$(filter mine)" ""
expect "inactive: filter status:waiting_third_party" "$(filter status:waiting_third_party)" ""
expect "inactive: filter customer:KONE" "$(filter customer:KONE)" ""
expect "inactive: filter breaching" "$(filter breaching)" ""
expect "inactive: take_next skips it" "$(take_next)" "$A"
expect "inactive: tuki.workload" "$("${psql[@]}" -c "SELECT active FROM tuki.workload WHERE login = 'tt_held'")" "0"
err=$(PGUSER=tt_taker "${psql[@]}" -c "SELECT tuki.ticket_take($C)" 2>&1 || true)
case "$err" in *"is waiting_third_party and cannot be taken"*) ok "inactive: ticket_take refuses it" ;;
    *) fail "ticket_take of an inactive ticket: $err" ;; esac

"${psql[@]}" -c "UPDATE tuki.status SET is_active = true WHERE code = 'waiting_third_party'" >/dev/null
check_active
