#include "screen.h"

#include "draw.h"
#include "i18n.h"
#include "pane.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLA_PANE_WIDTH 30
#define MIN_COLS       20
#define MIN_LINES      6

static bool colors_wanted(const struct app *app)
{
    const char *no_color = getenv("NO_COLOR");
    if (no_color && *no_color) /* https://no-color.org: any non-empty value */
        return false;
    if (app->settings->colors == COLOR_NONE)
        return false;
    return has_colors();
}

void screen_open(struct app *app)
{
    initscr();
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE); /* the loop polls; getch never waits */
    set_escdelay(25);
    curs_set(0);
    app->colors = colors_wanted(app);
    if (app->colors) {
        start_color();
        use_default_colors();
        bool rich = COLORS >= 256 && app->settings->colors != COLOR_8;
        init_pair(COLOR_ROLE_FRAME_FOCUS, COLOR_CYAN, -1);
        init_pair(COLOR_ROLE_ERROR, COLOR_RED, -1);
        init_pair(COLOR_ROLE_OK, COLOR_GREEN, -1);
        init_pair(COLOR_ROLE_WARNING, rich ? 214 : COLOR_YELLOW, -1);
        init_pair(COLOR_ROLE_BREACHED, rich ? 196 : COLOR_RED, -1);
        init_pair(COLOR_ROLE_PAUSED, rich ? 245 : COLOR_BLUE, -1);
        init_pair(COLOR_ROLE_BANNER, COLOR_WHITE, COLOR_RED);
        init_pair(COLOR_ROLE_SELECTED, COLOR_BLACK, COLOR_CYAN);
        init_pair(COLOR_ROLE_MUTED, rich ? 244 : COLOR_BLUE, -1);
    }
}

void screen_close(void)
{
    if (!isendwin()) {
        curs_set(1);
        endwin();
    }
}

int screen_attr(const struct app *app, enum color_role role)
{
    if (app->colors)
        return role == COLOR_ROLE_NORMAL ? (int)A_NORMAL : (int)COLOR_PAIR(role);
    /* Monochrome: emphasis through attributes only. */
    switch (role) {
    case COLOR_ROLE_ERROR:
    case COLOR_ROLE_BREACHED:
        return (int)A_BOLD;
    case COLOR_ROLE_BANNER:
    case COLOR_ROLE_SELECTED:
        return (int)A_REVERSE;
    case COLOR_ROLE_FRAME_FOCUS:
        return (int)A_BOLD;
    case COLOR_ROLE_PAUSED:
    case COLOR_ROLE_MUTED:
        return (int)A_DIM;
    default:
        return (int)A_NORMAL;
    }
}

static void place(struct pane *pane, int y, int x, int h, int w)
{
    if (pane->frame) {
        delwin(pane->win);
        delwin(pane->frame);
        pane->frame = pane->win = NULL;
    }
    pane->y = y, pane->x = x, pane->h = h, pane->w = w;
    if (h < 3 || w < 4) {
        pane->h = 0;
        return;
    }
    pane->frame = newwin(h, w, y, x);
    pane->win = derwin(pane->frame, h - 2, w - 2, 1, 1);
}

void screen_layout(struct app *app)
{
    int rows = LINES, cols = COLS;
    int top = app->db.state == DB_ONLINE ? 0 : 1; /* the offline banner takes a row */
    int usable = rows - top - 1;                  /* the last row is status and prompt */
    app->status_dirty = app->banner_dirty = true;
    app->too_small = cols < MIN_COLS || rows < MIN_LINES;
    if (app->too_small) {
        for (int i = 0; i < PANE_COUNT; i++)
            place(app->panes[i], 0, 0, 0, 0);
        return;
    }
    int sla_w = cols >= 80 ? SLA_PANE_WIDTH : 0;
    int left_w = cols - sla_w;
    int queue_h = usable >= 16 ? usable * 11 / 20 : usable;
    int ticket_h = usable - queue_h;
    place(app->panes[PANE_QUEUE], top, 0, queue_h, left_w);
    place(app->panes[PANE_TICKET], top + queue_h, 0, ticket_h, left_w);
    place(app->panes[PANE_SLA], top, left_w, sla_w ? usable : 0, sla_w);
    if (app->panes[app->focus]->h == 0)
        app->focus = PANE_QUEUE;
    for (int i = 0; i < PANE_COUNT; i++)
        app->panes[i]->dirty |= DIRTY_RECALC | DIRTY_PAINT;
    app->status_dirty = app->banner_dirty = true;
    erase();
    wnoutrefresh(stdscr);
}

static void draw_frame(struct app *app, struct pane *pane, bool focused)
{
    WINDOW *f = pane->frame;
    int attr = focused ? screen_attr(app, COLOR_ROLE_FRAME_FOCUS) : (int)A_NORMAL;
    wattron(f, attr);
    box(f, 0, 0);
    char *title = pane->ops->title ? pane->ops->title(pane, app) : NULL;
    int room = pane->w - 4; /* a corner and a blank on each side */
    if (title && *title && room > 0) {
        int width = text_width(title);
        int cols = width < room ? width : room;
        mvwaddch(f, 0, 1, ' ');
        draw_fit(f, 0, 2, title, cols);
        mvwaddch(f, 0, 2 + cols, ' ');
    }
    free(title);
    wattroff(f, attr);
    wnoutrefresh(f);
}

static void draw_status(struct app *app)
{
    int row = LINES - 1;
    move(row, 0);
    clrtoeol();
    int attr = app->status_is_error ? screen_attr(app, COLOR_ROLE_ERROR) : (int)A_NORMAL;
    attron(attr);
    draw_fit(stdscr, row, 0, app->status ? app->status : "", COLS > 1 ? COLS - 1 : 1);
    attroff(attr);
    app->status_dirty = false;
}

static void draw_banner(struct app *app)
{
    app->banner_dirty = false;
    if (app->db.state == DB_ONLINE)
        return;
    move(0, 0);
    clrtoeol();
    attron(screen_attr(app, COLOR_ROLE_BANNER));
    char *banner = NULL;
    if (asprintf(&banner, _(" offline: %s — reconnecting… "),
                 app->db.error && *app->db.error ? app->db.error : _("connection lost")) < 0)
        banner = NULL;
    draw_fit(stdscr, 0, 0, banner ? banner : _(" offline"), COLS);
    free(banner);
    attroff(screen_attr(app, COLOR_ROLE_BANNER));
}

void screen_draw(struct app *app)
{
    if (app->too_small) {
        if (!app->status_dirty)
            return;
        erase();
        mvaddnstr(0, 0, _("too small"), COLS);
        if (LINES > 1)
            mvprintw(1, 0, "%dx%d", COLS, LINES);
        if (LINES > 2)
            mvaddnstr(2, 0, _("q quits"), COLS);
        app->status_dirty = false;
        wnoutrefresh(stdscr);
        doupdate();
        return;
    }
    bool any = app->status_dirty || app->banner_dirty;
    if (app->banner_dirty)
        draw_banner(app);
    if (app->status_dirty)
        draw_status(app);
    if (any)
        wnoutrefresh(stdscr);
    for (int i = 0; i < PANE_COUNT; i++) {
        struct pane *pane = app->panes[i];
        if (pane->dirty & DIRTY_RECALC) {
            pane->dirty &= ~(unsigned)DIRTY_RECALC;
            if (pane->h && pane->ops->recalc)
                pane->ops->recalc(pane, app);
            pane->dirty |= DIRTY_PAINT;
        }
        if (!pane->h || !(pane->dirty & DIRTY_PAINT))
            continue;
        pane->dirty &= ~(unsigned)DIRTY_PAINT;
        draw_frame(app, pane, i == app->focus);
        werase(pane->win);
        pane->ops->draw(pane, app);
        wnoutrefresh(pane->win);
        any = true;
    }
    if (any)
        doupdate();
}
