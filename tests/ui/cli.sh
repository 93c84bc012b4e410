#!/usr/bin/env bash
# The command line: help, version, usage errors, configuration errors, migrate, and the
# console's refusal of a schema newer than it knows.
. "$(dirname "$0")/lib.sh"

expect_rc() { # expect_rc WANT CMD... : exit status of CMD is WANT
    local want=$1
    shift
    "$@" >/tmp/cli.$$ 2>&1
    local got=$?
    [ "$got" = "$want" ] || { echo "# got exit $got, output:"; sed 's/^/#   /' /tmp/cli.$$; return 1; }
}
out() { cat /tmp/cli.$$; }

check "--help exits 0" expect_rc 0 "$TUKI" --help
check "--help shows usage" grep -q "usage: tuki" /tmp/cli.$$
check "--version exits 0" expect_rc 0 "$TUKI" --version
check "--version prints the version" grep -qE '^tuki [0-9]+\.[0-9]+\.[0-9]+$' /tmp/cli.$$
check "unknown option exits 64" expect_rc 64 "$TUKI" --frobnicate
check "unknown sub-command exits 64" expect_rc 64 "$TUKI" frobnicate
check "usage printed for it" grep -q "unknown sub-command 'frobnicate'" /tmp/cli.$$

conf=$(mktemp -d)
printf 'database = {\n  conninfo = "dbname=x";\n  oops = ;\n};\n' >"$conf/bad.conf"
check "syntax error exits 78" expect_rc 78 "$TUKI" -f "$conf/bad.conf"
check "names file:line" grep -qF "$conf/bad.conf:3:" /tmp/cli.$$
printf 'console = {\n  tick = "fast";\n};\n' >"$conf/type.conf"
check "wrong type exits 78" expect_rc 78 "$TUKI" -f "$conf/type.conf"
check "wrong type names file:line" grep -qF "$conf/type.conf:2: 'console.tick' must be a whole number" /tmp/cli.$$
printf 'console = {\n  shiny = true;\n};\n' >"$conf/unknown.conf"
expect_rc 69 "$TUKI" -f "$conf/unknown.conf" -d "host=/nonexistent"
check "unknown setting is a warning with file:line" grep -qF "$conf/unknown.conf:2: unknown setting 'console.shiny'" /tmp/cli.$$
# A message longer than any buffer once held it (2 KiB): a 3,000-byte key name, quoted whole.
long=$(head -c 3000 /dev/zero | tr '\0' x)
printf 'keys = (\n  { key = "%s"; command = "take"; }\n);\n' "$long" >"$conf/long.conf"
check "a long configuration error exits 78" expect_rc 78 "$TUKI" -f "$conf/long.conf"
check "and reaches stderr whole" grep -qF "tuki: $conf/long.conf:2: unknown key name '$long'" /tmp/cli.$$
mkdir -p "$conf/xdg/tuki"
printf 'database = {\n  conninfo = "host=/nonexistent-from-xdg";\n};\n' >"$conf/xdg/tuki/tuki.conf"
XDG_CONFIG_HOME="$conf/xdg" expect_rc 69 "$TUKI"
check "XDG config file is read" grep -q "nonexistent-from-xdg" /tmp/cli.$$
XDG_CONFIG_HOME="$conf/xdg" expect_rc 69 "$TUKI" -d "host=/nonexistent-from-d"
check "-d overrides the file" grep -q "nonexistent-from-d" /tmp/cli.$$
rm -rf "$conf"

# The harness migrated already: a second run has nothing to do.
check "migrate again exits 0" expect_rc 0 "$TUKI" migrate
check "migrate again says nothing to do" grep -q "^nothing to do" /tmp/cli.$$
check "schema_version is a table" bash -c "psql -X -c '\dt tuki.*' | grep -q schema_version"
known=$(psql -XAtc "SELECT max(version) FROM tuki.schema_version")
check "each applied file's checksum is recorded" \
    test "$(psql -XAtc "SELECT count(*) FROM tuki.schema_version WHERE checksum ~ '^[0-9a-f]{32}$'")" = \
         "$(psql -XAtc "SELECT count(*) FROM tuki.schema_version")"
psql -Xqc "INSERT INTO tuki.schema_version (version, name, checksum) VALUES ($known + 100, '999_future.sql', 'future')"
check "console refuses a newer schema" expect_rc 69 "$TUKI"
check "and says why" grep -q "newer than this tuki knows" /tmp/cli.$$
check "migrate refuses a newer schema" not "$TUKI" migrate
psql -Xqc "DELETE FROM tuki.schema_version WHERE version = $known + 100"

# A database migrated with other files than this binary carries (a development build's demo):
# refused by name instead of failing later, query by query.
psql -Xqc "UPDATE tuki.schema_version SET checksum = md5('older text') WHERE name = '010_sla_clocks.sql'"
check "console refuses a database made from other migration files" expect_rc 69 "$TUKI"
check "and names the file" grep -q "another 010_sla_clocks.sql than this tuki carries" /tmp/cli.$$
check "migrate refuses it too (exit 65)" expect_rc 65 "$TUKI" migrate
check "and names the file" grep -q "another 010_sla_clocks.sql" /tmp/cli.$$
psql -Xqc "ALTER TABLE tuki.schema_version DROP COLUMN checksum"
check "a database from before checksums is refused the same way" expect_rc 69 "$TUKI"
check "naming its first file" grep -q "another 001_foundation.sql" /tmp/cli.$$
rm -f /tmp/cli.$$
ui_done
