#include "pane.h"

#include <stdio.h>

static void sla_pane_title(struct pane *pane, struct app *app, char *buf, size_t n)
{
    (void)pane, (void)app;
    snprintf(buf, n, "SLA");
}

static void sla_pane_draw(struct pane *pane, struct app *app)
{
    (void)pane, (void)app;
}

const struct pane_ops sla_pane_ops = {
    .name = "sla",
    .title = sla_pane_title,
    .draw = sla_pane_draw,
};
