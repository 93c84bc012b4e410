#!/usr/bin/env bash
# `tuki -c` and `tuki report` in Finnish and Slovak: by the locale (LANG), and the report by
# --lang whatever the locale or LANGUAGE say, --lang customer giving each customer's copy in
# the customer's language in one run; decimal commas and dd.mm.yyyy dates in fi and sk; the
# Finnish tables aligned by display width; Finnish words even where fi_FI is not installed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/locales.sh"
ui_fixture
check "fi_FI and sk_SK locales compiled into a private directory (LOCPATH)" locales_setup
psql -X -q -c "UPDATE tuki.customer SET language = 'fi' WHERE code = 'ACME';
               UPDATE tuki.customer SET language = 'sk' WHERE code = 'TATRA'"
in_fi() { locales_run fi_FI.UTF-8 "$TUKI" "$@" >"$UI_DIR/out" 2>"$UI_DIR/err"; }
in_sk() { locales_run sk_SK.UTF-8 "$TUKI" "$@" >"$UI_DIR/out" 2>"$UI_DIR/err"; }
has() { grep -qF -- "$1" "$UI_DIR/out"; }
err_has() { grep -qF -- "$1" "$UI_DIR/err"; }
lacks() { ! grep -qF -- "$1" "$UI_DIR/out"; }

# tuki -c
in_fi -d user=alice -c 'take 1' -c 'reply 1 "Katsomme asiaa."' -c 'log 1 1h30m'
check "fi: -c answers in Finnish" has "#1 otettu käsittelyyn"
check "fi: a reply's answer" has "julkinen vastaus lisätty tukipyyntöön #1"
check "fi: a worklog's answer" has "kirjattu 1h30m tukipyyntöön #1"
in_fi -d user=alice -c 'open 1'
sed 's/^/# /' "$UI_DIR/out"
check "fi: the ticket's header" grep -qE "^tila avoin · [^ ]+ Alice Aalto · [^ ]+ 2. linja · [^ ]+ sähköposti" "$UI_DIR/out"
check "fi: its type and level" has "häiriö P1 Premium"
check "fi: the reply a sentence in Finnish" grep -qE "^[0-9.]+ [0-9.]+  Alice Aalto vastasi" "$UI_DIR/out"
check "fi: times as dd.mm.yyyy hh.mm" grep -qE '^[0-9]{2}\.[0-9]{2}\.[0-9]{4} [0-9]{2}\.[0-9]{2}  ' "$UI_DIR/out"
in_fi -d user=alice -c 'frobnicate'
check "fi: an unknown command exits 1" test $? = 1
check "fi: and says so in Finnish" err_has "tuntematon komento 'frobnicate'; 'help' luettelee komennot"
in_fi -d user=alice -c 'log 1 5x'
check "fi: a bad duration is explained" err_has "kesto '5x': kesto kirjoitetaan kuten 1h30m, 2h tai 90m"
in_sk -d user=bob -c 'take 3' -c 'status 3 waiting_customer "Pošlite log."'
check "sk: -c answers in Slovak" has "požiadavka #3 prevzatá"
check "sk: a status change, the status in Slovak" has "požiadavka #3 je teraz v stave čaká na zákazníka"
in_sk -d user=bob -c 'workload'
check "sk: the workload's heads" grep -qP '^riešiteľ\totvorené\tčakajúce\tpo termíne\tnajstaršia\tmeno$' "$UI_DIR/out"
in_sk -d user=bob -c 'help take'
check "sk: help" has "prevziať požiadavku: prideliť ju sebe"
in_sk -d user=lena -c 'assign 5,6 alice'
check "sk: plural of a count (2-4: požiadavky)" has "2 požiadavky pridelené: alice"

# tuki report
month=$(date -u +%Y-%m)
report() { "$TUKI" report --month "$month" "$@" >"$UI_DIR/out" 2>"$UI_DIR/err"; }
report --customer ACME --lang fi
check "--lang fi in a C.UTF-8 environment: Finnish" has "Kuukausiraportti $month: Acme Oy (ACME)"
check "fi: the service level and its dates as dd.mm.yyyy" grep -qE '^  [0-9]{2}\.[0-9]{2}\.[0-9]{4} – [0-9]{2}\.[0-9]{2}\.[0-9]{4}  Premium$' "$UI_DIR/out"
check "fi: compliance with a decimal comma" grep -qE '^  Vasteaika +1 +0 +100,0 %' "$UI_DIR/out"
check "fi: the work in Finnish" grep -qE '^  Kirjattu +90 +1h30m$' "$UI_DIR/out"
check "fi: the types in Finnish" grep -qE '^  häiriö +[0-9]+$' "$UI_DIR/out"
check "fi: the history's heads" has "Viimeiset 12 kuukautta"
check "fi: nothing English left" lacks "Monthly report"
# width [lines]: how many different display widths the lines have (1: aligned); with "lines",
# the work lines' last column (who ordered the work, left-aligned text) is left out
width() { python3 -c '
import re, sys, unicodedata
for line in sys.stdin:
    line = line.rstrip("\n")
    if sys.argv[1:] == ["lines"] and not line[-1].isdigit():
        line = re.sub(r"  (?:(?!  ).)+$", "", line)
    print(sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in line))
' "$@" | sort -u | wc -l; }
check "fi: the SLA table aligned by display width (ä is one column)" \
    test "$(sed -n '/^SLA (/,/^  Ajat ovat/p' "$UI_DIR/out" | sed -n '2,4p' | width)" = 1
check "fi: the work table's figures line up" \
    test "$(sed -n '/^Työ (minuutteina)/,/^$/p' "$UI_DIR/out" | grep -E '^  .* [0-9]+h[0-9]{2}m$' | width)" = 1
report --customer ACME --lang fi --lines
check "fi: work lines in Finnish, the date as dd.mm.yyyy" grep -qE '^  [0-9]{2}\.[0-9]{2}\.[0-9]{4}  +#1  Tulostin ei tulosta ' "$UI_DIR/out"
check "fi: the lines table aligned by display width" \
    test "$(sed -n '/^  Päivä /,/^  Yhteensä /p' "$UI_DIR/out" | width lines)" = 1
report --customer TATRA --lang sk
check "--lang sk: Slovak" has "Mesačný výkaz $month: Tatra Systémy s.r.o. (TATRA)"
check "sk: the level" has "Úroveň služby"
check "sk: business hours explained" has "Časy sú v pracovných hodinách kalendára zmluvy"
locales_run fi_FI.UTF-8 "$TUKI" report --month "$month" --customer ACME --lang en >"$UI_DIR/out" 2>&1
check "--lang en in a Finnish environment: English" has "Monthly report $month: Acme Oy (ACME)"
check "en: a decimal point" grep -qE '^  Response +1 +0 +100\.0 %' "$UI_DIR/out"
env LANGUAGE=sk "$TUKI" report --month "$month" --customer ACME --lang fi >"$UI_DIR/out" 2>&1
check "--lang fi wins over LANGUAGE=sk" has "Kuukausiraportti $month"
locales_run fi_FI.UTF-8 "$TUKI" report --month "$month" --customer ACME >"$UI_DIR/out" 2>&1
check "without --lang, the locale's language" has "Kuukausiraportti $month"
report --lang customer
check "--lang customer: ACME's copy in Finnish" has "Kuukausiraportti $month: Acme Oy (ACME)"
check "TATRA's in Slovak, in the same run" has "Mesačný výkaz $month: Tatra Systémy s.r.o. (TATRA)"
check "KONE (no language of its own) in the desk's, Finnish" has "Kuukausiraportti $month: Koneistamo Mäkelä Oy (KONE)"
check "the overview in the reader's language (English here)" has "Monthly report $month: 3 customers"
LOCPATH=/nonexistent "$TUKI" report --month "$month" --customer ACME --lang fi >"$UI_DIR/out" 2>&1
check "fi_FI not installed: the words still Finnish" has "Kuukausiraportti $month"
check "and the figures in C's way" grep -qE '^  Vasteaika +1 +0 +100\.0 %' "$UI_DIR/out"
report --lang de
check "--lang de is refused (64)" test $? = 64
check "and named" err_has "--lang is fi, sk, en or customer, not 'de'"
ui_done
