/* The console's state, shared by the console, the screen and the panes. */
#ifndef TUKI_APP_H
#define TUKI_APP_H

#include "config.h"
#include "db.h"
#include "keymap.h"

#include <curses.h>
#include <stdbool.h>

struct pane;

enum pane_id { PANE_QUEUE, PANE_TICKET, PANE_SLA, PANE_COUNT };

/* What a pane returns from a request, or leaves in pane->wants after an answer from the
 * database (htop's idea): the console carries it out; no pane acts on another. */
enum pane_action {
    UNHANDLED = 0,
    HANDLED = 1 << 0,
    REDRAW = 1 << 1,       /* repaint this pane */
    RELOAD = 1 << 2,       /* re-query every pane */
    OPEN_TICKET = 1 << 3,  /* show pane->ticket in the ticket pane */
    FOCUS_TICKET = 1 << 4, /* and give it the focus */
    FOCUS_QUEUE = 1 << 5,
    IDS_CHANGED = 1 << 6, /* the queue's visible tickets changed: the SLA pane follows */
    SELECTION_CHANGED = 1 << 7,
};

struct app {
    const struct settings *settings;
    struct db db;
    struct keymap keys;
    struct pane *panes[PANE_COUNT];
    int focus;   /* index into panes */
    bool colors; /* colour pairs in use */
    bool too_small;
    char *status; /* result of the last command, or an error; owned */
    bool status_is_error;
    bool status_dirty;  /* the last line needs painting */
    bool banner_dirty;  /* the offline banner row */
    long waiting_shown; /* the statement whose "waiting for" note is up, 0 when none */
    bool quit;
    double warning_fraction; /* read from the schema at connect; 0.75 by default */
    long long next_tick_ms;
    long long next_sweep_ms;
    long long last_key_ms;      /* when the last key was handled */
    long long sla_follow_at_ms; /* the SLA pane follows the queue's rows then; 0: no need */
    bool prompt_active;
    bool customer; /* a contact's login: the customer's panes and commands (customer_console.h) */
};

/* The share of a target used at which a clock turns to warning (from the schema). */
double app_warning_fraction(const struct app *app);

/* Sets the status line. */
void app_status(struct app *app, bool is_error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void app_free(struct app *app);

#endif
