#!/usr/bin/env bash
# Issue 18: `report CUSTOMER [YYYY-MM]` in the console shows the text `tuki report` writes, in
# a scrollable pane (golden screens); `tuki -c` prints it; a contact gets their own
# organisation's and no other.
. "$(dirname "$0")/lib.sh"
ui_fixture
# A May 2026 of ACME's: two requests, both resolved and closed, one answered, 1h30m of work (the desk's
# clock and actor moved as an administrator replaying history may).
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
SET tuki.now = '2026-05-12 09:00+03';
SELECT tuki.ticket_create('ACME', 'Lasku väärin', 'Toukokuun lasku on väärin.', 'question', 3, 3, 'paivi@acme.fi');
SELECT tuki.ticket_create('ACME', 'Palvelin hidas', 'Palvelin on hidas.', 'incident', 2, 2, 'paivi@acme.fi');
SET tuki.actor = 'alice';
SET tuki.now = '2026-05-12 09:20+03';
SELECT tuki.ticket_take(id) FROM tuki.ticket WHERE subject = 'Palvelin hidas';
SELECT tuki.ticket_reply(id, 'Katsomme asiaa.') FROM tuki.ticket WHERE subject = 'Palvelin hidas';
SELECT tuki.worklog_add(id, 90, false, 'indeksit') FROM tuki.ticket WHERE subject = 'Palvelin hidas';
SET tuki.now = '2026-05-12 14:00+03';
SELECT tuki.ticket_set_status(id, 'resolved', 'Indeksi lisätty.') FROM tuki.ticket WHERE subject = 'Palvelin hidas';
SET tuki.now = '2026-05-29 10:00+03';
SELECT tuki.ticket_take(id) FROM tuki.ticket WHERE subject = 'Lasku väärin';
SELECT tuki.ticket_set_status(id, 'resolved', 'Lasku korjattu.') FROM tuki.ticket WHERE subject = 'Lasku väärin';
SELECT tuki.ticket_set_status(id, 'closed') FROM tuki.ticket WHERE subject IN ('Lasku väärin', 'Palvelin hidas');
SQL

cli=$("$TUKI" -d user=lena report --month 2026-05 --customer ACME)
check "tuki report writes ACME's May" grep -q "^Monthly report 2026-05: Acme Oy (ACME)" <<<"$cli"

# tuki -c: the same text, byte for byte, for an agent and for ACME's own contact
check "report in tuki -c is the text of tuki report" \
    test "$("$TUKI" -d user=alice -c 'report acme 2026-05')" = "$cli"
psql -Xqc "CREATE ROLE paivi LOGIN"
"$TUKI" -d user=lena -c "contact set $(psql -XAtc "SELECT id FROM tuki.contact WHERE email = 'paivi@acme.fi'") login=paivi" >/dev/null
check "ACME's contact gets the same report of their own organisation" \
    test "$("$TUKI" -d user=paivi -c 'report ACME 2026-05')" = "$cli"
check "and no other organisation's" not "$TUKI" -d user=paivi -c 'report KONE 2026-05'
check "the customer is unknown to them" bash -c "'$TUKI' -d user=paivi -c 'report KONE 2026-05' 2>&1 | grep -q 'TK006: no customer KONE'"
check "a month that is none is refused" bash -c "'$TUKI' -d user=alice -c 'report ACME 2026-13' 2>&1 | grep -q \"the month is YYYY-MM, e.g. 2026-05, not '2026-13'\""

ui_start 120 40 "$TUKI" -d user=alice
check "console is up" ui_wait_for "connected as alice"
check "the clocks are in" ui_wait_for "#11 res "
ui_keys :
ui_type "report acme 2026-05"
ui_keys Enter
check "the report opens in the pane" ui_wait_for "┌ Report ACME 2026-05 "
check "with its first lines" ui_wait_for "Monthly report 2026-05: Acme Oy (ACME)"
check "the status line says which" ui_wait_for "report of ACME for 2026-05"
check "report pane" ui_golden report
ui_keys Tab
ui_keys Space
check "Space scrolls it a page on" ui_wait_for "SLA (clocks that stopped in the month)"
check "the first lines are gone" ui_wait_gone "Monthly report 2026-05: Acme Oy (ACME)"
check "report pane, a page on" ui_golden report_scrolled
ui_keys G
check "G shows its end" ui_wait_for "the quota, with the work beyond it."
check "report pane, the end" ui_golden report_end
ui_keys q
check "quits" ui_wait_exit
ui_done
