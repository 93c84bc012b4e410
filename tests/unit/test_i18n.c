#include "check.h"
#include "i18n.h"

#include <stdlib.h>
#include <time.h>

/* In the C locale (as the tests run it) tuki writes ISO 8601 and a decimal point, and a code
 * without a translation comes back as it is. */
static void test_c_locale_writes_iso_dates_and_points(void)
{
    char buf[64];
    i18n_format_date("2026-05-01", buf, sizeof buf);
    CHECK_STR(buf, "2026-05-01");
    i18n_format_date("not a date", buf, sizeof buf);
    CHECK_STR(buf, "not a date");
    setenv("TZ", "UTC", 1);
    tzset();
    i18n_format_datetime(1780300800LL, buf, sizeof buf); /* 2026-06-01 08:00 UTC */
    CHECK_STR(buf, "2026-06-01 08:00");
    i18n_format_decimal("81.5", buf, sizeof buf);
    CHECK_STR(buf, "81.5");
    i18n_format_decimal("100.0", buf, 4); /* cut, never overrun */
    CHECK_STR(buf, "100");
}

static void test_codes_pass_through_without_a_catalogue(void)
{
    CHECK_STR(i18n_code("status", "waiting_customer"), "waiting_customer");
    CHECK_STR(i18n_code("no such kind", "x"), "x");
}

static void test_languages_known(void)
{
    CHECK(i18n_language_known("fi"));
    CHECK(i18n_language_known("sk"));
    CHECK(i18n_language_known("en"));
    CHECK(!i18n_language_known("de"));
    CHECK(!i18n_language_known(""));
}

/* The switch says the language to gettext (LANGUAGE) while it lasts and puts the user's
 * LANGUAGE back, or its absence; an unknown language changes nothing. */
static void test_switch_restores_language(void)
{
    struct i18n_language s;
    setenv("LANGUAGE", "sk:en", 1);
    CHECK(i18n_language_begin(&s, "fi"));
    CHECK_STR(getenv("LANGUAGE"), "fi");
    i18n_language_end(&s);
    CHECK_STR(getenv("LANGUAGE"), "sk:en");
    unsetenv("LANGUAGE");
    CHECK(i18n_language_begin(&s, "en"));
    CHECK_STR(getenv("LANGUAGE"), "en");
    i18n_language_end(&s);
    CHECK(getenv("LANGUAGE") == NULL);
    CHECK(!i18n_language_begin(&s, "xx"));
    CHECK(getenv("LANGUAGE") == NULL);
    i18n_language_end(&s); /* after a refused switch: nothing to undo */
    CHECK(getenv("LANGUAGE") == NULL);
}

#define TESTS(X)                                                                                   \
    X(test_c_locale_writes_iso_dates_and_points)                                                   \
    X(test_codes_pass_through_without_a_catalogue)                                                 \
    X(test_languages_known)                                                                        \
    X(test_switch_restores_language)
CHECK_MAIN(TESTS)
