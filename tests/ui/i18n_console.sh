#!/usr/bin/env bash
# The console in Finnish and in Slovak, chosen by LANG as a user's login would set it (LC_ALL
# and LANGUAGE unset): golden screens of the queue and of a ticket in Finnish at 80 columns,
# the Slovak run checked for its words; nothing of the English left in the translated parts.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/locales.sh"
ui_fixture
check "fi_FI and sk_SK locales compiled into a private directory (LOCPATH)" locales_setup

ui_start 80 24 env -u LC_ALL -u LANGUAGE LANG=fi_FI.UTF-8 "$TUKI" -d user=alice
check "fi: the status line says who is connected, in Finnish" ui_wait_for "yhdistetty käyttäjänä alice"
check "fi: the clocks are in" ui_wait_for "vast "
check "fi: queue title, column heads and statuses" ui_wait_for "Jono: oma tiimi ja omat (11)"
check "fi: queue and SLA panes at 80 columns" ui_golden fi_queue
ui_keys Enter
check "fi: the ticket opens" ui_wait_for "postgres avasi tukipyynnön"
check "fi: the ticket's header" ui_wait_for "tila uusi · käsittelijä - · tiimi 2. linja"
check "fi: a ticket at 80 columns" ui_golden fi_ticket
check "fi: dates as the locale writes them (dd.mm.yyyy hh.mm)" ui_wait_for_re "[0-9]{2}\.[0-9]{2}\.[0-9]{4} [0-9]{2}\.[0-9]{2}  postgres avasi"
ui_keys '?'
check "fi: the help" ui_wait_for "Näppäimet"
check "fi: a key's help" ui_wait_for "ensimmäinen rivi"
check "fi: help at 80 columns" ui_golden fi_help
ui_keys :
ui_type "take 1"
ui_keys Enter
check "fi: a command's answer" ui_wait_for "#1 otettu käsittelyyn"
ui_keys :
ui_type "frobnicate"
ui_keys Enter
check "fi: an error" ui_wait_for "tuntematon komento 'frobnicate'; 'help' luettelee komennot"
ui_keys q
check "fi: quits" ui_wait_exit

ui_tmux kill-session -t "$UI_SESSION"
ui_start 80 24 env -u LC_ALL -u LANGUAGE LANG=sk_SK.UTF-8 "$TUKI" -d user=bob
check "sk: connected, in Slovak" ui_wait_for "pripojený ako bob"
check "sk: the queue's title" ui_wait_for_re "Rad: [^(]+ \\([0-9]+\\)"
check "sk: column heads" ui_wait_for_re "Predmet +Stav"
check "sk: the first ticket taken above is open, in Slovak" ui_wait_for "otvorená"
ui_keys Enter
check "sk: the ticket's header" ui_wait_for "stav otvorená · riešiteľ Alice Aalto"
check "sk: the ticket's type and level" ui_wait_for "incident P1 Premium"
check "sk: dates as the locale writes them" ui_wait_for_re "[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4} [0-9]{1,2}:[0-9]{2}  postgres"
ui_keys w
check "sk: the workload" ui_wait_for "Vyťaženie podľa riešiteľov"
check "sk: its heads, over their columns" ui_wait_for "riešiteľ          otv.   čakajú po term."
check "sk: the oldest ticket's date as dd.mm.yyyy" ui_wait_for_re "alice +1 +0 +0  [0-9]{2}\\.[0-9]{2}"
check "sk: no English word left in the frames" not grep -qE "Queue|Ticket|Workload" <<<"$(ui_screen)"
ui_keys q
check "sk: quits" ui_wait_exit
ui_done
