#include "pane.h"

#include <stdio.h>

static void queue_pane_title(struct pane *pane, struct app *app, char *buf, size_t n)
{
    (void)pane, (void)app;
    snprintf(buf, n, "Queue");
}

static void queue_pane_draw(struct pane *pane, struct app *app)
{
    (void)pane, (void)app;
}

const struct pane_ops queue_pane_ops = {
    .name = "queue",
    .title = queue_pane_title,
    .draw = queue_pane_draw,
};
