#!/usr/bin/env bash
# sla ID explains a ticket's deadlines (tuki.sla_explain, whose figures tests/sql/sla_explain.sql
# checks by hand): printed by 'tuki -c', shown in the ticket pane of the console.
. "$(dirname "$0")/lib.sh"
ui_fixture

out=$("$TUKI" -d user=alice -c 'sla 1' 2>&1)
check "tuki -c 'sla 1' exits 0" test $? = 0
check "names the contract and calendar" grep -q "^contract #[0-9]* of ACME (valid 2020-01-01 to open end): service level premium, calendar 24x7$" <<<"$out"
check "the calendar's hours" grep -q "open Mon-Sun 00:00-24:00, times in UTC" <<<"$out"
check "the response target from sla_target" grep -q "^response: target 30 business minutes from sla_target premium P1" <<<"$out"
check "and how the deadline follows" grep -q "^  due .* + 30 business minutes = " <<<"$out"
check "the resolution clock" grep -q "^resolve: target 240 business minutes" <<<"$out"
out=$("$TUKI" -d user=alice -c 'sla 999' 2>&1)
check "an unknown ticket exits 1" test $? = 1
check "with TK006" grep -q "TK006: no ticket #999" <<<"$out"

ui_start 120 40 "$TUKI" -d user=alice
check "console is up" ui_wait_for "connected as alice"
ui_keys :
ui_type "sla 1"
ui_keys Enter
check "the explanation in the ticket pane" ui_wait_for "┌ SLA of #1"
check "its lines" ui_wait_for "response: target 30 business minutes"
check "the status line says what it is" ui_wait_for "#1: how its SLA deadlines follow"
ui_keys q
check "quits" ui_wait_exit
ui_done
