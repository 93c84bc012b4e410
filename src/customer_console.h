/* The customer's console: what `tuki` opens for a contact's login (a member of
 * tuki_customer), chosen by the role with nothing to configure. The same loop, screen,
 * prompt and db_send as the agents' console (console.c); these are the few places that
 * differ: the panes (pane_customer.c) and the commands (customer_commands.c). */
#ifndef TUKI_CUSTOMER_CONSOLE_H
#define TUKI_CUSTOMER_CONSOLE_H

#include "app.h"
#include "customer_commands.h"
#include "pane_customer.h"

#include <stdbool.h>

/* true when the connection's login is a customer's (tuki.role_is_customer). */
bool customer_console_is_contact(struct db *db);

/* The customer's panes in the places of queue, ticket and SLA pane (PANE_COUNT entries). */
const struct pane_ops *const *customer_console_panes(void);

/* The request the console's commands and keys mean: the conversation shown when it has the
 * focus, else the one under the list's cursor; 0 when none. */
long long customer_console_selected(const struct app *app);

/* One request's public timeline for the customer ($1 = the ticket): at, kind, author,
 * body, attachments in words, the ticket's subject (tuki.portal_timeline). */
#define CUSTOMER_TIMELINE_SQL                                                                      \
    "SELECT to_char(x.at, 'YYYY-MM-DD HH24:MI'), x.kind, coalesce(x.author, ''),"                  \
    " coalesce(x.body, ''), coalesce((SELECT string_agg(format('%s (%s bytes, #%s)',"              \
    " a->>'filename', a->>'size', a->>'id'), ', ') FROM jsonb_array_elements(x.attachments) a), "  \
    "''),"                                                                                         \
    " (SELECT t.subject FROM tuki.ticket t WHERE t.id = $1::bigint)"                               \
    " FROM tuki.portal_timeline($1::bigint) x"

/* The answer to CUSTOMER_TIMELINE_SQL as text, one line per line ("── author, at", the
 * message, "· at event"), newly allocated; an error as its message. *title gets the
 * subject (newly allocated) when there is one. The screen and `tuki -c open` both use it. */
char *customer_timeline_format(const PGresult *res, const PGconn *conn, char **title);

#endif
