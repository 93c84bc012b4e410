/* One small interface for every pane (tig's view_ops): each pane module fills a table of
 * these, and the console and screen only ever call through it or the few functions below.
 * A pane never calls another pane, moves the focus or writes the status line: it returns
 * what should happen (enum pane_action), or leaves it in wants after a database answer. */
#ifndef TUKI_PANE_H
#define TUKI_PANE_H

#include "app.h"
#include "model.h"
#include "request.h"

#include <curses.h>

/* Dirty flags (neomutt's window tree): recalc what is shown, then repaint it. */
enum pane_dirty {
    DIRTY_RECALC = 1 << 0,
    DIRTY_PAINT = 1 << 1,
};

struct pane;

struct pane_ops {
    const char *name;
    void (*open)(struct pane *pane, struct app *app);
    /* The frame's title, e.g. "Queue: all active (132)", newly allocated (NULL: none). */
    char *(*title)(struct pane *pane, struct app *app);
    /* Paints the inside of the frame (pane->win); never touches other windows. */
    void (*draw)(struct pane *pane, struct app *app);
    /* Acts on a request (move-down, enter, …); returns enum pane_action bits. */
    unsigned (*request)(struct pane *pane, struct app *app, enum request req);
    /* The database changed (a notification's ids, NULL for everything, as after a command
     * or a reconnect): re-query what it shows when that is touched. */
    void (*reload)(struct pane *pane, struct app *app, const struct change *change);
    /* The size changed: lay out again (DIRTY_RECALC). */
    void (*recalc)(struct pane *pane, struct app *app);
    void (*close)(struct pane *pane);
};

struct pane {
    const struct pane_ops *ops;
    WINDOW *frame;    /* border and title */
    WINDOW *win;      /* inside the border */
    int y, x, h, w;   /* the frame's place on screen; h == 0 when hidden */
    unsigned dirty;   /* enum pane_dirty */
    unsigned wants;   /* enum pane_action bits left by an answer, for the console */
    long long ticket; /* with OPEN_TICKET: which */
    void *state;
};

extern const struct pane_ops queue_pane_ops;
extern const struct pane_ops ticket_pane_ops;
extern const struct pane_ops sla_pane_ops;

/* What the console asks of particular panes. */
long long queue_pane_selected(const struct pane *pane);
void queue_pane_set_filter(struct pane *pane, struct app *app, const struct filter *f);
/* The ids on the queue's current page. */
int queue_pane_visible_ids(const struct pane *pane, long long *ids, int max);

void ticket_pane_show(struct pane *pane, struct app *app, long long id);
void ticket_pane_show_workload(struct pane *pane, struct app *app);
void ticket_pane_show_text(struct pane *pane, const char *title, const char *text);
long long ticket_pane_id(const struct pane *pane);

/* The tickets whose clocks to show. */
void sla_pane_follow(struct pane *pane, struct app *app, const long long *ids, int n);
/* Once a second: repaint the clocks from what was fetched, re-query when due. */
void sla_pane_tick(struct pane *pane, struct app *app);

#endif
