#!/usr/bin/env bash
# Issue 15: the customer's console. A contact's login (a member of tuki_customer) opens the
# customer's view by itself; it files a request whose text is written in $EDITOR (a script
# here), an agent's console shows it live, the agent's public reply appears in the contact's
# console live without a key press, the internal note never does; reopen after resolution;
# another customer's contact sees none of it. Golden screen: golden/customer.txt.
. "$(dirname "$0")/lib.sh"
ui_fixture
psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE ROLE paivi LOGIN IN ROLE tuki_customer;
CREATE ROLE jussi LOGIN IN ROLE tuki_customer;
UPDATE tuki.contact SET login = 'paivi' WHERE email = 'paivi@acme.fi';
UPDATE tuki.contact SET login = 'jussi' WHERE email = 'jussi@kone.fi';
SQL
editor=$UI_DIR/editor.sh
cat >"$editor" <<'EOF2'
#!/bin/sh
# writes the request's text above the template's comment lines
{ printf 'Palvelin ei käynnisty aamulla.\nVirhekoodi 0x42.\n'; cat "$1"; } >"$1.new" && mv "$1.new" "$1"
EOF2
chmod +x "$editor"

UI_SESSION=paivi ui_start 120 30 env VISUAL= EDITOR="$editor" "$TUKI" -d user=paivi
UI_SESSION=alice ui_start 120 40 "$TUKI" -d user=alice
UI_SESSION=paivi check "a contact's login opens the customer's view" ui_wait_for "Your requests (4)"
UI_SESSION=paivi check "with who handles each and the SLA in words" ui_wait_for_re '│1 +Tulostin ei .* received +- +answer due by [A-Z][a-z]+ [0-9]{2}:[0-9]{2}'
UI_SESSION=paivi check "and the quota of the month" ui_wait_for "used 0h00m, left 10h00m"
UI_SESSION=paivi check "customer view" ui_golden customer
UI_SESSION=alice check "alice's console is up" ui_wait_for "connected as alice"

UI_SESSION=paivi ui_keys :
UI_SESSION=paivi ui_type "request incident 2 1 Palvelin ei käynnisty"
UI_SESSION=paivi ui_keys Enter
UI_SESSION=paivi check "the request is filed with the text from EDITOR" ui_wait_for "request #12 sent"
check "its text is what the editor wrote, without the template" test \
    "$(psql -XAtc "SELECT body || '|' || channel || '|' || author FROM tuki.message WHERE ticket = 12")" = \
    "$(printf 'Palvelin ei käynnisty aamulla.\nVirhekoodi 0x42.|portal|paivi')"
UI_SESSION=alice check "the agent's console shows it live" ui_wait_for_re '^│12 .*Palvelin ei käynnisty'

UI_SESSION=paivi ui_keys :
UI_SESSION=paivi ui_type "open 12"
UI_SESSION=paivi ui_keys Enter
UI_SESSION=paivi check "the contact opens its request" ui_wait_for "Virhekoodi 0x42."
for cmd in "take 12" "note 12 SISÄINEN: asiakas on hankala" "reply 12 Katsomme asiaa heti."; do
    UI_SESSION=alice ui_keys :
    UI_SESSION=alice ui_type "$cmd"
    UI_SESSION=alice ui_keys Enter
done
UI_SESSION=alice check "alice replied" ui_wait_for "public reply"
UI_SESSION=paivi check "the reply appears in the contact's console without a key press" ui_wait_for "Katsomme asiaa heti."
UI_SESSION=paivi check "with who handles it" ui_wait_for_re '│12 +Palvelin ei .* in progress +Alice Aalto'
UI_SESSION=paivi check "never the internal note" not ui_wait_for "SISÄINEN" 1

UI_SESSION=alice ui_keys :
UI_SESSION=alice ui_type "status 12 resolved Palvelu käynnistetty uudelleen"
UI_SESSION=alice ui_keys Enter
UI_SESSION=paivi check "resolution shows live, with the reopen window" ui_wait_for_re '│12 +Palvelin ei .* resolved +Alice Aalto +resolved, 14 days left to reopen'
UI_SESSION=paivi check "with the resolution" ui_wait_for "Palvelu käynnistetty uudelleen"
UI_SESSION=paivi ui_keys :
UI_SESSION=paivi ui_type "reopen 12 Ei toimi vieläkään"
UI_SESSION=paivi ui_keys Enter
UI_SESSION=paivi check "the contact reopens it" ui_wait_for "reopened"
UI_SESSION=alice check "the agent sees it open again" ui_wait_for_re '^│12 .* open +alice'
UI_SESSION=paivi check "with the contact's words" ui_wait_for "Ei toimi vieläkään"
UI_SESSION=paivi ui_keys :
UI_SESSION=paivi ui_type "note 12 x"
UI_SESSION=paivi ui_keys Enter
UI_SESSION=paivi check "agents' commands are not the contact's" ui_wait_for "'note' is not a customer's command"

UI_SESSION=jussi ui_start 120 30 "$TUKI" -d user=jussi
UI_SESSION=jussi check "the other customer's contact sees its own requests" ui_wait_for "Your requests (4)"
UI_SESSION=jussi check "and none of ACME's" not ui_wait_for_re "Palvelin|Tulostin|Alice" 1
UI_SESSION=jussi ui_keys :
UI_SESSION=jussi ui_type "open 12"
UI_SESSION=jussi ui_keys Enter
UI_SESSION=jussi check "ACME's request is no request to it" ui_wait_for "TK006: no ticket #12"
UI_SESSION=jussi check "nothing of its conversation" not ui_wait_for_re "Virhekoodi|Katsomme" 1

# the same from a script: tuki -c as a contact
out=$("$TUKI" -d user=paivi -c 'open 12' 2>&1)
check "tuki -c 'open' as a contact prints the public conversation" grep -q "Katsomme asiaa heti." <<<"$out"
check "with the resolution" grep -q "Palvelu käynnistetty uudelleen" <<<"$out"
check "and never the note" not grep -q "SISÄINEN" <<<"$out"
check "tuki -c as another customer's contact: TK006, exit 1" \
    bash -c '! out=$("$0" -d user=jussi -c "open 12" 2>&1) && grep -q "TK006: no ticket #12" <<<"$out"' "$TUKI"
printf 'lokirivi 1\nlokirivi 2\n' >"$UI_DIR/loki.txt"
check "tuki -c 'attach' as a contact" bash -c '"$0" -d user=paivi -c "attach 12 $1" | grep -q "attached as message"' "$TUKI" "$UI_DIR/loki.txt"
check "and 'save' brings the file back" bash -c 'cd "$1" && "$0" -d user=paivi -c "save 12 loki.txt takaisin.txt" && cmp loki.txt takaisin.txt' "$TUKI" "$UI_DIR"
check "another customer's contact cannot save it" bash -c '! "$0" -d user=jussi -c "save 12 loki.txt /dev/null" 2>/dev/null' "$TUKI"
check "tuki -c 'help' as a contact lists the customer's commands" bash -c '"$0" -d user=jussi -c help | grep -q "^reopen ID"' "$TUKI"

for s in paivi alice jussi; do
    UI_SESSION=$s ui_keys q
    UI_SESSION=$s check "$s quits" ui_wait_exit
done
ui_done
