/* Composing a customer mail and reading it back with the parser: what the worker sends is what
 * a mail client (and tuki mail-in) reads; and the subject tag that threads the answer. */
#include "check.h"
#include "mail/mail_compose.h"
#include "mail/mail_parse.h"
#include "mail/mail_settings.h"

#include <stdlib.h>

static void test_round_trip(void)
{
    struct mail_outgoing out = {
        .from = "Tuki <tuki@vendor.example>",
        .to = "paivi.makela@acme.fi",
        .to_name = "Päivi Mäkelä",
        .subject = "[tuki #42] Re: Laskutusajo pysähtyi yöllä",
        .body = "Hei Päivi,\n\nyöajo käynnistyy taas. Žiadny problém.\n",
        .message_id = "tuki.42.7@vendor.example",
        .in_reply_to = "orig.1@acme.fi",
        .references = "orig.0@acme.fi orig.1@acme.fi",
    };
    size_t len;
    char *raw = mail_compose(&out, &len);
    CHECK(strstr(raw, "Content-Transfer-Encoding: quoted-printable") != NULL);
    CHECK(strstr(raw, "charset=utf-8") != NULL);
    CHECK(strstr(raw, "Reply-To: Tuki <tuki@vendor.example>") != NULL);
    CHECK(strstr(raw, "Auto-Submitted") == NULL);
    for (const char *p = raw; *p; p++) /* every byte on the wire is 7-bit */
        CHECK((unsigned char)*p < 128);
    struct mail_message m;
    CHECK_INT(mail_parse(raw, len, &m), 0);
    CHECK_STR(m.subject, out.subject);
    CHECK_STR(m.body, out.body);
    CHECK_STR(m.from_addr, "tuki@vendor.example");
    CHECK_STR(m.message_id, "tuki.42.7@vendor.example");
    CHECK_STR(m.in_reply_to, "orig.1@acme.fi");
    CHECK_INT(m.reference_count, 2);
    CHECK_INT(m.auto_kind, MAIL_PERSONAL);
    mail_message_free(&m);
    free(raw);
}

static void test_notice_is_automatic(void)
{
    struct mail_outgoing out = {.from = "tuki@vendor.example",
                                .to = "a@b.fi",
                                .subject = "[tuki #1] Vastaanotettu",
                                .body = "x\n",
                                .message_id = "tuki.1.1@vendor.example",
                                .automatic = true};
    size_t len;
    char *raw = mail_compose(&out, &len);
    struct mail_message m;
    mail_parse(raw, len, &m);
    CHECK_INT(m.auto_kind, MAIL_AUTO_REPLY); /* our own notices would never be answered by us */
    mail_message_free(&m);
    free(raw);
}

static void test_message_id(void)
{
    char *id = mail_make_message_id("Tuki <tuki@vendor.example>", 42, 7);
    CHECK_STR(id, "tuki.42.7@vendor.example");
    free(id);
}

static void test_subject_tag(void)
{
    CHECK_INT(mail_subject_ticket("Re: [tuki #4211] Tulostin", "tuki"), 4211);
    CHECK_INT(mail_subject_ticket("AW: [TUKI #7]", "tuki"), 7);
    CHECK_INT(mail_subject_ticket("[ tuki  #12 ] väli", "tuki"), 12);
    CHECK_INT(mail_subject_ticket("[kaikki] [tuki #5]", "tuki"), 5);
    CHECK_INT(mail_subject_ticket("[tuki #] x", "tuki"), 0);
    CHECK_INT(mail_subject_ticket("[tukiX #3] x", "tuki"), 0);
    CHECK_INT(mail_subject_ticket("[tuki #3x] x", "tuki"), 0);
    CHECK_INT(mail_subject_ticket("[help #9] x", "help"), 9);
    CHECK_INT(mail_subject_ticket("tuki #9", "tuki"), 0);
}

#define TESTS(X)                                                                                   \
    X(test_round_trip) X(test_notice_is_automatic) X(test_message_id) X(test_subject_tag)
TESTS(CHECK_DECLARE_)
CHECK_MAIN(TESTS)
