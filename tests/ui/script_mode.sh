#!/usr/bin/env bash
# tuki -c runs the same commands from a script: 0 on success, 1 with the TK message on a
# broken rule, and stops at the first failure.
. "$(dirname "$0")/lib.sh"
ui_fixture

out=$("$TUKI" -d user=alice -c 'take 4' -c 'status 4 resolved "fixed"' 2>&1)
rc=$?
check "take then resolve exits 0" test "$rc" = 0
check "says what it did" grep -q "took #4" <<<"$out"
check "ticket 4 is resolved with the note" test "$(psql -XAtc "SELECT status || '|' || resolution FROM tuki.ticket WHERE id = 4")" = "resolved|fixed"

out=$("$TUKI" -d user=alice -c 'status 4 new' -c 'take 6' 2>&1)
rc=$?
check "illegal move exits 1" test "$rc" = 1
check "with the TK code and message" grep -q "TK001: ticket #4 cannot go from resolved to new" <<<"$out"
check "stops at the failure (6 not taken)" test -z "$(psql -XAtc "SELECT assignee FROM tuki.ticket WHERE id = 6")"

out=$("$TUKI" -d user=alice -c 'log 4 90x' 2>&1)
check "bad duration exits 1" test $? = 1
check "and says why" grep -q "duration '90x'" <<<"$out"
out=$("$TUKI" -d user=alice -c 'frobnicate 1' 2>&1)
check "unknown command exits 1" test $? = 1
out=$("$TUKI" -d user=alice -c 'log 4 1h30m billable driver update' -c 'open 4' 2>&1)
check "log with billable and a note" test $? = 0
check "worklog stored" test "$(psql -XAtc "SELECT minutes || ' ' || billable || ' ' || note FROM tuki.worklog WHERE ticket = 4")" = "90 true driver update"
check "open prints the ticket" grep -q "^#4  ACME" <<<"$out"

out=$("$TUKI" -d user=alice -c 'assign 2,3 bob' 2>&1)
check "alice may hand free tickets to bob" test $? = 0
out=$("$TUKI" -d user=alice -c 'assign 2 alice' 2>&1)
check "but not take bob's: TK005" grep -q "TK005" <<<"$out"
out=$("$TUKI" -d user=lena -c 'assign 2,3 alice' -c 'filter customer:KONE' 2>&1)
check "a lead may reassign" test "$(psql -XAtc "SELECT string_agg(assignee, ',' ORDER BY id) FROM tuki.ticket WHERE id IN (2, 3)")" = "alice,alice"
check "filter prints the queue" grep -q "^2	P3	standard	KONE" <<<"$out"
out=$("$TUKI" -d user=alice -c 'filter breaching' 2>&1)
check "breaching lists the week-old ticket and nothing else" test "$(cut -f1 <<<"$out" | tr '\n' ' ')" = "11 "
# A login with a dot (first.last is common) registers and works.
psql -Xqc "SELECT tuki.agent_add('pia.koski', 'Pia Koski', 'second_line')" >/dev/null 2>&1
check "an agent login with a dot registers" test "$(psql -XAtc "SELECT count(*) FROM tuki.agent WHERE login = 'pia.koski'")" = 1
out=$("$TUKI" -d user=pia.koski -c 'take 9' 2>&1)
check "and takes tickets" grep -q "took #9" <<<"$out"
out=$("$TUKI" -d user=alice -c 'help status' 2>&1)
check "help comes from the command table" grep -q "^status ID STATUS \[NOTE\]" <<<"$out"
ui_done
