#!/usr/bin/env bash
# Writing in $EDITOR (tuki(1), WRITING IN AN EDITOR): the test's own editor script stands in
# for vi. A reply of three paragraphs with ä, č and 漢字 arrives intact as one message, the
# customer's last words quoted in the file; an empty file sends nothing; 'new' through the
# form (refused once, re-opened with the error) makes a ticket with contact, type, channel
# and body; 'edit' changes contact and type, and both are in the ticket's events; the same
# from 'tuki -c'.
. "$(dirname "$0")/lib.sh"
ui_fixture
psql -XqAc "INSERT INTO tuki.contact (customer, name, email) VALUES ('ACME', 'Ville Virtanen', 'ville@acme.fi')"

ed=$UI_DIR/ed.sh
cat >"$ed" <<'EOF'
#!/usr/bin/env bash
# The test's editor: does what $dir/mode says to the file, and keeps a copy of what it got.
f=$1 dir=$(dirname "$0")
n=$(($(cat "$dir/calls" 2>/dev/null || echo 0) + 1))
echo "$n" >"$dir/calls"
cp "$f" "$dir/seen.$n"
# the terminal as the editor finds it, and a screen of its own as vi draws one
stty -a >"$dir/stty.$n" 2>&1
[ -t 1 ] && printf '\033[?1049h\033[2J\033[HEDITOR SCREEN\033[?1049l'
case $(cat "$dir/mode") in
reply) printf '%s\n' 'Hei Päivi,' '' 'ensimmäinen kappale: ä ja č' 'toisella rivillä.' '' \
                     'toinen kappale: 漢字.' '' 'Terveisin Alice' >"$f" ;;
empty) : >"$f" ;;
unchanged) ;;
new-bad) sed -i -e 's/^Customer: .*/Customer: ACME/' -e 's/^Contact: .*/Contact: Päivi Mäkelä/' \
             -e 's/^Type: .*/Type: wish/' -e 's/^Subject: .*/Subject: Tulostusjono jumissa/' "$f"
         printf '%s\n' 'Jono ei tyhjene.' '' 'Soitti klo 9.' >>"$f"
         echo new-good >"$dir/mode" ;;
new-good) sed -i -e 's/^Type: .*/Type: bug/' -e 's/^Urgency: .*/Urgency: 1/' "$f" ;;
edit) sed -i -e 's/^Type: .*/Type: problem/' -e 's/^Contact: .*/Contact: Ville Virtanen/' "$f" ;;
esac
EOF
chmod +x "$ed"
mode() { echo "$1" >"$UI_DIR/mode"; }
messages() { psql -XAtc "SELECT count(*) FROM tuki.message WHERE ticket = $1"; }
want_reply=$'Hei Päivi,\n\nensimmäinen kappale: ä ja č\ntoisella rivillä.\n\ntoinen kappale: 漢字.\n\nTerveisin Alice'

export EDITOR=$ed VISUAL=
ui_start_checked 120 40 -d user=alice
check "console is up" ui_wait_for "connected as alice"

# a reply of three paragraphs
mode reply
before=$(messages 4)
ui_keys :
ui_type "reply 4"
ui_keys Enter
check "the reply is sent" ui_wait_for "public reply added to #4"
check "as one message" test "$(messages 4)" = $((before + 1))
got=$(psql -XAtc "SELECT body FROM tuki.message WHERE ticket = 4 ORDER BY id DESC LIMIT 1")
check "paragraphs, ä, č and 漢字 intact" test "$got" = "$want_reply"
check "a public message by alice" test "$(psql -XAtc "SELECT visibility || ' ' || author FROM tuki.message WHERE ticket = 4 ORDER BY id DESC LIMIT 1")" = "public alice"
check "the file quoted the customer's last words" grep -qx '> VPN katkeaa tunnin välein.' "$UI_DIR/seen.1"
check "under an attribution line" grep -qE '^On [0-9-]+ [0-9:]+, Päivi Mäkelä wrote:$' "$UI_DIR/seen.1"
check "below a comment header naming the ticket" grep -q '^# Reply to #4 "VPN-yhteys katkeilee"' "$UI_DIR/seen.1"
check "the editor got the terminal in its normal mode (curses stepped aside)" grep -qE '(^| )icanon( |$)' "$UI_DIR/stty.1"
check "with echo on" grep -qE '(^| )echo( |$)' "$UI_DIR/stty.1"
check "the whole screen is painted again after the editor" ui_wait_for "Tulostin ei tulosta"
check "the queue's frame too" ui_wait_for "Queue: "

# an empty file and an unchanged one cancel
mode empty
before=$(messages 1)
ui_keys :
ui_type "note 1"
ui_keys Enter
check "an empty file sends nothing" ui_wait_for "nothing sent"
check "no message was added" test "$(messages 1)" = "$before"
mode unchanged
ui_keys :
ui_type "open 1"
ui_keys Enter
ui_wait_for "#1" >/dev/null
ui_keys Tab
ui_keys r
check "r on the open ticket: an unchanged file sends nothing either" ui_wait_for_re "nothing sent"
check "still no message" test "$(messages 1)" = "$before"
check "r opened the editor on #1" grep -q '^# Reply to #1 ' "$UI_DIR/seen.3"

# new through the form, refused once (an unknown type) and re-opened with the error
mode new-bad
last=$(psql -XAtc "SELECT max(id) FROM tuki.ticket")
ui_keys :
ui_type "new"
ui_keys Enter
check "the ticket is created" ui_wait_for_re "created #[0-9]+ for ACME"
id=$(psql -XAtc "SELECT max(id) FROM tuki.ticket")
check "one ticket, after one refusal" test "$id" = $((last + 1))
check "the form came back with the TK code as a comment" grep -q "^# TK006: unknown type 'wish'" "$UI_DIR/seen.5"
check "and the text written before" grep -qx 'Soitti klo 9.' "$UI_DIR/seen.5"
check "contact, type, channel, priority and subject" test "$(psql -XAtc "SELECT c.name, t.type, t.channel, t.impact, t.urgency, t.subject FROM tuki.ticket t JOIN tuki.contact c ON c.id = t.contact WHERE t.id = $id")" = "Päivi Mäkelä|bug|phone|3|1|Tulostusjono jumissa"
check "the body is the contact's words, recorded by alice" test "$(psql -XAtc "SELECT author_kind, recorded_by, body FROM tuki.message WHERE ticket = $id")" = "contact|alice|Jono ei tyhjene.

Soitti klo 9."

# edit through the form: contact and type
mode edit
ui_keys :
ui_type "edit $id"
ui_keys Enter
check "edit says what changed" ui_wait_for "#$id: 2 fields changed"
check "the form showed the current values" grep -qx 'Contact: paivi@acme.fi' "$UI_DIR/seen.6"
check "both changes in one edit event" test "$(psql -XAtc "SELECT detail->'type'->>'to', (SELECT name FROM tuki.contact WHERE id = (detail->'contact'->>'to')::bigint) FROM tuki.ticket_event WHERE ticket = $id AND kind = 'edit'")" = "problem|Ville Virtanen"
"$TUKI" -c "open $id" >"$UI_DIR/edited.txt" 2>&1
check "the timeline tells the contact's change by name" grep -qE "changed the contact Päivi Mäkelä → Ville Virtanen" "$UI_DIR/edited.txt"
check "and the type's" grep -qE "changed the type bug → problem" "$UI_DIR/edited.txt"

# completion of customers and contacts at the prompt
ui_keys :
ui_type "new AC"
ui_keys Tab
ui_type "#"
check "Tab completes a customer code for new" ui_wait_for "tuki: new ACME #"
ui_keys Escape
ui_keys :
ui_type "call 1 Pä"
ui_keys Tab
ui_type "#"
check "Tab completes a contact's name, quoted" ui_wait_for 'tuki: call 1 "Päivi Mäkelä" #'
ui_keys Escape
ui_keys :
ui_type "edit 1 con"
ui_keys Tab
ui_type "vil"
ui_keys Tab
ui_type "#"
check "Tab completes edit's contact= and an address after it" ui_wait_for "tuki: edit 1 contact=ville@acme.fi #"
ui_keys Escape

ui_keys q
check "quits" ui_wait_exit
status=$(ui_exit_status)
check "exit status 0: no crash and no memory error" test "$status" = 0
[ "$status" = 0 ] || ui_checker_report

# tuki -c: the same editor, no screen
mode reply
before=$(messages 2)
out=$(EDITOR="$ed" "$TUKI" -d user=bob -c 'reply 2' 2>&1)
check "tuki -c 'reply 2' with EDITOR: sent ($out)" test "$out" = "public reply added to #2"
check "one message, intact" test "$(psql -XAtc "SELECT body FROM tuki.message WHERE ticket = 2 ORDER BY id DESC LIMIT 1")" = "$want_reply"
out=$(EDITOR="$ed" "$TUKI" -d user=bob -c 'note 3' 2>&1)
check "tuki -c 'note 3' with EDITOR ($out)" test "$out" = "internal note added to #3"
check "an internal note, intact" test "$(psql -XAtc "SELECT visibility || ':' || body FROM tuki.message WHERE ticket = 3 ORDER BY id DESC LIMIT 1")" = "internal:$want_reply"
check "its file named it an internal note" grep -q '^# Internal note on #3 ' "$UI_DIR/seen.$(cat "$UI_DIR/calls")"
mode empty
out=$(EDITOR="$ed" "$TUKI" -d user=bob -c 'reply 2' 2>&1)
check "an empty file: nothing sent ($out)" test "$out" = "nothing sent: the text was empty or unchanged"
check "and nothing added" test "$(messages 2)" = $((before + 1))
out=$(EDITOR="$ed" "$TUKI" -d user=bob -c 'edit 2 type=question contact=jussi@kone.fi channel=chat' 2>&1)
check "edit with field=value ($out)" test "$out" = "#2: 2 fields changed"

# canned replies: a lead keeps them, an agent starts a reply from one and may send it as it is
out=$("$TUKI" -d user=lena -c 'canned set thanks "Hei {contact},

kiitos, #{ticket} on työn alla.

{agent}"' 2>&1)
check "a lead adds a canned reply ($out)" test "$out" = "canned reply thanks added"
out=$("$TUKI" -d user=bob -c 'canned set thanks x' 2>&1)
check "an agent may not ($out)" grep -q "TK005: only a lead may change canned replies" <<<"$out"
check "canned lists them" test "$("$TUKI" -d user=bob -c canned 2>&1)" = "thanks               Hei {contact},"
mode unchanged
before=$(messages 2)
out=$(EDITOR="$ed" "$TUKI" -d user=bob -c 'reply 2 --canned thanks' 2>&1)
check "reply --canned sent as it is ($out)" test "$out" = "public reply added to #2"
got=$(psql -XAtc "SELECT body FROM tuki.message WHERE ticket = 2 ORDER BY id DESC LIMIT 1")
check "placeholders filled in, the customer quoted below" test "$(head -5 <<<"$got")" = $'Hei Jussi Köykkä,\n\nkiitos, #2 on työn alla.\n\nBob Björklund'
check "with the quote" test "$(tail -1 <<<"$got")" = "> Raportti näyttää väärin."
mode empty
out=$(EDITOR="$ed" "$TUKI" -d user=bob -c 'reply 2 --canned thanks' 2>&1)
check "emptied, it sends nothing ($out)" test "$(messages 2)" = $((before + 1))
out=$(env -u EDITOR -u VISUAL "$TUKI" -d user=bob -c 'reply 2' 2>&1 </dev/null)
check "no terminal and no EDITOR: an error, not a hanging vi ($out)" grep -q "no terminal for an editor" <<<"$out"
ui_done
