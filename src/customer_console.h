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

#endif
