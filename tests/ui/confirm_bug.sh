#!/usr/bin/env bash
# confirm ID VERSION [DATE]: a bug confirmed from the console, the customer told in their
# language (the templates: tests/sql/confirm_bug.sql), the ticket's header shows the fix.
. "$(dirname "$0")/lib.sh"
ui_fixture

out=$("$TUKI" -d user=alice -c 'confirm 2 2.4.1 2027-01-15' 2>&1)
check "tuki -c confirm exits 0" test $? = 0
check "says what it did" grep -q "#2: bug confirmed, fixed in 2.4.1 (release expected 2027-01-15); the customer is told" <<<"$out"
check "the database agrees" test "$(psql -XAtc "SELECT fix_version || ' ' || fix_release FROM tuki.ticket WHERE id = 2")" = "2.4.1 2027-01-15"
out=$("$TUKI" -d user=alice -c 'confirm 1 2.4.1' 2>&1)
check "an incident is not a bug: exit 1" test $? = 1
check "with TK006" grep -q "TK006: ticket #1 is a incident, not a bug" <<<"$out"
out=$("$TUKI" -d user=alice -c 'confirm 2' 2>&1)
check "the version is needed" grep -q "usage: confirm ID VERSION \[DATE\]" <<<"$out"

ui_start 120 40 "$TUKI" -d user=alice
check "console is up" ui_wait_for "connected as alice"
ui_keys :
ui_type "open 2"
ui_keys Enter
check "the header shows the fix" ui_wait_for "bug confirmed · fix version 2.4.1 · release expected 2027-01-15"
ui_keys q
check "quits" ui_wait_exit
ui_done
