#include "pane.h"

#include <stdio.h>

static void ticket_pane_title(struct pane *pane, struct app *app, char *buf, size_t n)
{
    (void)pane, (void)app;
    snprintf(buf, n, "Ticket");
}

static void ticket_pane_draw(struct pane *pane, struct app *app)
{
    (void)pane, (void)app;
}

const struct pane_ops ticket_pane_ops = {
    .name = "ticket",
    .title = ticket_pane_title,
    .draw = ticket_pane_draw,
};
