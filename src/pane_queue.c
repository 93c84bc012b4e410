/* The queue: one window of tuki.queue (or a search) at a time, in queue order. Only the
 * visible rows are fetched, so paging through 100,000 tickets stays instant. */
#include "pane.h"

#include "draw.h"
#include "model.h"
#include "screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct queue_state {
    struct filter filter;
    struct queue_page page;
    long top;                    /* queue offset of the first visible row */
    struct queue_key before_top; /* the row just before it (unset at the top): windows are
                                    fetched as "the rows after this", at any depth */
    long cursor;                 /* queue offset of the selected row */
    long long selected;          /* its ticket id, kept across reloads */
    char error[512];
};

static struct queue_state *state(const struct pane *pane)
{
    return pane->state;
}

static int visible_rows(const struct pane *pane)
{
    return pane->h > 3 ? pane->h - 3 : 0; /* frame and the column header */
}

/* Fetches the visible window; count when the data changed (a scroll keeps the total). */
static void fetch(struct pane *pane, struct app *app, bool count)
{
    struct queue_state *q = state(pane);
    int rows = visible_rows(pane);
    if (rows <= 0 || app->db.state != DB_ONLINE)
        return;
    struct queue_page page;
    if (queue_fetch(&app->db, &q->filter, &q->before_top, q->top, rows, count, &page, q->error,
                    sizeof q->error) < 0)
        return;
    if (page.count == 0 && q->top > 0) {
        /* The queue shrank below our window: start again from the top. */
        queue_page_free(&page);
        q->top = q->cursor = 0;
        q->before_top.set = false;
        if (queue_fetch(&app->db, &q->filter, NULL, 0, rows, count, &page, q->error,
                        sizeof q->error) < 0)
            return;
    }
    q->error[0] = '\0';
    if (page.total < 0)
        page.total = q->page.total;
    queue_page_free(&q->page);
    q->page = page;
    /* Keep the selected ticket under the cursor when it is still on this page. */
    for (int i = 0; i < page.count; i++) {
        if (page.rows[i].id == q->selected) {
            q->cursor = q->top + i;
            return;
        }
    }
    /* Otherwise the cursor stays where it was, inside the window. */
    if (q->cursor >= q->top + page.count)
        q->cursor = page.count ? q->top + page.count - 1 : q->top;
    if (q->cursor < q->top)
        q->cursor = q->top;
    q->selected = page.count ? page.rows[q->cursor - q->top].id : 0;
}

/* Moves the window so that it starts at row `top`: from a row on screen or just above it
 * by key (cheap at any depth), by offset only for long jumps. */
static void scroll_to(struct pane *pane, struct app *app, long top)
{
    struct queue_state *q = state(pane);
    long delta = top - q->top;
    char err[512];
    if (top <= 0) {
        q->before_top.set = false;
        top = 0;
    } else if (q->filter.kind == FILTER_SEARCH) {
        q->before_top.set = false; /* search pages by offset */
    } else if (delta > 0 && delta <= q->page.count) {
        q->before_top = q->page.rows[delta - 1].key;
    } else if (delta < 0 && -delta <= 1000 && q->before_top.set) {
        struct queue_key key;
        int found = queue_key_before(&app->db, &q->filter, &q->before_top, (int)-delta, &key, err,
                                     sizeof err);
        if (found == -delta) {
            q->before_top = key;
        } else {
            q->before_top.set = false;
            top = 0;
        }
    } else {
        /* A long jump: the row before the new top by offset, then keys again. */
        struct queue_page one;
        q->before_top.set = false;
        if (queue_fetch(&app->db, &q->filter, NULL, top - 1, 1, false, &one, err, sizeof err) ==
                0 &&
            one.count == 1)
            q->before_top = one.rows[0].key;
        queue_page_free(&one);
    }
    q->top = top;
    q->selected = 0;
    fetch(pane, app, false);
}

static void queue_open(struct pane *pane, struct app *app)
{
    struct queue_state *q = calloc(1, sizeof *q);
    char err[256];
    if (filter_parse(app->settings->default_filter, &q->filter, err, sizeof err) < 0) {
        app_status(app, true, "console.filter: %s", err);
        q->filter.kind = FILTER_ALL;
    }
    pane->state = q;
}

static void queue_close(struct pane *pane)
{
    struct queue_state *q = state(pane);
    queue_page_free(&q->page);
    free(q);
    pane->state = NULL;
}

static void queue_title(struct pane *pane, struct app *app, char *buf, size_t n)
{
    (void)app;
    struct queue_state *q = state(pane);
    char what[300];
    filter_describe(&q->filter, what, sizeof what);
    snprintf(buf, n, "%s: %s (%ld)", q->filter.kind == FILTER_SEARCH ? "Search" : "Queue", what,
             q->page.total > 0 ? q->page.total : 0);
}

static const char *short_status(const char *status)
{
    if (strcmp(status, "waiting_customer") == 0)
        return "wait cust";
    if (strcmp(status, "waiting_third_party") == 0)
        return "wait 3rd";
    return status;
}

static const char *short_level(const char *level)
{
    if (strcmp(level, "premium") == 0)
        return "prem";
    if (strcmp(level, "standard") == 0)
        return "std";
    if (strcmp(level, "light") == 0)
        return "lite";
    return level;
}

/* Column widths: id, P, level, customer, [subject], status, agent. */
enum { W_ID = 7, W_PRIO = 2, W_LEVEL = 5, W_CUSTOMER = 9, W_STATUS = 10, W_AGENT = 9 };

static void draw_row(WINDOW *win, int y, int width, const char *id, const char *prio,
                     const char *level, const char *customer, const char *subject,
                     const char *status, const char *agent)
{
    int fixed = W_ID + W_PRIO + W_LEVEL + W_CUSTOMER + W_STATUS + W_AGENT;
    int subject_w = width - fixed;
    int x = 0;
    bool narrow = subject_w < 8; /* drop the less needed columns first */
    if (narrow)
        subject_w = width - W_ID - W_PRIO - W_STATUS;
    draw_fit(win, y, x, id, W_ID), x += W_ID;
    draw_fit(win, y, x, prio, W_PRIO), x += W_PRIO;
    if (!narrow) {
        draw_fit(win, y, x, level, W_LEVEL), x += W_LEVEL;
        draw_fit(win, y, x, customer, W_CUSTOMER), x += W_CUSTOMER;
    }
    if (subject_w > 0) {
        draw_fit(win, y, x, subject, subject_w - 1);
        x += subject_w;
    }
    if (x + W_STATUS <= width)
        draw_fit(win, y, x, status, W_STATUS), x += W_STATUS;
    if (!narrow && x + W_AGENT <= width)
        draw_fit(win, y, x, agent, W_AGENT);
}

static void queue_draw(struct pane *pane, struct app *app)
{
    struct queue_state *q = state(pane);
    WINDOW *win = pane->win;
    int width = pane->w - 2;
    wattron(win, A_BOLD);
    draw_row(win, 0, width, "#", "P", "Lvl", "Customer", "Subject", "Status", "Agent");
    wattroff(win, A_BOLD);
    if (*q->error) {
        wattron(win, screen_attr(app, COLOR_ROLE_ERROR));
        draw_fit(win, 1, 0, q->error, width);
        wattroff(win, screen_attr(app, COLOR_ROLE_ERROR));
        return;
    }
    if (q->page.count == 0) {
        wattron(win, screen_attr(app, COLOR_ROLE_MUTED));
        draw_fit(win, 1, 0, "nothing here", width);
        wattroff(win, screen_attr(app, COLOR_ROLE_MUTED));
    }
    for (int i = 0; i < q->page.count && i < visible_rows(pane); i++) {
        const struct queue_row *r = &q->page.rows[i];
        char id[24], prio[8];
        snprintf(id, sizeof id, "%lld", r->id);
        snprintf(prio, sizeof prio, "%d", r->priority);
        bool selected = q->top + i == q->cursor;
        int attr = selected ? screen_attr(app, COLOR_ROLE_SELECTED) : (int)A_NORMAL;
        wattron(win, attr);
        draw_row(win, i + 1, width, id, prio, short_level(r->level), r->customer, r->subject,
                 short_status(r->status), *r->assignee ? r->assignee : "-");
        wattroff(win, attr);
    }
}

static void move_cursor(struct pane *pane, struct app *app, long to)
{
    struct queue_state *q = state(pane);
    long total = q->page.total > 0 ? q->page.total : 0;
    if (to >= total)
        to = total - 1;
    if (to < 0)
        to = 0;
    q->cursor = to;
    int rows = visible_rows(pane);
    long top = q->top;
    if (q->cursor < q->top)
        top = q->cursor;
    else if (rows > 0 && q->cursor >= q->top + rows)
        top = q->cursor - rows + 1;
    if (top != q->top)
        scroll_to(pane, app, top);
    if (q->cursor - q->top < q->page.count)
        q->selected = q->page.rows[q->cursor - q->top].id;
}

/* A page down or up moves the window and the cursor together (as mutt and tig do), so the
 * rows in view change even when the cursor starts at the window's edge. */
static void page_by(struct pane *pane, struct app *app, long rows)
{
    struct queue_state *q = state(pane);
    long total = q->page.total > 0 ? q->page.total : 0;
    long last_top = total - visible_rows(pane);
    long top = q->top + rows;
    if (top > last_top)
        top = last_top;
    if (top < 0)
        top = 0;
    long cursor = q->cursor + (top - q->top);
    if (top == q->top) /* at either end: the cursor goes the rest of the way */
        cursor = rows > 0 ? total - 1 : 0;
    if (top != q->top)
        scroll_to(pane, app, top);
    move_cursor(pane, app, cursor);
}

static enum handled queue_key(struct pane *pane, struct app *app, int key)
{
    struct queue_state *q = state(pane);
    int page = visible_rows(pane) > 1 ? visible_rows(pane) - 1 : 1;
    switch (key) {
    case 'j':
    case KEY_DOWN:
        move_cursor(pane, app, q->cursor + 1);
        return HANDLED | REDRAW;
    case 'k':
    case KEY_UP:
        move_cursor(pane, app, q->cursor - 1);
        return HANDLED | REDRAW;
    case KEY_NPAGE:
    case ' ':
        page_by(pane, app, page);
        return HANDLED | REDRAW;
    case KEY_PPAGE:
    case 'b':
        page_by(pane, app, -page);
        return HANDLED | REDRAW;
    case 'g':
    case KEY_HOME:
        move_cursor(pane, app, 0);
        return HANDLED | REDRAW;
    case 'G':
    case KEY_END:
        move_cursor(pane, app, q->page.total - 1);
        return HANDLED | REDRAW;
    case '\n':
    case '\r':
    case KEY_ENTER:
        if (q->selected) {
            ticket_pane_show(app->panes[PANE_TICKET], app, q->selected);
            if (app->panes[PANE_TICKET]->h)
                app->focus = PANE_TICKET;
        }
        return HANDLED | REDRAW;
    default:
        return UNHANDLED;
    }
}

static void queue_on_change(struct pane *pane, struct app *app)
{
    fetch(pane, app, true);
}

static void queue_resize(struct pane *pane, struct app *app)
{
    struct queue_state *q = state(pane);
    int rows = visible_rows(pane);
    /* Only a taller window with more rows to show needs the database; the first load and
     * a reconnect's reload come through on_change, which follows every layout. */
    if (rows > 0 && q->cursor >= q->top + rows)
        scroll_to(pane, app, q->cursor - rows + 1);
    else if (q->page.res && q->page.count < rows && q->top + q->page.count < q->page.total)
        fetch(pane, app, false);
}

long long queue_pane_selected(const struct pane *pane)
{
    return state(pane)->selected;
}

int queue_pane_visible_ids(const struct pane *pane, long long *ids, int max)
{
    const struct queue_state *q = state(pane);
    int n = 0;
    for (int i = 0; i < q->page.count && n < max; i++)
        ids[n++] = q->page.rows[i].id;
    return n;
}

void queue_pane_set_filter(struct pane *pane, struct app *app, const struct filter *f)
{
    struct queue_state *q = state(pane);
    q->filter = *f;
    q->top = q->cursor = 0;
    q->before_top.set = false;
    q->selected = 0;
    fetch(pane, app, true);
}

const struct pane_ops queue_pane_ops = {
    .name = "queue",
    .open = queue_open,
    .title = queue_title,
    .draw = queue_draw,
    .key = queue_key,
    .on_change = queue_on_change,
    .resize = queue_resize,
    .close = queue_close,
};
