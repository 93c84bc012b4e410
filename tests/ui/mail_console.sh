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
    grep -qxF "  attachment 1: virhe raportti.txt (text/plain, 12 bytes)" <<<"$out"
check "and one not kept, saying why" \
    grep -qxF "  attachment 2: valtava.iso (application/octet-stream, 86 MB; not kept: over the cap)" <<<"$out"

# save writes one to a file: by number or by name, never over a file unless told.
out=$("$TUKI" -d user=alice -c "save 1 1 $work/a.txt" 2>&1)
check "save by number exits 0 and says where" grep -q "saved attachment 1 of #1 (virhe raportti.txt, 12 bytes) to $work/a.txt" <<<"$out"
check "the file holds the attachment's bytes" cmp -s "$work/a.txt" <(printf 'tulostin ei\n')
out=$(cd "$work" && "$TUKI" -d user=alice -c 'save 1 "virhe raportti.txt"' 2>&1)
check "save by name, to its own name here" cmp -s "$work/virhe raportti.txt" "$work/a.txt"
echo keep >"$work/b.txt"
out=$("$TUKI" -d user=alice -c "save 1 1 $work/b.txt" 2>&1)
check "an existing file is refused (exit 1)" test $? = 1
check "saying how to replace it" grep -q "$work/b.txt exists already; add 'overwrite' to replace it" <<<"$out"
check "and it is untouched" test "$(cat "$work/b.txt")" = keep
out=$("$TUKI" -d user=alice -c "save 1 1 $work/b.txt overwrite" 2>&1)
check "overwrite replaces it" cmp -s "$work/b.txt" "$work/a.txt"
out=$("$TUKI" -d user=alice -c "save 1 2 $work/c.iso" 2>&1)
check "one not kept cannot be saved, and says why" grep -q "attachment 2 of #1 (valtava.iso) was not kept: over the cap" <<<"$out"
check "and writes nothing" test ! -e "$work/c.iso"
out=$("$TUKI" -d user=alice -c "save 1 7 $work/d" 2>&1)
check "no such attachment: a clear error" grep -q "#1 has no attachment '7'; 'open 1' lists them" <<<"$out"
out=$("$TUKI" -d user=alice -c "save 1 1 $work/no/such/dir/x" 2>&1)
check "an unwritable path: the system's reason" grep -q "cannot write $work/no/such/dir/x: No such file or directory" <<<"$out"

# Each public reply of the desk says what became of its mail.
"$TUKI" -d user=alice -c 'take 1' -c 'reply 1 "Ensimmäinen vastaus"' -c 'reply 1 "Toinen vastaus"' >/dev/null
out=$("$TUKI" -d user=alice -c 'open 1' 2>&1)
check "a new reply's mail is queued" test "$(grep -c 'Alice Aalto replied · mail queued$' <<<"$out")" = 2
psql -Xqc "UPDATE tuki.outbox SET status = 'sent' WHERE id = (SELECT min(id) FROM tuki.outbox WHERE kind = 'reply' AND ticket = 1)"
psql -Xqc "UPDATE tuki.outbox SET status = 'failed', last_error = '550 5.1.1 mailbox unavailable'
           WHERE id = (SELECT max(id) FROM tuki.outbox WHERE kind = 'reply' AND ticket = 1)"
out=$("$TUKI" -d user=alice -c 'open 1' 2>&1)
check "a sent one says sent" grep -q 'Alice Aalto replied · mail sent$' <<<"$out"
check "a failed one says failed, with the reason" \
    grep -q 'Alice Aalto replied · mail failed: 550 5.1.1 mailbox unavailable$' <<<"$out"
check "internal notes and the customer's words say nothing of mail" \
    not grep -qE 'Päivi Mäkelä wrote.*· mail|internal note.*· mail' <<<"$out"

# A phone call: the contact's words, recorded by the agent.
out=$("$TUKI" -d user=alice -c 'call 1 paivi@acme.fi "Soitin: tulostin toimii taas"' 2>&1)
check "call exits 0 and says so" grep -q "recorded paivi@acme.fi's words on #1" <<<"$out"
check "stored as Päivi's public message, recorded by alice" \
    test "$(psql -XAtc "SELECT c.email || '|' || m.author_kind || '|' || m.recorded_by || '|' || m.visibility || '|' || m.channel
                         FROM tuki.message m JOIN tuki.contact c ON c.id = m.contact
                        WHERE m.ticket = 1 AND m.body = 'Soitin: tulostin toimii taas'")" = \
         "paivi@acme.fi|contact|alice|public|phone"
out=$("$TUKI" -d user=alice -c 'open 1' 2>&1)
check "the ticket view shows it under her name" \
    grep -q "Päivi Mäkelä said on the phone (recorded by Alice Aalto)$" <<<"$out"
out=$("$TUKI" -d user=alice -c 'call 1 jussi@kone.fi "ei kuulu tänne"' 2>&1)
check "another customer's contact is refused (exit 1)" test $? = 1
check "with the TK code" grep -q "TK006: no contact jussi@kone.fi at customer ACME" <<<"$out"
out=$("$TUKI" -d user=alice -c 'call 1 -' 2>&1)
check "no text: usage" grep -q "usage: call ID CONTACT TEXT" <<<"$out"

# Held mail: leads list it, attach it to a customer or discard it; agents hear TK005.
psql -Xqc "INSERT INTO tuki.mail_hold (raw, sender, subject, body, reason) VALUES
           ('x'::bytea, 'uusi@acme.fi', 'Salasana vanhentui', 'Hei, salasana vanheni.', 'unknown sender'),
           ('y'::bytea, 'noreply@lista.example', 'Uutiskirje', 'Tarjous!', 'bulk (Precedence: list)')"
held1=$(psql -XAtc "SELECT id FROM tuki.mail_hold WHERE sender = 'uusi@acme.fi'")
held2=$(psql -XAtc "SELECT id FROM tuki.mail_hold WHERE sender = 'noreply@lista.example'")
out=$("$TUKI" -d user=lena -c 'held' 2>&1)
check "held lists id, sender, subject and reason" \
    grep -qE "^$held1  [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}  uusi@acme.fi  Salasana vanhentui  \(unknown sender\)$" <<<"$out"
check "both held mails are listed" test "$(grep -c '^[0-9]' <<<"$out")" = 2
# The screen shows the same: held mail in the ticket pane, a ticket's files and mail status.
ui_start 140 40 "$TUKI" -d user=lena
check "lena's console is up" ui_wait_for "connected as lena"
ui_keys :
ui_type "held"
ui_keys Enter
check "held shows the list in the ticket pane" ui_wait_for "uusi@acme.fi  Salasana vanhentui  (unknown sender)"
ui_keys :
ui_type "open 1"
ui_keys Enter
check "the ticket pane lists the attachment" ui_wait_for "attachment 1: virhe raportti.txt (text/plain, 12 bytes)"
check "and what became of a reply's mail" ui_wait_for "Alice Aalto replied · mail sent"
ui_keys q
check "quits" ui_wait_exit
out=$("$TUKI" -d user=alice -c "held attach $held1 ACME" 2>&1)
check "an agent may not attach (exit 1)" test $? = 1
check "and hears TK005" grep -q "TK005" <<<"$out"
out=$("$TUKI" -d user=alice -c "held discard $held2" 2>&1)
check "nor discard" grep -q "TK005" <<<"$out"
out=$("$TUKI" -d user=alice -c "held answer $held1" 2>&1)
check "an agent may not answer held mail (TK005)" grep -q "TK005" <<<"$out"
out=$("$TUKI" -d user=lena -c "held answer $held1" 2>&1)
check "lena answers the stranger from the template" \
    grep -q "held mail $held1 answered: the sender is asked to go through a named contact" <<<"$out"
check "the answer is queued to the sender, in the desk's language, threaded to the held mail" \
    test "$(psql -XAtc "SELECT o.kind || '|' || o.recipient || '|' || o.subject || '|' || (o.body LIKE '%nimettyjen yhteyshenkilöiden%')
                         FROM tuki.outbox o WHERE o.kind = 'held_answer'")" = "held_answer|uusi@acme.fi|Re: Salasana vanhentui|true"
out=$("$TUKI" -d user=lena -c 'held' 2>&1)
check "held shows who answered it" grep -q "Salasana vanhentui  (unknown sender, answered by lena)$" <<<"$out"
out=$("$TUKI" -d user=lena -c "held answer $held1 en" 2>&1)
check "a second answer is refused (TK003)" grep -q "TK003: held mail $held1 was answered by lena already" <<<"$out"
out=$("$TUKI" -d user=lena -c "held answer $held2" 2>&1)
check "bulk mail is never answered (TK006)" grep -q "TK006: held mail $held2 is not answered: bulk" <<<"$out"
out=$("$TUKI" -d user=lena -c "held attach $held1 ACME" 2>&1)
check "lena attaches it to ACME" grep -q "held mail $held1 attached to ACME: stored ticket" <<<"$out"
check "it is an ACME ticket now" \
    test "$(psql -XAtc "SELECT customer FROM tuki.ticket WHERE subject = 'Salasana vanhentui'")" = ACME
out=$("$TUKI" -d user=lena -c "held discard $held2" 2>&1)
check "lena discards the newsletter" grep -q "held mail $held2 discarded" <<<"$out"
check "nothing is held now" test "$(psql -XAtc "SELECT count(*) FROM tuki.mail_hold")" = 0
out=$("$TUKI" -d user=lena -c 'held' 2>&1)
check "and held says so" grep -qx "no mail is held" <<<"$out"
out=$("$TUKI" -d user=lena -c 'held discard x1' 2>&1)
check "a bad held number is refused clearly" grep -q "held mail number 'x1'" <<<"$out"
out=$("$TUKI" -d user=lena -c "held discard 999999" 2>&1)
check "unknown held mail: TK006" grep -q "TK006" <<<"$out"

ui_done
