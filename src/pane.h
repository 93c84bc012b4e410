/* One small interface for every pane (tig's view_ops): each pane module fills a table of
 * these, and the screen only ever calls through it. */
#ifndef TUKI_PANE_H
#define TUKI_PANE_H

#include "app.h"

#include <curses.h>

struct pane;

struct pane_ops {
    const char *name;
    void (*open)(struct pane *pane, struct app *app);
    /* The frame's title, e.g. "Queue: all active (132)". */
    void (*title)(struct pane *pane, struct app *app, char *buf, size_t n);
    /* Paints the inside of the frame (pane->win); never touches other windows. */
    void (*draw)(struct pane *pane, struct app *app);
    enum handled (*key)(struct pane *pane, struct app *app, int key);
    /* The database changed (a NOTIFY, a command or a reconnect): re-query what it shows. */
    void (*on_change)(struct pane *pane, struct app *app);
    void (*resize)(struct pane *pane, struct app *app);
    void (*close)(struct pane *pane);
};

struct pane {
    const struct pane_ops *ops;
    WINDOW *frame;  /* border and title */
    WINDOW *win;    /* inside the border */
    int y, x, h, w; /* the frame's place on screen; h == 0 when hidden */
    void *state;
};

extern const struct pane_ops queue_pane_ops;
extern const struct pane_ops ticket_pane_ops;
extern const struct pane_ops sla_pane_ops;

struct filter;

/* What the panes offer each other and the console. */
long long queue_pane_selected(const struct pane *pane);
void queue_pane_set_filter(struct pane *pane, struct app *app, const struct filter *f);
/* The ids on the queue's current page, for the SLA pane. */
int queue_pane_visible_ids(const struct pane *pane, long long *ids, int max);

void ticket_pane_show(struct pane *pane, struct app *app, long long id);
void ticket_pane_show_workload(struct pane *pane, struct app *app);
void ticket_pane_show_text(struct pane *pane, struct app *app, const char *title, const char *text);
long long ticket_pane_id(const struct pane *pane);

/* Once a second: repaint the clocks from what was fetched, re-query when due. */
void sla_pane_tick(struct pane *pane, struct app *app);

#endif
