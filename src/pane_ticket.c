/* The ticket as src/timeline.c writes it (the same lines 'tuki -c open' prints): header, then
 * messages, work and history as sentences, wrapped to the pane and scrollable. The same pane shows
 * the workload table and help. */
#include "pane.h"

#include "draw.h"
#include "i18n.h"
#include "model.h"
#include "screen.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum ticket_mode { SHOW_NOTHING, SHOW_TICKET, SHOW_WORKLOAD, SHOW_TEXT };

/* A display row: a slice of one of the view's lines, already wrapped to the width. */
struct row {
    int line;          /* index into view.lines, or -1 for text mode */
    size_t start, len; /* byte slice of that line */
    int indent;        /* columns left blank before it: a wrapped line's continuation */
};

/* How far a wrapped line's continuation rows are indented, so that every entry of the
 * timeline starts at the left edge and nothing else does. */
#define HANGING_INDENT 2

struct ticket_state {
    struct app *app;
    struct pane *pane;
    enum ticket_mode mode;
    long long want;          /* the ticket being fetched (or shown) */
    unsigned generation;     /* answers for an earlier show are dropped */
    struct ticket_view next; /* the header while its timeline is on the way */
    struct ticket_view view;
    char *title; /* SHOW_TEXT / SHOW_WORKLOAD */
    char *text;  /* SHOW_TEXT / SHOW_WORKLOAD content, lines separated by \n */
    struct row *rows;
    int row_count;
    int scroll;
    char *error; /* what went wrong fetching, NULL when nothing */
};

static struct ticket_state *state(const struct pane *pane)
{
    return pane->state;
}

static void add_row(struct ticket_state *t, int line, size_t start, size_t len, int indent)
{
    t->rows = realloc(t->rows, ((size_t)t->row_count + 1) * sizeof *t->rows);
    t->rows[t->row_count++] = (struct row){line, start, len, indent};
}

/* Breaks s into rows of at most width columns, at spaces where it can; the rows after the
 * first are indented by HANGING_INDENT when the pane is wide enough for it. */
static void wrap(struct ticket_state *t, int line, const char *s, int width)
{
    size_t len = strlen(s), pos = 0;
    if (len == 0 || width <= 0) {
        add_row(t, line, 0, 0, 0);
        return;
    }
    int hang = width > 4 * HANGING_INDENT ? HANGING_INDENT : 0;
    while (pos < len) {
        int indent = pos ? hang : 0;
        int room = width - indent;
        size_t cut = pos + text_offset_at(s + pos, room);
        if (cut >= len) {
            add_row(t, line, pos, len - pos, indent);
            break;
        }
        size_t space = cut;
        while (space > pos && s[space] != ' ')
            space--;
        if (space > pos)
            cut = space;
        if (cut == pos) /* a glyph wider than the pane: take it anyway */
            cut = pos + text_glyph_at(s + pos).len;
        add_row(t, line, pos, cut - pos, indent);
        pos = cut;
        while (s[pos] == ' ')
            pos++;
    }
}

static const char *line_text(const struct ticket_state *t, int line)
{
    return line >= 0 ? t->view.lines[line].text : t->text;
}

static void rewrap(struct pane *pane)
{
    struct ticket_state *t = state(pane);
    free(t->rows);
    t->rows = NULL;
    t->row_count = 0;
    int width = pane->w - 2;
    if (t->mode == SHOW_TICKET) {
        for (int i = 0; i < t->view.count; i++)
            wrap(t, i, t->view.lines[i].text, width);
    } else if (t->text) {
        /* Text mode: one row per line, cut at the edge (tables must not wrap). */
        size_t pos = 0, len = strlen(t->text);
        while (pos < len) {
            const char *nl = strchr(t->text + pos, '\n');
            size_t end = nl ? (size_t)(nl - t->text) : len;
            add_row(t, -1, pos, end - pos, 0);
            pos = end + 1;
        }
    }
    int max_scroll = t->row_count - (pane->h - 2);
    if (t->scroll > max_scroll)
        t->scroll = max_scroll > 0 ? max_scroll : 0;
}

static void ticket_open(struct pane *pane, struct app *app)
{
    struct ticket_state *t = calloc(1, sizeof *t);
    t->app = app;
    t->pane = pane;
    pane->state = t;
}

static void clear_content(struct ticket_state *t)
{
    ticket_view_free(&t->view);
    free(t->text);
    t->text = NULL;
    free(t->error);
    t->error = NULL;
}

static void ticket_close(struct pane *pane)
{
    struct ticket_state *t = state(pane);
    clear_content(t);
    ticket_view_free(&t->next);
    free(t->rows);
    free(t->title);
    free(t);
    pane->state = NULL;
}

static char *ticket_title(struct pane *pane, struct app *app)
{
    (void)app;
    struct ticket_state *t = state(pane);
    if (t->mode == SHOW_TICKET && t->view.title)
        return strdup(t->view.title);
    if (t->mode == SHOW_TICKET)
        return text_printf("#%lld", t->want);
    if (t->mode == SHOW_NOTHING)
        return strdup(_("Ticket"));
    return strdup(t->title ? t->title : "");
}

static int line_attr(const struct app *app, enum ticket_line_kind kind)
{
    switch (kind) {
    case LINE_HEADER:
        return (int)A_BOLD;
    case LINE_PUBLIC:
        return screen_attr(app, COLOR_ROLE_OK) | (int)A_BOLD;
    case LINE_INTERNAL:
        return screen_attr(app, COLOR_ROLE_WARNING) | (int)A_BOLD;
    case LINE_EVENT:
        return screen_attr(app, COLOR_ROLE_MUTED);
    default:
        return (int)A_NORMAL;
    }
}

static void ticket_draw(struct pane *pane, struct app *app)
{
    struct ticket_state *t = state(pane);
    int width = pane->w - 2, height = pane->h - 2;
    if (t->error) {
        wattron(pane->win, screen_attr(app, COLOR_ROLE_ERROR));
        draw_fit(pane->win, 0, 0, t->error, width);
        wattroff(pane->win, screen_attr(app, COLOR_ROLE_ERROR));
        return;
    }
    if (t->mode == SHOW_NOTHING) {
        wattron(pane->win, screen_attr(app, COLOR_ROLE_MUTED));
        draw_fit(pane->win, 0, 0, _("Enter opens the selected ticket; ? lists the keys"), width);
        wattroff(pane->win, screen_attr(app, COLOR_ROLE_MUTED));
        return;
    }
    for (int y = 0; y < height && t->scroll + y < t->row_count; y++) {
        const struct row *r = &t->rows[t->scroll + y];
        char *slice = strndup(line_text(t, r->line) + r->start, r->len);
        int attr = r->line >= 0 ? line_attr(app, t->view.lines[r->line].kind) : (int)A_NORMAL;
        wattron(pane->win, attr);
        draw_fit(pane->win, y, r->indent, slice, width - r->indent);
        wattroff(pane->win, attr);
        free(slice);
    }
}

static unsigned ticket_request(struct pane *pane, struct app *app, enum request req)
{
    (void)app;
    struct ticket_state *t = state(pane);
    int height = pane->h - 2, max = t->row_count - height;
    if (max < 0)
        max = 0;
    switch (req) {
    case REQ_MOVE_DOWN:
        t->scroll++;
        break;
    case REQ_MOVE_UP:
        t->scroll--;
        break;
    case REQ_PAGE_DOWN:
        t->scroll += height > 1 ? height - 1 : 1;
        break;
    case REQ_PAGE_UP:
        t->scroll -= height > 1 ? height - 1 : 1;
        break;
    case REQ_MOVE_FIRST:
        t->scroll = 0;
        break;
    case REQ_MOVE_LAST:
        t->scroll = max;
        break;
    default:
        return UNHANDLED;
    }
    if (t->scroll > max)
        t->scroll = max;
    if (t->scroll < 0)
        t->scroll = 0;
    return HANDLED | REDRAW;
}

/* An answer carries the generation it was asked for: a later show makes it stale. */
struct ticket_token {
    struct ticket_state *t;
    unsigned generation;
};

static struct ticket_token *token(struct ticket_state *t)
{
    struct ticket_token *k = malloc(sizeof *k);
    k->t = t;
    k->generation = t->generation;
    return k;
}

static struct ticket_state *still_wanted(void *data, PGresult *res)
{
    struct ticket_token *k = data;
    struct ticket_state *t = k->t;
    bool wanted = k->generation == t->generation && res;
    free(k);
    if (!wanted) {
        PQclear(res);
        return NULL;
    }
    return t;
}

static void shown(struct ticket_state *t)
{
    rewrap(t->pane);
    t->pane->dirty |= DIRTY_PAINT;
}

static void timeline_arrived(void *data, PGresult *res)
{
    struct ticket_state *t = still_wanted(data, res);
    if (!t)
        return;
    char *err = NULL;
    ticket_timeline_read(res, &t->app->db, &t->next, &err);
    clear_content(t);
    t->view = t->next;
    memset(&t->next, 0, sizeof t->next);
    t->error = err; /* the header is still worth showing */
    shown(t);
}

static void header_arrived(void *data, PGresult *res)
{
    struct ticket_state *t = still_wanted(data, res);
    if (!t)
        return;
    ticket_view_free(&t->next);
    char *err = NULL;
    if (ticket_header_read(res, &t->app->db, t->want, &t->next, &err) < 0) {
        free(t->error);
        t->error = err;
        t->pane->dirty |= DIRTY_PAINT;
        return;
    }
    ticket_timeline_send(&t->app->db, t->want, timeline_arrived, token(t));
}

static void workload_arrived(void *data, PGresult *res)
{
    struct ticket_state *t = still_wanted(data, res);
    if (!t)
        return;
    struct workload wl;
    char *err = NULL;
    if (workload_read(res, &t->app->db, &wl, &err) < 0) {
        free(t->error);
        t->error = err;
        t->pane->dirty |= DIRTY_PAINT;
        return;
    }
    clear_content(t);
    size_t cap = 128 + (size_t)wl.count * 256, len = 0;
    t->text = malloc(cap);
    /* TRANSLATORS: the workload table's header; keep each word over its column (agent 16
       columns wide, then open 5, waiting 8, overdue 8 right-aligned, oldest 10 after two spaces).
     */
    len += (size_t)snprintf(t->text + len, cap - len, "%s\n",
                            _("agent             open  waiting  overdue  oldest      name"));
    for (int i = 0; i < wl.count; i++) {
        const struct workload_row *r = &wl.rows[i];
        char *row = NULL, oldest[64];
        i18n_format_date(*r->oldest ? r->oldest : "-", oldest, sizeof oldest);
        int n = asprintf(&row, "%-16s %5ld %8ld %8ld  %-10s  %s\n", r->login, r->open, r->waiting,
                         r->overdue, oldest, r->name);
        if (n < 0)
            continue;
        if (len + (size_t)n + 1 > cap) {
            cap = (len + (size_t)n + 1) * 2;
            t->text = realloc(t->text, cap);
        }
        memcpy(t->text + len, row, (size_t)n + 1);
        len += (size_t)n;
        free(row);
    }
    workload_free(&wl);
    shown(t);
}

static void load(struct ticket_state *t)
{
    if (t->app->db.state == DB_OFFLINE)
        return;
    t->generation++;
    if (t->mode == SHOW_TICKET)
        ticket_header_send(&t->app->db, t->want, header_arrived, token(t));
    else if (t->mode == SHOW_WORKLOAD)
        workload_send(&t->app->db, workload_arrived, token(t));
}

static void ticket_reload(struct pane *pane, struct app *app, const struct change *change)
{
    (void)app;
    struct ticket_state *t = state(pane);
    if (t->mode == SHOW_WORKLOAD ||
        (t->mode == SHOW_TICKET && (!change || change_touches(change, t->want))))
        load(t);
}

static void ticket_recalc(struct pane *pane, struct app *app)
{
    (void)app;
    rewrap(pane);
    pane->dirty |= DIRTY_PAINT;
}

void ticket_pane_show(struct pane *pane, struct app *app, long long id)
{
    (void)app;
    struct ticket_state *t = state(pane);
    if (t->mode != SHOW_TICKET || t->view.id != id) {
        clear_content(t);
        t->scroll = 0;
        rewrap(pane);
    }
    t->mode = SHOW_TICKET;
    t->want = id;
    t->view.id = id;
    pane->dirty |= DIRTY_PAINT;
    load(t);
}

void ticket_pane_show_workload(struct pane *pane, struct app *app)
{
    (void)app;
    struct ticket_state *t = state(pane);
    clear_content(t);
    t->mode = SHOW_WORKLOAD;
    t->scroll = 0;
    free(t->title);
    t->title = strdup(_("Workload per agent"));
    rewrap(pane);
    pane->dirty |= DIRTY_PAINT;
    load(t);
}

void ticket_pane_show_text(struct pane *pane, const char *title, const char *text)
{
    struct ticket_state *t = state(pane);
    clear_content(t);
    t->generation++; /* whatever was on the way is no longer wanted */
    t->mode = SHOW_TEXT;
    t->scroll = 0;
    free(t->title);
    t->title = strdup(title);
    t->text = strdup(text);
    rewrap(pane);
    pane->dirty |= DIRTY_PAINT;
}

long long ticket_pane_id(const struct pane *pane)
{
    const struct ticket_state *t = state(pane);
    return t->mode == SHOW_TICKET ? t->want : 0;
}

const struct pane_ops ticket_pane_ops = {
    .name = "ticket",
    .open = ticket_open,
    .title = ticket_title,
    .draw = ticket_draw,
    .request = ticket_request,
    .reload = ticket_reload,
    .recalc = ticket_recalc,
    .close = ticket_close,
};
