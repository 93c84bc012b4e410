#include "model.h"

#include "i18n.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* *err = the message, newly allocated, when err is not NULL. */
static void filter_error(char **err, char *message)
{
    if (err)
        *err = message;
    else
        free(message);
}

int filter_parse(const char *text, struct filter *f, char **err)
{
    static const struct {
        const char *name;
        enum filter_kind kind;
    } plain[] = {{"all", FILTER_ALL},
                 {"mine", FILTER_MINE},
                 {"unassigned", FILTER_UNASSIGNED},
                 {"breaching", FILTER_BREACHING},
                 {"home", FILTER_HOME}};
    memset(f, 0, sizeof *f);
    if (err)
        *err = NULL;
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        if (strcmp(text, plain[i].name) == 0) {
            f->kind = plain[i].kind;
            return 0;
        }
    }
    const char *arg = NULL;
    if (strncmp(text, "customer:", 9) == 0) {
        f->kind = FILTER_CUSTOMER;
        arg = text + 9;
    } else if (strncmp(text, "status:", 7) == 0) {
        f->kind = FILTER_STATUS;
        arg = text + 7;
    } else if (strncmp(text, "team:", 5) == 0) {
        f->kind = FILTER_TEAM;
        arg = text + 5;
    } else if (strncmp(text, "type:", 5) == 0) {
        f->kind = FILTER_TYPE;
        arg = text + 5;
    }
    if (!arg) {
        f->kind = FILTER_ALL;
        filter_error(err, text_printf(_("unknown filter '%s': use home, mine, unassigned, "
                                        "breaching, all, customer:CODE, status:STATUS, "
                                        "team:TEAM or type:TYPE"),
                                      text));
        return -1;
    }
    if (!*arg || strpbrk(arg, " \t")) {
        f->kind = FILTER_ALL;
        filter_error(err, text_printf(_("filter '%s' needs one word after the colon"), text));
        return -1;
    }
    f->arg = strdup(arg);
    if (!f->arg) {
        f->kind = FILTER_ALL;
        filter_error(err, strdup(_("out of memory")));
        return -1;
    }
    return 0;
}

int filter_copy(struct filter *to, const struct filter *from)
{
    to->kind = from->kind;
    to->arg = from->arg ? strdup(from->arg) : NULL;
    if (from->arg && !to->arg) {
        to->kind = FILTER_ALL;
        return -1;
    }
    return 0;
}

void filter_free(struct filter *f)
{
    free(f->arg);
    f->arg = NULL;
}

char *filter_describe(const struct filter *f)
{
    switch (f->kind) {
    case FILTER_ALL:
        return strdup(_("all active"));
    case FILTER_MINE:
        return strdup(_("mine"));
    case FILTER_UNASSIGNED:
        return strdup(_("unassigned"));
    case FILTER_BREACHING:
        return strdup(_("breaching"));
    case FILTER_CUSTOMER:
        return text_printf(_("customer %s"), filter_arg(f));
    case FILTER_STATUS:
        return text_printf(_("status %s"), filter_arg(f));
    case FILTER_SEARCH:
        return text_printf(_("search \"%s\""), filter_arg(f));
    case FILTER_TEAM:
        return text_printf(_("team %s"), filter_arg(f));
    case FILTER_TYPE:
        return text_printf(_("type %s"), filter_arg(f));
    case FILTER_HOME:
        return strdup(_("my team and mine"));
    }
    return strdup("");
}

const char *filter_arg(const struct filter *f)
{
    return f->arg ? f->arg : "";
}

bool filter_spans_teams(const struct filter *f)
{
    return f->kind != FILTER_TEAM;
}

static const char *filter_kind_name(enum filter_kind k)
{
    static const char *names[] = {"all",    "mine",   "unassigned", "breaching", "customer",
                                  "status", "search", "team",       "type",      "home"};
    return names[k];
}

/* The queue order over the rows of table alias a: tuki.queue_key's fields, as the schema's
 * indexes hold them. */
#define QUEUE_ORDER_OF(a) a ".service_rank, " a ".priority, " a ".queue_due, " a ".id"
#define QUEUE_ORDER       QUEUE_ORDER_OF("t")
#define QUEUE_ORDER_DESC_OF(a)                                                                     \
    a ".service_rank DESC, " a ".priority DESC, " a ".queue_due DESC, " a ".id DESC"

/* Every filter is tuki.queue_filter($1 kind, $2 its argument): no SQL is ever built from
 * text, and the queue order is the schema's (the fields of tuki.queue_key), as in tuki.queue
 * and tuki.ticket_take_next. The page query reads tickets, not the view (tests/ui/queue_order.sh
 * checks that both orders agree), and computes the columns over the rows already cut (q):
 * the time left (tuki.sla_now, joined LATERAL so the planner inlines it) is never computed for
 * rows an OFFSET skips. */
#define QUEUE_PAGE(rows, order)                                                                    \
    "SELECT q.id, q.priority, q.service_level, q.customer, q.subject, q.status,"                   \
    "       coalesce(q.assignee, ''), q.team, q.service_rank, q.queue_due::text,"                  \
    "       s.minutes_left, q.is_active AND q.resolve_since IS NULL"                               \
    "  FROM (" rows ") q"                                                                          \
    "  LEFT JOIN LATERAL tuki.sla_now(q.contract, q.responded_at, q.response_target,"              \
    "       q.response_due_cum, q.resolve_target, q.resolve_since, q.resolve_due_cum,"             \
    "       q.resolve_used) s ON q.is_active"                                                      \
    " ORDER BY " order

static const char queue_page_sql[] = QUEUE_PAGE(
    "SELECT t.* FROM tuki.queue_filter($1, $2) t ORDER BY " QUEUE_ORDER " LIMIT $3 OFFSET $4",
    QUEUE_ORDER_OF("q"));

/* Keyset paging: the rows after key ($4 rank, $5 priority, $6 due, $7 id), one index range
 * whatever the depth (tuki.queue_after). */
#define QUEUE_KEY "ROW($4::int, $5::int, $6::timestamptz, $7::bigint)::tuki.queue_key"
static const char queue_after_sql[] = QUEUE_PAGE(
    "SELECT t.* FROM tuki.queue_after($1, $2, " QUEUE_KEY ", $3::int) t", QUEUE_ORDER_OF("q"));

/* The same backwards, nearest first. */
static const char queue_before_sql[] =
    QUEUE_PAGE("SELECT t.* FROM tuki.queue_before($1, $2, " QUEUE_KEY ", $3::int) t",
               QUEUE_ORDER_DESC_OF("q"));

static const char queue_count_sql[] = "SELECT count(*) FROM tuki.queue_filter($1, $2)";

/* Search: tuki.search ranks the tickets (best first) and row-level security decides which the
 * caller finds; the page is cut from its ranked list. */
static const char search_page_sql[] =
    QUEUE_PAGE("SELECT t.*, s.rank AS search_rank FROM tuki.search($1, ($2::int + $3::int)) s"
               " JOIN tuki.ticket t USING (id) ORDER BY s.rank DESC, t.id DESC LIMIT $2 OFFSET $3",
               "q.search_rank DESC, q.id DESC");

static const char search_count_sql[] = "SELECT count(*) FROM tuki.search($1, NULL)";

static char *escape_like(const char *s, char *buf, size_t n)
{
    size_t j = 0;
    for (; *s && j + 2 < n; s++) {
        if (*s == '%' || *s == '_' || *s == '\\')
            buf[j++] = '\\';
        buf[j++] = *s;
    }
    buf[j] = '\0';
    return buf;
}

static void read_key(const PGresult *res, int row, struct queue_key *key)
{
    key->set = true;
    key->id = atoll(PQgetvalue(res, row, 0));
    key->priority = atoi(PQgetvalue(res, row, 1));
    key->rank = atoi(PQgetvalue(res, row, 8));
    snprintf(key->due, sizeof key->due, "%s", PQgetvalue(res, row, 9));
}

/* The parameters of a keyset query from key, n rows at most ($1 … $7), in buf. */
struct keyset_params {
    char lim[24], rank[24], prio[24], id[24];
    const char *v[7];
};

static void keyset_params(struct keyset_params *k, const struct filter *f,
                          const struct queue_key *key, int n)
{
    snprintf(k->lim, sizeof k->lim, "%d", n);
    snprintf(k->rank, sizeof k->rank, "%d", key->rank);
    snprintf(k->prio, sizeof k->prio, "%d", key->priority);
    snprintf(k->id, sizeof k->id, "%lld", key->id);
    const char *v[] = {filter_kind_name(f->kind),   filter_arg(f), k->lim, k->rank, k->prio,
                       *key->due ? key->due : NULL, k->id};
    memcpy(k->v, v, sizeof v);
}

/* The parameters of a page or count query by offset: the filter's kind and argument, limit
 * and offset ($1 … $4); a search's words, limit and offset ($1 … $3). */
struct page_params {
    char lim[24], off[24];
    const char *v[4];
    int n;
};

static void page_params(struct page_params *pp, const struct filter *f, long offset, int limit)
{
    snprintf(pp->lim, sizeof pp->lim, "%d", limit);
    snprintf(pp->off, sizeof pp->off, "%ld", offset < 0 ? 0 : offset);
    const char *search[] = {filter_arg(f), pp->lim, pp->off, NULL};
    const char *queue[] = {filter_kind_name(f->kind), filter_arg(f), pp->lim, pp->off};
    bool is_search = f->kind == FILTER_SEARCH;
    memcpy(pp->v, is_search ? search : queue, sizeof pp->v);
    pp->n = is_search ? 3 : 4;
}

/* The synchronous functions (for 'tuki -c', whose db is not async) send through the same
 * *_send functions: db_send runs the statement at once and its answer lands here. */
static void keep_result(void *data, PGresult *res)
{
    *(PGresult **)data = res;
}

/* For the synchronous functions: a failed answer becomes *err (allocated) and is freed. */
static bool answer_failed(PGresult *res, const struct db *db, char **err)
{
    if (db_ok(res))
        return false;
    *err = db_result_error_text(res, db->conn);
    PQclear(res);
    return true;
}

void queue_page_send(struct db *db, const struct filter *f, const struct queue_key *after,
                     long offset, int limit, db_result_fn done, void *data)
{
    if (f->kind != FILTER_SEARCH && after && after->set) {
        struct keyset_params k;
        keyset_params(&k, f, after, limit);
        db_send(db, _("the queue"), queue_after_sql, 7, k.v, done, data);
        return;
    }
    struct page_params pp;
    page_params(&pp, f, offset, limit);
    db_send(db, _("the queue"), f->kind == FILTER_SEARCH ? search_page_sql : queue_page_sql, pp.n,
            pp.v, done, data);
}

void queue_count_send(struct db *db, const struct filter *f, db_result_fn done, void *data)
{
    struct page_params pp;
    page_params(&pp, f, 0, 0);
    bool search = f->kind == FILTER_SEARCH;
    /* the words alone, or the kind and its argument: no limit, no offset */
    db_send(db, _("the queue's count"), search ? search_count_sql : queue_count_sql, search ? 1 : 2,
            pp.v, done, data);
}

/* On failure *err (when err is not NULL) gets the error, newly allocated: a message of any
 * length, whole. */
static void set_error(char **err, const PGresult *res, const struct db *db)
{
    if (!err)
        return;
    free(*err);
    *err = db_result_error_text(res, db->conn);
}

int queue_page_read(PGresult *res, const struct db *db, long offset, struct queue_page *page,
                    char **err)
{
    memset(page, 0, sizeof *page);
    if (!db_ok(res)) {
        set_error(err, res, db);
        PQclear(res);
        return -1;
    }
    page->res = res;
    page->offset = offset;
    page->total = -1;
    page->count = PQntuples(res);
    page->rows = calloc((size_t)page->count + 1, sizeof *page->rows);
    for (int i = 0; i < page->count; i++) {
        struct queue_row *r = &page->rows[i];
        r->position = offset + i + 1;
        r->id = atoll(PQgetvalue(res, i, 0));
        r->priority = atoi(PQgetvalue(res, i, 1));
        r->level = PQgetvalue(res, i, 2);
        r->customer = PQgetvalue(res, i, 3);
        r->subject = PQgetvalue(res, i, 4);
        r->status = PQgetvalue(res, i, 5);
        r->assignee = PQgetvalue(res, i, 6);
        r->team = PQgetvalue(res, i, 7);
        r->has_left = !PQgetisnull(res, i, 10);
        r->minutes_left = r->has_left ? atof(PQgetvalue(res, i, 10)) : 0;
        r->paused = PQgetvalue(res, i, 11)[0] == 't';
        read_key(res, i, &r->key);
    }
    return 0;
}

long queue_count_read(PGresult *res, const struct db *db, char **err)
{
    long total = -1;
    if (db_ok(res) && PQntuples(res) == 1)
        total = atol(PQgetvalue(res, 0, 0));
    else
        set_error(err, res, db);
    PQclear(res);
    return total;
}

int queue_fetch(struct db *db, const struct filter *f, const struct queue_key *after, long offset,
                int limit, bool count, struct queue_page *page, char **err)
{
    PGresult *res = NULL;
    queue_page_send(db, f, after, offset, limit, keep_result, &res);
    if (answer_failed(res, db, err))
        return -1;
    queue_page_read(res, db, offset, page, NULL);
    if (count) {
        PGresult *cres = NULL;
        queue_count_send(db, f, keep_result, &cres);
        if (answer_failed(cres, db, err)) {
            queue_page_free(page);
            return -1;
        }
        page->total = queue_count_read(cres, db, NULL);
    }
    return 0;
}

void queue_key_before_send(struct db *db, const struct filter *f, const struct queue_key *from,
                           int n, db_result_fn done, void *data)
{
    struct keyset_params k;
    keyset_params(&k, f, from, n);
    db_send(db, _("the queue"), queue_before_sql, 7, k.v, done, data);
}

int queue_key_before_read(PGresult *res, const struct db *db, struct queue_key *out, char **err)
{
    int found = db_ok(res) ? PQntuples(res) : -1;
    if (found > 0)
        read_key(res, found - 1, out);
    if (found < 0)
        set_error(err, res, db);
    PQclear(res);
    return found;
}

int queue_key_before(struct db *db, const struct filter *f, const struct queue_key *from, int n,
                     struct queue_key *out, char **err)
{
    PGresult *res = NULL;
    queue_key_before_send(db, f, from, n, keep_result, &res);
    return queue_key_before_read(res, db, out, err);
}

void queue_page_free(struct queue_page *page)
{
    PQclear(page->res);
    free(page->rows);
    memset(page, 0, sizeof *page);
}

void sla_send(struct db *db, const long long *ids, int n, db_result_fn done, void *data)
{
    /* ids as a PostgreSQL array literal of digits only. */
    size_t cap = (size_t)n * 21 + 3, len = 0;
    char *arr = malloc(cap);
    arr[len++] = '{';
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(arr + len, cap - len, "%s%lld", i ? "," : "", ids[i]);
    arr[len++] = '}';
    arr[len] = '\0';
    const char *params[] = {arr};
    db_send(db, _("the SLA clocks"),
            "SELECT ticket, target, state, target_minutes, remaining_minutes,"
            "       paused, running"
            "  FROM tuki.sla_clock_now($1::bigint[])"
            " ORDER BY paused, remaining_minutes, ticket, target",
            1, params, done, data);
    free(arr);
}

int sla_list_read(PGresult *res, const struct db *db, struct sla_list *list, char **err)
{
    memset(list, 0, sizeof *list);
    list->fetched_ms = db_now_ms();
    if (!db_ok(res)) {
        const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
        /* 42883: the SLA engine is not installed yet; show no clocks rather than fail. */
        int missing = state && strcmp(state, "42883") == 0;
        if (!missing)
            set_error(err, res, db);
        PQclear(res);
        return missing ? 0 : -1;
    }
    list->res = res;
    list->count = PQntuples(res);
    list->clocks = calloc((size_t)list->count + 1, sizeof *list->clocks);
    for (int i = 0; i < list->count; i++) {
        struct sla_clock *c = &list->clocks[i];
        c->ticket = atoll(PQgetvalue(res, i, 0));
        c->target = PQgetvalue(res, i, 1);
        c->state = PQgetvalue(res, i, 2);
        c->target_min = atof(PQgetvalue(res, i, 3));
        c->remaining_min = atof(PQgetvalue(res, i, 4));
        c->paused = PQgetvalue(res, i, 5)[0] == 't';
        c->running = PQgetvalue(res, i, 6)[0] == 't';
    }
    return 0;
}

int sla_fetch(struct db *db, const long long *ids, int n, struct sla_list *list, char **err)
{
    if (n == 0) {
        memset(list, 0, sizeof *list);
        list->fetched_ms = db_now_ms();
        return 0;
    }
    PGresult *res = NULL;
    sla_send(db, ids, n, keep_result, &res);
    return sla_list_read(res, db, list, err);
}

void sla_list_free(struct sla_list *list)
{
    PQclear(list->res);
    free(list->clocks);
    memset(list, 0, sizeof *list);
}

double sla_remaining_now(const struct sla_list *list, const struct sla_clock *c, long long now_ms)
{
    if (!c->running)
        return c->remaining_min;
    return c->remaining_min - (double)(now_ms - list->fetched_ms) / 60000.0;
}

static const char ticket_header_sql[] =
    "SELECT t.customer, c.name, t.type, t.priority, t.service_level,"
    "       t.status, tuki.timeline_name(t.assignee), t.team, t.subject, t.channel,"
    "       to_char(t.created_at, 'YYYY-MM-DD HH24:MI'), t.impact, t.urgency,"
    "       to_char(t.response_due, 'YYYY-MM-DD HH24:MI'),"
    "       to_char(t.resolve_due, 'YYYY-MM-DD HH24:MI'),"
    "       t.resolution, t.fix_version, current_setting('TimeZone'),"
    /* 18-: the bug's confirmation (tuki.ticket_confirm_bug) */
    "       t.bug_confirmed, coalesce(t.fix_release::text, ''),"
    /* 20: its links (tuki.ticket_links_of), one a line, fields by tabs */
    "       (SELECT string_agg(concat_ws(E'\\t', l.kind, l.other, l.other_type, l.other_status,"
    "                                    regexp_replace(l.other_subject, '[[:cntrl:]]', ' ', 'g')),"
    "                          E'\\n')"
    "          FROM tuki.ticket_links_of(t.id) l)"
    "  FROM tuki.ticket t LEFT JOIN tuki.contact c ON c.id = t.contact"
    " WHERE t.id = $1::bigint";

/* The timeline's rows in its own order; the arguments as columns of their own. */
static const char ticket_timeline_sql[] =
    "SELECT at_text, kind, who, args[1], args[2], args[3], args[4], args[5], args[6], args[7],"
    "       body"
    "  FROM tuki.ticket_timeline($1::bigint)";

void ticket_header_send(struct db *db, long long id, db_result_fn done, void *data)
{
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%lld", id);
    const char *params[] = {idtext};
    db_send(db, _("the ticket"), ticket_header_sql, 1, params, done, data);
}

void ticket_timeline_send(struct db *db, long long id, db_result_fn done, void *data)
{
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%lld", id);
    const char *params[] = {idtext};
    db_send(db, _("the ticket's history"), ticket_timeline_sql, 1, params, done, data);
}

/* A column's text, NULL for SQL null. */
static const char *value(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

int ticket_header_read(PGresult *res, const struct db *db, long long id, struct ticket_view *view,
                       char **err)
{
    memset(view, 0, sizeof *view);
    view->id = id;
    if (answer_failed(res, db, err))
        return -1;
    if (PQntuples(res) != 1) {
        if (asprintf(err, _("no ticket #%lld (or it is not visible to you)"), id) < 0)
            *err = NULL;
        PQclear(res);
        return -1;
    }
    const struct timeline_header h = {
        .customer = value(res, 0, 0),
        .contact = value(res, 0, 1),
        .type = value(res, 0, 2),
        .priority = value(res, 0, 3),
        .level = value(res, 0, 4),
        .status = value(res, 0, 5),
        .assignee = value(res, 0, 6),
        .team = value(res, 0, 7),
        .subject = value(res, 0, 8),
        .channel = value(res, 0, 9),
        .created = value(res, 0, 10),
        .impact = value(res, 0, 11),
        .urgency = value(res, 0, 12),
        .response_due = value(res, 0, 13),
        .resolve_due = value(res, 0, 14),
        .resolution = value(res, 0, 15),
        .fix_version = value(res, 0, 16),
        .time_zone = value(res, 0, 17),
        .bug_confirmed = value(res, 0, 18),
        .fix_release = value(res, 0, 19),
        .links = value(res, 0, 20),
    };
    timeline_header(view, id, &h);
    PQclear(res);
    return 0;
}

int ticket_timeline_read(PGresult *res, const struct db *db, struct ticket_view *view, char **err)
{
    if (answer_failed(res, db, err))
        return -1;
    for (int i = 0; i < PQntuples(res); i++) {
        struct timeline_entry e = {
            .at = PQgetvalue(res, i, 0),
            .kind = PQgetvalue(res, i, 1),
            .who = value(res, i, 2),
            .body = value(res, i, 3 + TIMELINE_ARGS),
        };
        for (int a = 0; a < TIMELINE_ARGS; a++)
            e.args[a] = value(res, i, 3 + a);
        timeline_add(view, &e);
    }
    timeline_finish(view);
    PQclear(res);
    return 0;
}

int ticket_fetch(struct db *db, long long id, struct ticket_view *view, char **err)
{
    PGresult *res = NULL;
    ticket_header_send(db, id, keep_result, &res);
    if (ticket_header_read(res, db, id, view, err) < 0)
        return -1;
    res = NULL;
    ticket_timeline_send(db, id, keep_result, &res);
    return ticket_timeline_read(res, db, view, err);
}

void workload_send(struct db *db, db_result_fn done, void *data)
{
    db_send(db, _("the workload"),
            "SELECT login, display_name, coalesce(team, '-'), open, waiting,"
            "       overdue, coalesce(to_char(oldest, 'YYYY-MM-DD'), '')"
            "  FROM tuki.workload ORDER BY active DESC, login",
            0, NULL, done, data);
}

int workload_read(PGresult *res, const struct db *db, struct workload *wl, char **err)
{
    memset(wl, 0, sizeof *wl);
    if (answer_failed(res, db, err))
        return -1;
    wl->res = res;
    wl->count = PQntuples(res);
    wl->rows = calloc((size_t)wl->count + 1, sizeof *wl->rows);
    for (int i = 0; i < wl->count; i++) {
        struct workload_row *r = &wl->rows[i];
        r->login = PQgetvalue(res, i, 0);
        r->name = PQgetvalue(res, i, 1);
        r->team = PQgetvalue(res, i, 2);
        r->open = atol(PQgetvalue(res, i, 3));
        r->waiting = atol(PQgetvalue(res, i, 4));
        r->overdue = atol(PQgetvalue(res, i, 5));
        r->oldest = PQgetvalue(res, i, 6);
    }
    return 0;
}

int workload_fetch(struct db *db, struct workload *wl, char **err)
{
    PGresult *res = NULL;
    workload_send(db, keep_result, &res);
    return workload_read(res, db, wl, err);
}

void workload_free(struct workload *wl)
{
    PQclear(wl->res);
    free(wl->rows);
    memset(wl, 0, sizeof *wl);
}

static const char *const completion_sql[] = {
    [COMPLETE_ID] = "SELECT id::text FROM tuki.queue WHERE id::text LIKE $1 || '%'"
                    " ORDER BY position LIMIT 200",
    [COMPLETE_AGENT] = "SELECT login FROM tuki.agent WHERE active AND login LIKE $1 || '%'"
                       " ORDER BY login",
    [COMPLETE_STATUS] = "SELECT code FROM tuki.status WHERE code LIKE $1 || '%'"
                        " ORDER BY sort_order",
    [COMPLETE_CUSTOMER] = "SELECT code FROM tuki.customer WHERE code LIKE $1 || '%'"
                          " ORDER BY code",
    [COMPLETE_TEAM] = "SELECT code FROM tuki.team WHERE code LIKE $1 || '%' ORDER BY code",
    [COMPLETE_CONTACT] =
        "SELECT DISTINCT x FROM tuki.contact c, LATERAL (VALUES (c.email), (c.name))"
        " v(x) WHERE c.active AND x LIKE $1 || '%' ORDER BY x LIMIT 5000",
    [COMPLETE_CANNED] =
        "SELECT name FROM tuki.canned_reply WHERE name LIKE $1 || '%' ORDER BY name",
};

/* The console cannot wait for the database while readline completes a word, so it completes
 * from lists fetched asynchronously (completion_refresh, on connect and on every change);
 * the script mode asks directly. */
static PGresult *completion_cache[COMPLETE_COUNT];

static void completion_arrived(void *data, PGresult *res)
{
    enum completion_kind kind = (enum completion_kind)(long)data;
    if (!db_ok(res)) {
        PQclear(res);
        return;
    }
    PQclear(completion_cache[kind]);
    completion_cache[kind] = res;
}

void completion_refresh(struct db *db)
{
    for (long k = COMPLETE_ID; k < COMPLETE_COUNT; k++) {
        const char *params[] = {""};
        db_send(db, _("completion lists"), completion_sql[k], 1, params, completion_arrived,
                (void *)k);
    }
}

void completion_forget(void)
{
    for (int k = COMPLETE_ID; k < COMPLETE_COUNT; k++) {
        PQclear(completion_cache[k]);
        completion_cache[k] = NULL;
    }
}

static char **matching(const PGresult *res, const char *prefix)
{
    int n = res ? PQntuples(res) : 0, k = 0;
    char **v = calloc((size_t)n + 1, sizeof *v);
    for (int i = 0; i < n; i++)
        if (strncmp(PQgetvalue(res, i, 0), prefix, strlen(prefix)) == 0)
            v[k++] = strdup(PQgetvalue(res, i, 0));
    return v;
}

char **completion_fetch(struct db *db, enum completion_kind kind, const char *prefix)
{
    if (db->async)
        return matching(completion_cache[kind], prefix);
    size_t cap = strlen(prefix) * 2 + 2;
    char *like = malloc(cap);
    const char *params[] = {escape_like(prefix, like, cap)};
    PGresult *res = db_exec(db, completion_sql[kind], 1, params);
    free(like);
    char **v = matching(db_ok(res) ? res : NULL, "");
    PQclear(res);
    return v;
}

void strv_free(char **v)
{
    if (!v)
        return;
    for (char **p = v; *p; p++)
        free(*p);
    free(v);
}

void change_parse(const char *payload, struct change *c)
{
    memset(c, 0, sizeof *c);
    c->all = true;
    const char *ids = payload ? strstr(payload, "\"ids\"") : NULL;
    if (!ids)
        return;
    const char *p = strchr(ids + 5, ':');
    if (!p)
        return;
    p++;
    while (*p == ' ')
        p++;
    if (*p != '[')
        return; /* null: too many to list, so everything may have changed */
    p++;
    int cap = 0;
    while (*p && *p != ']') {
        char *end;
        long long id = strtoll(p, &end, 10);
        if (end == p) {
            p++;
            continue;
        }
        if (c->count == cap) {
            cap = cap ? cap * 2 : 8;
            c->ids = realloc(c->ids, (size_t)cap * sizeof *c->ids);
        }
        c->ids[c->count++] = id;
        p = end;
    }
    c->all = *p != ']';
}

bool change_touches(const struct change *c, long long id)
{
    if (c->all)
        return true;
    for (int i = 0; i < c->count; i++)
        if (c->ids[i] == id)
            return true;
    return false;
}

void change_free(struct change *c)
{
    free(c->ids);
    memset(c, 0, sizeof *c);
}
