#!/usr/bin/env bash
# A database migrated by a build with the earlier layout of the migrations (002_calendar.sql
# ... 040_monthly_report.sql, version 40) is refused by the name of its first file that
# differs, by 'tuki migrate' and the console alike, not taken for a newer schema; a database
# with only more files than this build is still told it is newer.
set -euo pipefail
fail() { echo "FAIL: $*"; exit 1; }
psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE TABLE public.saved AS SELECT * FROM tuki.schema_version WHERE version = 2;
UPDATE tuki.schema_version SET name = '002_calendar.sql', checksum = md5('the earlier layout') WHERE version = 2;
INSERT INTO tuki.schema_version (version, name, checksum) VALUES (40, '040_monthly_report.sql', md5('earlier'));
SQL
out=$("$TUKI" migrate 2>&1) && fail "tuki migrate accepted the earlier layout: $out"
case "$out" in *"another 002_calendar.sql than this tuki carries"*) echo "ok - migrate names the file" ;;
    *) fail "migrate: $out" ;; esac
out=$("$TUKI" -c workload 2>&1) && fail "the console accepted the earlier layout: $out"
case "$out" in *"another 002_calendar.sql than this tuki carries"*) echo "ok - the console names the file" ;;
    *) fail "console: $out" ;; esac

psql -X -q -v ON_ERROR_STOP=1 -c "UPDATE tuki.schema_version s SET name = o.name, checksum = o.checksum FROM public.saved o WHERE s.version = o.version"
out=$("$TUKI" migrate 2>&1) && fail "tuki migrate accepted a newer schema: $out"
case "$out" in *"newer than this tuki knows"*) echo "ok - a newer schema is told so" ;;
    *) fail "newer: $out" ;; esac
