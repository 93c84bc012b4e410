#!/usr/bin/env bash
# tuki report: the text report (aligned by display width), RFC 4180 CSV (a name with a comma
# and quotes), what a customer contact gets, and the exit statuses for bad input; the service
# level day by day with a raise, the work lines (text and CSV) adding up to the summary, and
# the last 12 months as bars, for a 24x7 customer whose months run in Europe/Bratislava.
. "$(dirname "$0")/lib.sh"

psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE ROLE tt_agent LOGIN;
CREATE ROLE tt_kuppi LOGIN IN ROLE tuki_customer;
SELECT tuki.agent_add('tt_agent', 'Aino Agentti', 'second_line');
INSERT INTO tuki.customer (code, name) VALUES
    ('KUPPI', 'Kahvila "Kuppi", Oy'), ('ZILINA', 'Žilinské strojárne a.s.'), ('MAKELA', 'Mäkelän Kone Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from, quota_minutes) VALUES
    ('KUPPI', 'standard', 'fi-8-16', '2025-06-01', 60),
    ('ZILINA', 'premium', 'sk-8-17', '2025-06-01', 0),
    ('MAKELA', 'light', 'fi-9-17', '2025-06-01', 120);
INSERT INTO tuki.contact (customer, name, email, may_order_billable, login) VALUES
    ('KUPPI', 'Päivi Mäkelä', 'paivi@kuppi.fi', true, 'tt_kuppi'),
    ('ZILINA', 'Ľubomír Šťastný', 'lubo@zilina.sk', true, NULL);
SELECT set_config('tuki.actor', 'tt_agent', false);
-- KUPPI: two tickets on Monday 12 January 2026, one answered in 30 minutes and resolved;
-- 90 minutes of work against a 60-minute quota
SET tuki.now = '2026-01-12 08:00+02';
SELECT tuki.ticket_create('KUPPI', 'Kassa ei toimi', 'Apua', 'incident', 1, 1, 'paivi@kuppi.fi');
SELECT tuki.ticket_create('KUPPI', 'Kysymys', 'Miten?', 'question', 3, 3, 'paivi@kuppi.fi');
SET tuki.now = '2026-01-12 08:30+02';
SELECT tuki.ticket_reply(min(id), 'Katsomme') FROM tuki.ticket WHERE customer = 'KUPPI';
SET tuki.now = '2026-01-12 10:00+02';
SELECT tuki.worklog_add(min(id), 90) FROM tuki.ticket WHERE customer = 'KUPPI';
SELECT tuki.ticket_set_status(min(id), 'resolved', 'Korjattu') FROM tuki.ticket WHERE customer = 'KUPPI';
-- ZILINA: one change request with 45 minutes of ordered billable work
SET tuki.now = '2026-01-20 09:00+01';
SELECT tuki.ticket_create('ZILINA', 'Nový export', 'Prosím', 'change', 2, 2, 'lubo@zilina.sk');
SELECT tuki.worklog_add(id, 45, true) FROM tuki.ticket WHERE customer = 'ZILINA';
CREATE ROLE tt_anna LOGIN;
CREATE ROLE tt_jan LOGIN;
CREATE ROLE tt_ivana LOGIN IN ROLE tuki_customer;
SELECT tuki.agent_add('tt_anna', 'Anna Nováková', 'second_line');
SELECT tuki.agent_add('tt_jan', 'Ján Kráľ', 'second_line');
INSERT INTO tuki.customer (code, name, time_zone) VALUES ('KOSICE', 'Košická teplárenská a.s.', 'Europe/Bratislava');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from, quota_minutes, raise_level, raise_from, raise_to)
VALUES ('KOSICE', 'light', '24x7', '2026-02-01', 120, 'premium', '2026-05-11', '2026-06-05');
INSERT INTO tuki.contact (customer, name, email, may_order_billable, login) VALUES
    ('KOSICE', 'Ivana Horváthová', 'ivana@teplo.sk', true, 'tt_ivana'), ('KOSICE', 'Tomáš Ťažký', 'tomas@teplo.sk', false, NULL);
SELECT set_config('tuki.actor', 'tt_anna', false);
-- KOSICE (from February, so not in January's overview), light with a premium raise 11 May ..
-- 5 June. March: one request answered and resolved in time; 45 minutes of the 120-minute quota
SET tuki.now = '2026-03-10 09:00+01';
SELECT tuki.ticket_create('KOSICE', 'Kotolňa hlási poruchu', 'Pomoc', 'incident', 2, 2, 'tomas@teplo.sk');
SET tuki.now = '2026-03-10 09:30+01';
SELECT tuki.ticket_reply(max(id), 'Pozeráme sa') FROM tuki.ticket WHERE customer = 'KOSICE';
SELECT tuki.worklog_add(max(id), 45) FROM tuki.ticket WHERE customer = 'KOSICE';
SET tuki.now = '2026-03-10 12:00+01';
SELECT tuki.ticket_set_status(max(id), 'resolved', 'Opravené') FROM tuki.ticket WHERE customer = 'KOSICE';
-- May: a premium P1 during the raise answered late (60 > 30) and resolved in time (200 <= 240);
-- 100 + 40 minutes against the 120-minute quota (the second split 20 + 20) and 45 ordered by Ivana
SET tuki.now = '2026-05-12 10:00+02';
SELECT tuki.ticket_create('KOSICE', 'Výpadok merania – 東京 pobočka', 'Pomoc', 'incident', 1, 1, 'ivana@teplo.sk');
SET tuki.now = '2026-05-12 11:00+02';
SELECT tuki.ticket_reply(max(id), 'Pozeráme sa') FROM tuki.ticket WHERE customer = 'KOSICE';
SELECT tuki.worklog_add(max(id), 100) FROM tuki.ticket WHERE customer = 'KOSICE';
SET tuki.now = '2026-05-12 13:20+02';
SELECT tuki.ticket_set_status(max(id), 'resolved', 'Opravené') FROM tuki.ticket WHERE customer = 'KOSICE';
SELECT set_config('tuki.actor', 'tt_jan', false);
SET tuki.now = '2026-05-20 14:00+02';
SELECT tuki.worklog_add(max(id), 40) FROM tuki.ticket WHERE customer = 'KOSICE';
SELECT tuki.worklog_add(max(id), 45, true) FROM tuki.ticket WHERE customer = 'KOSICE';
-- 1 June 00:20 in Košice (31 May 22:20 UTC): June's
SET tuki.now = '2026-06-01 00:20+02';
SELECT tuki.worklog_add(max(id), 15) FROM tuki.ticket WHERE customer = 'KOSICE';
SQL

report() { "$TUKI" report "$@" >"$UI_DIR/out" 2>"$UI_DIR/err"; }
expect_rc() { # expect_rc WANT ARGS... : tuki report ARGS exits WANT
    local want=$1
    shift
    report "$@"
    local got=$?
    [ "$got" = "$want" ] || { echo "# got exit $got:"; sed 's/^/#   /' "$UI_DIR/out" "$UI_DIR/err"; return 1; }
}
has() { grep -qF -- "$1" "$UI_DIR/out"; }
err_has() { grep -qF -- "$1" "$UI_DIR/err"; }

# text
check "text report exits 0" expect_rc 0 --month 2026-01
check "an overview of the three customers" has "Monthly report 2026-01: 3 customers"
check "a section per customer, names verbatim" has 'Monthly report 2026-01: Kahvila "Kuppi", Oy (KUPPI)'
check "Slovak name printed correctly" has "Monthly report 2026-01: Žilinské strojárne a.s. (ZILINA)"
check "the month's zone is named" has "the month and all times are in Europe/Bratislava"
check "requests by type" grep -qE '^  question +1$' "$UI_DIR/out"
check "by priority" grep -qE '^  P1 +1$' "$UI_DIR/out"
check "response SLA: met, 100 %, 30 minutes" grep -qE '^  Response +1 +0 +100\.0 % +0h30m +0h30m$' "$UI_DIR/out"
check "quota used: the 60-minute quota" grep -qE '^  Quota used +60 +1h00m$' "$UI_DIR/out"
check "billable: 30 minutes over the quota" grep -qE '^  Billable +30 +0h30m$' "$UI_DIR/out"
# the overview's rows line up: every line of the table is equally wide on the terminal
widths=$(sed -n '/^Code /,/^Response, Resolution/p' "$UI_DIR/out" | sed '$d' | python3 -c '
import sys, unicodedata
for line in sys.stdin:
    line = line.rstrip("\n")
    print(sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in line))
' | sort -u)
check "overview rows are aligned by display width (Ž, ä count one column)" test "$(wc -l <<<"$widths")" = 1
check "billable minutes in the last column" test "$(sed -n '/^ZILINA /p;/^KUPPI /p;/^MAKELA /p' "$UI_DIR/out" | awk '{print $NF}' | tr '\n' ' ')" = "30 0 45 "

check "one customer" expect_rc 0 --month 2026-01 --customer ZILINA
check "no overview for one customer" test "$(grep -c '^Monthly report' "$UI_DIR/out")" = 1
check "ordered billable work is billable" grep -qE '^  Billable +45 +0h45m$' "$UI_DIR/out"

# csv
check "csv exits 0" expect_rc 0 --month 2026-01 --format csv
check "one header and one line per customer" test "$(wc -l <"$UI_DIR/out")" = 4
check "lines end in CRLF (RFC 4180)" test "$(grep -c $'\r$' "$UI_DIR/out")" = 4
check "header names the columns" grep -q '^customer,customer_name,month,service_level,calendar,time_zone,service_levels,raises,created,type_bug,' "$UI_DIR/out"
check "a name with a comma and quotes is quoted, quotes doubled" grep -qF 'KUPPI,"Kahvila ""Kuppi"", Oy",2026-01,standard' "$UI_DIR/out"
check "a CSV reader gets the fields back" test "$(python3 -c '
import csv, sys
rows = {r["customer"]: r for r in csv.DictReader(open(sys.argv[1], newline=""))}
k, z = rows["KUPPI"], rows["ZILINA"]
print(k["customer_name"], k["created"], k["type_incident"], k["type_question"], k["p1"], k["response_compliance"],
      k["quota_used_minutes"], k["billable_minutes"], "|", z["customer_name"], z["type_change"], z["billable_minutes"],
      "|", repr(rows["MAKELA"]["response_compliance"]))
' "$UI_DIR/out")" = "Kahvila \"Kuppi\", Oy 2 1 1 1 100.0 60 30 | Žilinské strojárne a.s. 1 45 | ''"

# KOSICE, May 2026: light, premium from the 11th; the month in Europe/Bratislava
check "lines report exits 0" expect_rc 0 --month 2026-05 --customer KOSICE --lines
check "the month runs in the customer's zone, not the 24x7 calendar's UTC" has "Calendar 24x7; the month and all times are in Europe/Bratislava."
check "the level before the raise" grep -qxF '  2026-05-01 – 2026-05-10  light' "$UI_DIR/out"
check "the level during the raise" grep -qxF '  2026-05-11 – 2026-05-31  premium (temporary raise)' "$UI_DIR/out"
check "the raise with its own dates" grep -qxF '  Temporary raise to premium from 2026-05-11 to 2026-06-05' "$UI_DIR/out"
check "summary: 185 logged (the 15 minutes at 00:20 on 1 June are June's)" grep -qE '^  Logged +185 +3h05m$' "$UI_DIR/out"
check "summary: 65 billable (20 beyond the quota + 45 ordered)" grep -qE '^  Billable +65 +1h05m$' "$UI_DIR/out"
check "line: 100 minutes within the quota" grep -qE '^  2026-05-12 +#[0-9]+  Výpadok merania – 東京 … +Anna Nováková +100 +100 +0$' "$UI_DIR/out"
check "line: the entry crossing the quota split 20 + 20" grep -qE '^  2026-05-20 +#[0-9]+  .* Ján Kráľ +40 +20 +20$' "$UI_DIR/out"
check "line: ordered work names who ordered it" grep -qE '^  2026-05-20 +#[0-9]+  .* Ján Kráľ +45 +0 +45  Ivana Horváthová$' "$UI_DIR/out"
check "the lines' totals are the summary's" grep -qE '^  Total +185 +120 +65$' "$UI_DIR/out"
width() { python3 -c '
import re, sys, unicodedata
def cols(s): return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)
for line in sys.stdin:
    line = line.rstrip("\n")
    if sys.argv[1] == "lines" and not line[-1].isdigit():
        line = re.sub(r"  (?:(?!  ).)+$", "", line)  # the Ordered by column, left-aligned
    if sys.argv[1] == "bars":
        line = line[:line.rindex("%") + 1]  # up to the quota figure; "+0h20m" may follow
    print(cols(line))
' "$1" | sort -u | wc -l; }
check "the lines table is aligned by display width (東京 is two columns each)" \
    test "$(sed -n '/^  Date  /,/^  Total /p' "$UI_DIR/out" | width lines)" = 1
check "bars of the months since the contract began" test "$(sed -n '/^Last 12 months/,/^  Compliance:/p' "$UI_DIR/out" | grep -c '^  2026-')" = 4
check "March: full bars for 100 % and 3¾ cells for 45 of 120 minutes (38 %)" \
    grep -qxF '  2026-03  ██████████ 100.0 %  ██████████ 100.0 %  ███▊          38 %' "$UI_DIR/out"
check "May: a late response is an empty bar at 0.0 %, the quota full with the minutes beyond it" \
    grep -qxF '  2026-05               0.0 %  ██████████ 100.0 %  ██████████   100 %  +0h20m' "$UI_DIR/out"
check "a month with no clocks stopped shows -" grep -qxF '  2026-04                   -                   -                 0 %' "$UI_DIR/out"
check "the bars line up by display width" \
    test "$(sed -n '/^Last 12 months/,/^  Compliance:/p' "$UI_DIR/out" | grep '^  2026-' | width bars)" = 1

check "twelve months of history at most" expect_rc 0 --month 2026-06 --customer KUPPI
check "2025-07 .. 2026-06, the oldest month of the contract dropped" \
    test "$(sed -n '/^Last 12 months/,/^  Compliance:/p' "$UI_DIR/out" | grep -o '^  20[0-9-]*' | sed -n '1p;$p;$=' | tr -d ' ' | tr '\n' ' ')" = "2025-07 2026-06 12 "
check "a month of a contract without quota" expect_rc 0 --month 2026-01 --customer ZILINA
check "shows - for the quota, and for clocks that did not stop" grep -qE '^  2026-01 +- +- +-$' "$UI_DIR/out"
check "lines as CSV exit 0" expect_rc 0 --month 2026-05 --lines --format csv
check "lines CSV header" test "$(head -1 "$UI_DIR/out")" = $'customer,month,date,ticket,subject,agent,minutes,included_minutes,billable_minutes,kind,approved_by\r'
# sums_match MONTH: per customer, lines and entries of the lines CSV, and whether their sums are
# the summary CSV's worklog, quota used and billable minutes
sums_match() {
    expect_rc 0 --month "$1" --lines --format csv && cp "$UI_DIR/out" "$UI_DIR/lines.csv" &&
        expect_rc 0 --month "$1" --format csv && python3 -c '
import csv, sys
lines = list(csv.DictReader(open(sys.argv[1], newline="")))
summary = {r["customer"]: r for r in csv.DictReader(open(sys.argv[2], newline=""))}
for code, s in sorted(summary.items()):
    mine = [l for l in lines if l["customer"] == code]
    sums = [sum(int(l[k]) for l in mine) for k in ("minutes", "included_minutes", "billable_minutes")]
    print(code, len(mine), sums == [int(s[k]) for k in ("worklog_minutes", "quota_used_minutes", "billable_minutes")], end="; ")
k = [l for l in lines if l["customer"] == "KOSICE"]
if k:
    print(" ".join(l["kind"] for l in k), k[0]["subject"], k[2]["agent"], k[2]["approved_by"], sep=" | ", end="")
' "$UI_DIR/lines.csv" "$UI_DIR/out"
}
check "January's lines CSV sums are the summary's, for every customer" \
    test "$(sums_match 2026-01)" = "KUPPI 1 True; MAKELA 0 True; ZILINA 1 True; "
check "May's too, one row per entry, kinds, verbatim names" \
    test "$(sums_match 2026-05)" = "KOSICE 3 True; KUPPI 0 True; MAKELA 0 True; ZILINA 0 True; included split ordered | Výpadok merania – 東京 pobočka | Ján Kráľ | Ivana Horváthová"
check "a month without work: the lines CSV is the header alone" expect_rc 0 --month 2026-04 --customer KOSICE --lines --format csv
check "header only" test "$(wc -l <"$UI_DIR/out")" = 1
"$TUKI" -d user=tt_ivana report --month 2026-05 --lines >"$UI_DIR/out" 2>"$UI_DIR/err"
check "a contact gets its own lines, with the agents' names" test "$(grep -cE '^  2026-05-[0-9]{2} +#' "$UI_DIR/out")/$(grep -c 'Ján Kráľ' "$UI_DIR/out")" = 3/2

# a customer contact sees its own organisation only, and cannot probe others
"$TUKI" -d user=tt_kuppi report --month 2026-01 --format csv >"$UI_DIR/out" 2>"$UI_DIR/err"
check "a contact (via -d) gets its own row only" test "$(tail -n +2 "$UI_DIR/out" | cut -d, -f1 | tr -d '\r')" = "KUPPI"
"$TUKI" -d user=tt_kuppi report --month 2026-01 --customer ZILINA >"$UI_DIR/out" 2>"$UI_DIR/err"
check "another customer is unknown to a contact (65)" test $? = 65

# no contract in force
check "a month before any contract exits 0" expect_rc 0 --month 2020-01 --customer KUPPI
check "and says there is no report" has "No report for KUPPI in 2020-01"
check "csv of an empty month is the header alone" expect_rc 0 --month 2020-01 --format csv
check "header only" test "$(wc -l <"$UI_DIR/out")" = 1

# bad input
check "--month is required (64)" expect_rc 64
check "says so" err_has "--month YYYY-MM is required"
for bad in 2026-1 2026-13 2026-00 26-01 2026/01 2026-01-01 januari; do
    check "month '$bad' is refused (64)" expect_rc 64 --month "$bad"
done
check "the bad month is named" err_has "--month wants YYYY-MM, not 'januari'"
check "unknown format (64)" expect_rc 64 --month 2026-01 --format xml
check "names it" err_has "--format is text or csv, not 'xml'"
check "unknown option (64)" expect_rc 64 --month 2026-01 --frobnicate
check "stray argument (64)" expect_rc 64 --month 2026-01 KUPPI
check "unknown customer (65)" expect_rc 65 --month 2026-01 --customer NOPE
check "named clearly" err_has "unknown customer 'NOPE'"
"$TUKI" -d host=/nonexistent report --month 2026-01 >"$UI_DIR/out" 2>"$UI_DIR/err"
check "no database (69)" test $? = 69
check "with libpq's message" err_has "cannot connect to the database"
# libpq's message about a socket path this long is over 1 KiB: it comes whole, its end too
"$TUKI" -d "host=/nonexistent/$(printf 'd%.0s' $(seq 1 1500))" report --month 2026-01 \
    >"$UI_DIR/out" 2>"$UI_DIR/err"
check "a long libpq message (69)" test $? = 69
check "comes whole" err_has '" is too long (maximum 107 bytes)'
check "--help exits 0" expect_rc 0 --help
check "and shows the usage" has "report --month YYYY-MM"
check "with --lines" has "[--lines]"

# a schema newer than this tuki: refused like every sub-command does
known=$(psql -XAtc "SELECT max(version) FROM tuki.schema_version")
psql -Xqc "INSERT INTO tuki.schema_version (version, name, checksum) VALUES ($known + 100, '999_future.sql', 'future')"
check "a newer schema exits 69" expect_rc 69 --month 2026-01
check "and says what to do" err_has "tuki report: "
ui_done
