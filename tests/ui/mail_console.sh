#!/usr/bin/env bash
# The console's side of mail (issue 14), through 'tuki -c' (the same commands and ticket
# view as the screen): a ticket's attachments and saving one, what became of each public
# reply's mail, held mail for leads, and a contact's words recorded by an agent.
. "$(dirname "$0")/lib.sh"
ui_fixture
work=$(mktemp -d)
trap 'ui_cleanup; rm -rf "$work"' EXIT

# Two files with the customer's first message of #1: one kept, one over the size cap.
psql -Xqc "INSERT INTO tuki.attachment (message, filename, content_type, size, content, note)
           SELECT min(id), 'virhe raportti.txt', 'text/plain', 12, 'tulostin ei'::bytea || '\\x0a'::bytea, NULL
             FROM tuki.message WHERE ticket = 1
           UNION ALL
           SELECT min(id), 'valtava.iso', 'application/octet-stream', 90000000, NULL, 'over the cap'
             FROM tuki.message WHERE ticket = 1"
out=$("$TUKI" -d user=alice -c 'open 1' 2>&1)
check "open lists the first attachment: number, name, type, size" \
    grep -qxF "attachment 1: virhe raportti.txt  text/plain  12 bytes" <<<"$out"
check "and one not kept, saying why" \
    grep -qxF "attachment 2: valtava.iso  application/octet-stream  86 MB  (not kept: over the cap)" <<<"$out"

# Each public reply of the desk says what became of its mail.
"$TUKI" -d user=alice -c 'take 1' -c 'reply 1 "Ensimmäinen vastaus"' -c 'reply 1 "Toinen vastaus"' >/dev/null
out=$("$TUKI" -d user=alice -c 'open 1' 2>&1)
check "a new reply's mail is queued" test "$(grep -c 'alice  \[public\] · mail queued$' <<<"$out")" = 2
psql -Xqc "UPDATE tuki.outbox SET status = 'sent' WHERE id = (SELECT min(id) FROM tuki.outbox WHERE kind = 'reply' AND ticket = 1)"
psql -Xqc "UPDATE tuki.outbox SET status = 'failed', last_error = '550 5.1.1 mailbox unavailable'
           WHERE id = (SELECT max(id) FROM tuki.outbox WHERE kind = 'reply' AND ticket = 1)"
out=$("$TUKI" -d user=alice -c 'open 1' 2>&1)
check "a sent one says sent" grep -q 'alice  \[public\] · mail sent$' <<<"$out"
check "a failed one says failed, with the reason" \
    grep -q 'alice  \[public\] · mail failed: 550 5.1.1 mailbox unavailable$' <<<"$out"
check "internal notes and the customer's words say nothing of mail" \
    not grep -q 'Päivi Mäkelä  \[public\] · mail' <<<"$out"

ui_done
