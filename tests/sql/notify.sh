#!/usr/bin/env bash
# A second session LISTENs on the staff channel (SELECT tuki.listen()) while statements run; it must receive exactly one
# notification per changing statement, with the documented JSON payload:
#   {"v":1,"kind":"ticket","ids":[...]}  or, when too big, {"v":1,"kind":"ticket","ids":null,"more":true}
set -euo pipefail
psql=(psql -X -q -v ON_ERROR_STOP=1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"${psql[@]}" -o /dev/null <<'SQL'
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('ACME', 'standard', '24x7', '2020-01-01');
INSERT INTO tuki.contact (customer, name, email, may_order_billable) VALUES ('ACME', 'Päivi Mäkelä', 'paivi@acme.fi', true);
SELECT tuki.agent_add('tt_notify', 'Nina Notify', 'second_line');
CREATE TABLE public.notify_done ();
SQL

# the listener: LISTEN, say it is ready, then wait in one transaction until the sender is done;
# psql prints the notifications that arrived when that command completes
"${psql[@]}" >"$work/listener" 2>&1 <<SQL &
SELECT tuki.listen() \gset
\! touch $work/ready
DO \$\$ BEGIN
    WHILE NOT EXISTS (SELECT 1 FROM public.notify_done) LOOP PERFORM pg_sleep(0.05); END LOOP;
END \$\$;
SQL
listener=$!
for _ in $(seq 1 100); do [ -e "$work/ready" ] && break; sleep 0.1; done
[ -e "$work/ready" ] || fail "the listener did not start"

# each line is one statement (autocommit) and the payload it must cause; '-' means none
expect=()
as_agent() { PGUSER=tt_notify "${psql[@]}" -o /dev/null -c "$1"; }
as_dba() { "${psql[@]}" -o /dev/null -c "$1"; }
run() { local who=$1 sql=$2 want=$3; "$who" "$sql"; [ "$want" = - ] || expect+=("$want"); echo "  $who: $sql"; }
echo "statements:"
run as_agent "SELECT tuki.ticket_create('ACME', 'Yksi', 'eka', contact_email => 'paivi@acme.fi')" '{"v":1,"kind":"ticket","ids":[1]}'
run as_agent "SELECT tuki.ticket_create('ACME', 'Kaksi', 'toka')"                  '{"v":1,"kind":"ticket","ids":[2]}'
run as_agent "SELECT tuki.ticket_take(1)"                                          '{"v":1,"kind":"ticket","ids":[1]}'
run as_agent "SELECT tuki.ticket_reply(1, 'Hei')"                                  '{"v":1,"kind":"ticket","ids":[1]}'
run as_agent "SELECT tuki.ticket_set_status(2, 'waiting_customer', 'kysytty')"     '{"v":1,"kind":"ticket","ids":[2]}'
run as_agent "SELECT tuki.worklog_add(1, 30, true, 'tehty')"                       '{"v":1,"kind":"ticket","ids":[1]}'
run as_dba   "UPDATE tuki.ticket SET impact = 2 WHERE id IN (1, 2)"                '{"v":1,"kind":"ticket","ids":[1,2]}'
run as_dba   "UPDATE tuki.ticket SET impact = 1 WHERE id = -1"                     -
run as_dba   "SELECT 1 FROM tuki.ticket"                                           -
run as_dba   "INSERT INTO tuki.ticket (customer, contract, service_level, subject)
              SELECT 'ACME', 1, 'standard', 'bulk ' || g FROM generate_series(1, 3000) g" '{"v":1,"kind":"ticket","ids":null,"more":true}'
run as_agent "BEGIN; SELECT tuki.ticket_note(2, 'a'); SELECT tuki.ticket_note(2, 'b'); COMMIT" '{"v":1,"kind":"ticket","ids":[2]}'
as_dba "INSERT INTO public.notify_done DEFAULT VALUES"
wait "$listener" || { cat "$work/listener"; fail "the listener failed"; }

sed -n 's/^Asynchronous notification "tuki_s_[0-9a-f]\{24\}" with payload "\(.*\)" received from server process with PID [0-9]*\.$/\1/p' \
    "$work/listener" >"$work/got"
printf '%s\n' "${expect[@]}" >"$work/want"
echo "received $(wc -l <"$work/got") notifications, expected ${#expect[@]}:"
sed 's/^/  /' "$work/got"
diff -u "$work/want" "$work/got" || fail "the notifications differ from the expected ones"
awk '{ if (length($0) >= 8000) exit 1 }' "$work/got" || fail "a payload reached 8000 bytes"
echo "PASS: one notification per changing statement, none for statements that change nothing, payloads as documented"
