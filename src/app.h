/* The console's state, shared by the loop, the panes and the commands. */
#ifndef TUKI_APP_H
#define TUKI_APP_H

#include "config.h"
#include "db.h"

#include <curses.h>
#include <stdbool.h>

struct pane;

enum pane_id { PANE_QUEUE, PANE_TICKET, PANE_SLA, PANE_COUNT };

/* What handlers return instead of drawing themselves (htop's idea). */
enum handled {
    UNHANDLED = 0,
    HANDLED = 1 << 0,
    REDRAW = 1 << 1, /* repaint what is on screen */
    RELOAD = 1 << 2, /* re-query the database, then repaint */
    QUIT = 1 << 3,
};

struct app {
    const struct settings *settings;
    struct db db;
    struct pane *panes[PANE_COUNT];
    int focus;   /* index into panes */
    bool colors; /* colour pairs in use */
    bool too_small;
    char status[1024]; /* result of the last command, or an error */
    bool status_is_error;
    bool quit;
    double warning_fraction; /* read from the schema at connect; 0.75 by default */
    long long next_tick_ms;
    long long next_sweep_ms;
    bool prompt_active;
};

/* The share of a target used at which a clock turns to warning (from the schema). */
double app_warning_fraction(const struct app *app);

void app_status(struct app *app, bool is_error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
