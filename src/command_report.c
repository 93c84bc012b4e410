#include "command_admin.h"
#include "command_call.h"
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* report CUSTOMER [YYYY-MM]: the text `tuki report` writes, in the text pane (or on stdout for
 * `tuki -c`). Its statements go one after another through db_send: on the console's own
 * connection, asynchronously (the console keeps working, the status line names the one that
 * waits, Esc or Ctrl-C cancels it), and for `tuki -c` answered at once. The role is the
 * console's: row-level security decides what a contact sees. */
struct report_fetch {
    struct command_ctx *ctx;
    char *customer; /* as typed, then the code customer_find gives */
    char month[8], first[11];
    char *label; /* "report ACME 2026-05", what the status line names while it waits */
    int next;    /* the part asked for */
    PGresult *parts[REPORT_PARTS];
};

static void fetch_free(struct report_fetch *f)
{
    for (int p = 0; p < REPORT_PARTS; p++)
        PQclear(f->parts[p]);
    free(f->customer);
    free(f->label);
    free(f);
}

/* The fetch is over (written or failed): the command is answered. */
static void fetch_end(struct report_fetch *f)
{
    struct command_ctx *ctx = f->ctx;
    ctx->pending = false;
    fetch_free(f);
    command_answered(ctx);
}

/* false (and the fetch ended, with why in the message) when res is no success. */
static bool fetch_ok(struct report_fetch *f, PGresult *res)
{
    if (command_answer_failed(f->ctx, res, f->label) == 0)
        return true;
    PQclear(res);
    fetch_end(f);
    return false;
}

static void part_answered(void *data, PGresult *res);

static void send_part(struct report_fetch *f)
{
    const char *params[2];
    int n;
    const char *sql = report_part_sql((enum report_part)f->next, f->customer, f->first, params, &n);
    db_send(f->ctx->db, f->label, sql, n, params, part_answered, f);
}

static void write_report(struct report_fetch *f)
{
    struct command_ctx *ctx = f->ctx;
    char *text = report_text_of(f->parts, f->customer, f->month);
    if (!text) {
        command_fail(ctx, "%s", _("out of memory"));
    } else {
        char *title = NULL;
        if (asprintf(&title, _("Report %s %s"), f->customer, f->month) < 0)
            title = NULL;
        if (ctx->ui && ctx->ui->show_text)
            ctx->ui->show_text(ctx->ui_data, title ? title : f->customer, text);
        command_done(ctx, _("report of %s for %s"), f->customer, f->month);
        free(title);
        free(text);
    }
    fetch_end(f);
}

static void part_answered(void *data, PGresult *res)
{
    struct report_fetch *f = data;
    if (!fetch_ok(f, res))
        return;
    f->parts[f->next] = res;
    bool no_contract = f->next == REPORT_PART_ROWS && PQntuples(res) == 0;
    if (++f->next == REPORT_PARTS || no_contract)
        write_report(f);
    else
        send_part(f);
}

/* Any case, and an unknown (or another organisation's) customer is an error (TK006). */
static void customer_found(void *data, PGresult *res)
{
    struct report_fetch *f = data;
    if (!fetch_ok(f, res))
        return;
    char *code = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    if (!code) {
        command_fail(f->ctx, "%s", _("out of memory"));
        fetch_end(f);
        return;
    }
    free(f->customer);
    f->customer = code;
    f->next = REPORT_PART_TYPES;
    send_part(f);
}

int cmd_report(struct command_ctx *ctx, const char *line)
{
    struct cmdline_words w;
    if (command_split(ctx, line, 0, &w, NULL) < 0)
        return -1;
    if (w.count < 2 || w.count > 3) {
        cmdline_words_free(&w);
        return command_usage(ctx, "report");
    }
    struct report_fetch *f = calloc(1, sizeof *f);
    if (!f) {
        cmdline_words_free(&w);
        return command_fail(ctx, "%s", _("out of memory"));
    }
    f->ctx = ctx;
    if (w.count == 3) {
        if (strlen(w.word[2].text) < sizeof f->month)
            strcpy(f->month, w.word[2].text);
    } else {
        time_t now = time(NULL);
        struct tm tm;
        strftime(f->month, sizeof f->month, "%Y-%m", localtime_r(&now, &tm));
    }
    if (!report_month_parse(f->month, f->first)) {
        command_fail(ctx, _("the month is YYYY-MM, e.g. 2026-05, not '%s'"), w.word[2].text);
        cmdline_words_free(&w);
        fetch_free(f);
        return -1;
    }
    f->customer = strdup(w.word[1].text);
    if (asprintf(&f->label, "report %s %s", w.word[1].text, f->month) < 0)
        f->label = NULL;
    cmdline_words_free(&w);
    if (!f->customer || !f->label) {
        fetch_free(f);
        return command_fail(ctx, "%s", _("out of memory"));
    }
    ctx->pending = true;
    const char *params[] = {f->customer};
    db_send(ctx->db, f->label, "SELECT tuki.customer_find($1)", 1, params, customer_found, f);
    return 0;
}
