#include "check.h"
#include "duration.h"

#include <limits.h>

/* Parses s expecting success; returns the minutes, or -1 after a recorded failure. */
static long parsed(const char *s)
{
    long minutes = -1;
    enum duration_error error = duration_parse(s, &minutes);
    if (error != DURATION_OK) {
        printf("#   duration_parse(\"%s\"): %s\n", s, duration_strerror(error));
        CHECK_INT(error, DURATION_OK);
        return -1;
    }
    return minutes;
}

static enum duration_error rejected(const char *s)
{
    long minutes = -7;
    enum duration_error error = duration_parse(s, &minutes);
    CHECK_INT(minutes, -7); /* untouched on failure */
    return error;
}

static void test_parses_hours_and_minutes(void)
{
    CHECK_INT(parsed("1h30m"), 90);
    CHECK_INT(parsed("1h05m"), 65);
    CHECK_INT(parsed("1h5m"), 65);
    CHECK_INT(parsed("0h45m"), 45);
    CHECK_INT(parsed("1h0m"), 60);
    CHECK_INT(parsed("1h59m"), 119);
    CHECK_INT(parsed("26h05m"), 1565);
}

static void test_parses_hours_or_minutes_alone(void)
{
    CHECK_INT(parsed("2h"), 120);
    CHECK_INT(parsed("90m"), 90);
    CHECK_INT(parsed("1m"), 1);
    CHECK_INT(parsed("600m"), 600);
    CHECK_INT(parsed("007m"), 7);
    CHECK_INT(parsed("01h"), 60);
}

static void test_rejects_empty(void)
{
    CHECK_INT(rejected(""), DURATION_EMPTY);
    long minutes = -7;
    CHECK_INT(duration_parse(NULL, &minutes), DURATION_EMPTY);
    CHECK_INT(minutes, -7);
}

static void test_rejects_malformed_text(void)
{
    const char *bad[] = {"h",    "m",      "1",      "1.5h", "1,5h", "-5m",    "+5m",
                         "1m1h", "1h30",   "1h30mm", "1hm",  "hm",   "1h 30m", " 1h",
                         "1h ",  "1 h",    "1H30M",  "1d",   "1s",   "h30m",   "30m1h",
                         "1h1h", "1h005m", "１h",    "1h\n", "0x1h", "1e2m",   "2h-5m"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        enum duration_error error = rejected(bad[i]);
        if (error != DURATION_SYNTAX)
            printf("#   \"%s\" gave %d\n", bad[i], (int)error);
        CHECK_INT(error, DURATION_SYNTAX);
    }
}

static void test_minutes_after_hours_below_60(void)
{
    CHECK_INT(rejected("1h70m"), DURATION_MINUTES_OVER_59);
    CHECK_INT(rejected("1h60m"), DURATION_MINUTES_OVER_59);
    CHECK_INT(rejected("0h90m"), DURATION_MINUTES_OVER_59);
    CHECK_INT(rejected("1h100m"), DURATION_MINUTES_OVER_59);
    CHECK_INT(parsed("70m"), 70);
}

static void test_zero_is_its_own_error(void)
{
    CHECK_INT(rejected("0m"), DURATION_ZERO);
    CHECK_INT(rejected("0h"), DURATION_ZERO);
    CHECK_INT(rejected("0h00m"), DURATION_ZERO);
    CHECK_INT(rejected("000m"), DURATION_ZERO);
}

static void test_too_long_is_capped_without_overflow(void)
{
    CHECK_INT(parsed("100000m"), DURATION_MAX_MINUTES);
    CHECK_INT(parsed("1666h40m"), DURATION_MAX_MINUTES);
    CHECK_INT(rejected("100001m"), DURATION_TOO_LONG);
    CHECK_INT(rejected("1666h41m"), DURATION_TOO_LONG);
    CHECK_INT(rejected("1667h"), DURATION_TOO_LONG);
    CHECK_INT(rejected("99999999999999999999999999h"), DURATION_TOO_LONG);
    CHECK_INT(rejected("9223372036854775808m"), DURATION_TOO_LONG);
    CHECK_INT(rejected("153722867280912931h"), DURATION_TOO_LONG);
}

static void test_every_error_has_a_message(void)
{
    for (int e = DURATION_EMPTY; e <= DURATION_TOO_LONG; e++) {
        const char *message = duration_strerror((enum duration_error)e);
        CHECK(message != NULL && strlen(message) > 10);
        for (int other = DURATION_EMPTY; other < e; other++)
            CHECK(strcmp(message, duration_strerror((enum duration_error)other)) != 0);
    }
    CHECK_STR(duration_strerror(DURATION_MINUTES_OVER_59),
              "minutes after hours must be below 60, e.g. 1h05m");
}

static void test_format_hours_and_minutes(void)
{
    char buf[DURATION_BUF_SIZE];
    CHECK_STR(duration_format(12, buf, sizeof buf), "0h12m");
    CHECK_STR(duration_format(220, buf, sizeof buf), "3h40m");
    CHECK_STR(duration_format(1565, buf, sizeof buf), "26h05m");
    CHECK_STR(duration_format(0, buf, sizeof buf), "0h00m");
    CHECK_STR(duration_format(60, buf, sizeof buf), "1h00m");
    CHECK_STR(duration_format(-65, buf, sizeof buf), "-1h05m");
    CHECK_STR(duration_format(LONG_MIN, buf, sizeof buf), "-153722867280912930h08m");
    CHECK_STR(duration_format(LONG_MAX, buf, sizeof buf), "153722867280912930h07m");

    /* Every parsed duration formats back to a string that parses to the same value. */
    const char *typed[] = {"1h30m", "90m", "2h", "1h05m", "0h45m", "1666h40m"};
    for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
        long minutes = parsed(typed[i]);
        CHECK_INT(parsed(duration_format(minutes, buf, sizeof buf)), minutes);
    }
}

static void test_format_never_overflows(void)
{
    char buf[4];
    memset(buf, 'x', sizeof buf);
    CHECK_STR(duration_format(220, buf, sizeof buf), "3h4");
    CHECK_STR(duration_format_remaining(3000, buf, sizeof buf), "2d0");
    char one[1] = {'x'};
    CHECK_STR(duration_format(220, one, sizeof one), "");
}

static void test_format_remaining_for_sla(void)
{
    char buf[DURATION_BUF_SIZE];
    CHECK_STR(duration_format_remaining(12, buf, sizeof buf), "0h12m");
    CHECK_STR(duration_format_remaining(220, buf, sizeof buf), "3h40m");
    CHECK_STR(duration_format_remaining(24 * 60 - 1, buf, sizeof buf), "23h59m");
    CHECK_STR(duration_format_remaining(24 * 60, buf, sizeof buf), "1d00h");
    CHECK_STR(duration_format_remaining(2 * 24 * 60 + 3 * 60 + 59, buf, sizeof buf), "2d03h");
    CHECK_STR(duration_format_remaining(100 * 24 * 60, buf, sizeof buf), "100d00h");
    CHECK_STR(duration_format_remaining(0, buf, sizeof buf), "0h00m");
}

static void test_format_remaining_overdue(void)
{
    char buf[DURATION_BUF_SIZE];
    CHECK_STR(duration_format_remaining(-12, buf, sizeof buf), "-0h12m");
    CHECK_STR(duration_format_remaining(-(23 * 60 + 59), buf, sizeof buf), "-23h59m");
    CHECK_STR(duration_format_remaining(-(26 * 60 + 30), buf, sizeof buf), "-1d02h");
    CHECK_STR(duration_format_remaining(LONG_MIN, buf, sizeof buf), "-6405119470038038d18h");
}

#define TESTS(X)                                                                                   \
    X(test_parses_hours_and_minutes)                                                               \
    X(test_parses_hours_or_minutes_alone)                                                          \
    X(test_rejects_empty)                                                                          \
    X(test_rejects_malformed_text)                                                                 \
    X(test_minutes_after_hours_below_60)                                                           \
    X(test_zero_is_its_own_error)                                                                  \
    X(test_too_long_is_capped_without_overflow)                                                    \
    X(test_every_error_has_a_message)                                                              \
    X(test_format_hours_and_minutes)                                                               \
    X(test_format_never_overflows)                                                                 \
    X(test_format_remaining_for_sla)                                                               \
    X(test_format_remaining_overdue)
CHECK_MAIN(TESTS)
