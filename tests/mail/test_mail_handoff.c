/* The hand-off protocol's two lines (mail_handoff.h): the length a client announces before
 * the message, and the worker's answer. A length line that is not whole must make the worker
 * wait, one that is not a length must make it drop the client. */
#include "check.h"
#include "mail/mail_handoff.h"

#include <stdlib.h>

static void test_length(void)
{
    size_t length = 0, header = 0;
    CHECK_INT(mail_handoff_parse_length("1234\nFrom: x", 12, &length, &header), 1);
    CHECK_INT(length, 1234);
    CHECK_INT(header, 5);
    CHECK_INT(mail_handoff_parse_length("0\n", 2, &length, &header), 1);
    CHECK_INT(length, 0);
    CHECK_INT(mail_handoff_parse_length("12", 2, &length, &header), 0); /* more to come */
    CHECK_INT(mail_handoff_parse_length("", 0, &length, &header), 0);
    CHECK_INT(mail_handoff_parse_length("\n", 1, &length, &header), -1); /* no digits */
    CHECK_INT(mail_handoff_parse_length("From: x\n", 8, &length, &header), -1);
    CHECK_INT(mail_handoff_parse_length("-5\n", 3, &length, &header), -1);
    CHECK_INT(mail_handoff_parse_length("1234567890123456\n", 17, &length, &header), -1);
}

static void test_answer(void)
{
    int status = -1;
    char *text = NULL;
    CHECK_INT(mail_handoff_parse_answer("0 stored ticket 4 message 9\n", 28, &status, &text), 0);
    CHECK_INT(status, 0);
    CHECK_STR(text, "stored ticket 4 message 9");
    free(text);
    CHECK_INT(mail_handoff_parse_answer("65 held 3\n", 10, &status, &text), 0);
    CHECK_INT(status, 65);
    CHECK_STR(text, "held 3");
    free(text);
    CHECK_INT(mail_handoff_parse_answer("75 \n", 4, &status, &text), 0);
    CHECK_INT(status, 75);
    CHECK_STR(text, "");
    free(text);
    CHECK_INT(mail_handoff_parse_answer("0 stored", 8, &status, &text), -1); /* cut off */
    CHECK_INT(mail_handoff_parse_answer("stored\n", 7, &status, &text), -1);
    CHECK_INT(mail_handoff_parse_answer("1234 x\n", 7, &status, &text), -1);
    CHECK_INT(mail_handoff_parse_answer("", 0, &status, &text), -1);
}

#define TESTS(X) X(test_length) X(test_answer)
TESTS(CHECK_DECLARE_)
CHECK_MAIN(TESTS)
