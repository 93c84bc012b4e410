/* Which catalogue directory gettext reads: the installed one, or the build tree's
 * (po/ under the build directory) when TUKI_LOCALEDIR says so, so ./build/tuki and the
 * tests speak Finnish and Slovak without an install. */
#include "i18n.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void i18n_init(const char *installed_localedir)
{
    const char *dir = getenv("TUKI_LOCALEDIR");
    bindtextdomain("tuki", dir && *dir ? dir : installed_localedir);
    bind_textdomain_codeset("tuki", "UTF-8");
    textdomain("tuki");
}

/* The schema's codes (sql/005_reference_data.sql), marked for xgettext with their kind as the
 * context: "open" the status and "open" elsewhere may translate differently. */
static const char *const codes[] = {
    NC_("status", "new"),
    NC_("status", "open"),
    NC_("status", "waiting_customer"),
    NC_("status", "waiting_third_party"),
    NC_("status", "resolved"),
    NC_("status", "closed"),
    NC_("level", "premium"),
    NC_("level", "standard"),
    NC_("level", "light"),
    NC_("type", "incident"),
    NC_("type", "service_request"),
    NC_("type", "problem"),
    NC_("type", "change"),
    NC_("type", "bug"),
    NC_("type", "question"),
    NC_("channel", "email"),
    NC_("channel", "phone"),
    NC_("channel", "portal"),
    NC_("channel", "chat"),
    NC_("channel", "console"),
    NC_("team", "second_line"),
    NC_("team", "third_line"),
    NC_("team", "development"),
    NC_("target", "response"),
    NC_("target", "resolve"),
};

const char *i18n_code(const char *kind, const char *code)
{
    (void)codes;
    /* gettext's context convention: "context\004msgid" */
    char key[strlen(kind) + strlen(code) + 2]; /* sized for the two, so never cut */
    snprintf(key, sizeof key, "%s\004%s", kind, code);
    const char *t = gettext(key);
    return t == key ? code : t;
}

bool i18n_language_known(const char *lang)
{
    return strcmp(lang, "fi") == 0 || strcmp(lang, "sk") == 0 || strcmp(lang, "en") == 0;
}

bool i18n_language_begin(struct i18n_language *s, const char *lang)
{
    memset(s, 0, sizeof *s);
    if (!i18n_language_known(lang))
        return false;
    static const struct {
        const char *lang, *locale;
    } locales[] = {{"fi", "fi_FI.UTF-8"}, {"sk", "sk_SK.UTF-8"}, {"en", "C.UTF-8"}};
    const char *name = "C.UTF-8";
    for (size_t i = 0; i < sizeof locales / sizeof locales[0]; i++)
        if (strcmp(locales[i].lang, lang) == 0)
            name = locales[i].locale;
    s->locale = newlocale(LC_ALL_MASK, name, (locale_t)0);
    if (!s->locale) /* dates and numbers in C, the messages still in lang */
        s->locale = newlocale(LC_ALL_MASK, "C.UTF-8", (locale_t)0);
    if (!s->locale)
        return false;
    /* gettext prefers $LANGUAGE to the locale (unless the locale is plain C): the language
     * asked for here must win, so LANGUAGE says it too while the switch lasts. */
    const char *language = getenv("LANGUAGE");
    s->saved_language = language ? strdup(language) : NULL;
    setenv("LANGUAGE", lang, 1);
    s->previous = uselocale(s->locale);
    /* textdomain() makes gettext forget the translations it found under the old LANGUAGE */
    textdomain("tuki");
    s->active = true;
    return true;
}

void i18n_language_end(struct i18n_language *s)
{
    if (!s->active)
        return;
    uselocale(s->previous);
    if (s->saved_language)
        setenv("LANGUAGE", s->saved_language, 1);
    else
        unsetenv("LANGUAGE");
    textdomain("tuki");
    freelocale(s->locale);
    free(s->saved_language);
    memset(s, 0, sizeof *s);
}

/* True in the C and POSIX locales, where tuki writes dates as ISO 8601 (the English of the
 * tests and of scripts) rather than C's American %x. */
static bool time_locale_is_c(void)
{
    const char *name = nl_langinfo(_NL_LOCALE_NAME(LC_TIME)); /* the thread's, as uselocale set */
    return !name || strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0 ||
           strncmp(name, "C.", 2) == 0;
}

/* The locale's time of day without seconds: T_FMT with its "%S" and the separator before it
 * taken away ("%H.%M.%S" -> "%H.%M"); "%H:%M" when the locale's format is not of that shape. */
static void time_format(char *buf, size_t size)
{
    const char *t = nl_langinfo(T_FMT);
    const char *s = t ? strstr(t, "%S") : NULL;
    if (!t || !s || s - t < 3 || !strstr(t, "%H") || !strstr(t, "%M") || s[2] != '\0') {
        snprintf(buf, size, "%%H:%%M");
        return;
    }
    snprintf(buf, size, "%.*s", (int)(s - t - 1), t);
}

/* A date with hours and minutes as the locale writes it; false when strftime could not. */
static bool format_minute(const struct tm *tm, char *buf, size_t size)
{
    char fmt[64];
    if (time_locale_is_c()) {
        snprintf(fmt, sizeof fmt, "%%Y-%%m-%%d %%H:%%M");
    } else {
        char tf[32];
        time_format(tf, sizeof tf);
        snprintf(fmt, sizeof fmt, "%%x %s", tf);
    }
    return strftime(buf, size, fmt, tm) != 0;
}

void i18n_format_datetime(long long epoch, char *buf, size_t size)
{
    time_t when = (time_t)epoch;
    struct tm tm;
    if (!localtime_r(&when, &tm)) {
        snprintf(buf, size, "%lld", epoch);
        return;
    }
    if (!format_minute(&tm, buf, size) && size)
        buf[0] = '\0';
}

void i18n_format_minute(const char *iso, char *buf, size_t size)
{
    struct tm tm = {0};
    const char *end = iso ? strptime(iso, "%Y-%m-%d %H:%M", &tm) : NULL;
    if (!end || *end || time_locale_is_c() || !format_minute(&tm, buf, size))
        snprintf(buf, size, "%s", iso ? iso : "");
}

void i18n_format_date(const char *iso, char *buf, size_t size)
{
    struct tm tm = {0};
    const char *end = iso ? strptime(iso, "%Y-%m-%d", &tm) : NULL;
    if (!end || *end || time_locale_is_c() || strftime(buf, size, "%x", &tm) == 0)
        snprintf(buf, size, "%s", iso ? iso : "");
}

void i18n_format_decimal(const char *figure, char *buf, size_t size)
{
    const char *point = nl_langinfo(RADIXCHAR);
    if (!point || !*point)
        point = ".";
    size_t len = 0, plen = strlen(point);
    for (const char *p = figure ? figure : ""; *p; p++) {
        const char *piece = *p == '.' ? point : p;
        size_t n = *p == '.' ? plen : 1;
        if (len + n + 1 > size)
            break;
        memcpy(buf + len, piece, n);
        len += n;
    }
    if (size)
        buf[len < size ? len : size - 1] = '\0';
}
