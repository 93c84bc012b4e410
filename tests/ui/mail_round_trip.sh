#!/usr/bin/env bash
# The mail round trip live (issue 14): an agent replies in the console; tuki worker sends it
# through msmtp to an SMTP server on 127.0.0.1 (tests/mail/smtp_sink.py); the customer answers
# that very mail as a mail client would (quoting it, In-Reply-To set, the [tuki #N] tag removed
# from the subject); tuki mail-in threads it onto the same ticket; the agent's open console
# shows it under the contact's name within 2 s, with no key pressed.
. "$(dirname "$0")/lib.sh"
ui_fixture
src=${TUKI_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
py=/usr/bin/python3
[ -x "$py" ] || py=python3
work=$(mktemp -d)
chmod 755 "$work"
sink_pid=
trap '[ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null; ui_cleanup; rm -rf "$work"' EXIT

mkdir -p "$work/sink"
"$py" "$src/tests/mail/smtp_sink.py" "$work/sink" >"$work/port" &
sink_pid=$!
for _ in $(seq 1 50); do [ -s "$work/port" ] && break; sleep 0.1; done
check "the SMTP server runs on 127.0.0.1" test -s "$work/port"
printf 'account default\nhost 127.0.0.1\nport %s\nfrom tuki@vendor.example\nauth off\ntls off\n' "$(cat "$work/port")" >"$work/msmtprc"
chmod 600 "$work/msmtprc"
printf 'mail = { from = "Tuki <tuki@vendor.example>"; sendmail = "msmtp -C %s -t"; };\n' "$work/msmtprc" >"$work/tuki.conf"
psql -Xqc "CREATE ROLE tt_mail LOGIN IN ROLE tuki_system"
as_mail() { PGUSER=tt_mail "$TUKI" -f "$work/tuki.conf" "$@"; }

ui_start 120 60 "$TUKI" -d user=alice
check "alice's console is up" ui_wait_for "connected as alice"
ui_keys :
ui_type "take 1"
ui_keys Enter
check "alice takes #1" ui_wait_for "took #1"
reply='Ajuri on päivitetty, kokeilkaa uudelleen.'
ui_keys :
ui_type "reply 1 $reply"
ui_keys Enter
ui_keys :
ui_type "open 1"
ui_keys Enter
check "her reply is on the open ticket, its mail queued" ui_wait_for "mail queued"

as_mail worker --once 2>"$work/worker.log"
mail=$(grep -l "^Subject: .*Re" "$work"/sink/*.eml 2>/dev/null | head -1)
if [ -z "$mail" ]; then # the subject may be RFC 2047-encoded as a whole
    for f in "$work"/sink/*.eml; do
        "$py" -c 'import email,email.policy,sys; m=email.message_from_bytes(open(sys.argv[1],"rb").read().partition(b"\n")[2],policy=email.policy.default); sys.exit(0 if "Re:" in m["Subject"] else 1)' "$f" && mail=$f
    done
fi
check "the worker sent the reply over SMTP" test -n "$mail"
check "the console says it was sent" ui_wait_for "mail sent" 3

# the customer's mail client answers that very mail
"$py" - "$mail" >"$work/answer.eml" <<'PY'
import email, email.policy, re, sys
from email.message import EmailMessage
raw = open(sys.argv[1], "rb").read().partition(b"\n")[2]
ours = email.message_from_bytes(raw, policy=email.policy.default)
a = EmailMessage()
a["From"] = "Päivi Mäkelä <paivi@acme.fi>"
a["To"] = ours["Reply-To"]
a["Subject"] = "Re: " + re.sub(r"\[tuki #\d+\] ", "", ours["Subject"])
a["Message-ID"] = "<answer.live@acme.fi>"
a["In-Reply-To"] = ours["Message-ID"]
a["References"] = ((ours["References"] or "") + " " + ours["Message-ID"]).strip()
quoted = "".join("> " + l + "\n" for l in ours.get_body(("plain",)).get_content().splitlines())
a.set_content("Kiitos, nyt toimii!\n\n" + quoted, charset="utf-8")
sys.stdout.buffer.write(a.as_bytes())
PY
check "the answer quotes our reply" grep -q "^> Ajuri on p" <(python3 -c 'import email,email.policy,sys; print(email.message_from_bytes(open(sys.argv[1],"rb").read(),policy=email.policy.default).get_body(("plain",)).get_content())' "$work/answer.eml")
check "the answer's subject has no tag" not grep -q '\[tuki' "$work/answer.eml"
check "the answer has In-Reply-To our Message-ID" grep -q "^In-Reply-To: <tuki\.1\." "$work/answer.eml"

as_mail mail-in <"$work/answer.eml" >"$work/mail-in.out"
check "mail-in stores it on ticket #1" grep -q "^tuki mail-in: stored ticket 1 message " "$work/mail-in.out"
start=$(date +%s%N)
shown() { ui_screen | grep -A1 -F "Päivi Mäkelä" | grep -qF "Kiitos, nyt toimii!"; }
seen=
while (( ($(date +%s%N) - start) / 1000000 < 2000 )); do
    shown && { seen=1; break; }
    sleep 0.02
done
echo "# shown after $(( ($(date +%s%N) - start) / 1000000 )) ms"
check "the console shows the answer under Päivi Mäkelä within 2 s, no key pressed" test -n "$seen"
[ -n "$seen" ] || ui_screen | sed 's/^/# /'

ui_keys q
check "the console quits" ui_wait_exit
ui_done
