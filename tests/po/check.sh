#!/bin/bash
# Every user-visible string has its Finnish and Slovak translation (issue 16). Fails when
#  - a source file under src/ marks strings for translation (_(), N_(), NC_(), ngettext()) but
#    is missing from po/POTFILES, or POTFILES names a file that is gone;
#  - after the template is regenerated from POTFILES (xgettext, the keywords of po/meson.build)
#    and merged into a copy of each po/LANG.po of po/LINGUAS (msgmerge), any message is
#    untranslated or fuzzy, or a translation's printf directives differ (msgfmt --check), or
#    a line of text wrapped for the terminal (a message with line breaks) is translated wider
#    than 80 columns (or than its English line, when that is wider).
# The source tree is only read. To bring the catalogues up to date after adding strings:
#    tests/po/check.sh --update    (rewrites po/tuki.pot and merges it into po/*.po)
# then translate the entries it lists (msgattrib --untranslated / --only-fuzzy po/fi.po).
set -u
root=${TUKI_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
update=false
[ "${1:-}" = --update ] && update=true
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
say() { echo "# $*"; }
fail() {
    echo "not ok - $*"
    failures=$((failures + 1))
}

cd "$root" || exit 1
# 1. POTFILES lists exactly the files that mark strings
grep -lP '(?<![A-Za-z0-9_])(N|NC)?_\(|ngettext\(' src/*.c src/*.h src/*/*.c src/*/*.h 2>/dev/null |
    grep -vx 'src/i18n.h' | sort >"$work/marking"
grep -v '^\s*\(#\|$\)' po/POTFILES | sort >"$work/listed"
missing=$(comm -23 "$work/marking" "$work/listed")
gone=$(while read -r f; do [ -e "$f" ] || echo "$f"; done <"$work/listed")
if [ -n "$missing" ]; then
    fail "files with translatable strings missing from po/POTFILES: $(echo $missing)"
else
    echo "ok - every file that marks strings is in po/POTFILES ($(wc -l <"$work/listed") files)"
fi
[ -z "$gone" ] || fail "po/POTFILES names files that do not exist: $(echo $gone)"

# 2. the template, as po/meson.build's xgettext makes it (glib preset: _ N_ C_ NC_ ngettext)
if ! xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
    --keyword=NC_:1c,2 --keyword=ngettext:1,2 --flag=N_:1:pass-c-format \
    --flag=NC_:2:pass-c-format --add-comments=TRANSLATORS: --package-name=tuki \
    --files-from=<(cat "$work/marking" "$work/listed" | sort -u | while read -r f; do [ -e "$f" ] && echo "$f"; done) \
    -o "$work/tuki.pot"; then
    fail "xgettext could not read the sources"
    exit 1
fi
echo "ok - template: $(grep -c '^msgid ' "$work/tuki.pot") messages"
$update && cp "$work/tuki.pot" po/tuki.pot

# 3. each language: merged, nothing untranslated or fuzzy, formats match
for lang in $(grep -v '^\s*\(#\|$\)' po/LINGUAS); do
    if $update; then
        msgmerge --quiet --update --backup=none --no-fuzzy-matching po/"$lang".po "$work/tuki.pot"
    fi
    msgmerge --quiet --no-fuzzy-matching -o "$work/$lang.po" po/"$lang".po "$work/tuki.pot" || {
        fail "$lang: msgmerge failed"
        continue
    }
    untranslated=$(msgattrib --untranslated --no-obsolete "$work/$lang.po" | grep -c '^msgid ' || true)
    fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$work/$lang.po" | grep -c '^msgid ' || true)
    # msgattrib prints the header entry (msgid "") when anything is listed
    untranslated=$((untranslated > 0 ? untranslated - 1 : 0))
    fuzzy=$((fuzzy > 0 ? fuzzy - 1 : 0))
    if [ "$untranslated" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
        fail "$lang: $untranslated untranslated and $fuzzy fuzzy messages (tests/po/check.sh --update, then translate po/$lang.po):"
        msgattrib --untranslated --only-fuzzy --no-obsolete "$work/$lang.po" >/dev/null 2>&1
        { msgattrib --untranslated --no-obsolete "$work/$lang.po"; msgattrib --only-fuzzy --no-obsolete "$work/$lang.po"; } |
            grep '^msgid "[^"]' | head -20 | sed 's/^/#   /'
    else
        echo "ok - $lang: every message translated"
    fi
    # text wrapped for an 80-column terminal (a message with line breaks) stays within 80
    # columns, or within its English lines' width when that is more
    wide=$(python3 - "$work/$lang.po" <<'PY'
import ast, re, sys, unicodedata
def cols(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)
entries, cur, key = [], None, None
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    m = re.match(r'(msgid|msgid_plural|msgstr(?:\[\d\])?) (".*")$', line)
    if m:
        if m.group(1) == "msgid":
            cur = {}
            entries.append(cur)
        key = m.group(1)
        cur[key] = ast.literal_eval(m.group(2))
    elif line.startswith('"') and cur is not None:
        cur[key] += ast.literal_eval(line)
for e in entries:
    mid = e.get("msgid", "")
    if "\n" not in mid.rstrip("\n"):
        continue
    limit = max([80] + [cols(l) for l in mid.split("\n")])
    for k, v in e.items():
        if k.startswith("msgstr"):
            for l in v.split("\n"):
                if cols(l) > limit:
                    print(f"{cols(l)} > {limit} columns: {l}")
PY
)
    if [ -n "$wide" ]; then
        fail "$lang: lines of wrapped text wider than the terminal:"
        sed 's/^/#   /' <<<"$wide"
    else
        echo "ok - $lang: wrapped text fits 80 columns"
    fi
    if msgfmt --check --statistics -o /dev/null "$work/$lang.po" 2>"$work/$lang.err"; then
        echo "ok - $lang: $(tail -1 "$work/$lang.err")"
    else
        fail "$lang: msgfmt --check"
        sed 's/^/#   /' "$work/$lang.err"
    fi
done
exit $((failures > 0))
