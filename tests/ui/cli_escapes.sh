#!/usr/bin/env bash
# tuki -c prints database text as the screen shows it: a subject or message holding
# terminal escapes (title change, clear screen, alternate screen, an OSC 52 clipboard write,
# a tab that would shift columns) comes out with each control character as U+FFFD, never raw.
. "$(dirname "$0")/lib.sh"
ui_fixture
out=$(mktemp)
trap 'ui_cleanup; rm -f "$out"' EXIT
tuki_c() { "$TUKI" -d user=alice "$@" >"$out" 2>&1; }
has_raw_controls() { LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$out"; }

subject=$'Printer \e]0;pwned\a down \e[2J\e[?1049h col\tumn'
body=$'see \e]52;c;ZWNobyBoaQ==\a attached \e[31mred'
check "a ticket with escapes in its subject is created" tuki_c -c "new ACME \"$subject\""
id=$(head -1 "$out" | grep -oE '^#[0-9]+' | tr -d '#') # new shows the ticket it made
check "its id is printed ($id)" test -n "$id"
check "a reply with an OSC 52 clipboard write is stored" tuki_c -c "reply $id \"$body\""

check "open runs" tuki_c -c "open $id"
check "open prints no raw control character" not has_raw_controls
check "open shows the subject with U+FFFD for each control" \
    grep -qF "Printer �]0;pwned� down �[2J�[?1049h col�umn" "$out"
check "open shows the reply with U+FFFD for each control" grep -qF "see �]52;c;ZWNobyBoaQ==� attached �[31mred" "$out"

check "search runs" tuki_c -c "search pwned"
check "search prints no raw control character" not has_raw_controls
check "search shows the subject made visible" grep -qF "Printer �]0;pwned�" "$out"
check "a tab in the subject does not add a column" \
    test "$(grep -F pwned "$out" | awk -F'\t' '{print NF}')" = 7

check "filter prints no raw control character" tuki_c -c "filter all"
check "(the filter's output is checked)" not has_raw_controls

# An error quoting the command line is made visible too (standard error).
tuki_c -c $'status 999999 \e[2Jresolved'
check "an error message prints no raw control character" not has_raw_controls
check "the command in it is shown with U+FFFD" grep -qF "�[2Jresolved" "$out"
ui_done
