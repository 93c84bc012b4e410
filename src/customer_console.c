#include "customer_console.h"

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
