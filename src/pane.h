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
    WINDOW *frame;   /* border and title */
    WINDOW *win;     /* inside the border */
    int y, x, h, w;  /* the frame's place on screen; h == 0 when hidden */
    void *state;
};

extern const struct pane_ops queue_pane_ops;
extern const struct pane_ops ticket_pane_ops;
extern const struct pane_ops sla_pane_ops;

#endif
