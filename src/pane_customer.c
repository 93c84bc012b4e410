/* The customer's view (a contact's login): its organisation's requests, open ones first,
 * with who handles each and the SLA in words; the public conversation of the one opened;
 * this month's maintenance quota. The same pane interface, loop and queries as the agents'
 * panes (pane.h, db_send); what a contact sees is what the schema's portal_* functions and
 * row-level security give it. */
#include "pane_customer.h"

#include "customer_console.h"
#include "customer_words.h"
#include "draw.h"
#include "duration.h"
#include "i18n.h"
#include "screen.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void fetch_list(struct pane *pane, struct app *app);

/* ---- the list of requests (in the queue's place) ---- */

struct request_row {
    long long id;
    char *subject, *status, *handler, *sla;
    long long due;
};

struct list_state {
    struct app *app;
    struct pane *pane;
    struct request_row *rows;
    int count, cursor, top;
    bool busy, stale;
    char *error; /* the last query's, whole; NULL when it worked */
};

static void rows_free(struct list_state *s)
{
    for (int i = 0; i < s->count; i++) {
        free(s->rows[i].subject);
        free(s->rows[i].status);
        free(s->rows[i].handler);
        free(s->rows[i].sla);
    }
    free(s->rows);
    s->rows = NULL;
    s->count = 0;
}

static void list_open(struct pane *pane, struct app *app)
{
    struct list_state *s = calloc(1, sizeof *s);
    s->app = app;
    s->pane = pane;
    pane->state = s;
}

static void list_close(struct pane *pane)
{
    struct list_state *s = pane->state;
    rows_free(s);
    free(s->error);
    free(s);
    pane->state = NULL;
}

static void list_arrived(void *data, PGresult *res)
{
    struct pane *pane = data;
    struct list_state *s = pane->state;
    s->busy = false;
    if (res && !db_ok(res)) {
        free(s->error);
        s->error = db_result_error_text(res, s->app->db.conn);
    } else if (res) {
        long long keep = s->count ? s->rows[s->cursor].id : 0;
        rows_free(s);
        free(s->error);
        s->error = NULL;
        s->count = PQntuples(res);
        s->rows = calloc((size_t)s->count + 1, sizeof *s->rows);
        s->cursor = 0;
        for (int i = 0; i < s->count; i++) {
            struct request_row *r = &s->rows[i];
            r->id = atoll(PQgetvalue(res, i, 0));
            r->subject = strdup(PQgetvalue(res, i, 1));
            r->status = strdup(PQgetvalue(res, i, 2));
            r->handler = strdup(PQgetvalue(res, i, 3));
            r->sla = strdup(PQgetvalue(res, i, 4));
            r->due = atoll(PQgetvalue(res, i, 5));
            if (r->id == keep)
                s->cursor = i;
        }
    }
    PQclear(res);
    pane->dirty |= DIRTY_PAINT;
    if (s->stale)
        fetch_list(pane, s->app);
}

static void fetch_list(struct pane *pane, struct app *app)
{
    struct list_state *s = pane->state;
    if (s->busy) {
        s->stale = true;
        return;
    }
    s->stale = false;
    s->busy = true;
    db_send(&app->db, _("your requests"),
            "SELECT id, subject, status, coalesce(handler, ''), sla,"
            " coalesce(extract(epoch FROM due)::bigint, 0) FROM tuki.portal_tickets()",
            0, NULL, list_arrived, pane);
}

static char *list_title(struct pane *pane, struct app *app)
{
    (void)app;
    struct list_state *s = pane->state;
    return text_printf(_("Your requests (%d)"), s->count);
}

/* Columns: # Subject Status Handled-by When; the subject takes what the others leave. */
#define ID_W      6
#define STATUS_W  17
#define HANDLER_W 15
#define WHEN_W    33

static void draw_row(WINDOW *win, int y, int width, const char *id, const char *subject,
                     const char *status, const char *handler, const char *when)
{
    int subject_w = width - ID_W - STATUS_W - HANDLER_W - WHEN_W;
    if (subject_w < 8)
        subject_w = 8;
    int x = 0;
    draw_fit(win, y, x, id, ID_W);
    x += ID_W;
    draw_fit(win, y, x, subject, subject_w < width - x ? subject_w : width - x);
    x += subject_w + 1;
    const char *rest[] = {status, handler, when};
    const int w[] = {STATUS_W - 1, HANDLER_W - 1, WHEN_W};
    for (int i = 0; i < 3 && x < width; i++) {
        draw_fit(win, y, x, rest[i], w[i] < width - x ? w[i] : width - x);
        x += w[i] + 1;
    }
}

static void list_draw(struct pane *pane, struct app *app)
{
    struct list_state *s = pane->state;
    WINDOW *win = pane->win;
    int width = pane->w - 2, height = pane->h - 2;
    if (s->error) {
        wattron(win, screen_attr(app, COLOR_ROLE_ERROR));
        draw_fit(win, 0, 0, s->error, width);
        wattroff(win, screen_attr(app, COLOR_ROLE_ERROR));
        return;
    }
    wattron(win, A_BOLD);
    draw_row(win, 0, width, "#", _("Subject"), _("Status"), _("Handled by"), _("When"));
    wattroff(win, A_BOLD);
    if (s->count == 0) {
        wattron(win, screen_attr(app, COLOR_ROLE_MUTED));
        draw_fit(win, 1, 0, _("no requests yet; :request files one"), width);
        wattroff(win, screen_attr(app, COLOR_ROLE_MUTED));
        return;
    }
    int rows = height - 1;
    if (s->cursor < s->top)
        s->top = s->cursor;
    if (s->cursor >= s->top + rows)
        s->top = s->cursor - rows + 1;
    long long now = (long long)time(NULL);
    for (int i = 0; i < rows && s->top + i < s->count; i++) {
        const struct request_row *r = &s->rows[s->top + i];
        bool selected = s->top + i == s->cursor && app->focus == PANE_QUEUE;
        int attr = selected ? screen_attr(app, COLOR_ROLE_SELECTED) | A_REVERSE : 0;
        wattron(win, attr);
        char id[24], words[160];
        snprintf(id, sizeof id, "%lld", r->id);
        customer_sla_words(r->sla, r->due, now, words, sizeof words);
        draw_row(win, i + 1, width, id, r->subject, customer_status_words(r->status),
                 *r->handler ? r->handler : "-", words);
        wattroff(win, attr);
    }
}

static unsigned list_request(struct pane *pane, struct app *app, enum request req)
{
    (void)app;
    struct list_state *s = pane->state;
    int page = pane->h > 3 ? pane->h - 3 : 1;
    int was = s->cursor;
    switch (req) {
    case REQ_MOVE_DOWN:
        s->cursor++;
        break;
    case REQ_MOVE_UP:
        s->cursor--;
        break;
    case REQ_PAGE_DOWN:
        s->cursor += page;
        break;
    case REQ_PAGE_UP:
        s->cursor -= page;
        break;
    case REQ_MOVE_FIRST:
        s->cursor = 0;
        break;
    case REQ_MOVE_LAST:
        s->cursor = s->count - 1;
        break;
    case REQ_ENTER:
        if (!s->count)
            return HANDLED;
        pane->ticket = s->rows[s->cursor].id;
        return HANDLED | OPEN_TICKET | FOCUS_TICKET;
    default:
        return UNHANDLED;
    }
    if (s->cursor >= s->count)
        s->cursor = s->count - 1;
    if (s->cursor < 0)
        s->cursor = 0;
    return s->cursor != was ? HANDLED | REDRAW | SELECTION_CHANGED : HANDLED;
}

static void list_reload(struct pane *pane, struct app *app, const struct change *change)
{
    (void)change; /* a contact hears only of its own tickets: any of them may be listed */
    fetch_list(pane, app);
}

long long customer_list_selected(const struct pane *pane)
{
    const struct list_state *s = pane->state;
    return s && s->count ? s->rows[s->cursor].id : 0;
}

const struct pane_ops customer_list_pane_ops = {
    .name = "requests",
    .open = list_open,
    .title = list_title,
    .draw = list_draw,
    .request = list_request,
    .reload = list_reload,
    .close = list_close,
};

/* ---- one request's public conversation (in the ticket pane's place) ---- */

struct conversation_state {
    struct app *app;
    long long id;
    char *title;
    char **lines; /* already wrapped to the width */
    int count, top, width;
    char *source; /* the text the lines come from, '\n' separated, for rewrapping */
    bool busy, stale;
};

static void lines_free(struct conversation_state *s)
{
    for (int i = 0; i < s->count; i++)
        free(s->lines[i]);
    free(s->lines);
    s->lines = NULL;
    s->count = 0;
}

static void push_line(struct conversation_state *s, const char *text, size_t len)
{
    s->lines = realloc(s->lines, ((size_t)s->count + 1) * sizeof *s->lines);
    s->lines[s->count++] = strndup(text, len);
}

/* Wraps source to width at spaces where it can, by display columns. */
static void rewrap(struct conversation_state *s, int width)
{
    lines_free(s);
    s->width = width;
    if (!s->source || width <= 0)
        return;
    for (const char *line = s->source; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char *one = strndup(line, len);
        const char *rest = one;
        while (text_width(rest) > width) {
            size_t cut = text_offset_at(rest, width);
            size_t at = cut;
            while (at > 0 && rest[at] != ' ')
                at--;
            if (at == 0)
                at = cut;
            push_line(s, rest, at);
            rest += at;
            while (*rest == ' ')
                rest++;
        }
        push_line(s, rest, strlen(rest));
        free(one);
        line += len + (end ? 1 : 0);
    }
}

static void conversation_open(struct pane *pane, struct app *app)
{
    struct conversation_state *s = calloc(1, sizeof *s);
    s->app = app;
    pane->state = s;
}

static void conversation_close(struct pane *pane)
{
    struct conversation_state *s = pane->state;
    lines_free(s);
    free(s->source);
    free(s->title);
    free(s);
    pane->state = NULL;
}

static void set_source(struct pane *pane, char *source)
{
    struct conversation_state *s = pane->state;
    int rows = pane->h - 2, was = s->count;
    bool at_end = s->top + rows >= was;
    free(s->source);
    s->source = source;
    rewrap(s, pane->w - 2);
    /* What was just said is at the end: keep it in view unless the reader scrolled up. */
    if (at_end && s->count > rows)
        s->top = s->count - rows;
    pane->dirty |= DIRTY_PAINT;
}

static void fetch_conversation(struct pane *pane);

static void conversation_arrived(void *data, PGresult *res)
{
    struct pane *pane = data;
    struct conversation_state *s = pane->state;
    s->busy = false;
    char *title = NULL;
    char *text = customer_timeline_format(res, s->app->db.conn, &title);
    if (title) {
        free(s->title);
        s->title = title;
    }
    PQclear(res);
    set_source(pane, text);
    if (s->stale)
        fetch_conversation(pane);
}

static void fetch_conversation(struct pane *pane)
{
    struct conversation_state *s = pane->state;
    if (!s->id)
        return;
    if (s->busy) {
        s->stale = true;
        return;
    }
    s->stale = false;
    s->busy = true;
    char id[24];
    snprintf(id, sizeof id, "%lld", s->id);
    const char *params[] = {id};
    db_send(&s->app->db, _("the conversation"), CUSTOMER_TIMELINE_SQL, 1, params,
            conversation_arrived, pane);
}

void customer_conversation_show(struct pane *pane, long long id)
{
    struct conversation_state *s = pane->state;
    if (s->id != id) {
        s->top = 0;
        free(s->title);
        s->title = NULL;
    }
    s->id = id;
    fetch_conversation(pane);
}

void customer_conversation_show_text(struct pane *pane, const char *title, const char *text)
{
    struct conversation_state *s = pane->state;
    s->id = 0;
    s->top = 0;
    free(s->title);
    s->title = strdup(title);
    set_source(pane, strdup(text));
}

long long customer_conversation_id(const struct pane *pane)
{
    const struct conversation_state *s = pane->state;
    return s ? s->id : 0;
}

static char *conversation_title(struct pane *pane, struct app *app)
{
    (void)app;
    struct conversation_state *s = pane->state;
    if (s->id)
        return text_printf("#%lld %s", s->id, s->title ? s->title : "");
    return strdup(s->title ? s->title : _("Enter opens a request"));
}

static void conversation_draw(struct pane *pane, struct app *app)
{
    (void)app;
    struct conversation_state *s = pane->state;
    if (s->width != pane->w - 2)
        rewrap(s, pane->w - 2);
    for (int i = 0; i < pane->h - 2 && s->top + i < s->count; i++)
        draw_fit(pane->win, i, 0, s->lines[s->top + i], pane->w - 2);
}

static unsigned conversation_request(struct pane *pane, struct app *app, enum request req)
{
    (void)app;
    struct conversation_state *s = pane->state;
    int page = pane->h > 3 ? pane->h - 3 : 1, was = s->top;
    switch (req) {
    case REQ_MOVE_DOWN:
        s->top++;
        break;
    case REQ_MOVE_UP:
        s->top--;
        break;
    case REQ_PAGE_DOWN:
        s->top += page;
        break;
    case REQ_PAGE_UP:
        s->top -= page;
        break;
    case REQ_MOVE_FIRST:
        s->top = 0;
        break;
    case REQ_MOVE_LAST:
        s->top = s->count - (pane->h - 2);
        break;
    case REQ_ENTER:
        return HANDLED | FOCUS_QUEUE;
    default:
        return UNHANDLED;
    }
    if (s->top > s->count - 1)
        s->top = s->count - 1;
    if (s->top < 0)
        s->top = 0;
    return s->top != was ? HANDLED | REDRAW : HANDLED;
}

static void conversation_reload(struct pane *pane, struct app *app, const struct change *change)
{
    (void)app;
    struct conversation_state *s = pane->state;
    if (s->id && (!change || change_touches(change, s->id)))
        fetch_conversation(pane);
}

static void conversation_recalc(struct pane *pane, struct app *app)
{
    (void)app;
    rewrap(pane->state, pane->w - 2);
}

const struct pane_ops customer_conversation_pane_ops = {
    .name = "conversation",
    .open = conversation_open,
    .title = conversation_title,
    .draw = conversation_draw,
    .request = conversation_request,
    .reload = conversation_reload,
    .recalc = conversation_recalc,
    .close = conversation_close,
};

/* ---- who you are and this month's quota (in the SLA pane's place) ---- */

struct quota_state {
    struct app *app;
    char *contact, *customer;
    long quota, used, left, billable;
    bool known, busy;
};

static void quota_open(struct pane *pane, struct app *app)
{
    struct quota_state *s = calloc(1, sizeof *s);
    s->app = app;
    pane->state = s;
}

static void quota_close(struct pane *pane)
{
    struct quota_state *s = pane->state;
    free(s->contact);
    free(s->customer);
    free(s);
    pane->state = NULL;
}

static void quota_arrived(void *data, PGresult *res)
{
    struct pane *pane = data;
    struct quota_state *s = pane->state;
    s->busy = false;
    if (res && db_ok(res) && PQntuples(res) == 1) {
        free(s->contact);
        free(s->customer);
        s->contact = strdup(PQgetvalue(res, 0, 0));
        s->customer = strdup(PQgetvalue(res, 0, 1));
        s->known = !PQgetisnull(res, 0, 2);
        s->quota = atol(PQgetvalue(res, 0, 2));
        s->used = atol(PQgetvalue(res, 0, 3));
        s->left = atol(PQgetvalue(res, 0, 4));
        s->billable = atol(PQgetvalue(res, 0, 5));
    }
    PQclear(res);
    pane->dirty |= DIRTY_PAINT;
}

static void quota_reload(struct pane *pane, struct app *app, const struct change *change)
{
    (void)change;
    struct quota_state *s = pane->state;
    if (s->busy)
        return;
    s->busy = true;
    db_send(&app->db, _("the quota"),
            "SELECT c.name, k.name, q.quota_minutes, q.used_minutes, q.left_minutes,"
            " q.billable_minutes FROM tuki.contact c JOIN tuki.customer k ON k.code = c.customer"
            " LEFT JOIN tuki.portal_quota() q ON q.customer = c.customer"
            " WHERE c.login = current_user",
            0, NULL, quota_arrived, pane);
}

static char *quota_title(struct pane *pane, struct app *app)
{
    (void)pane, (void)app;
    return strdup(_("This month"));
}

static void quota_draw(struct pane *pane, struct app *app)
{
    (void)app;
    struct quota_state *s = pane->state;
    int width = pane->w - 2, y = 0;
    char a[DURATION_BUF_SIZE], b[DURATION_BUF_SIZE];
    if (s->contact) {
        draw_fit(pane->win, y++, 0, s->contact, width);
        draw_fit(pane->win, y++, 0, s->customer, width);
        y++;
    }
    if (!s->known) {
        draw_fit(pane->win, y, 0, _("no quota this month"), width);
        return;
    }
    char *lines[3] = {NULL};
    if (asprintf(&lines[0], _("quota %s"), duration_format(s->quota, a, sizeof a)) < 0)
        lines[0] = NULL;
    if (asprintf(&lines[1], _("used %s, left %s"), duration_format(s->used, a, sizeof a),
                 duration_format(s->left, b, sizeof b)) < 0)
        lines[1] = NULL;
    if (asprintf(&lines[2], _("billable %s"), duration_format(s->billable, a, sizeof a)) < 0)
        lines[2] = NULL;
    for (int i = 0; i < 3; i++) {
        draw_fit(pane->win, y++, 0, lines[i] ? lines[i] : "", width);
        free(lines[i]);
    }
}

const struct pane_ops customer_quota_pane_ops = {
    .name = "quota",
    .open = quota_open,
    .title = quota_title,
    .draw = quota_draw,
    .reload = quota_reload,
    .close = quota_close,
};
