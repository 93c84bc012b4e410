#include "check.h"
#include "customer_words.h"

#include <stdlib.h>
#include <time.h>

/* A fixed instant, shown in UTC: Tuesday 2026-12-01 10:00. */
#define TUE_10_00 1796119200LL

static void test_sla_in_words(void)
{
    setenv("TZ", "UTC", 1); /* the first test: every time below is shown in UTC */
    tzset();
    char buf[128];
    customer_sla_words("answer_due", TUE_10_00, TUE_10_00 - 3600, buf, sizeof buf);
    CHECK_STR(buf, "answer due by Tue 10:00");
    customer_sla_words("resolve_due", TUE_10_00 + 86400 + 4 * 3600, TUE_10_00, buf, sizeof buf);
    CHECK_STR(buf, "solution due by Wed 14:00");
    customer_sla_words("waiting_for_you", 0, TUE_10_00, buf, sizeof buf);
    CHECK_STR(buf, "waiting for you");
    customer_sla_words("closed", 0, TUE_10_00, buf, sizeof buf);
    CHECK_STR(buf, "closed");
    customer_sla_words("in_progress", 0, TUE_10_00, buf, sizeof buf);
    CHECK_STR(buf, "in progress");
}

static void test_reopen_days_are_started_days(void)
{
    char buf[128];
    customer_sla_words("reopen_until", TUE_10_00 + 3 * 86400, TUE_10_00, buf, sizeof buf);
    CHECK_STR(buf, "resolved, 3 days left to reopen");
    customer_sla_words("reopen_until", TUE_10_00 + 2 * 86400 + 60, TUE_10_00, buf, sizeof buf);
    CHECK_STR(buf, "resolved, 3 days left to reopen");
    customer_sla_words("reopen_until", TUE_10_00 + 60, TUE_10_00, buf, sizeof buf);
    CHECK_STR(buf, "resolved, 1 day left to reopen");
    customer_sla_words("resolved", 0, TUE_10_00, buf, sizeof buf);
    CHECK_STR(buf, "resolved");
}

static void test_status_words(void)
{
    CHECK_STR(customer_status_words("new"), "received");
    CHECK_STR(customer_status_words("waiting_customer"), "waiting for you");
    CHECK_STR(customer_status_words("bogus"), "bogus");
}

#define TESTS(X)                                                                                   \
    X(test_sla_in_words)                                                                           \
    X(test_reopen_days_are_started_days)                                                           \
    X(test_status_words)

CHECK_MAIN(TESTS)
