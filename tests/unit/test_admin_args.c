#include "admin_args.h"
#include "check.h"

static void test_dates(void)
{
    CHECK(admin_date_valid("2027-12-24"));
    CHECK(admin_date_valid("2028-02-29"));  /* leap year */
    CHECK(admin_date_valid("2000-02-29"));  /* divisible by 400 */
    CHECK(!admin_date_valid("2100-02-29")); /* divisible by 100 only */
    CHECK(!admin_date_valid("2027-02-29"));
    CHECK(!admin_date_valid("2027-04-31"));
    CHECK(!admin_date_valid("2027-13-01"));
    CHECK(!admin_date_valid("2027-00-10"));
    CHECK(!admin_date_valid("2027-12-00"));
    CHECK(!admin_date_valid("0000-01-01"));
    CHECK(!admin_date_valid("2027-1-01"));
    CHECK(!admin_date_valid("27-12-24"));
    CHECK(!admin_date_valid("2027/12/24"));
    CHECK(!admin_date_valid("2027-12-2x"));
    CHECK(!admin_date_valid(""));
    CHECK(!admin_date_valid("2027-12-240"));
}

/* The days as a string of their numbers, e.g. "12345". */
static const char *days_of(const char *s)
{
    static char out[9];
    bool days[8];
    int n = admin_weekdays_parse(s, days), k = 0;
    for (int d = 1; d <= 7; d++)
        if (days[d])
            out[k++] = (char)('0' + d);
    out[k] = '\0';
    CHECK_INT(n, k);
    return out;
}

static void test_weekdays(void)
{
    CHECK_STR(days_of("mon-fri"), "12345");
    CHECK_STR(days_of("Sat"), "6");
    CHECK_STR(days_of("SUN"), "7");
    CHECK_STR(days_of("mon,wed,fri"), "135");
    CHECK_STR(days_of("6-7"), "67");
    CHECK_STR(days_of("fri-mon"), "1567"); /* wraps round the week */
    CHECK_STR(days_of("mon-tue,thu"), "124");
    CHECK_STR(days_of("all"), "1234567");
    CHECK_STR(days_of("weekdays"), "12345");
    CHECK_STR(days_of("wed-wed"), "3");
    bool days[8];
    CHECK_INT(admin_weekdays_parse("", days), 0);
    CHECK_INT(admin_weekdays_parse("monday", days), 0);
    CHECK_INT(admin_weekdays_parse("8", days), 0);
    CHECK_INT(admin_weekdays_parse("0", days), 0);
    CHECK_INT(admin_weekdays_parse("mon-", days), 0);
    CHECK_INT(admin_weekdays_parse("-fri", days), 0);
    CHECK_INT(admin_weekdays_parse("mon,", days), 0);
    CHECK_INT(admin_weekdays_parse(",mon", days), 0);
    CHECK_INT(admin_weekdays_parse("ma-pe", days), 0);
}

static void test_intervals(void)
{
    char o[6], c[6];
    CHECK(admin_interval_parse("08:00-16:00", o, c));
    CHECK_STR(o, "08:00");
    CHECK_STR(c, "16:00");
    CHECK(admin_interval_parse("8-16", o, c));
    CHECK_STR(o, "08:00");
    CHECK_STR(c, "16:00");
    CHECK(admin_interval_parse("9:30-24:00", o, c));
    CHECK_STR(o, "09:30");
    CHECK_STR(c, "24:00");
    CHECK(admin_interval_parse("22-06", o, c)); /* past midnight */
    CHECK_STR(o, "22:00");
    CHECK_STR(c, "06:00");
    CHECK(!admin_interval_parse("08:00", o, c));
    CHECK(!admin_interval_parse("08:00-", o, c));
    CHECK(!admin_interval_parse("-16:00", o, c));
    CHECK(!admin_interval_parse("25-26", o, c));
    CHECK(!admin_interval_parse("24:30-08", o, c));
    CHECK(!admin_interval_parse("08:60-16", o, c));
    CHECK(!admin_interval_parse("08:0-16", o, c));
    CHECK(!admin_interval_parse("8h-16h", o, c));
    CHECK(!admin_interval_parse("08:00-16:00-18:00", o, c));
    CHECK(!admin_interval_parse("closed", o, c));
}

static void test_quota(void)
{
    long m = -1;
    CHECK(admin_quota_parse("0", &m));
    CHECK_INT(m, 0);
    CHECK(admin_quota_parse("10h", &m));
    CHECK_INT(m, 600);
    CHECK(admin_quota_parse("7h30m", &m));
    CHECK_INT(m, 450);
    CHECK(!admin_quota_parse("0h", &m));
    CHECK(!admin_quota_parse("-5", &m));
    CHECK(!admin_quota_parse("ten hours", &m));
}

static void test_fields(void)
{
    static const char *const allowed[] = {"name", "email", "billable", NULL};
    struct admin_field f[4];
    size_t n = 99, bad = 99;
    const char *ok[] = {"email=paivi@acme.fi", "name=Päivi Mäkelä", "billable="};
    CHECK_INT(admin_fields_parse(ok, 3, allowed, f, 4, &n, &bad), ADMIN_FIELD_OK);
    CHECK_INT(n, 3);
    CHECK_STR(f[0].key, "email");
    CHECK_STR(f[0].value, "paivi@acme.fi");
    CHECK_STR(f[1].key, "name");
    CHECK_STR(f[1].value, "Päivi Mäkelä");
    CHECK_STR(f[2].value, ""); /* clears */
    CHECK(f[0].key == allowed[1]);

    const char *no_eq[] = {"name=X", "phone"};
    CHECK_INT(admin_fields_parse(no_eq, 2, allowed, f, 4, &n, &bad), ADMIN_FIELD_NO_EQUALS);
    CHECK_INT(bad, 1);
    const char *empty_key[] = {"=x"};
    CHECK_INT(admin_fields_parse(empty_key, 1, allowed, f, 4, &n, &bad), ADMIN_FIELD_NO_EQUALS);
    const char *unknown[] = {"colour=red"};
    CHECK_INT(admin_fields_parse(unknown, 1, allowed, f, 4, &n, &bad), ADMIN_FIELD_UNKNOWN);
    CHECK_INT(bad, 0);
    const char *prefix[] = {"nam=x"}; /* no prefixes */
    CHECK_INT(admin_fields_parse(prefix, 1, allowed, f, 4, &n, &bad), ADMIN_FIELD_UNKNOWN);
    const char *twice[] = {"name=a", "email=b", "name=c"};
    CHECK_INT(admin_fields_parse(twice, 3, allowed, f, 4, &n, &bad), ADMIN_FIELD_TWICE);
    CHECK_INT(bad, 2);
    CHECK_INT(admin_fields_parse(ok, 3, allowed, f, 2, &n, &bad), ADMIN_FIELD_TOO_MANY);
    CHECK_STR(admin_field_strerror(ADMIN_FIELD_UNKNOWN), "no such field here");
}

#define TESTS(X) X(test_dates) X(test_weekdays) X(test_intervals) X(test_quota) X(test_fields)
CHECK_MAIN(TESTS)
