#include "customer_console.h"

#include "customer_words.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool customer_console_is_contact(struct db *db)
{
    PGresult *res = db_exec(db, "SELECT tuki.role_is_customer(session_user)", 0, NULL);
    bool contact = db_ok(res) && PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    return contact;
}

const struct pane_ops *const *customer_console_panes(void)
{
    static const struct pane_ops *const panes[PANE_COUNT] = {
        &customer_list_pane_ops, &customer_conversation_pane_ops, &customer_quota_pane_ops};
    return panes;
}

long long customer_console_selected(const struct app *app)
{
    if (app->focus == PANE_TICKET) {
        long long id = customer_conversation_id(app->panes[PANE_TICKET]);
        if (id)
            return id;
    }
    return customer_list_selected(app->panes[PANE_QUEUE]);
}

/* What an event says to the customer, written to f. The format goes through a variable with
 * a fallback: GCC's sanitizer build cannot see that gettext never returns NULL and fails on a
 * "null format string" where the call is inlined. */
static void event_words(FILE *f, const char *kind, const char *body)
{
    const char *format = NULL, *arg = body;
    if (strcmp(kind, "created") == 0) {
        fputs(_("request received"), f);
        return;
    }
    if (strcmp(kind, "status") == 0) {
        format = _("now: %s");
        arg = customer_status_words(body);
    } else if (strcmp(kind, "priority") == 0) {
        format = _("priority %s");
    } else if (strcmp(kind, "worklog_approved") == 0) {
        format = _("billable work approved: %s");
    }
    if (format)
        fprintf(f, format, arg);
    else
        fputs(kind, f);
}

char *customer_timeline_format(const PGresult *res, const PGconn *conn, char **title)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    *title = NULL;
    if (!res) {
        fputs(_("offline: the conversation will come when the connection is back"), f);
    } else if (!db_ok(res)) {
        char *err = db_result_error_text(res, conn);
        fputs(err ? err : "", f);
        free(err);
    }
    for (int i = 0; res && db_ok(res) && i < PQntuples(res); i++) {
        const char *at = PQgetvalue(res, i, 0), *kind = PQgetvalue(res, i, 1);
        const char *author = PQgetvalue(res, i, 2), *body = PQgetvalue(res, i, 3);
        const char *files = PQgetvalue(res, i, 4);
        if (i == 0 && !*title)
            *title = strdup(PQgetvalue(res, i, 5));
        if (strcmp(kind, "message") == 0) {
            fprintf(f, "%s── %s, %s\n%s\n", i ? "\n" : "", author, at, body);
            if (*files)
                fprintf(f, _("Attached: %s\n"), files);
            continue;
        }
        /* a status may carry the resolution on the lines after it */
        const char *more = strcmp(kind, "status") == 0 ? strchr(body, '\n') : NULL;
        char *first = strndup(body, more ? (size_t)(more - body) : strlen(body));
        fprintf(f, "%s· %s ", i ? "\n" : "", at);
        event_words(f, kind, first);
        fputc('\n', f);
        if (more)
            fprintf(f, "%s\n", more + 1);
        free(first);
    }
    fclose(f);
    return text;
}
