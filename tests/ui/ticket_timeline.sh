#!/usr/bin/env bash
# A ticket reads like a conversation: the story of tests/ui/timeline_fixture.sql in the ticket
# pane at 140 and 80 columns (golden screens) and from 'tuki -c open' (the same lines), with
# people's names and no internal ids or JSON, every time in the agent's zone, named once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/locales.sh"
ui_fixture
psql -X -q -v ON_ERROR_STOP=1 -f "$(dirname "$0")/timeline_fixture.sql" >/dev/null
id=12

confdir=$(mktemp -d)
trap 'ui_cleanup; rm -rf "$confdir"' EXIT
conf="$confdir/tuki.conf"
printf 'console = { time_zone = "Europe/Helsinki"; };\n' >"$conf"

# What no line of a ticket may show: ids of rows, JSON, raw ISO times.
no_internals() {
    ! grep -nE '(contact|message|contract|worklog) [0-9]|[{}]|[0-9]T[0-9]{2}:[0-9]{2}|\+00(:00)?\b' "$1"
}

# 'tuki -c open': the whole timeline, in the zone of console.time_zone (TZ loses to it).
TZ=America/New_York "$TUKI" -f "$conf" -c "open $id" >"$UI_DIR/open.txt" 2>&1
check "open prints the ticket" grep -qF "Laskutusajo kaatuu yöllä: muisti loppuu" "$UI_DIR/open.txt"
check "one zone, named in the header" test "$(grep -c 'times in ' "$UI_DIR/open.txt")" = 1
check "it is console.time_zone's" grep -qF "times in Europe/Helsinki" "$UI_DIR/open.txt"
check "no ids, JSON or ISO times" no_internals "$UI_DIR/open.txt"
check "the customer's words under her name" \
    grep -qxF "2026-11-23 09:00  Riikka Söderström wrote by email" "$UI_DIR/open.txt"
check "agents by display name" grep -qxF "2026-11-23 09:05  Mikko Korhonen took the ticket" "$UI_DIR/open.txt"
check "the priority change with its reason" grep -qxF \
    "2026-11-23 09:10  Mikko Korhonen changed the priority P4 → P1 (impact 1, urgency 1)" "$UI_DIR/open.txt"
check "the response target, in business time" \
    grep -qxF "2026-11-23 09:12  response target met at 09:12 — 12 min of 30 min" "$UI_DIR/open.txt"
check "the reply's failed mail" grep -qF "Mikko Korhonen replied · mail failed: sendmail exited 75" "$UI_DIR/open.txt"
check "the attachment" grep -qxF "  attachment 1: laskutus-0323.log (text/plain, 18 kB)" "$UI_DIR/open.txt"
check "work with its note" grep -qxF "  Lokit läpi, muistiraja löytyi." "$UI_DIR/open.txt"
check "and a total" grep -qxF "work logged: 1 h 15 min in all — 30 min billable, 45 min included" "$UI_DIR/open.txt"
check "the edit" grep -qF "Lena Lehtonen changed the subject from “Laskutusajo kaatuu yöllä” to" "$UI_DIR/open.txt"
check "the desk's own mail as tuki" grep -qF "tuki will mail a “waiting for you” notice to Riikka Söderström" "$UI_DIR/open.txt"
# golden_text NAME FILE: FILE is tests/ui/golden/NAME.txt (UI_GOLDEN_UPDATE=1 writes it).
golden_text() {
    if [ -n "${UI_GOLDEN_UPDATE:-}" ]; then
        cp "$2" "$UI_GOLDEN_DIR/$1.txt"
        echo "# wrote $UI_GOLDEN_DIR/$1.txt"
    fi
    diff -u "$UI_GOLDEN_DIR/$1.txt" "$2"
}
check "the whole story, in order" golden_text timeline_open "$UI_DIR/open.txt"

# Without the setting, TZ decides (PGTZ unset); the same instant, another clock.
(unset PGTZ; TZ=America/New_York "$TUKI" -c "open $id") >"$UI_DIR/open_ny.txt" 2>&1
check "TZ when console.time_zone is not set" grep -qF "times in America/New_York" "$UI_DIR/open_ny.txt"
check "every time in it" grep -qxF "2026-11-23 02:00  Riikka Söderström wrote by email" "$UI_DIR/open_ny.txt"

# A setting that is no zone name is refused with its file:line; a name PostgreSQL does not
# know, by the server.
printf 'console = {\n  time_zone = "../etc/passwd";\n};\n' >"$confdir/bad.conf"
"$TUKI" -f "$confdir/bad.conf" -c "open $id" >"$UI_DIR/bad.txt" 2>&1
check "a path as time_zone exits 78" test $? = 78
check "naming file:line" grep -qF "$confdir/bad.conf:2: 'console.time_zone' must be a time zone name" "$UI_DIR/bad.txt"
printf 'console = { time_zone = "Mars/Olympus_Mons"; };\n' >"$confdir/mars.conf"
"$TUKI" -f "$confdir/mars.conf" -c "open $id" >"$UI_DIR/mars.txt" 2>&1
check "an unknown zone stops the connection (exit 69)" test $? = 69
check "with the server's reason" grep -qF 'invalid value for parameter "TimeZone": "Mars/Olympus_Mons"' "$UI_DIR/mars.txt"

# The order is stable: the same text on every load.
"$TUKI" -f "$conf" -c "open $id" -c "open $id" >"$UI_DIR/twice.txt" 2>&1
half=$(($(wc -l <"$UI_DIR/twice.txt") / 2))
check "two loads, one order" diff <(head -n "$half" "$UI_DIR/twice.txt") <(tail -n "$half" "$UI_DIR/twice.txt")

# same_text SCREEN: each line 'open' printed that fits the 140-column pane unwrapped (the
# title is the pane's frame) and lies within the first screenful is on SCREEN as it is.
same_text() {
    local line n=0 missing=0 seen=0
    while IFS= read -r line; do
        n=$((n + 1))
        ((n > 1 && n <= 24)) || continue
        [ -z "${line// /}" ] && continue
        ((${#line} <= 100)) || continue
        seen=$((seen + 1))
        grep -qF -- "│$line" "$1" || { echo "# not on the screen: $line" >&2; missing=$((missing + 1)); }
    done <"$UI_DIR/open.txt"
    grep -qF -- "$(head -1 "$UI_DIR/open.txt")" "$1" || missing=$((missing + 1))
    ((missing == 0 && seen >= 10)) || { echo "# $seen lines compared, $missing missing" >&2; return 1; }
}

# The pane shows the same lines, wrapped to its width.
for size in "140 60" "80 40"; do
    set -- $size
    ui_start "$1" "$2" "$TUKI" -f "$conf" -d user=alice
    check "console is up at $1 columns" ui_wait_for "connected as alice"
    ui_keys :
    ui_type "open $id"
    ui_keys Enter
    check "the ticket opens at $1 columns" ui_wait_for "times in Europe/Helsinki"
    check "its timeline is in" ui_wait_for "Riikka Söderström wrote"
    # the SLA pane loads on its own: a loaded machine paints the timeline first
    check "the SLA pane is in" ui_wait_for "#11 res "
    check "timeline, $1 columns" ui_golden "timeline_$1"
    ui_screen >"$UI_DIR/screen.txt"
    if [ "$1" = 140 ]; then
        # the pane and 'tuki -c open' are one text: every short line printed is on the screen
        check "the pane shows what open prints" same_text "$UI_DIR/screen.txt"
    fi
    check "one zone on the screen at $1 columns" test "$(grep -c 'times in ' "$UI_DIR/screen.txt")" = 1
    check "no ids, JSON or ISO times on the screen at $1 columns" no_internals "$UI_DIR/screen.txt"
    # the end of the story: the ticket pane scrolled to its last line
    ui_keys Tab G
    check "scrolls to the work total at $1 columns" ui_wait_for "included"
    check "timeline's end, $1 columns" ui_golden "timeline_${1}_end"
    ui_screen >"$UI_DIR/screen.txt"
    check "no ids, JSON or ISO times at the end at $1 columns" no_internals "$UI_DIR/screen.txt"
    ui_keys q
    check "quits" ui_wait_exit
    ui_cleanup
    UI_DIR=$(mktemp -d)
done
# The same story in Finnish (LANG=fi_FI.UTF-8): sentences, codes and dates in Finnish.
check "fi_FI compiled into a private directory (LOCPATH)" locales_setup "$confdir/locales"
for size in "140 60" "80 40"; do
    set -- $size
    ui_start "$1" "$2" env -u LC_ALL -u LANGUAGE LANG=fi_FI.UTF-8 "$TUKI" -f "$conf" -d user=alice
    check "fi: console is up at $1 columns" ui_wait_for "yhdistetty käyttäjänä alice"
    ui_keys :
    ui_type "open $id"
    ui_keys Enter
    check "fi: the ticket opens at $1 columns" ui_wait_for "ajat aikavyöhykkeellä Europe/Helsinki"
    check "fi: the customer's words under her name" ui_wait_for "Riikka Söderström kirjoitti"
    check "fi: the SLA pane is in" ui_wait_for "#11 ratk "
    check "fi: timeline, $1 columns" ui_golden "fi_timeline_$1"
    ui_screen >"$UI_DIR/screen.txt"
    check "fi: one zone on the screen at $1 columns" \
        test "$(grep -c 'ajat aikavyöhykkeellä ' "$UI_DIR/screen.txt")" = 1
    check "fi: no ids, JSON or ISO times at $1 columns" no_internals "$UI_DIR/screen.txt"
    check "fi: no English sentence at $1 columns" not grep -qE " (wrote|took the ticket|changed the) " "$UI_DIR/screen.txt"
    ui_keys q
    check "fi: quits" ui_wait_exit
    ui_cleanup
    UI_DIR=$(mktemp -d)
done
ui_done
