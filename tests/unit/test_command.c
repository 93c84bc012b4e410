/* The command table without a database: parsing, usage errors, %i expansion, help text and
 * filters. Anything that would reach the database finds it offline and says so. */
#include "command.h"
#include "model.h"
#include "text.h"

#include "check.h"

#include <locale.h>
#include <stdlib.h>

static struct db offline;

/* The last run's message and hint, freed by the next run (the checks read them). */
static struct command_ctx last;

static int run(struct command_ctx *ctx, const char *line)
{
    command_ctx_clear(&last);
    memset(ctx, 0, sizeof *ctx);
    ctx->db = &offline;
    ctx->selected = 42;
    int rc = command_run(ctx, line);
    last.message = ctx->message;
    last.hint = ctx->hint;
    return rc;
}

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void test_unknown_command(void)
{
    struct command_ctx ctx;
    CHECK_INT(run(&ctx, "frobnicate 1"), -1);
    CHECK_STR(ctx.message, "unknown command 'frobnicate'; 'help' lists them");
    CHECK(ctx.is_error);
}

static void test_usage_errors_name_the_usage(void)
{
    struct command_ctx ctx;
    CHECK_INT(run(&ctx, "take 1 2"), -1);
    CHECK_STR(ctx.message, "usage: take [ID]");
    CHECK_INT(run(&ctx, "status 5"), -1);
    CHECK_STR(ctx.message, "usage: status ID STATUS [NOTE]");
    CHECK_INT(run(&ctx, "reply"), -1);
    CHECK_STR(ctx.message, "usage: reply ID [TEXT | --canned NAME]");
    CHECK_INT(run(&ctx, "reply 5 --canned"), -1);
    CHECK_STR(ctx.message, "usage: reply ID --canned NAME ('canned' lists the names)");
    CHECK_INT(run(&ctx, "note 5 --canned a b"), -1);
    CHECK_STR(ctx.message, "usage: note ID --canned NAME ('canned' lists the names)");
    CHECK_INT(run(&ctx, "canned remove"), -1);
    CHECK_STR(ctx.message, "usage: canned [NAME | set NAME [TEXT] | remove NAME]");
    CHECK_INT(run(&ctx, "assign 5"), -1);
    CHECK_STR(ctx.message, "usage: assign IDS AGENT");
    CHECK_INT(run(&ctx, "new ACME x y"), -1); /* reaches the (offline) database: no usage error */
    CHECK(starts(ctx.message, "offline: "));
    /* without a front end that has an editor, the form cannot open */
    CHECK_INT(run(&ctx, "new ACME"), -1);
    CHECK_STR(ctx.message, "no editor here: give the text on the command line");
}

static void test_edit_fields_checked_before_the_database(void)
{
    struct command_ctx ctx;
    CHECK_INT(run(&ctx, "edit"), -1);
    CHECK_STR(ctx.message, "usage: edit ID [FIELD=VALUE ...]");
    CHECK_INT(run(&ctx, "edit 4 priority=1"), -1);
    CHECK_STR(
        ctx.message,
        "'priority=1': give field=value with a field of type, contact, subject, channel, team");
    CHECK_INT(run(&ctx, "edit 4 bug"), -1);
    CHECK(starts(ctx.message, "'bug': give field=value"));
    CHECK_INT(run(&ctx, "edit 4 type=bug type=problem"), -1);
    CHECK_STR(ctx.message, "type is given twice");
    CHECK_INT(run(&ctx, "edit 4 type="), 0); /* an empty value changes nothing: no statement */
    CHECK_STR(ctx.message, "nothing changed on #4");
    CHECK_INT(run(&ctx, "edit 4 \"subject=VPN drops\" contact=\"Päivi Mäkelä\""), -1);
    CHECK(starts(ctx.message, "offline: "));
}

static void test_bad_arguments_caught_before_the_database(void)
{
    struct command_ctx ctx;
    CHECK_INT(run(&ctx, "log 4 90x"), -1);
    CHECK(starts(ctx.message, "duration '90x': "));
    CHECK_INT(run(&ctx, "log 4 1h70m"), -1);
    CHECK(starts(ctx.message, "duration '1h70m': "));
    CHECK_INT(run(&ctx, "prio 4 0 2"), -1);
    CHECK_STR(ctx.message, "impact must be 1 (high), 2 or 3 (low), not '0'");
    CHECK_INT(run(&ctx, "prio 4 1 x"), -1);
    CHECK_STR(ctx.message, "urgency must be 1 (high), 2 or 3 (low), not 'x'");
    CHECK_INT(run(&ctx, "open abc"), -1);
    CHECK(starts(ctx.message, "ticket id 'abc': "));
    CHECK_INT(run(&ctx, "assign 1-5000 bob"), -1);
    CHECK(starts(ctx.message, "ticket ids '1-5000': "));
    CHECK_INT(run(&ctx, "assign \"1 bob"), -1);
    CHECK(strstr(ctx.message, "at column 8") != NULL);
}

/* Free text is taken as typed: an apostrophe or a lone quote in a note is no syntax error. */
static void test_free_text_is_verbatim(void)
{
    struct command_ctx ctx;
    CHECK_INT(run(&ctx, "reply 5 It's fixed, \"mostly"), -1);
    CHECK(starts(ctx.message, "offline: not sent")); /* parsed fine, only the database is away */
}

static void test_offline_writes_are_refused_clearly(void)
{
    struct command_ctx ctx;
    CHECK_INT(run(&ctx, "take 5"), -1);
    CHECK(starts(ctx.message, "offline: not sent"));
    CHECK_INT(run(&ctx, "reply 5 Hei, katsotaan tätä."), -1);
    CHECK(starts(ctx.message, "offline: not sent"));
}

static void check_expand(const char *template, long long selected, const char *want)
{
    char *got = command_expand(template, selected);
    if (want) {
        CHECK(got != NULL);
        CHECK_STR(got ? got : "(null)", want);
    } else {
        CHECK(got == NULL);
    }
    free(got);
}

static void test_percent_i_is_the_selected_ticket(void)
{
    check_expand("take %i", 42, "take 42");
    check_expand(":reply %i ", 7, ":reply 7 ");
    check_expand("workload", 0, "workload");
    check_expand("take %i", 0, NULL);
    check_expand("note %i %i", 123456789012LL, "note 123456789012 123456789012");
}

/* %i belongs to key bindings' templates: text typed at the prompt or given to -c is sent as
 * typed. The statement is only queued (the db is reconnecting), so what it would send shows. */
static void test_typed_percent_i_is_text(void)
{
    struct db db;
    memset(&db, 0, sizeof db);
    db.async = true;
    db.state = DB_CONNECTING;
    struct command_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.db = &db;
    ctx.selected = 2001;
    CHECK_INT(command_run(&ctx, "note 1970 growth was 50%ish"), 0);
    CHECK(ctx.pending);
    CHECK(db.head != NULL);
    if (db.head) {
        CHECK_INT(db.head->nparams, 2);
        CHECK_STR(db.head->params[0], "1970");
        CHECK_STR(db.head->params[1], "growth was 50%ish");
    }
    db_close(&db); /* answers it: never sent */
    CHECK(!ctx.pending);
    CHECK(starts(ctx.message, "offline: not sent"));
    command_ctx_clear(&ctx);
    memset(&ctx, 0, sizeof ctx);
    ctx.db = &offline;
    CHECK_INT(command_run(&ctx, "take %i"), -1);
    CHECK(starts(ctx.message, "ticket id '%i': "));
    command_ctx_clear(&ctx);
}

/* A long message is kept whole (it was cut at 1,024 bytes): a long argument is named whole. */
static void test_long_messages_keep_whole_characters(void)
{
    char line[4096] = "filter x"; /* an unknown filter: the error quotes it */
    for (size_t n = strlen(line); n + 2 < 2500; n += 2)
        strcat(line, "ä");
    struct command_ctx ctx;
    CHECK_INT(run(&ctx, line), -1);
    CHECK(strstr(ctx.message, line + strlen("filter ")) != NULL); /* the argument, all of it */
}

static void test_help_comes_from_the_table(void)
{
    char *text = command_help(NULL);
    CHECK(text != NULL);
    for (int i = 0; i < command_count; i++) {
        char line[64];
        snprintf(line, sizeof line, "\n%s ", commands[i].name);
        CHECK(strstr(text, line) != NULL || strncmp(text, line + 1, strlen(line) - 1) == 0);
    }
    free(text);
    text = command_help("log");
    CHECK(starts(text, "log ID DURATION [billable] [NOTE]"));
    CHECK(strchr(text, '\n') == text + strlen(text) - 1); /* one line only */
    free(text);
    struct command_ctx ctx;
    CHECK_INT(run(&ctx, "help status"), 0);
    CHECK(starts(ctx.message, "status ID STATUS [NOTE] — "));
    CHECK_INT(run(&ctx, "help nonsense"), -1);
}

/* sla, confirm, merge and link: their words are counted and their ids read before any
 * statement is sent (offline, a well-formed one says "offline"). */
static void test_desk_commands_parse_first(void)
{
    struct command_ctx ctx;
    CHECK_INT(run(&ctx, "sla"), -1);
    CHECK_STR(ctx.message, "usage: sla ID");
    CHECK_INT(run(&ctx, "confirm 2"), -1);
    CHECK_STR(ctx.message, "usage: confirm ID VERSION [DATE]");
    CHECK_INT(run(&ctx, "merge 7 onto 1"), -1);
    CHECK_STR(ctx.message, "usage: merge ID INTO OTHER_ID");
    CHECK_INT(run(&ctx, "merge 7 into x"), -1);
    CHECK(starts(ctx.message, "ticket id 'x': "));
    CHECK_INT(run(&ctx, "link 1"), -1);
    CHECK_STR(ctx.message, "usage: link ID OTHER_ID");
    CHECK_INT(run(&ctx, "link 1 2,3"), -1);
    CHECK_STR(ctx.message, "one ticket id here, not '2,3'");
    CHECK_INT(run(&ctx, "merge 7 INTO 1"), -1);
    CHECK(starts(ctx.message, "offline: not sent"));
    CHECK_INT(run(&ctx, "merge 7 1"), -1);
    CHECK(starts(ctx.message, "offline: not sent"));
}

static void test_every_design_command_is_there(void)
{
    const char *names[] = {"take",     "assign",   "status",  "reply",  "note",   "log",  "prio",
                           "escalate", "new",      "open",    "filter", "search", "help", "quit",
                           "release",  "workload", "confirm", "merge",  "link",   "sla"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        CHECK(command_find(names[i]) != NULL);
    CHECK(command_find("tak") == NULL);
}

static void test_filters(void)
{
    struct filter f;
    char *err = NULL;
    CHECK_INT(filter_parse("mine", &f, &err), 0);
    CHECK_INT(f.kind, FILTER_MINE);
    CHECK(f.arg == NULL && err == NULL);
    CHECK_INT(filter_parse("customer:ACME", &f, &err), 0);
    CHECK_INT(f.kind, FILTER_CUSTOMER);
    CHECK_STR(f.arg, "ACME");
    filter_free(&f);
    CHECK_INT(filter_parse("status:waiting_customer", &f, &err), 0);
    CHECK_STR(f.arg, "waiting_customer");
    filter_free(&f);
    CHECK_INT(filter_parse("customer:", &f, &err), -1);
    CHECK_STR(err, "filter 'customer:' needs one word after the colon");
    free(err);
    CHECK_INT(filter_parse("everything", &f, &err), -1);
    CHECK(starts(err, "unknown filter 'everything'"));
    free(err);
    CHECK_INT(filter_parse("team:third_line", &f, &err), 0);
    CHECK_INT(f.kind, FILTER_TEAM);
    CHECK_STR(f.arg, "third_line");
    CHECK(!filter_spans_teams(&f));
    filter_free(&f);
    CHECK_INT(filter_parse("type:bug", &f, &err), 0);
    CHECK_INT(f.kind, FILTER_TYPE);
    CHECK_STR(f.arg, "bug");
    CHECK(filter_spans_teams(&f));
    struct filter copy;
    CHECK_INT(filter_copy(&copy, &f), 0);
    CHECK(copy.arg != f.arg);
    CHECK_STR(copy.arg, "bug");
    filter_free(&copy);
    filter_free(&f);
    CHECK_INT(filter_parse("home", &f, &err), 0);
    CHECK_INT(f.kind, FILTER_HOME);
    CHECK(filter_spans_teams(&f));
    CHECK_INT(filter_parse("team:", &f, &err), -1);
    free(err);
    CHECK_INT(filter_parse("team:", &f, NULL), -1); /* no message wanted */
    filter_parse("all", &f, NULL);
    char *what = filter_describe(&f);
    CHECK_STR(what, "all active");
    free(what);
    struct command_ctx ctx;
    CHECK_INT(run(&ctx, "filter breaching"), 0);
    CHECK_STR(ctx.message, "filter: breaching");
}

/* What the last search or filter command handed the front end. */
static struct filter seen;

static void remember_filter(void *ui, const struct filter *f)
{
    (void)ui;
    filter_free(&seen);
    filter_copy(&seen, f);
}

/* A filter's argument has no fixed size (it had 255 bytes): long search words or a long
 * customer code reach the queue whole. */
static void test_long_filter_arguments_come_whole(void)
{
    char *words = malloc(3001);
    for (int i = 0; i < 3000; i++)
        words[i] = i % 6 == 5 ? ' ' : "tulost"[i % 6];
    words[2999] = 'x';
    words[3000] = '\0';
    char *line = text_printf("search %s", words);
    struct command_ui ui = {.set_filter = remember_filter};
    struct command_ctx ctx;
    command_ctx_clear(&last);
    memset(&ctx, 0, sizeof ctx);
    ctx.db = &offline;
    ctx.ui = &ui;
    CHECK_INT(command_run(&ctx, line), 0);
    CHECK_INT(seen.kind, FILTER_SEARCH);
    CHECK_STR(seen.arg, words);
    command_ctx_clear(&ctx);
    free(line);
    struct filter f;
    char *code = malloc(1001);
    for (int i = 0; i < 1000; i++)
        code[i] = (char)('A' + i % 26);
    code[1000] = '\0';
    line = text_printf("customer:%s", code);
    CHECK_INT(filter_parse(line, &f, NULL), 0);
    CHECK_STR(f.arg, code);
    char *what = filter_describe(&f);
    CHECK(strstr(what, code) != NULL);
    free(what);
    filter_free(&f);
    filter_free(&seen);
    free(code);
    free(line);
    free(words);
}

#define TESTS(X)                                                                                   \
    X(test_unknown_command)                                                                        \
    X(test_long_filter_arguments_come_whole)                                                       \
    X(test_usage_errors_name_the_usage)                                                            \
    X(test_edit_fields_checked_before_the_database)                                                \
    X(test_bad_arguments_caught_before_the_database)                                               \
    X(test_free_text_is_verbatim)                                                                  \
    X(test_offline_writes_are_refused_clearly)                                                     \
    X(test_percent_i_is_the_selected_ticket)                                                       \
    X(test_typed_percent_i_is_text)                                                                \
    X(test_long_messages_keep_whole_characters)                                                    \
    X(test_help_comes_from_the_table)                                                              \
    X(test_every_design_command_is_there)                                                          \
    X(test_desk_commands_parse_first)                                                              \
    X(test_filters)
CHECK_MAIN(TESTS)
