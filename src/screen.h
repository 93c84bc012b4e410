/* The screen: curses set-up, where each pane goes, frames, the status line. */
#ifndef TUKI_SCREEN_H
#define TUKI_SCREEN_H

#include "app.h"

enum color_role {
    COLOR_ROLE_NORMAL = 0,
    COLOR_ROLE_FRAME_FOCUS = 1,
    COLOR_ROLE_ERROR,
    COLOR_ROLE_OK,
    COLOR_ROLE_WARNING,
    COLOR_ROLE_BREACHED,
    COLOR_ROLE_PAUSED,
    COLOR_ROLE_BANNER,
    COLOR_ROLE_SELECTED,
    COLOR_ROLE_MUTED,
};

void screen_open(struct app *app);
void screen_close(void);

/* Recomputes the layout for the current terminal size (start-up and SIGWINCH). */
void screen_layout(struct app *app);

/* Paints everything that changed and puts the cursor where it belongs. */
void screen_draw(struct app *app);

/* A curses attribute for a role, plain when colours are off. */
int screen_attr(const struct app *app, enum color_role role);

#endif
