# Finnish and Slovak locales for tests, without root: source it, then `locales_setup [DIR]`.
# The test machine may lack fi_FI.UTF-8 and sk_SK.UTF-8 (Debian generates only what
# /etc/locale.gen lists), so they are compiled with localedef(1) into a private directory
# that LOCPATH points at; glibc then finds them there for LANG=fi_FI.UTF-8. The directory is
# TUKI_LOCALE_DIR when set (tests may share one), else DIR, else $UI_DIR/locales (removed
# with the ui test's other files).
# TUKI_LOCALEDIR (the build's po directory, set by meson test) makes tuki read the build's
# catalogues. locales_run LOCALE CMD... runs CMD in that locale the way a user would have it:
# LANG set, LC_ALL and LANGUAGE unset.

locales_setup() {
    : "${TUKI_LOCALEDIR:?TUKI_LOCALEDIR must name the po directory of the build (meson test sets it)}"
    # a directory that goes when the test ends: the ui test's UI_DIR, or the caller's
    local dir=${TUKI_LOCALE_DIR:-${1:-}}
    if [ -z "$dir" ]; then
        : "${UI_DIR:?locales_setup wants a directory (or tests/ui/lib.sh sourced first)}"
        dir=$UI_DIR/locales
    fi
    mkdir -p "$dir" || return 1
    local l
    for l in fi_FI sk_SK; do
        [ -d "$dir/$l.UTF-8" ] && continue
        # into a temporary name first, so tests sharing the directory never see half a locale
        localedef -i "$l" -f UTF-8 "$dir/.$l.$$" >/dev/null 2>&1 || true
        if [ -f "$dir/.$l.$$/LC_CTYPE" ]; then
            mv -T "$dir/.$l.$$" "$dir/$l.UTF-8" 2>/dev/null || rm -rf "$dir/.$l.$$"
        else
            echo "# localedef -i $l -f UTF-8 failed (is the locales package installed?)" >&2
            return 1
        fi
    done
    export LOCPATH=$dir
    # a sanitizer build: glibc's own leak of a LOCPATH locale's name is not ours
    export LSAN_OPTIONS="suppressions=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lsan-locales.supp:print_suppressions=0"
}

locales_run() {
    local locale=$1
    shift
    env -u LC_ALL -u LANGUAGE LANG="$locale" "$@"
}
