/* The SLA clocks of the tickets in view, least time left first: a bar per clock (green,
 * yellow at warning, red when breached, ‖ when paused) and the business time left.
 * Fetched on change and once a minute; between fetches a running clock is counted down
 * locally, which is exact while the calendar stays open and is corrected at the next fetch. */
#include "pane.h"

#include "draw.h"
#include "duration.h"
#include "i18n.h"
#include "model.h"
#include "screen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLA_REFETCH_MS 60000
#define BAR_CELLS      8

struct sla_state {
    struct app *app;
    struct pane *pane;
    struct sla_list list;
    long long *ids; /* the tickets followed (the queue's page) */
    int count;
    bool busy, stale;
    char *error; /* the last query's, whole; NULL when it worked */
};

static struct sla_state *state(const struct pane *pane)
{
    return pane->state;
}

static void sla_open(struct pane *pane, struct app *app)
{
    struct sla_state *s = calloc(1, sizeof *s);
    s->app = app;
    s->pane = pane;
    pane->state = s;
}

static void sla_close(struct pane *pane)
{
    struct sla_state *s = state(pane);
    sla_list_free(&s->list);
    free(s->ids);
    free(s->error);
    free(s);
    pane->state = NULL;
}

static void fetch(struct sla_state *s);

static void clocks_arrived(void *data, PGresult *res)
{
    struct sla_state *s = data;
    s->busy = false;
    if (res && !s->stale) {
        struct sla_list list;
        if (sla_list_read(res, &s->app->db, &list, &s->error) == 0) {
            free(s->error);
            s->error = NULL;
            sla_list_free(&s->list);
            s->list = list;
        }
        s->pane->dirty |= DIRTY_PAINT;
    } else {
        PQclear(res);
    }
    if (s->stale)
        fetch(s);
}

static void fetch(struct sla_state *s)
{
    if (s->busy) {
        s->stale = true;
        return;
    }
    s->stale = false;
    if (s->app->db.state == DB_OFFLINE)
        return;
    if (s->count == 0) {
        sla_list_free(&s->list);
        s->list.fetched_ms = db_now_ms();
        s->pane->dirty |= DIRTY_PAINT;
        return;
    }
    s->busy = true;
    sla_send(&s->app->db, s->ids, s->count, clocks_arrived, s);
}

static char *sla_title(struct pane *pane, struct app *app)
{
    (void)pane, (void)app;
    return strdup("SLA");
}

static enum color_role clock_color(const char *state)
{
    if (strcmp(state, "breached") == 0 || strcmp(state, "missed") == 0)
        return COLOR_ROLE_BREACHED;
    if (strcmp(state, "warning") == 0)
        return COLOR_ROLE_WARNING;
    return COLOR_ROLE_OK;
}

static void sla_draw(struct pane *pane, struct app *app)
{
    struct sla_state *s = state(pane);
    WINDOW *win = pane->win;
    int width = pane->w - 2, height = pane->h - 2;
    if (s->error) {
        wattron(win, screen_attr(app, COLOR_ROLE_ERROR));
        draw_fit(win, 0, 0, s->error, width);
        wattroff(win, screen_attr(app, COLOR_ROLE_ERROR));
        return;
    }
    if (s->list.count == 0) {
        wattron(win, screen_attr(app, COLOR_ROLE_MUTED));
        draw_fit(win, 0, 0, _("no running clocks"), width);
        wattroff(win, screen_attr(app, COLOR_ROLE_MUTED));
        return;
    }
    long long now = db_now_ms();
    for (int i = 0; i < s->list.count && i < height; i++) {
        const struct sla_clock *c = &s->list.clocks[i];
        char head[32];
        snprintf(head, sizeof head, "#%lld %s", c->ticket,
                 strcmp(c->target, "response") == 0 ? _("resp") : _("res "));
        draw_fit(win, i, 0, head, 12);
        int x = 12;
        if (c->paused) {
            wattron(win, screen_attr(app, COLOR_ROLE_PAUSED));
            draw_fit(win, i, x, _("‖ paused"), width - x);
            wattroff(win, screen_attr(app, COLOR_ROLE_PAUSED));
            continue;
        }
        double left = sla_remaining_now(&s->list, c, now);
        double used = c->target_min > 0 ? 1 - left / c->target_min : 1;
        /* The state can change between fetches while the clock runs down; a display
         * threshold of the agent's own (console.sla_warning) overrides the schema's. */
        const char *shown_state = c->state;
        if (left <= 0)
            shown_state = "breached";
        else if (app->settings->sla_warning_percent > 0)
            shown_state = used >= app_warning_fraction(app) ? "warning" : "ok";
        else if (strcmp(c->state, "ok") == 0 && used >= app_warning_fraction(app))
            shown_state = "warning";
        int filled = (int)lround(fmin(fmax(used, 0), 1) * BAR_CELLS);
        char bar[BAR_CELLS * 3 + 1] = "";
        for (int k = 0; k < BAR_CELLS; k++)
            strcat(bar, k < filled ? "█" : "░");
        int attr = screen_attr(app, clock_color(shown_state));
        if (!app->colors && strcmp(shown_state, "warning") == 0)
            attr = (int)A_UNDERLINE;
        wattron(win, attr);
        draw_fit(win, i, x, bar, BAR_CELLS);
        wattroff(win, attr);
        x += BAR_CELLS + 1;
        char left_text[DURATION_BUF_SIZE];
        duration_format_remaining((long)floor(left), left_text, sizeof left_text);
        if (x < width)
            draw_fit(win, i, x, left_text, width - x);
    }
}

static void sla_reload(struct pane *pane, struct app *app, const struct change *change)
{
    (void)app;
    struct sla_state *s = state(pane);
    bool touched = !change;
    for (int i = 0; i < s->count && !touched; i++)
        touched = change_touches(change, s->ids[i]);
    if (touched)
        fetch(s);
}

void sla_pane_follow(struct pane *pane, struct app *app, const long long *ids, int n)
{
    (void)app;
    struct sla_state *s = state(pane);
    if (n == s->count && (n == 0 || memcmp(ids, s->ids, (size_t)n * sizeof *ids) == 0))
        return;
    free(s->ids);
    s->ids = malloc(((size_t)n + 1) * sizeof *ids);
    memcpy(s->ids, ids, (size_t)n * sizeof *ids);
    s->count = n;
    fetch(s);
}

void sla_pane_tick(struct pane *pane, struct app *app)
{
    (void)app;
    struct sla_state *s = state(pane);
    pane->dirty |= DIRTY_PAINT; /* running clocks count down between fetches */
    if (db_now_ms() - s->list.fetched_ms >= SLA_REFETCH_MS)
        fetch(s);
}

const struct pane_ops sla_pane_ops = {
    .name = "sla",
    .open = sla_open,
    .title = sla_title,
    .draw = sla_draw,
    .reload = sla_reload,
    .close = sla_close,
};
