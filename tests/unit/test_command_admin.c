/* The administration and report rows of the command table without a database: their usage,
 * and arguments refused in words before anything is sent; a well-formed command finds the
 * database offline and says so. */
#include "command.h"

#include "check.h"

#include <stdlib.h>

static struct db offline;

/* The last run's message and hint, freed by the next run (the checks read them). */
static struct command_ctx last;

static int run(struct command_ctx *ctx, const char *line)
{
    command_ctx_clear(&last);
    memset(ctx, 0, sizeof *ctx);
    ctx->db = &offline;
    int rc = command_run(ctx, line);
    last.message = ctx->message;
    last.hint = ctx->hint;
    return rc;
}

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void test_usage(void)
{
    struct command_ctx ctx;
    CHECK_INT(run(&ctx, "contact"), -1);
    CHECK(starts(ctx.message, "usage: contact add CUSTOMER NAME [FIELD=VALUE…] | set ID"));
    CHECK_INT(run(&ctx, "contact add ACME"), -1);
    CHECK(starts(ctx.message, "usage: contact "));
    CHECK_INT(run(&ctx, "contact remove 4"), -1);
    CHECK(starts(ctx.message, "usage: contact "));
    CHECK_INT(run(&ctx, "contract add ACME light fi-8-16"), -1);
    CHECK(starts(ctx.message, "usage: contract add CUSTOMER LEVEL CALENDAR FROM"));
    CHECK_INT(run(&ctx, "raise ACME premium 2027-12-06"), -1);
    CHECK_STR(ctx.message, "usage: raise CUSTOMER LEVEL FROM TO");
    CHECK_INT(run(&ctx, "hours fi-8-16 mon"), -1);
    CHECK(starts(ctx.message, "usage: hours CALENDAR"));
    CHECK_INT(run(&ctx, "holiday add fi-8-16 2027-12-24"), -1); /* no name */
    CHECK_STR(ctx.message, "usage: holiday add CALENDAR DATE NAME | remove CALENDAR DATE");
    CHECK_INT(run(&ctx, "holiday remove fi-8-16 2027-12-24 Jouluaatto"), -1);
    CHECK_INT(run(&ctx, "audit 1 2"), -1);
    CHECK_STR(ctx.message, "usage: audit [N]");
    CHECK_INT(run(&ctx, "report"), -1);
    CHECK_STR(ctx.message, "usage: report CUSTOMER [YYYY-MM]");
}

static void test_arguments_refused_before_the_database(void)
{
    struct command_ctx ctx;
    CHECK_INT(run(&ctx, "raise ACME premium 2027-12-06 2027-12-32"), -1);
    CHECK_STR(ctx.message, "'2027-12-32' is no date: write YYYY-MM-DD, e.g. 2027-12-24");
    CHECK_INT(run(&ctx, "holiday add fi-8-16 24.12.2027 Jouluaatto"), -1);
    CHECK_STR(ctx.message, "'24.12.2027' is no date: write YYYY-MM-DD, e.g. 2027-12-24");
    CHECK_INT(run(&ctx, "hours fi-8-16 mo-fr 08-16"), -1);
    CHECK(starts(ctx.message, "days 'mo-fr': "));
    CHECK_INT(run(&ctx, "hours fi-8-16 mon-fri 08-16 12:00"), -1);
    CHECK(starts(ctx.message, "hours '12:00': HH:MM-HH:MM"));
    CHECK_INT(run(&ctx, "contact set x phone=1"), -1);
    CHECK(starts(ctx.message, "contact 'x': a whole number"));
    CHECK_INT(run(&ctx, "contact set 4 colour=red"), -1);
    CHECK_STR(ctx.message, "'colour=red': no such field here (fields: name, email, phone, "
                           "language, billable, login, active)");
    CHECK_INT(run(&ctx, "contact set 4 billable=maybe"), -1);
    CHECK_STR(ctx.message, "billable is yes or no, not 'maybe'");
    CHECK_INT(run(&ctx, "contact add ACME \"Päivi Mäkelä\" phone=1 phone=2"), -1);
    CHECK(starts(ctx.message, "'phone=2': the same field twice"));
    CHECK_INT(run(&ctx, "contract add ACME light fi-8-16 2027-01-01 quota=lots"), -1);
    CHECK_STR(ctx.message, "quota 'lots': 0 or a duration such as 10h or 7h30m");
    CHECK_INT(run(&ctx, "contract set 3 to=2027-02-30"), -1);
    CHECK(starts(ctx.message, "'2027-02-30' is no date"));
    CHECK_INT(run(&ctx, "audit 0"), -1);
    CHECK_STR(ctx.message, "audit N: N is 1 to 1000, not '0'");
    CHECK_INT(run(&ctx, "audit 5x"), -1);
    CHECK_INT(run(&ctx, "report ACME 2026-13"), -1);
    CHECK_STR(ctx.message, "the month is YYYY-MM, e.g. 2026-05, not '2026-13'");
}

static void test_well_formed_commands_reach_the_database(void)
{
    static const char *const lines[] = {
        "contact add ACME \"Päivi Mäkelä\" email=paivi@acme.fi billable=yes",
        "contact set 4 phone= login=paivi active=no",
        "contact deactivate 4",
        "contact list acme",
        "contract add ACME light fi-8-16 2027-01-01 to=2027-12-31 quota=10h",
        "contract set 3 level=premium to=",
        "contract list ACME",
        "raise ACME premium 2027-12-06 2027-12-12",
        "hours fi-8-16",
        "hours fi-8-16 mon-fri 08:00-11:30 12:00-16:00",
        "hours fi-8-16 sat closed",
        "holiday add fi-8-16 2027-12-23 \"Aatonaatto\"",
        "holiday remove fi-8-16 2027-12-23",
        "audit",
        "audit 50",
        "report ACME 2026-05", /* on the console's connection like the rest (db_send) */
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        struct command_ctx ctx;
        CHECK_INT(run(&ctx, lines[i]), -1);
        if (!starts(ctx.message, "offline: not sent"))
            printf("#   %s: %s\n", lines[i], ctx.message);
        CHECK(starts(ctx.message, "offline: not sent"));
    }
}

static void test_help_shows_a_long_usage_whole(void)
{
    char *text = command_help("contact");
    CHECK(starts(text, "contact add CUSTOMER NAME [FIELD=VALUE…] | set ID FIELD=VALUE… | "
                       "deactivate ID | list CUSTOMER leads: "));
    free(text);
}

#define TESTS(X)                                                                                   \
    X(test_usage)                                                                                  \
    X(test_arguments_refused_before_the_database)                                                  \
    X(test_well_formed_commands_reach_the_database)                                                \
    X(test_help_shows_a_long_usage_whole)
CHECK_MAIN(TESTS)
