/* The queue: one window of tuki.queue (or a search) at a time, in queue order. Only the
 * visible rows are fetched, so paging through 100,000 tickets stays instant. */
#include "pane.h"

#include "draw.h"
#include "duration.h"
#include "i18n.h"
#include "model.h"
#include "screen.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct queue_state {
    struct app *app;
    struct pane *pane;
    struct filter filter;
    struct queue_page page;      /* the rows shown; the first is at queue offset `top` */
    long top;                    /* queue offset of the first row shown */
    struct queue_key before_top; /* the row just before it (unset at the top): windows are
                                    fetched as "the rows after this", at any depth */
    long want_top;               /* where the window is going (keys move it before the
                                    rows arrive) */
    long moving_to;              /* the top a key query under way is for */
    long cursor;                 /* queue offset of the selected row */
    long long selected;          /* its ticket id, kept across reloads */
    long total;                  /* rows matching the filter, -1 until counted */
    bool busy;                   /* a window (or the key before one) is being fetched */
    bool stale;                  /* the data or filter changed meanwhile: fetch again */
    bool keep_selection;         /* a reload: keep the selected ticket under the cursor */
    bool counting, count_stale;
    char *error; /* the last query's, whole; NULL when it worked */
};

static struct queue_state *state(const struct pane *pane)
{
    return pane->state;
}

static int visible_rows(const struct pane *pane)
{
    return pane->h > 3 ? pane->h - 3 : 0; /* frame and the column header */
}

static void pump(struct queue_state *q);

static void page_arrived(void *data, PGresult *res);

static void start_fetch(struct queue_state *q)
{
    int rows = visible_rows(q->pane);
    if (rows <= 0 || q->app->db.state == DB_OFFLINE) {
        q->busy = false;
        return;
    }
    q->busy = true;
    queue_page_send(&q->app->db, &q->filter, &q->before_top, q->top, rows, page_arrived, q);
}

static void mark(struct queue_state *q, unsigned wants)
{
    q->pane->dirty |= DIRTY_PAINT;
    q->pane->wants |= wants;
}

static void place_cursor(struct queue_state *q)
{
    const struct queue_page *page = &q->page;
    if (q->keep_selection) {
        /* Keep the selected ticket under the cursor when it is still on this page. */
        for (int i = 0; i < page->count; i++) {
            if (page->rows[i].id == q->selected) {
                q->cursor = q->top + i;
                return;
            }
        }
    }
    if (q->want_top == q->top) {
        /* Otherwise the cursor stays where it was, inside the window. */
        if (q->cursor >= q->top + page->count)
            q->cursor = page->count ? q->top + page->count - 1 : q->top;
        if (q->cursor < q->top)
            q->cursor = q->top;
    }
    long at = q->cursor - q->top;
    q->selected = at >= 0 && at < page->count ? page->rows[at].id : 0;
}

static void page_arrived(void *data, PGresult *res)
{
    struct queue_state *q = data;
    q->busy = false;
    if (!res || q->stale) {
        PQclear(res); /* offline (a reconnect reloads), or no longer what is wanted */
        pump(q);
        return;
    }
    struct queue_page page;
    if (queue_page_read(res, &q->app->db, q->top, &page, &q->error) < 0) {
        mark(q, 0);
        return;
    }
    if (page.count == 0 && q->top > 0) {
        /* The queue shrank below our window: start again from the top. */
        queue_page_free(&page);
        q->top = q->want_top = q->cursor = 0;
        q->before_top.set = false;
        start_fetch(q);
        return;
    }
    free(q->error);
    q->error = NULL;
    queue_page_free(&q->page);
    q->page = page;
    place_cursor(q);
    q->keep_selection = false;
    mark(q, IDS_CHANGED | SELECTION_CHANGED);
    pump(q);
}

static void count_arrived(void *data, PGresult *res)
{
    struct queue_state *q = data;
    q->counting = false;
    if (res) {
        long total = queue_count_read(res, &q->app->db, &q->error);
        if (total >= 0)
            q->total = total;
        mark(q, 0);
    }
    if (q->count_stale) {
        q->count_stale = false;
        q->counting = true;
        queue_count_send(&q->app->db, &q->filter, count_arrived, q);
    }
}

static void recount(struct queue_state *q)
{
    if (q->counting) {
        q->count_stale = true;
        return;
    }
    q->counting = true;
    queue_count_send(&q->app->db, &q->filter, count_arrived, q);
}

static void key_before_arrived(void *data, PGresult *res)
{
    struct queue_state *q = data;
    struct queue_key key;
    long n = q->top - q->moving_to;
    if (queue_key_before_read(res, &q->app->db, &key, NULL) == n) {
        q->before_top = key;
        q->top = q->moving_to;
    } else {
        q->before_top.set = false;
        q->top = q->want_top = 0;
    }
    start_fetch(q);
}

static void jump_key_arrived(void *data, PGresult *res)
{
    struct queue_state *q = data;
    struct queue_page one;
    q->before_top.set = false;
    if (queue_page_read(res, &q->app->db, q->moving_to - 1, &one, NULL) == 0) {
        if (one.count == 1)
            q->before_top = one.rows[0].key;
        queue_page_free(&one);
    }
    q->top = q->moving_to;
    start_fetch(q);
}

/* Moves the window to want_top: from a row on screen or just above it by key (cheap at
 * any depth), by offset only for long jumps. */
static void begin_move(struct queue_state *q)
{
    long top = q->want_top, delta = top - q->top;
    struct db *db = &q->app->db;
    q->moving_to = top;
    if (top <= 0) {
        q->before_top.set = false;
        q->top = q->want_top = 0;
        start_fetch(q);
    } else if (q->filter.kind == FILTER_SEARCH) {
        q->before_top.set = false; /* search pages by offset */
        q->top = top;
        start_fetch(q);
    } else if (delta > 0 && delta <= q->page.count) {
        /* The rows still in view move up at once; the fetch brings the ones below. */
        q->before_top = q->page.rows[delta - 1].key;
        q->page.count -= (int)delta;
        memmove(q->page.rows, q->page.rows + delta, (size_t)q->page.count * sizeof *q->page.rows);
        q->top = top;
        long at = q->cursor - q->top;
        q->selected = at >= 0 && at < q->page.count ? q->page.rows[at].id : 0;
        mark(q, SELECTION_CHANGED);
        start_fetch(q);
    } else if (delta < 0 && -delta <= 1000 && q->before_top.set) {
        q->busy = true;
        queue_key_before_send(db, &q->filter, &q->before_top, (int)-delta, key_before_arrived, q);
    } else {
        /* A long jump: the row before the new top by offset, then keys again. */
        q->busy = true;
        queue_page_send(db, &q->filter, NULL, top - 1, 1, jump_key_arrived, q);
    }
}

/* Starts whatever the pane still wants from the database, one query chain at a time. */
static void pump(struct queue_state *q)
{
    if (q->busy || q->app->db.state == DB_OFFLINE)
        return;
    if (q->stale) {
        q->stale = false;
        start_fetch(q);
    } else if (q->want_top != q->top) {
        begin_move(q);
    }
}

static void refetch(struct queue_state *q)
{
    if (q->busy)
        q->stale = true;
    else
        start_fetch(q);
}

static void queue_open(struct pane *pane, struct app *app)
{
    struct queue_state *q = calloc(1, sizeof *q);
    q->app = app;
    q->pane = pane;
    q->total = -1;
    if (filter_parse(app->settings->default_filter, &q->filter, NULL) < 0)
        q->filter.kind = FILTER_ALL; /* the console says why */
    pane->state = q;
}

static void queue_close(struct pane *pane)
{
    struct queue_state *q = state(pane);
    queue_page_free(&q->page);
    filter_free(&q->filter);
    free(q->error);
    free(q);
    pane->state = NULL;
}

static char *queue_title(struct pane *pane, struct app *app)
{
    (void)app;
    struct queue_state *q = state(pane);
    char *what = filter_describe(&q->filter); /* a filter's words and its kind's name */
    char *title =
        text_printf("%s: %s (%ld)", q->filter.kind == FILTER_SEARCH ? _("Search") : _("Queue"),
                    what ? what : "", q->total > 0 ? q->total : 0);
    free(what);
    return title;
}

static const char *short_status(const char *status)
{
    if (strcmp(status, "waiting_customer") == 0)
        return _("wait cust");
    if (strcmp(status, "waiting_third_party") == 0)
        return _("wait 3rd");
    return i18n_code("status", status);
}

static const char *short_level(const char *level)
{
    if (strcmp(level, "premium") == 0)
        return _("prem");
    if (strcmp(level, "standard") == 0)
        return _("std");
    if (strcmp(level, "light") == 0)
        return _("lite");
    return level;
}

/* The columns, left to right; the subject takes what the others leave. */
enum column {
    COL_ID,
    COL_PRIO,
    COL_LEVEL,
    COL_CUSTOMER,
    COL_TEAM,
    COL_SUBJECT,
    COL_STATUS,
    COL_AGENT,
    COL_LEFT,
    COL_COUNT
};

static const char *const column_heads[COL_COUNT] = {N_("#"),        N_("P"),     N_("Lvl"),
                                                    N_("Customer"), N_("Team"),  N_("Subject"),
                                                    N_("Status"),   N_("Agent"), N_("Left")};

/* Most columns are as wide as their widest cell on the page (or their heading), up to a cap,
 * so a 9-character customer code fits while short ones leave the room to the subject. */
enum {
    CAP_CUSTOMER = 12,
    CAP_TEAM = 12,
    CAP_AGENT = 12,
    W_LEVEL = 4,
    W_STATUS = 9,
    W_LEFT = 7,
    MIN_SUBJECT = 20
};

struct layout {
    int w[COL_COUNT]; /* 0: not shown */
};

static int fit_width(int want, int head, int cap)
{
    int w = want > head ? want : head;
    return w > cap ? cap : w;
}

static int used(const struct layout *l)
{
    int sum = 0;
    for (int c = 0; c < COL_COUNT; c++)
        sum += l->w[c] ? l->w[c] + 1 : 0; /* a blank between columns */
    return sum;
}

/* Lays the columns out in width: the time left only when the SLA pane is not beside the
 * queue, the team only when the filter spans teams; then, while the subject would be too
 * narrow, the least needed columns go first (team, level, agent, customer, time left). */
static struct layout queue_layout(const struct queue_state *q, int width, bool show_left)
{
    struct layout l = {{0}};
    int id_w = 1, cust_w = 0, team_w = 0, agent_w = 1;
    for (int i = 0; i < q->page.count; i++) {
        const struct queue_row *r = &q->page.rows[i];
        char id[24];
        int n = snprintf(id, sizeof id, "%lld", r->id);
        id_w = n > id_w ? n : id_w;
        int cw = text_width(r->customer), tw = text_width(r->team),
            aw = *r->assignee ? text_width(r->assignee) : 1;
        cust_w = cw > cust_w ? cw : cust_w;
        team_w = tw > team_w ? tw : team_w;
        agent_w = aw > agent_w ? aw : agent_w;
    }
    l.w[COL_ID] = fit_width(id_w, text_width(_(column_heads[COL_ID])), 20);
    l.w[COL_PRIO] = fit_width(1, text_width(_(column_heads[COL_PRIO])), 2);
    l.w[COL_LEVEL] = fit_width(W_LEVEL, text_width(_(column_heads[COL_LEVEL])), 8);
    l.w[COL_CUSTOMER] = fit_width(cust_w, text_width(_(column_heads[COL_CUSTOMER])), CAP_CUSTOMER);
    if (filter_spans_teams(&q->filter))
        l.w[COL_TEAM] = fit_width(team_w, text_width(_(column_heads[COL_TEAM])), CAP_TEAM);
    l.w[COL_STATUS] = fit_width(W_STATUS, text_width(_(column_heads[COL_STATUS])), 12);
    l.w[COL_AGENT] = fit_width(agent_w, text_width(_(column_heads[COL_AGENT])), CAP_AGENT);
    if (show_left)
        l.w[COL_LEFT] = fit_width(W_LEFT, text_width(_(column_heads[COL_LEFT])), 10);
    static const enum column drop_order[] = {COL_TEAM, COL_LEVEL, COL_AGENT, COL_CUSTOMER,
                                             COL_LEFT};
    for (size_t d = 0; d < sizeof drop_order / sizeof drop_order[0]; d++) {
        if (width - used(&l) - 1 >= MIN_SUBJECT)
            break;
        l.w[drop_order[d]] = 0;
    }
    int rest = width - used(&l) - 1;
    l.w[COL_SUBJECT] = rest > 1 ? rest : 1;
    return l;
}

/* One line of cells; a cell is fitted to its column and a blank keeps it from the next. */
static void draw_row(WINDOW *win, int y, int width, const struct layout *l,
                     const char *const cells[COL_COUNT])
{
    int x = 0;
    for (int c = 0; c < COL_COUNT && x < width; c++) {
        if (!l->w[c])
            continue;
        int w = l->w[c] < width - x ? l->w[c] : width - x;
        draw_fit(win, y, x, cells[c], w);
        x += l->w[c];
        if (x < width)
            draw_fit(win, y, x, " ", 1);
        x++;
    }
}

static void queue_draw(struct pane *pane, struct app *app)
{
    struct queue_state *q = state(pane);
    WINDOW *win = pane->win;
    int width = pane->w - 2;
    /* the queue reaching the right edge means no SLA pane beside it (screen.c): the time
     * left becomes a column of its own */
    bool show_left = pane->x + pane->w >= COLS;
    struct layout l = queue_layout(q, width, show_left);
    const char *heads[COL_COUNT];
    for (int c = 0; c < COL_COUNT; c++)
        heads[c] = _(column_heads[c]);
    wattron(win, A_BOLD);
    draw_row(win, 0, width, &l, heads);
    wattroff(win, A_BOLD);
    if (q->error) {
        wattron(win, screen_attr(app, COLOR_ROLE_ERROR));
        draw_fit(win, 1, 0, q->error, width);
        wattroff(win, screen_attr(app, COLOR_ROLE_ERROR));
        return;
    }
    if (q->page.count == 0) {
        wattron(win, screen_attr(app, COLOR_ROLE_MUTED));
        draw_fit(win, 1, 0, _("nothing here"), width);
        wattroff(win, screen_attr(app, COLOR_ROLE_MUTED));
    }
    for (int i = 0; i < q->page.count && i < visible_rows(pane); i++) {
        const struct queue_row *r = &q->page.rows[i];
        char id[24], prio[8], left[32] = "-";
        snprintf(id, sizeof id, "%lld", r->id);
        snprintf(prio, sizeof prio, "%d", r->priority);
        if (r->has_left) {
            char d[24];
            duration_format_remaining((long)floor(r->minutes_left), d, sizeof d);
            snprintf(left, sizeof left, "%s%s", r->paused ? "‖" : "", d); /* as the SLA pane */
        }
        const char *cells[COL_COUNT] = {
            id,      prio,       short_level(r->level),   r->customer,
            r->team, r->subject, short_status(r->status), *r->assignee ? r->assignee : "-",
            left};
        bool selected = q->top + i == q->cursor;
        int attr = selected ? screen_attr(app, COLOR_ROLE_SELECTED) : (int)A_NORMAL;
        wattron(win, attr);
        draw_row(win, i + 1, width, &l, cells);
        wattroff(win, attr);
    }
}

static long last_row(const struct queue_state *q)
{
    return (q->total > 0 ? q->total : q->top + q->page.count) - 1;
}

static void move_cursor(struct pane *pane, long to)
{
    struct queue_state *q = state(pane);
    if (to > last_row(q))
        to = last_row(q);
    if (to < 0)
        to = 0;
    q->cursor = to;
    int rows = visible_rows(pane);
    if (q->cursor < q->want_top)
        q->want_top = q->cursor;
    else if (rows > 0 && q->cursor >= q->want_top + rows)
        q->want_top = q->cursor - rows + 1;
    long at = q->cursor - q->top;
    q->selected = q->want_top == q->top && at >= 0 && at < q->page.count ? q->page.rows[at].id : 0;
    pump(q);
}

/* A page down or up moves the window and the cursor together (as mutt and tig do), so the
 * rows in view change even when the cursor starts at the window's edge. */
static void page_by(struct pane *pane, long rows)
{
    struct queue_state *q = state(pane);
    long last_top = last_row(q) + 1 - visible_rows(pane);
    long top = q->want_top + rows;
    if (top > last_top)
        top = last_top;
    if (top < 0)
        top = 0;
    long cursor = q->cursor + (top - q->want_top);
    if (top == q->want_top) /* at either end: the cursor goes the rest of the way */
        cursor = rows > 0 ? last_row(q) : 0;
    q->want_top = top;
    move_cursor(pane, cursor);
}

static unsigned queue_request(struct pane *pane, struct app *app, enum request req)
{
    (void)app;
    struct queue_state *q = state(pane);
    int page = visible_rows(pane) > 1 ? visible_rows(pane) - 1 : 1;
    switch (req) {
    case REQ_MOVE_DOWN:
        move_cursor(pane, q->cursor + 1);
        break;
    case REQ_MOVE_UP:
        move_cursor(pane, q->cursor - 1);
        break;
    case REQ_PAGE_DOWN:
        page_by(pane, page);
        break;
    case REQ_PAGE_UP:
        page_by(pane, -page);
        break;
    case REQ_MOVE_FIRST:
        move_cursor(pane, 0);
        break;
    case REQ_MOVE_LAST:
        move_cursor(pane, last_row(q));
        break;
    case REQ_ENTER:
        if (!q->selected)
            return HANDLED;
        pane->ticket = q->selected;
        return HANDLED | OPEN_TICKET | FOCUS_TICKET;
    default:
        return UNHANDLED;
    }
    return HANDLED | REDRAW | SELECTION_CHANGED;
}

static void queue_reload(struct pane *pane, struct app *app, const struct change *change)
{
    (void)app, (void)change; /* any change may move a ticket in or out of the queue */
    struct queue_state *q = state(pane);
    q->keep_selection = true;
    refetch(q);
    recount(q);
}

static void queue_recalc(struct pane *pane, struct app *app)
{
    (void)app;
    struct queue_state *q = state(pane);
    int rows = visible_rows(pane);
    pane->dirty |= DIRTY_PAINT;
    /* Only a taller window with more rows to show needs the database; the first load and
     * a reconnect's reload come through reload. */
    if (rows > 0 && q->cursor >= q->want_top + rows) {
        q->want_top = q->cursor - rows + 1;
        pump(q);
    } else if (q->page.res && q->page.count < rows && q->top + q->page.count < q->total) {
        refetch(q);
    }
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
    (void)app;
    struct queue_state *q = state(pane);
    filter_free(&q->filter);
    filter_copy(&q->filter, f); /* out of memory: all active tickets */
    q->top = q->want_top = q->cursor = 0;
    q->before_top.set = false;
    q->selected = 0;
    q->total = -1;
    q->keep_selection = false;
    pane->dirty |= DIRTY_PAINT;
    refetch(q);
    recount(q);
}

const struct pane_ops queue_pane_ops = {
    .name = "queue",
    .open = queue_open,
    .title = queue_title,
    .draw = queue_draw,
    .request = queue_request,
    .reload = queue_reload,
    .recalc = queue_recalc,
    .close = queue_close,
};
