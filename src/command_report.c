#include "command_admin.h"
#include "command_call.h"
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* report CUSTOMER [YYYY-MM]: the text `tuki report` writes, in the text pane (or on stdout for
 * `tuki -c`). The report is several queries in a row, written synchronously (report_text); the
 * console's own connection is asynchronous, so the console's report gets a short-lived
 * connection of its own, as the same role: row-level security decides what a contact sees. */
int cmd_report(struct command_ctx *ctx, const char *line)
{
    struct cmdline_words w;
    if (command_split(ctx, line, 0, &w, NULL) < 0)
        return -1;
    if (w.count < 2 || w.count > 3) {
        cmdline_words_free(&w);
        return command_usage(ctx, "report");
    }
    char month[16], first[11], err[1024];
    if (w.count == 3) {
        snprintf(month, sizeof month, "%s", w.word[2].text);
    } else {
        time_t now = time(NULL);
        struct tm tm;
        strftime(month, sizeof month, "%Y-%m", localtime_r(&now, &tm));
    }
    int rc = -1;
    struct db own, *db = ctx->db;
    bool connected = false;
    if (!report_month_parse(month, first)) {
        command_fail(ctx, _("the month is YYYY-MM, e.g. 2026-05, not '%s'"), w.word[2].text);
    } else if (db->async && db_connect(&own, db->conninfo, err, sizeof err) < 0) {
        command_fail(ctx, _("report: cannot connect to the database: %s"), err);
        db_close(&own);
    } else {
        if (db->async) {
            db = &own;
            connected = true;
        }
        /* any case, and an unknown (or another organisation's) customer is an error */
        const char *params[] = {w.word[1].text};
        PGresult *found = db_exec(db, "SELECT tuki.customer_find($1)", 1, params);
        if (!db_ok(found)) {
            db_result_error(found, db->conn, ctx->message, sizeof ctx->message);
            snprintf(ctx->hint, sizeof ctx->hint, "%s", db_result_hint(found));
            ctx->is_error = true;
        } else {
            const char *code = PQgetvalue(found, 0, 0);
            char *text = report_text(db, code, month, REPORT_TEXT, false, err, sizeof err);
            if (!text) {
                command_fail(ctx, "%s", err);
            } else {
                char title[128];
                snprintf(title, sizeof title, _("Report %s %s"), code, month);
                if (ctx->ui && ctx->ui->show_text)
                    ctx->ui->show_text(ctx->ui_data, title, text);
                rc = command_done(ctx, _("report of %s for %s"), code, month);
                free(text);
            }
        }
        PQclear(found);
    }
    if (connected)
        db_close(&own);
    cmdline_words_free(&w);
    return rc;
}
