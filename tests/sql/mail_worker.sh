#!/usr/bin/env bash
# Mail out over a real SMTP path: tuki worker -> msmtp -> an SMTP server on 127.0.0.1
# (tests/mail/smtp_sink.py, aiosmtpd). Recipient, [tuki #N], threading headers and Finnish text
# arrive intact; the customer answers that very mail as a mail client would and mail-in threads
# it onto the same ticket under the contact's name; an out-of-office answer sends nothing;
# temporary and permanent failures; the long-running worker wakes on NOTIFY, survives a server
# restart, sweeps the SLA clocks as 'system' and exits 0 on SIGTERM; a held stranger attached by
# a lead becomes that customer's ticket.
set -euo pipefail
psql=(psql -X -q -v ON_ERROR_STOP=1)
src=${TUKI_SOURCE_ROOT:?}
py=/usr/bin/python3
[ -x "$py" ] || py=python3
work=$(mktemp -d)
chmod 755 "$work"
sink_pid= worker_pid=
cleanup() {
    [ -n "$worker_pid" ] && kill "$worker_pid" 2>/dev/null
    [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -e "$work/worker.log" ] && sed 's/^/  worker: /' "$work/worker.log"; exit 1; }
q() { "${psql[@]}" -At -c "$1"; }
expect() { local got; got=$(q "$2"); [ "$got" = "$3" ] || fail "$1: got '$got', want '$3'"; echo "ok - $1"; }
as_mail() { PGUSER=tt_mail "$TUKI" -f "$work/tuki.conf" "$@"; }
as_agent() { PGUSER=tt_agent "$TUKI" "$@"; }
delivered() { ls "$work/sink" | grep -c '\.eml$' || true; }
wait_delivered() { # N SECONDS
    local i
    for i in $(seq 1 $(( $2 * 10 ))); do [ "$(delivered)" -ge "$1" ] && return 0; sleep 0.1; done
    return 1
}
# field FILE WHAT: a header decoded (RFC 2047), "body", or "envelope"
field() {
    "$py" - "$1" "$2" <<'PY'
import email, email.policy, sys
raw = open(sys.argv[1], "rb").read()
envelope, _, raw = raw.partition(b"\n")
m = email.message_from_bytes(raw, policy=email.policy.default)
what = sys.argv[2]
if what == "body":
    print(m.get_body(("plain",)).get_content().rstrip("\n"))
elif what == "envelope":
    print(envelope.decode().split(": ", 1)[1])
elif what == "cte":
    print(m["Content-Transfer-Encoding"] + " " + m.get_content_charset())
else:
    print(m.get(what, ""))
PY
}
start_sink() {
    "$py" "$src/tests/mail/smtp_sink.py" "$work/sink" "${1:-0}" >"$work/port" &
    sink_pid=$!
    for _ in $(seq 1 50); do [ -s "$work/port" ] && break; sleep 0.1; done
    [ -s "$work/port" ] || fail "the SMTP server did not start"
}

mkdir -p "$work/sink"
start_sink
port=$(cat "$work/port")
printf 'account default\nhost 127.0.0.1\nport %s\nfrom tuki@vendor.example\nauth off\ntls off\n' "$port" >"$work/msmtprc"
chmod 600 "$work/msmtprc"
cat >"$work/tuki.conf" <<EOF
mail = {
    from = "Tuki <tuki@vendor.example>";
    sendmail = "msmtp -C $work/msmtprc -t";
};
EOF
echo "SMTP server on 127.0.0.1:$port"

"${psql[@]}" <<'SQL'
CREATE ROLE tt_mail LOGIN IN ROLE tuki_system;
SELECT tuki.agent_add('tt_agent', 'Aino Agentti', 'second_line');
SELECT tuki.agent_add('tt_lead', 'Lauri Liidi', NULL, true);
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('ACME', 'standard', '24x7', '2020-01-01');
INSERT INTO tuki.contact (customer, name, email) VALUES ('ACME', 'Päivi Mäkelä', 'paivi.makela@acme.fi');
SQL

# the customer writes; the agent answers in Finnish; the worker sends both mails
as_mail mail-in <"$src/tests/mail/01-outlook-fi-alternative-cp1252.eml" >/dev/null
reply='Hei Päivi, laskutusajon virhe on korjattu. Yöajo käynnistyy taas tänään klo 22.'
as_agent -c 'take 1' -c "reply 1 $reply" >/dev/null || fail "the agent's reply"
as_mail worker --once 2>"$work/worker.log" || fail "worker --once"
[ "$(delivered)" = 2 ] || fail "$(delivered) mails delivered, want 2 (received, reply)"
# the two were sent side by side: which is which by subject, not by arrival
mail= first=
for f in "$work"/sink/*.eml; do
    case "$(field "$f" Subject)" in
    *Re:*) mail=$f ;;
    *) first=$f ;;
    esac
done
[ -n "$mail" ] && [ -n "$first" ] || fail "no reply and received notice among $(ls "$work/sink")"
[ "$(field "$mail" envelope)" = "paivi.makela@acme.fi" ] || fail "recipient $(field "$mail" envelope)"
echo "ok - delivered over SMTP to the contact paivi.makela@acme.fi"
[ "$(field "$mail" Subject)" = "[tuki #1] Re: Laskutusajo pysähtyi yöllä" ] || fail "subject '$(field "$mail" Subject)'"
grep -qi '^Subject: .*=?utf-8?' "$mail" || fail "the subject is not RFC 2047-encoded: $(grep ^Subject "$mail")"
echo "ok - the Finnish subject carries [tuki #1] and arrives intact (RFC 2047 on the wire)"
[ "$(field "$mail" body | head -1)" = "$reply" ] || fail "body '$(field "$mail" body | head -1)'"
[ "$(field "$mail" cte)" = "quoted-printable utf-8" ] || fail "body encoding $(field "$mail" cte)"
echo "ok - the Finnish body arrives intact, UTF-8 quoted-printable"
irt="<AM0PR02MB4512ABCDEF@AM0PR02MB4512.eurprd02.prod.outlook.com>"
[ "$(field "$mail" In-Reply-To)" = "$irt" ] || fail "In-Reply-To '$(field "$mail" In-Reply-To)'"
[[ "$(field "$mail" References)" == *"$irt"* ]] || fail "References '$(field "$mail" References)'"
mid=$(field "$mail" Message-ID)
[[ "$mid" =~ ^\<tuki\.1\.[0-9]+@vendor\.example\>$ ]] || fail "Message-ID '$mid'"
[ "$(field "$mail" From)" = "Tuki <tuki@vendor.example>" ] && [ "$(field "$mail" Reply-To)" = "Tuki <tuki@vendor.example>" ] \
    || fail "From/Reply-To '$(field "$mail" From)' '$(field "$mail" Reply-To)'"
echo "ok - Message-ID $mid, In-Reply-To and References the customer's mail, From and Reply-To the desk"
[ "$(field "$first" Auto-Submitted)" = "auto-generated" ] || fail "the received notice is not Auto-Submitted"
[[ "$(field "$first" body)" == *"numero on #1."* ]] || fail "received notice: $(field "$first" body)"
echo "ok - the received notice names #1 and says it is automatic (Auto-Submitted: auto-generated)"
expect "the outbox knows both as sent" "SELECT string_agg(kind || ':' || status, ' ' ORDER BY id) FROM tuki.outbox" "received:sent reply:sent"

# the customer answers that very mail as a mail client would: quoted, In-Reply-To, the tag removed
"$py" - "$mail" >"$work/answer.eml" <<'PY'
import email, email.policy, sys
from email.message import EmailMessage
raw = open(sys.argv[1], "rb").read().partition(b"\n")[2]
ours = email.message_from_bytes(raw, policy=email.policy.default)
a = EmailMessage()
a["From"] = "Päivi Mäkelä <paivi.makela@acme.fi>"
a["To"] = ours["Reply-To"]
a["Subject"] = "Re: " + ours["Subject"].replace("[tuki #1] ", "")
a["Message-ID"] = "<answer.1@acme.fi>"
a["In-Reply-To"] = ours["Message-ID"]
a["References"] = (ours["References"] or "") + " " + ours["Message-ID"]
quoted = "".join("> " + l + "\n" for l in ours.get_body(("plain",)).get_content().splitlines())
a.set_content("Kiitos, nyt toimii!\n\n" + quoted, charset="utf-8")
sys.stdout.buffer.write(a.as_bytes())
PY
grep -q '\[tuki' "$work/answer.eml" && fail "the answer still has the tag"
as_mail mail-in <"$work/answer.eml" >/dev/null || fail "mail-in of the answer"
expect "the answer threads onto ticket #1 by In-Reply-To, as the contact's words" \
    "SELECT ticket || ' ' || author_kind || ' ' || split_part(body, E'\n', 1) FROM tuki.message WHERE message_id = 'answer.1@acme.fi'" \
    "1 contact Kiitos, nyt toimii!"
as_agent -c 'open 1' >"$work/open" 2>&1 || fail "open 1: $(cat "$work/open")"
grep "Kiitos, nyt toimii" "$work/open" | grep -q "Päivi Mäkelä" \
    || grep -B1 "Kiitos, nyt toimii" "$work/open" | grep -q "Päivi Mäkelä" || fail "the console: $(cat "$work/open")"
echo "ok - the agent's console shows the answer under Päivi Mäkelä"

# an out-of-office answer to our reply: held, nothing sent
sed -e 's/^Message-ID: .*/Message-ID: <ooo.2@acme.fi>/' -e "s/^In-Reply-To: .*/In-Reply-To: $mid/" \
    -e 's/^Subject: .*/Subject: Automaattinen vastaus: lomalla/' -e '/^Subject:/a Auto-Submitted: auto-replied' \
    "$work/answer.eml" >"$work/ooo.eml"
as_mail mail-in <"$work/ooo.eml" >/dev/null
as_mail worker --once 2>>"$work/worker.log"
[ "$(delivered)" = 2 ] || fail "an out-of-office answer caused mail: $(delivered) delivered"
expect "the out-of-office answer is held and sends nothing" \
    "SELECT count(*) FROM tuki.mail_hold WHERE message_id = 'ooo.2@acme.fi' AND reason LIKE 'auto_reply%'" 1

# temporary failure: the SMTP server is down
kill "$sink_pid"; wait "$sink_pid" 2>/dev/null || true; sink_pid=
as_agent -c 'reply 1 Toinen vastaus.' >/dev/null
as_mail worker --once 2>>"$work/worker.log"
expect "a temporary failure is queued again with backoff and the reason" \
    "SELECT status || ' ' || attempts || ' ' || (next_attempt > now() + interval '50 seconds') || ' ' || (last_error <> '')
       FROM tuki.outbox WHERE id = (SELECT max(id) FROM tuki.outbox)" "queued 1 true true"
# permanent failure
sed 's|^    sendmail = .*|    sendmail = "cat >/dev/null; echo 550 no such user >\&2; exit 67";|' "$work/tuki.conf" >"$work/bad.conf"
q "UPDATE tuki.outbox SET next_attempt = now() WHERE status = 'queued'" >/dev/null
PGUSER=tt_mail "$TUKI" -f "$work/bad.conf" worker --once 2>>"$work/worker.log"
expect "a permanent failure is marked failed with the reason" \
    "SELECT status || ' ' || last_error FROM tuki.outbox WHERE id = (SELECT max(id) FROM tuki.outbox)" "failed 550 no such user"
expect "... and the reason is on the ticket, by the system" \
    "SELECT author_kind || ' ' || visibility FROM tuki.message WHERE body LIKE '%550 no such user%'" "system internal"

# the long-running worker: NOTIFY wakes it, a server restart does not stop it, SIGTERM does
start_sink "$port"
PGUSER=tt_mail "$TUKI" -f "$work/tuki.conf" worker 2>>"$work/worker.log" &
worker_pid=$!
sleep 1
before=$(delivered)
as_agent -c 'reply 1 Kolmas vastaus.' >/dev/null
wait_delivered $((before + 1)) 5 || fail "the running worker did not send a new reply within 5 s"
echo "ok - the running worker sends a new reply at once (LISTEN tuki_outbox)"
pgbin=$(dirname "$(command -v pg_ctl 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")
as_server() { if [ "$(id -u)" = 0 ]; then runuser -u "$(stat -c %U "$TUKI_TEST_PGDATA")" -- "$@"; else "$@"; fi; }
as_server "$pgbin/pg_ctl" -D "$TUKI_TEST_PGDATA" -m fast -w stop >/dev/null
sleep 2
as_server "$pgbin/pg_ctl" -D "$TUKI_TEST_PGDATA" -w -t 60 -l "$(dirname "$TUKI_TEST_PGDATA")/server.log" \
    -o "-c listen_addresses= -k $PGHOST -c fsync=off" start >/dev/null
as_agent -c 'reply 1 Neljäs vastaus palvelimen uudelleenkäynnistyksen jälkeen.' >/dev/null
wait_delivered $((before + 2)) 20 || fail "after a server restart the worker did not send within 20 s"
echo "ok - after a server restart the worker reconnects and sends"
# an SLA breach recorded with no console open, by the system
q "SET tuki.now = '2024-01-02 09:00+02'; SELECT tuki.ticket_create('ACME', 'Vanha pyyntö', 'x')" >/dev/null
kill -TERM "$worker_pid"
rc=0; wait "$worker_pid" || rc=$?; worker_pid=
[ "$rc" = 0 ] || fail "the worker exited $rc on SIGTERM"
echo "ok - SIGTERM: the worker exits 0"
as_mail worker --once 2>>"$work/worker.log"
expect "the worker's sweep records breaches as the system" \
    "SELECT string_agg(DISTINCT actor, ',') FROM tuki.ticket_event WHERE kind = 'sla_breach'" "system"

# a stranger's mail: held, answered by nobody; a lead attaches it to the customer
before=$(delivered)
as_mail mail-in <"$src/tests/mail/02-gmail-fi-utf8-base64.eml" >/dev/null
as_mail worker --once 2>>"$work/worker.log"
[ "$(delivered)" = "$before" ] || fail "the stranger was answered"
hold=$(q "SELECT id FROM tuki.mail_hold WHERE sender = 'jukka.hakkinen@gmail.com'")
# a lead answers it from the template: a person's answer, threaded to the stranger's mail
PGUSER=tt_lead "$TUKI" -c "held answer $hold fi" >/dev/null || fail "held answer"
as_mail worker --once 2>>"$work/worker.log"
[ "$(delivered)" = "$((before + 1))" ] || fail "the lead's answer: $(delivered) delivered, want $((before + 1))"
answer=$(ls -t "$work"/sink/*.eml | head -1)
[ "$(field "$answer" envelope)" = "jukka.hakkinen@gmail.com" ] || fail "answer to $(field "$answer" envelope)"
[ "$(field "$answer" Subject)" = "Re: Haku ei löydä ääkkösiä" ] || fail "answer subject '$(field "$answer" Subject)'"
[ "$(field "$answer" In-Reply-To)" = "<$(q "SELECT message_id FROM tuki.mail_hold WHERE id = $hold")>" ] \
    || fail "answer In-Reply-To '$(field "$answer" In-Reply-To)'"
[ -z "$(field "$answer" Auto-Submitted)" ] || fail "a lead's answer is marked automatic"
[[ "$(field "$answer" body)" == *"organisaationne nimettyjen yhteyshenkilöiden kautta"* ]] || fail "answer body $(field "$answer" body)"
echo "ok - a lead's template answer reaches the stranger, threaded, in Finnish, not marked automatic"
PGUSER=tt_lead "${psql[@]}" -At -c "SELECT tuki.mail_hold_attach($hold, 'ACME')" >/dev/null
expect "a lead attaches held mail: a ticket of that customer under the new contact" \
    "SELECT t.customer || ' ' || t.subject || ' ' || c.name || ' ' || c.may_order_billable FROM tuki.ticket t JOIN tuki.contact c ON c.id = t.contact
      WHERE c.email = 'jukka.hakkinen@gmail.com'" "ACME Haku ei löydä ääkkösiä Jukka Häkkinen false"
# several workers side by side: each mail is sent once
as_mail worker --once 2>>"$work/worker.log"   # the new contact's received notice first
before=$(delivered)
"${psql[@]}" -c "INSERT INTO tuki.message (ticket, visibility, body) SELECT 1, 'public', 'Rinnakkain ' || g FROM generate_series(1, 40) g"
pids=()
for i in 1 2 3; do as_mail worker --once 2>>"$work/worker.log" & pids+=($!); done
wait "${pids[@]}"   # not the SMTP server
[ "$(( $(delivered) - before ))" = 40 ] || fail "three workers delivered $(( $(delivered) - before )) of 40"
expect "three workers side by side send each of 40 mails once" \
    "SELECT count(*) FILTER (WHERE status = 'sent' AND attempts = 1) FROM tuki.outbox WHERE body LIKE 'Rinnakkain %'" 40
echo "all worker checks passed"
