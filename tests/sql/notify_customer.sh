#!/usr/bin/env bash
# Issue 15 / issue 17 (notification payloads): a contact's login that listens for
# notifications never receives another customer's ticket id, while agents work on that other
# customer's tickets. It listens the way the console does (SELECT tuki.listen(): its
# customer's own channel) and also, as an attacker would, on channel tuki and on every channel
# name it could guess; it cannot read the key the real names are made from.
set -euo pipefail
psql=(psql -X -q -v ON_ERROR_STOP=1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"${psql[@]}" -o /dev/null <<'SQL'
CREATE ROLE tt_agent LOGIN;
CREATE ROLE tt_kone LOGIN IN ROLE tuki_customer;
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy'), ('KONE', 'Konepaja Mäkinen Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES
    ('ACME', 'standard', '24x7', '2020-01-01'), ('KONE', 'standard', '24x7', '2020-01-01');
INSERT INTO tuki.contact (customer, name, email, login) VALUES ('KONE', 'Jari Mäkinen', 'jari@kone.fi', 'tt_kone');
SELECT tuki.agent_add('tt_agent', 'Aino Agentti', 'second_line');
CREATE TABLE public.notify_done ();
GRANT SELECT ON public.notify_done TO PUBLIC;
SQL

# what a contact can find out about the channels: its own name only
as_kone() { PGUSER=tt_kone psql -X -At -c "$1" 2>&1 || true; }
grep -q 'permission denied' <<<"$(as_kone 'SELECT key FROM tuki.notify_key')" || fail "a contact can read the channel key"
grep -q 'permission denied' <<<"$(as_kone "SELECT tuki.notify_channel('ACME')")" \
    || fail "a contact can compute another customer's channel"
own=$(PGUSER=tt_kone psql -X -At -c 'SELECT tuki.listen()')
[[ $own =~ ^tuki_c_[0-9a-f]{24}$ ]] || fail "tuki.listen() gave a contact '$own'"
staff=$(psql -X -At -c 'SELECT tuki.listen()')
[[ $staff =~ ^tuki_s_[0-9a-f]{24}$ && $staff != "$own" ]] || fail "the staff channel is '$staff'"
echo "PASS: a contact cannot read the key or name other channels; tuki.listen() gives it $own"

listen() { # who file extra-statements
    PGUSER=$1 "${psql[@]}" >"$work/$2" 2>&1 <<SQL &
SELECT tuki.listen() \gset
$3
\! touch $work/$2.ready
DO \$\$ BEGIN
    WHILE NOT EXISTS (SELECT 1 FROM public.notify_done) LOOP PERFORM pg_sleep(0.05); END LOOP;
END \$\$;
SQL
}
listen tt_kone contact 'LISTEN tuki; LISTEN tuki_c_ACME; LISTEN "tuki_c_ACME"; LISTEN tuki_c_acme; LISTEN tuki_acme; LISTEN tuki_staff; LISTEN tuki_s;'
contact=$!
listen postgres staff ''
staff_pid=$!
for _ in $(seq 1 100); do [ -e "$work/contact.ready" ] && [ -e "$work/staff.ready" ] && break; sleep 0.1; done
[ -e "$work/contact.ready" ] && [ -e "$work/staff.ready" ] || { cat "$work/contact" "$work/staff"; fail "the listeners did not start"; }

# agents at work: ACME's tickets mostly, one of KONE's
as_agent() { PGUSER=tt_agent "${psql[@]}" -o /dev/null -c "$1"; }
as_agent "SELECT tuki.ticket_create('ACME', 'Acme ' || g, 'x') FROM generate_series(1, 3) g"
as_agent "SELECT tuki.ticket_take(1); SELECT tuki.ticket_reply(1, 'Hei'); SELECT tuki.ticket_note(2, 'sisäinen')"
as_agent "SELECT tuki.ticket_create('KONE', 'Kone', 'y')"
as_agent "SELECT tuki.ticket_set_status(1, 'waiting_customer'); SELECT tuki.worklog_add(3, 15)"
as_agent "SELECT tuki.ticket_take(4)"
"${psql[@]}" -o /dev/null -c "UPDATE tuki.ticket SET impact = 2 WHERE id IN (1, 4)"   # one statement, both customers
"${psql[@]}" -o /dev/null -c "INSERT INTO public.notify_done DEFAULT VALUES"
wait "$contact" || { cat "$work/contact"; fail "the contact's listener failed"; }
wait "$staff_pid" || { cat "$work/staff"; fail "the staff listener failed"; }

note='^Asynchronous notification "\([^"]*\)" with payload "\(.*\)" received from server process with PID [0-9]*\.$'
sed -n "s/$note/\1 \2/p" "$work/staff" >"$work/staff.got"
sed -n "s/$note/\1 \2/p" "$work/contact" >"$work/contact.got"
echo "staff received:"; sed 's/^/  /' "$work/staff.got"
echo "the contact received:"; sed 's/^/  /' "$work/contact.got"
grep -q '"ids":\[3\]' "$work/staff.got" || fail "staff did not hear of ACME's new tickets (the test would mean nothing)"
grep -q '"ids":\[1,4\]' "$work/staff.got" || fail "staff did not hear of the two-customer statement"
[ "$(wc -l <"$work/contact.got")" -ge 3 ] || fail "the contact did not hear of its own ticket's changes"
awk -v own="$own" '$1 != own { exit 1 }' "$work/contact.got" || fail "the contact heard something on a channel not its own"
sed 's/^[^ ]* //' "$work/contact.got" | sort -u >"$work/contact.payloads"
printf '%s\n' '{"v":1,"kind":"ticket","ids":[4]}' >"$work/want"
diff -u "$work/want" "$work/contact.payloads" || fail "the contact's payloads name other tickets than its own #4"
echo "PASS: the contact heard of its own ticket #4 only, on its own channel, while ACME's tickets 1-3 changed"
