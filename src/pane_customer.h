/* The customer console's panes (src/pane_customer.c), in the places of the agents' queue,
 * ticket and SLA panes, and the words they put the schema's codes in. */
#ifndef TUKI_PANE_CUSTOMER_H
#define TUKI_PANE_CUSTOMER_H

#include "pane.h"

#include <stddef.h>

extern const struct pane_ops customer_list_pane_ops;
extern const struct pane_ops customer_conversation_pane_ops;
extern const struct pane_ops customer_quota_pane_ops;

long long customer_list_selected(const struct pane *pane);
void customer_conversation_show(struct pane *pane, long long id);
void customer_conversation_show_text(struct pane *pane, const char *title, const char *text);
long long customer_conversation_id(const struct pane *pane);

#endif
