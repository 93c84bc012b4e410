#!/usr/bin/env bash
# The monthly report mailed by tuki worker (issue 18) over the real SMTP path of the mail tests
# (msmtp -> tests/mail/smtp_sink.py on 127.0.0.1): nothing the day before the first working day
# of the month; on it the report arrives once per receiving contact, Finnish for a Finnish
# contact and Slovak for a Slovak one (the template's words and Content-Language), the text
# report in the body and the CSV attached and parseable with the month's work lines; a second run
# the same day sends nothing; `tuki report --send` sends again by hand, for leads only.
set -euo pipefail
psql=(psql -X -q -v ON_ERROR_STOP=1)
src=${TUKI_SOURCE_ROOT:?}
py=/usr/bin/python3
[ -x "$py" ] || py=python3
work=$(mktemp -d)
chmod 755 "$work"
sink_pid=
trap '[ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; [ -e "$work/worker.log" ] && sed 's/^/  worker: /' "$work/worker.log"; exit 1; }
q() { "${psql[@]}" -At -c "$1"; }
delivered() { ls "$work/sink" | grep -c '\.eml$' || true; }
worker() { PGUSER=tt_mail "$TUKI" -f "$work/tuki.conf" worker --once --today "$1" 2>"$work/worker.log" || fail "worker --once --today $1"; }

mkdir -p "$work/sink"
"$py" "$src/tests/mail/smtp_sink.py" "$work/sink" >"$work/port" &
sink_pid=$!
for _ in $(seq 1 50); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || fail "the SMTP server did not start"
printf 'account default\nhost 127.0.0.1\nport %s\nfrom tuki@vendor.example\nauth off\ntls off\n' "$(cat "$work/port")" >"$work/msmtprc"
chmod 600 "$work/msmtprc"
printf 'mail = { from = "Tuki <tuki@vendor.example>"; sendmail = "msmtp -C %s -t"; };\n' "$work/msmtprc" >"$work/tuki.conf"

"$TUKI" migrate >/dev/null
"${psql[@]}" <<'SQL'
CREATE ROLE tt_mail LOGIN IN ROLE tuki_system;
SELECT tuki.agent_add('tt_agent', 'Aino Agentti', 'second_line');
SELECT tuki.agent_add('tt_lead', 'Lauri Liidi', NULL, true);
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('ACME', 'standard', 'fi-8-16', '2026-01-01');
INSERT INTO tuki.contact (customer, name, email, language, receives_report) VALUES
    ('ACME', 'Päivi Mäkelä', 'paivi@acme.fi', 'fi', true),
    ('ACME', 'Žofia Kováčová', 'zofia@acme.fi', 'sk', true),
    ('ACME', 'Olli Ohi', 'olli@acme.fi', 'fi', false);
-- October 2026's work: one ticket, 90 minutes
SET tuki.now = '2026-10-14 10:00+03';
INSERT INTO tuki.ticket (customer, contact, contract, service_level, channel, subject)
SELECT 'ACME', c.id, k.id, 'standard', 'phone', 'Tulostin jumissa' FROM tuki.contact c, tuki.contract k WHERE c.email = 'paivi@acme.fi';
INSERT INTO tuki.worklog (ticket, agent, at, minutes) SELECT max(id), 'tt_agent', '2026-10-14 11:00+03', 90 FROM tuki.ticket;
RESET tuki.now;
DELETE FROM tuki.outbox;
SQL

# 1 November 2026 is a Sunday: the first working day of fi-8-16 is Monday 2 November
worker 2026-11-01
[ "$(delivered)" = 0 ] || fail "$(delivered) mails on Sunday 1 November, want none"
echo "ok - nothing before the month's first working day (Sunday 1 November)"
worker 2026-11-02
[ "$(delivered)" = 2 ] || fail "$(delivered) mails on the first working day, want 2"
echo "ok - on Monday 2 November the October report arrives once per receiving contact (2 of 3 contacts)"

"$py" - "$work/sink" <<'PY' || fail "the delivered reports"
import csv, email, email.policy, io, os, sys
d = sys.argv[1]
seen = {}
for f in sorted(os.listdir(d)):
    raw = open(os.path.join(d, f), "rb").read()
    envelope, _, raw = raw.partition(b"\n")
    m = email.message_from_bytes(raw, policy=email.policy.default)
    to = envelope.decode().split(": ", 1)[1]
    body = m.get_body(("plain",))
    text = body.get_content()
    files = [p for p in m.iter_attachments()]
    assert len(files) == 1, (to, len(files))
    f0 = files[0]
    assert f0.get_filename() == "tuki-ACME-2026-10.csv", f0.get_filename()
    assert f0.get_content_type() == "text/csv", f0.get_content_type()
    rows = list(csv.DictReader(io.StringIO(f0.get_content())))
    assert len(rows) == 1 and rows[0]["ticket"] != "" and rows[0]["minutes"] == "90" \
        and rows[0]["subject"] == "Tulostin jumissa", rows
    assert "Tulostin jumissa" in text and "ACME" in text, text
    seen[to] = (str(m["Subject"]), body["Content-Language"], text.split("\n")[0])
    # the report itself in the contact's language (its gettext catalogue), not only the template
    report_word = {"paivi@acme.fi": "Palvelutaso", "zofia@acme.fi": "Úroveň služby"}[to]
    assert report_word in text and "Service level" not in text, (to, text)
print(seen)
assert seen["paivi@acme.fi"] == ("Kuukausiraportti 2026-10: Acme Oy", "fi", "Hei Päivi Mäkelä,"), seen
assert seen["zofia@acme.fi"] == ("Mesačný výkaz 2026-10: Acme Oy", "sk", "Dobrý deň, Žofia Kováčová,"), seen
PY
echo "ok - Finnish for the Finnish contact, Slovak for the Slovak one (subject, greeting, Content-Language, the report's own words)"
echo "ok - the text report in the body, the work lines as tuki-ACME-2026-10.csv, parseable (1 line, 90 minutes)"

worker 2026-11-02
worker 2026-11-03
[ "$(delivered)" = 2 ] || fail "$(delivered) mails after running again, want still 2"
[ "$(q "SELECT count(*) FROM tuki.report_sent WHERE customer = 'ACME' AND month = '2026-10-01'")" = 1 ] || fail "report_sent"
echo "ok - a second run the same day (and the next) sends nothing: the month is recorded in tuki.report_sent"

out=$(PGUSER=tt_agent "$TUKI" report --send --month 2026-10 --customer ACME 2>&1) && fail "an agent sent it: $out"
[[ "$out" == *TK005* ]] || fail "an agent's --send: $out"
echo "ok - an agent may not send it by hand (TK005)"
out=$(PGUSER=tt_lead "$TUKI" report --send --month 2026-10 --customer ACME) || fail "a lead's --send: $out"
[ "$out" = "ACME 2026-10: 2 mails queued" ] || fail "a lead's --send said '$out'"
worker 2026-11-03
[ "$(delivered)" = 4 ] || fail "$(delivered) mails after sending by hand, want 4"
echo "ok - a lead sends it again by hand (tuki report --send), the worker delivers it"
