/* sendmail(8) as a child process: its status read as sysexits(3), and what it wrote handed back
 * whole as the reason, however long. */
#include "check.h"
#include "mail/sendmail.h"

#include <stdlib.h>
#include <string.h>

static void test_long_output_comes_back_whole(void)
{
    /* 3,100 bytes of reason over two lines (more than the 2,048 the worker had), then EX_TEMPFAIL
     */
    const char *cmd = "cat >/dev/null; printf 'x%.0s' $(seq 1 3000); echo; "
                      "printf 'y%.0s' $(seq 1 100); echo; exit 75";
    struct sendmail_job job;
    sendmail_start(&job, cmd, "Subject: x\n\nbody\n", 17);
    char *err = NULL;
    CHECK_INT(sendmail_finish(&job, &err), SEND_TEMPORARY);
    CHECK(err != NULL);
    CHECK_INT((int)strlen(err), 3101); /* 3000 x, the line end as a space, 100 y; none cut */
    CHECK(strspn(err, "x") == 3000 && err[3000] == ' ' && strspn(err + 3001, "y") == 100);
    free(err);
}

static void test_silent_failure_says_the_status(void)
{
    struct sendmail_job job;
    sendmail_start(&job, "cat >/dev/null; exit 67", "x", 1);
    char *err = NULL;
    CHECK_INT(sendmail_finish(&job, &err), SEND_PERMANENT);
    CHECK_STR(err, "'cat >/dev/null; exit 67' exited with status 67");
    free(err);
}

static void test_success_has_no_reason(void)
{
    struct sendmail_job job;
    sendmail_start(&job, "cat >/dev/null; echo fine", "x", 1);
    char *err = (char *)"untouched";
    CHECK_INT(sendmail_finish(&job, &err), SEND_OK);
    CHECK(err == NULL);
}

#define TESTS(X)                                                                                   \
    X(test_long_output_comes_back_whole)                                                           \
    X(test_silent_failure_says_the_status) X(test_success_has_no_reason)
TESTS(CHECK_DECLARE_)
CHECK_MAIN(TESTS)
