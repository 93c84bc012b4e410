#!/usr/bin/env bash
# tuki mail-in as an MTA runs it: one process per message on stdin, run as a member of
# tuki_system. Exit statuses 0 / 65 / 75, a new ticket under the contact's name, attachments,
# 100 deliveries of one message stored once, strangers and automatic mail held and unanswered,
# a bounce of our own mail, the database stopped and started again, a Maildir import.
set -euo pipefail
psql=(psql -X -q -v ON_ERROR_STOP=1)
mail=${TUKI_SOURCE_ROOT:?}/tests/mail
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
q() { "${psql[@]}" -At -c "$1"; }
expect() { local got; got=$(q "$2"); [ "$got" = "$3" ] || fail "$1: got '$got', want '$3'"; echo "ok - $1"; }
mailin() { PGUSER=tt_mail "$TUKI" mail-in "$@"; }
status_of() { local rc=0; mailin <"$1" >"$work/out" 2>"$work/err" || rc=$?; echo "$rc"; }

"${psql[@]}" <<'SQL'
CREATE ROLE tt_mail LOGIN IN ROLE tuki_system;
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy'), ('TATRA', 'Tatra Softvér s.r.o.');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES
    ('ACME', 'standard', '24x7', '2020-01-01'), ('TATRA', 'standard', '24x7', '2020-01-01');
INSERT INTO tuki.contact (customer, name, email) VALUES
    ('ACME', 'Päivi Mäkelä', 'paivi.makela@acme.fi'),
    ('TATRA', 'Peter Kováč', 'peter.kovac@tatrasoft.sk'),
    ('TATRA', 'Žofia Kováčová', 'zofia.kovacova@tatrasoft.sk');
SQL

rc=$(status_of "$mail/01-outlook-fi-alternative-cp1252.eml")
[ "$rc" = 0 ] || fail "a contact's Outlook mail: exit $rc ($(cat "$work/err"))"
expect "a contact's mail opens an email ticket with the decoded subject" \
    "SELECT customer || ' ' || channel || ' ' || subject FROM tuki.ticket" "ACME email Laskutusajo pysähtyi yöllä"
expect "the text is the plain part, converted from Windows-1252" \
    "SELECT split_part(body, E'\n', 3) FROM tuki.message" \
    "laskutusajo pysähtyi yöllä virheeseen. Tänä aamuna yksikään lasku ei ole lähtenyt."
expect "the message is the contact's, kept with its Message-ID" \
    "SELECT m.author_kind || ' ' || c.name || ' ' || m.message_id FROM tuki.message m JOIN tuki.contact c ON c.id = m.contact" \
    "contact Päivi Mäkelä AM0PR02MB4512ABCDEF@AM0PR02MB4512.eurprd02.prod.outlook.com"
expect "the console shows it under the contact's name" \
    "SELECT count(*) FROM tuki.message WHERE author = 'system'" 1
"$TUKI" -c 'open 1' >"$work/open" 2>&1 || fail "tuki -c 'open 1': $(cat "$work/open")"
grep -q "Päivi Mäkelä" "$work/open" || fail "open 1 does not name the contact: $(cat "$work/open")"
echo "ok - tuki -c 'open 1' shows the customer's words under Päivi Mäkelä"

rc=$(status_of "$mail/10-rfc2047-filename-outlook.eml")
[ "$rc" = 0 ] || fail "mail with a PDF: exit $rc"
expect "its attachment is kept with the decoded name, type, size and checksum" \
    "SELECT filename || ' ' || content_type || ' ' || size || ' ' || (sha256 = sha256(content)) FROM tuki.attachment" \
    "Faktúra 2026-1134.pdf application/pdf 69 true"

# 100 deliveries of one message, 10 at a time
for i in $(seq 1 100); do
    { rc=0; mailin <"$mail/37-thunderbird-reply-quoting.eml" >/dev/null 2>&1 || rc=$?; echo "$rc" >"$work/rc.$i"; } &
    if (( i % 10 == 0 )); then wait; fi
done
wait
[ "$(cat "$work"/rc.* | sort | uniq -c | awk '{print $1 ":" $2}')" = "100:0" ] \
    || fail "the 100 deliveries exited $(cat "$work"/rc.* | sort | uniq -c | tr '\n' ' ')"
expect "100 deliveries of one message store one" \
    "SELECT count(*) FROM tuki.message WHERE message_id = 'b2c3d4e5-reply@tatrasoft.sk'" 1

# strangers and automatic mail
outbox_before=$(q "SELECT count(*) FROM tuki.outbox")
rc=$(status_of "$mail/02-gmail-fi-utf8-base64.eml")
[ "$rc" = 0 ] || fail "an unknown sender: exit $rc"
expect "an unknown sender's mail is held" "SELECT reason || ' ' || sender FROM tuki.mail_hold" "unknown sender jukka.hakkinen@gmail.com"
rc=$(status_of "$mail/17-out-of-office-outlook.eml")
[ "$rc" = 0 ] || fail "out of office: exit $rc"
expect "a contact's out-of-office reply is held, not work" \
    "SELECT reason FROM tuki.mail_hold WHERE message_id = 'ooo.17@acme.fi'" "auto_reply (Auto-Submitted)"
expect "neither causes outgoing mail" "SELECT count(*) - $outbox_before FROM tuki.outbox" 0

# not a message: kept, exit 65
rc=$(status_of "$mail/36-not-a-message.eml")
[ "$rc" = 65 ] || fail "not a message: exit $rc, want 65"
expect "input that is no message is kept byte for byte" \
    "SELECT reason || ' ' || md5(raw) FROM tuki.mail_hold WHERE reason = 'not a message'" \
    "not a message $(md5sum <"$mail/36-not-a-message.eml" | cut -d' ' -f1)"

# a bounce of our own mail
q "UPDATE tuki.outbox SET message_id = 'tuki.4211.80@vendor.example' WHERE id = (SELECT min(id) FROM tuki.outbox)" >/dev/null
rc=$(status_of "$mail/15-bounce-postfix-dsn.eml")
[ "$rc" = 0 ] || fail "a bounce: exit $rc"
expect "a bounce marks our outgoing mail failed with the reason" \
    "SELECT status || ' ' || (last_error LIKE '5.1.1%User unknown%') FROM tuki.outbox WHERE message_id = 'tuki.4211.80@vendor.example'" \
    "failed true"
expect "the reason is on the ticket, written by the system" \
    "SELECT author_kind || ' ' || visibility FROM tuki.message WHERE body LIKE '%5.1.1%'" "system internal"

# the database stopped: 75 and nothing stored; after the restart stored once
pgbin=$(dirname "$(command -v pg_ctl 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")
as_server() { if [ "$(id -u)" = 0 ]; then runuser -u "$(stat -c %U "$TUKI_TEST_PGDATA")" -- "$@"; else "$@"; fi; }
as_server "$pgbin/pg_ctl" -D "$TUKI_TEST_PGDATA" -m fast -w stop >/dev/null
rc=$(status_of "$mail/03-thunderbird-sk-iso8859-2.eml")
[ "$rc" = 75 ] || fail "database stopped: exit $rc, want 75 ($(cat "$work/err"))"
echo "ok - with the database stopped mail-in exits 75 (EX_TEMPFAIL): $(head -1 "$work/err")"
as_server "$pgbin/pg_ctl" -D "$TUKI_TEST_PGDATA" -w -t 60 -l "$(dirname "$TUKI_TEST_PGDATA")/server.log" \
    -o "-c listen_addresses= -k $PGHOST -c fsync=off" start >/dev/null
expect "nothing was stored while it was down" \
    "SELECT count(*) FROM tuki.message WHERE message_id = '5c1e7a2b-0f33-4d1e-9b7a-2f0c1d2e3f40@tatrasoft.sk'" 0
for _ in 1 2; do
    rc=$(status_of "$mail/03-thunderbird-sk-iso8859-2.eml")
    [ "$rc" = 0 ] || fail "after the restart: exit $rc"
done
expect "after the restart the MTA's retries store it once, Slovak intact" \
    "SELECT count(*) || ' ' || min(t.subject) FROM tuki.message m JOIN tuki.ticket t ON t.id = m.ticket
      WHERE m.message_id = '5c1e7a2b-0f33-4d1e-9b7a-2f0c1d2e3f40@tatrasoft.sk'" "1 Nedá sa prihlásiť po aktualizácii"

# a Maildir: stored messages move to cur/
mkdir -p "$work/Maildir/new" "$work/Maildir/cur" "$work/Maildir/tmp"
cp "$mail/06-android-sk-utf8.eml" "$work/Maildir/new/1.host"
cp "$mail/05-iphone-short.eml" "$work/Maildir/new/2.host"
cp "$mail/36-not-a-message.eml" "$work/Maildir/new/3.host"
PGUSER=tt_mail "$TUKI" mail-in --maildir "$work/Maildir" >"$work/out" 2>"$work/err" || fail "maildir: $(cat "$work/err")"
[ -z "$(ls "$work/Maildir/new")" ] || fail "left in new/: $(ls "$work/Maildir/new")"
[ "$(ls "$work/Maildir/cur" | sort | tr '\n' ' ')" = "1.host:2, 2.host:2, 3.host:2, " ] || fail "cur/: $(ls "$work/Maildir/cur")"
echo "ok - a Maildir import moves every message it stored or held to cur/"
expect "the phone mail of a contact is stored as a new ticket" \
    "SELECT count(*) FROM tuki.message WHERE message_id = 'C0FFEE12-3456-7890-ABCD-EF0123456789@acme.fi'" 1
echo "all mail-in checks passed"
