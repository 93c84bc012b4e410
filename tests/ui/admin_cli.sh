#!/usr/bin/env bash
# Issue 15, "Administration without SQL": a lead adds a contact, raises a contract to premium
# for next week and adds a holiday, all with `tuki -c`; the queue rank and SLA deadlines of the
# customer's new tickets follow; an agent trying the same gets TK005 and changes nothing.
. "$(dirname "$0")/lib.sh"
ui_fixture
q() { psql -XAtc "$1"; }

# Next week, Monday to Sunday, and its Tuesday (local dates in Helsinki, fi-8-16's zone). The
# deadlines below are worked out by hand for weeks without a public holiday: in a holiday week
# (Christmas, Easter, Midsummer) the first week on from next that has none, nor the week after.
mon=$(TZ=Europe/Helsinki date -d 'next monday' +%F)
while [ "$(q "SELECT count(*) FROM tuki.holiday WHERE calendar = 'fi-8-16'
               AND day BETWEEN '$mon'::date AND '$mon'::date + 13")" != 0 ]; do
    mon=$(date -d "$mon + 7 days" +%F)
done
tue=$(date -d "$mon + 1 day" +%F)
wed=$(date -d "$mon + 2 days" +%F)
sun=$(date -d "$mon + 6 days" +%F)
after=$(date -d "$mon + 7 days" +%F) # the Monday after the raise
psql -Xqc "INSERT INTO tuki.customer (code, name) VALUES ('MUST', 'Mustila Oy')"

lead() { "$TUKI" -d user=lena "$@" >"$UI_DIR/out" 2>"$UI_DIR/err"; }
agent() { "$TUKI" -d user=alice "$@" >"$UI_DIR/out" 2>"$UI_DIR/err"; }
said() { grep -qxF -- "$1" "$UI_DIR/out"; }

check "the lead gives MUST a light contract on fi-8-16" \
    lead -c 'contract add MUST light fi-8-16 2020-01-01 quota=10h'
contract=$(q "SELECT id FROM tuki.contract WHERE customer = 'MUST'")
check "and is told its number" said "added a contract of MUST, light on calendar fi-8-16 from 2020-01-01: contract $contract"

# Before the raise, this week: a light ticket, which the raise will not touch.
check "a ticket of MUST today" "$TUKI" -c 'new MUST "Ennen korotusta"'
before=$(q "SELECT max(id) FROM tuki.ticket WHERE customer = 'MUST'")

check "the lead adds a contact, raises the contract for next week and adds a holiday" \
    lead -c 'contact add MUST "Maija Mustonen" email=maija@mustila.fi phone="+358 40 123 4567" language=fi billable=yes' \
    -c "raise MUST premium $mon $sun" -c "holiday add fi-8-16 $tue \"Mustilan päivä\""
contact=$(q "SELECT id FROM tuki.contact WHERE email = 'maija@mustila.fi'")
check "each answer says what was done" \
    bash -c "grep -qxF 'added Maija Mustonen to MUST: contact $contact' '$UI_DIR/out' &&
             grep -qxF 'MUST raised to premium from $mon to $sun: contract $contract' '$UI_DIR/out' &&
             grep -qxF '$tue is a holiday of fi-8-16: Mustilan päivä' '$UI_DIR/out'"
check "the contact is there with every field" \
    test "$(q "SELECT concat_ws(' ', name, phone, language, may_order_billable, active) FROM tuki.contact WHERE id = $contact")" = \
    "Maija Mustonen +358 40 123 4567 fi t t"
check "the audit names lena for all three" \
    test "$(q "SELECT string_agg(object || ' ' || action, ', ' ORDER BY id) FROM tuki.admin_audit WHERE actor = 'lena'")" = \
    "contract $contract add, contact $contact add, contract $contract change, holiday fi-8-16 $tue add"
check "the lead reads the audit" lead -c 'audit 3'
check "audit shows the raise in words" \
    grep -qE "^[0-9-]{10} [0-9:]{5}  lena  contract $contract changed: raise_from - → $mon, raise_level - → premium, raise_to - → $sun\$" "$UI_DIR/out"

# New tickets of MUST next week (`new` in tuki -c prints the ticket it created, "#N  MUST / …"), Monday 15:00 in Helsinki, P1 (impact 1, urgency 1): the desk's
# clock is moved as an administrator may (the test's superuser).
at() { PGOPTIONS="-c tuki.now=$1T15:00:00+02:00" "$TUKI" -c "new MUST \"$2\"" | sed -n '1s/^#\([0-9]*\) .*/\1/p'; }
p1() { PGOPTIONS="-c tuki.now=$1T15:00:00+02:00" "$TUKI" -c "prio $2 1 1" >/dev/null; }
raised=$(at "$mon" "Verkko ei toimi")
p1 "$mon" "$raised"
later=$(at "$after" "Korotuksen jälkeen")
p1 "$after" "$later"
check "tickets created next week and the week after" test -n "$raised" -a -n "$later"

check "next week's ticket is premium, rank 1; before and after the raise light, rank 3" \
    test "$(q "SELECT string_agg(format('%s %s', service_level, service_rank), ', ' ORDER BY id) FROM tuki.ticket WHERE id IN ($before, $raised, $later)")" = \
    "light 3, premium 1, light 3"
check "in the queue the raised ticket is ahead of every standard and light ticket" \
    test "$(q "SELECT bool_and(q.position < o.position) FROM tuki.queue q, tuki.queue o WHERE q.id = $raised AND o.service_level <> 'premium'")" = t
check "and the week after's behind every premium and standard one" \
    test "$(q "SELECT bool_and(q.position > o.position) FROM tuki.queue q, tuki.queue o WHERE q.id = $later AND o.service_level <> 'light'")" = t

# Deadlines worked out by hand. Premium P1: response 30, resolution 240 business minutes.
# Monday 15:00 + 30 min = Monday 15:30. Resolution: Monday 15:00-16:00 is 60 minutes; Tuesday is
# the holiday the lead added; Wednesday 08:00 + 180 min = Wednesday 11:00.
check "the raised ticket's response is due Monday 15:30 (premium P1, 30 minutes)" \
    test "$(q "SELECT response_due AT TIME ZONE 'Europe/Helsinki' FROM tuki.ticket WHERE id = $raised")" = "$mon 15:30:00"
check "its resolution Wednesday 11:00: premium's 4 hours, Tuesday's holiday skipped" \
    test "$(q "SELECT resolve_due AT TIME ZONE 'Europe/Helsinki' FROM tuki.ticket WHERE id = $raised")" = "$wed 11:00:00"
# Light P1 the Monday after: response 120 minutes, Monday 17:00 is past 16:00, so 60 minutes on
# Monday and 60 on Tuesday: Tuesday 09:00.
check "the week after, light again: response due Tuesday 09:00 (light P1, 2 hours)" \
    test "$(q "SELECT response_due AT TIME ZONE 'Europe/Helsinki' FROM tuki.ticket WHERE id = $later")" = \
    "$(date -d "$after + 1 day" +%F) 09:00:00"

# The same by an agent: TK005, and nothing changes.
audited=$(q "SELECT count(*) FROM tuki.admin_audit")
check "an agent adding a contact fails" not agent -c 'contact add MUST "Matti Muu" email=matti@mustila.fi'
check "with TK005" grep -q "^tuki: contact add MUST .*: TK005: only a lead may add contacts" "$UI_DIR/err"
check "an agent raising a contract fails" not agent -c "raise MUST premium $after $(date -d "$after + 2 days" +%F)"
check "with TK005" grep -q "TK005: only a lead may raise service levels" "$UI_DIR/err"
check "an agent adding a holiday fails" not agent -c "holiday add fi-8-16 $wed Keskiviikko"
check "with TK005" grep -q "TK005: only a lead may add holidays" "$UI_DIR/err"
check "and the hint says whom to ask" grep -qx "HINT: Ask a team lead." "$UI_DIR/err"
check "nothing was changed by the agent" test "$(q "SELECT count(*) FROM tuki.admin_audit")" = "$audited"
check "the raised ticket's deadlines are as they were" \
    test "$(q "SELECT resolve_due AT TIME ZONE 'Europe/Helsinki' FROM tuki.ticket WHERE id = $raised")" = "$wed 11:00:00"

check "anyone reads a calendar's hours and coming holidays" agent -c 'hours fi-8-16'
check "the lead's holiday among them" said "$tue  Mustilan päivä"
check "and Monday's hours" said "Mon  08:00-16:00"
check "an unknown calendar is named with the known ones" not agent -c 'hours mars'
check "in words" grep -q "no calendar mars; the calendars are 24x7, fi-8-16, fi-9-17, sk-8-17" "$UI_DIR/err"

# Refusals at the prompt's level, before anything is sent.
check "a date that is none is refused" not lead -c "holiday add fi-8-16 2027-02-30 X"
check "in words" grep -q "'2027-02-30' is no date: write YYYY-MM-DD" "$UI_DIR/err"
check "so are weekdays that are none" not lead -c "hours fi-8-16 mo-fr 08-16"
check "in words too" grep -q "days 'mo-fr': e.g. mon-fri" "$UI_DIR/err"
ui_done
