#!/usr/bin/env bash
# link ID OTHER_ID and merge ID INTO OTHER_ID from 'tuki -c' and the console: both tickets'
# headers show the relation; the refusals are the schema's TK errors (tests/sql/ticket_links.sql).
. "$(dirname "$0")/lib.sh"
ui_fixture

out=$("$TUKI" -d user=alice -c 'link 1 8' -c 'open 1' 2>&1)
check "link exits 0" test $? = 0
check "the incident's header names the problem" grep -q "^linked: #8 problem (new) Hidas haku$" <<<"$out"
out=$("$TUKI" -d user=alice -c 'open 8' 2>&1)
check "and the problem's the incident" grep -q "^linked: #1 incident (new) Tulostin ei tulosta$" <<<"$out"

out=$("$TUKI" -d user=alice -c 'merge 10 INTO 4' 2>&1)
check "merge exits 0" test $? = 0
check "says what it did" grep -q "^#10 merged into #4 and closed$" <<<"$out"
out=$("$TUKI" -d user=alice -c 'open 10' -c 'open 4' 2>&1)
check "the duplicate points to the other ticket" grep -q "^merged into #4 incident (new) VPN-yhteys katkeilee$" <<<"$out"
check "which names the duplicate" grep -q "^merged here: #10 question (closed) Kysymys laskutuksesta$" <<<"$out"
check "the duplicate is closed" test "$(psql -XAtc "SELECT status FROM tuki.ticket WHERE id = 10")" = closed

out=$("$TUKI" -d user=alice -c 'merge 4 into 4' 2>&1)
check "merging into itself: TK006" grep -q "TK006: ticket #4 cannot be merged into itself" <<<"$out"
out=$("$TUKI" -d user=alice -c 'merge 5 into 4' 2>&1)
check "across customers: TK006" grep -q "TK006: ticket #5 is KONE's and #4 is ACME's" <<<"$out"
out=$("$TUKI" -d user=alice -c 'merge 7 into 10' 2>&1)
check "into a closed ticket: TK008" grep -q "TK008: ticket #10 is closed" <<<"$out"
out=$("$TUKI" -d user=alice -c 'merge 7 onto 1' 2>&1)
check "a wrong word is a usage error" grep -q "usage: merge ID INTO OTHER_ID" <<<"$out"

ui_start 120 40 "$TUKI" -d user=alice
check "console is up" ui_wait_for "connected as alice"
ui_keys :
ui_type "merge 7 into 1"
ui_keys Enter
check "the status line says so" ui_wait_for "#7 merged into #1 and closed"
check "the ticket that carries on opens, naming the duplicate" ui_wait_for "merged here: #7 incident (closed) Varmuuskopio epäonnistui"
check "and its link" ui_wait_for "linked: #8 problem (new) Hidas haku"
ui_keys q
check "quits" ui_wait_exit
ui_done
