#!/usr/bin/env bash
# Same --seed, same data: two databases seeded with 'tuki seed --seed 7 --tickets 5000' hold
# identical tuki.ticket and tuki.ticket_event contents (and messages, work logs, contacts).
# The data set's only wall-clock input is its anchor (default: now, to the minute); both runs
# get the same one with --now, so no column has to be left out of the comparison.
set -euo pipefail

# Columns excluded from the comparison because they follow the wall clock: none.
wall_clock_columns=()

anchor=$(psql -X -A -t -c "SELECT date_trunc('minute', now())")
for db in seed_a seed_b; do
    createdb "$db"
    PGDATABASE=$db "$TUKI" migrate >/dev/null
done
# Both at once: two cores, and the test stays well inside its time limit.
PGDATABASE=seed_a "$TUKI" seed --seed 7 --tickets 5000 --now "$anchor" >/dev/null 2>seed_a.err.$$ &
a=$!
PGDATABASE=seed_b "$TUKI" seed --seed 7 --tickets 5000 --now "$anchor" >/dev/null 2>seed_b.err.$$ &
b=$!
status=0
wait $a || status=1
wait $b || status=1
cat seed_a.err.$$ seed_b.err.$$ | grep -v '^seeded' >&2 || true
rm -f seed_a.err.$$ seed_b.err.$$
if [ "$status" != 0 ]; then
    echo "not ok - tuki seed failed"
    exit 1
fi
echo "ok - two databases seeded with --seed 7 --tickets 5000"

# table_dump DB TABLE ORDER: every column but the excluded ones, in a fixed order
table_dump() {
    local cols
    cols=$(psql -X -A -t -d "$1" -v ON_ERROR_STOP=1 -c "
        SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
         WHERE attrelid = '$2'::regclass AND attnum > 0 AND NOT attisdropped
           AND attname <> ALL ('{${wall_clock_columns[*]:-}}'::text[])")
    psql -X -q -A -t -d "$1" -v ON_ERROR_STOP=1 -c "SET TimeZone = 'UTC'" -c "SELECT $cols FROM $2 ORDER BY $3"
}

failures=0
for spec in "tuki.ticket id" "tuki.ticket_event id" "tuki.message id" "tuki.worklog id" "tuki.contact id" \
            "tuki.contract id" "tuki.agent login"; do
    set -- $spec
    rows=$(table_dump seed_a "$1" "$2" | wc -l)
    if cmp -s <(table_dump seed_a "$1" "$2") <(table_dump seed_b "$1" "$2"); then
        echo "ok - $1 identical ($rows rows)"
    else
        echo "not ok - $1 differs"
        diff <(table_dump seed_a "$1" "$2") <(table_dump seed_b "$1" "$2") | head -5 | sed 's/^/# /'
        failures=$((failures + 1))
    fi
done
events=$(psql -X -A -t -d seed_a -c "SELECT count(*) FROM tuki.ticket_event")
if [ "$events" -gt 50000 ]; then echo "ok - $events events compared"; else echo "not ok - only $events events"; failures=$((failures + 1)); fi

# A different seed gives different data.
createdb seed_c
PGDATABASE=seed_c "$TUKI" migrate >/dev/null
PGDATABASE=seed_c "$TUKI" seed --seed 8 --tickets 200 --now "$anchor" >/dev/null 2>&1
if cmp -s <(table_dump seed_a tuki.ticket "id LIMIT 200") <(table_dump seed_c tuki.ticket id); then
    echo "not ok - --seed 8 gave the same tickets as --seed 7"
    failures=$((failures + 1))
else
    echo "ok - another seed gives other tickets"
fi
[ "$failures" = 0 ]
