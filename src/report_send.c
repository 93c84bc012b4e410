/* Mailing the monthly report: render it as `tuki report` does (src/report.c) and queue it in
 * tuki.outbox for each receiving contact (sql/024_mail_reports.sql), in one transaction with the
 * record that the month was sent, so a month goes once however many workers run. */
#include "report_send.h"

#include "i18n.h"
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static bool sql_ok(struct db *db, const char *sql, int n, const char *const *params, PGresult **out)
{
    PGresult *res = db_exec(db, sql, n, params);
    bool ok = db_ok(res);
    if (!ok) {
        char *err = db_result_error_text(res, db->conn);
        fprintf(stderr, _("tuki: monthly report: %s\n"), err ? err : _("out of memory"));
        free(err);
    }
    if (out && ok)
        *out = res;
    else
        PQclear(res);
    return ok;
}

/* The report in one rendering, with its itemised lines, in memory; NULL (said on stderr)
 * when it could not be made. */
static char *render(struct db *db, const char *customer, const char *month,
                    enum report_format format)
{
    char *err = NULL;
    char *text = report_text(db, customer, month, format, true, &err);
    if (!text)
        fprintf(stderr, _("tuki: monthly report: %s\n"), err ? err : _("out of memory"));
    free(err);
    return text;
}

int report_send_customer(struct db *db, const char *customer, const char *month, bool again)
{
    char first[11];
    if (!report_month_parse(month, first))
        return -1;
    if (!sql_ok(db, "BEGIN", 0, NULL, NULL))
        return -1;
    const char *claim_params[] = {customer, first, again ? "true" : "false"};
    PGresult *claim = NULL, *langs = NULL;
    int queued = -1;
    char *csv = NULL;
    if (!sql_ok(db, "SELECT tuki.report_claim($1, $2::date, $3::boolean)", 3, claim_params, &claim))
        goto out;
    if (strcmp(PQgetvalue(claim, 0, 0), "t") != 0) {
        queued = 0; /* sent already: by another worker, or an earlier run */
        goto out;
    }
    const char *customer_param[] = {customer};
    if (!sql_ok(db, "SELECT DISTINCT language FROM tuki.report_recipients($1) ORDER BY 1", 1,
                customer_param, &langs))
        goto out;
    /* the CSV's columns and values are the same in every language */
    if (!(csv = render(db, customer, month, REPORT_CSV)))
        goto out;
    queued = 0;
    for (int i = 0; i < PQntuples(langs) && queued >= 0; i++) {
        const char *language = PQgetvalue(langs, i, 0);
        /* the report's own words in the contact's language */
        struct i18n_language speak;
        i18n_language_begin(&speak, language);
        char *text = render(db, customer, month, REPORT_TEXT);
        i18n_language_end(&speak);
        PGresult *n = NULL;
        const char *params[] = {customer, first, language, text, csv};
        if (text &&
            sql_ok(db, "SELECT tuki.report_queue($1, $2::date, $3, $4, convert_to($5, 'UTF8'))", 5,
                   params, &n))
            queued += atoi(PQgetvalue(n, 0, 0));
        else
            queued = -1;
        PQclear(n);
        free(text);
    }
out:
    free(csv);
    PQclear(claim);
    PQclear(langs);
    if (queued < 0 || !sql_ok(db, "COMMIT", 0, NULL, NULL)) {
        PQclear(db_exec(db, "ROLLBACK", 0, NULL));
        return -1;
    }
    return queued;
}

int report_send_due(struct db *db, const char *today)
{
    const char *params[] = {today};
    PGresult *due = NULL;
    if (!sql_ok(db, "SELECT customer, to_char(month, 'YYYY-MM') FROM tuki.report_due($1::date)", 1,
                params, &due))
        return -1;
    int queued = 0;
    for (int i = 0; i < PQntuples(due); i++) {
        int n = report_send_customer(db, PQgetvalue(due, i, 0), PQgetvalue(due, i, 1), false);
        if (n < 0 && PQstatus(db->conn) != CONNECTION_OK) {
            queued = -1;
            break;
        }
        /* one customer's failure (printed) must not keep the others' reports back */
        queued += n > 0 ? n : 0;
    }
    PQclear(due);
    return queued;
}

int report_send_command(struct db *db, const char *month, const char *customer)
{
    PGresult *customers = NULL;
    const char *params[] = {customer};
    if (!sql_ok(db,
                "SELECT c.code FROM tuki.customer c WHERE ($1::text IS NULL OR c.code = $1)"
                "   AND EXISTS (SELECT 1 FROM tuki.report_recipients(c.code)) ORDER BY 1",
                1, params, &customers))
        return EX_DATAERR;
    int rc = 0;
    if (customer && PQntuples(customers) == 0)
        fprintf(stderr, _("tuki report: nobody at %s receives the monthly report\n"), customer);
    for (int i = 0; i < PQntuples(customers); i++) {
        const char *code = PQgetvalue(customers, i, 0);
        int n = report_send_customer(db, code, month, true);
        if (n < 0) {
            rc = EX_DATAERR;
            break;
        }
        printf(_("%s %s: %d mails queued\n"), code, month, n);
    }
    PQclear(customers);
    return rc;
}
