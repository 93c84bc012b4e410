/* Tickets, the queue and the workload as plain data fetched from the database; no curses,
 * so the script mode and the screen share it. Rows point into the PGresult they came
 * from and live until the owning struct is freed. */
#ifndef TUKI_MODEL_H
#define TUKI_MODEL_H

#include "db.h"
#include "timeline.h"

#include <stdbool.h>
#include <stddef.h>

enum filter_kind {
    FILTER_ALL,
    FILTER_MINE,
    FILTER_UNASSIGNED,
    FILTER_BREACHING,
    FILTER_CUSTOMER,
    FILTER_STATUS,
    FILTER_SEARCH,
    FILTER_TEAM, /* arg: a team code */
    FILTER_TYPE, /* arg: a request type */
    FILTER_HOME, /* the agent's own team's tickets and their own (console.filter's default) */
};

struct filter {
    enum filter_kind kind;
    /* customer code, status, team, type or search words, however long (the schema takes any
     * text); NULL for the kinds without one. Owned by the filter: filter_copy copies it,
     * filter_free frees it, so a plain struct copy (=) would share it. */
    char *arg;
};

/* "mine", "home", "customer:ACME", "status:open", "team:third_line", "type:bug", … Returns
 * 0 (f->arg newly allocated: filter_free), or -1 (f is "all", nothing to free) with a message
 * in *err, newly allocated (err may be NULL: no message). Whether the argument exists is the
 * database's to say (tuki.customer_find, tuki.queue_filter_arg). */
int filter_parse(const char *text, struct filter *f, char **err);

/* to = from, with an argument of its own; -1 when out of memory (to is "all" then). */
int filter_copy(struct filter *to, const struct filter *from);

/* Frees the argument; the filter is its kind alone afterwards. */
void filter_free(struct filter *f);

/* The argument, "" for the kinds without one (the queue functions take "" then). */
const char *filter_arg(const struct filter *f);

/* "all active", "mine", "customer ACME", "search "tulostin"" — for titles; newly allocated
 * (the caller frees it), NULL when out of memory. */
char *filter_describe(const struct filter *f);

/* Whether the filter's tickets may belong to more than one team (the queue shows a team
 * column then). */
bool filter_spans_teams(const struct filter *f);

/* Where a row stands in the queue's order (tuki.queue: service level rank, priority,
 * next deadline, id): enough to continue from it, whatever its depth (keyset paging). */
struct queue_key {
    bool set;
    int rank, priority;
    char due[48]; /* next_due as PostgreSQL prints it, "" when null */
    long long id;
};

struct queue_row {
    long long id;
    long position;
    int priority;
    const char *level; /* service level code */
    const char *customer;
    const char *subject;
    const char *status;
    const char *assignee; /* "" when unassigned */
    const char *team;
    bool has_left;       /* an SLA clock still runs or is paused (active, with targets) */
    double minutes_left; /* the least business minutes left on them, as fetched */
    bool paused;         /* the resolution clock is paused */
    struct queue_key key;
};

struct queue_page {
    PGresult *res;
    struct queue_row *rows;
    int count;
    long total; /* rows matching the filter, all pages; -1 when not counted */
    long offset;
};

/* Errors of the functions that take char **err come in a string of their own size, which the
 * caller frees. */

/* One window of the filtered queue, in queue order: the rows after `after` when it is set
 * (an index range, as cheap at row 100,000 as at row 1), else from `offset`. Search runs
 * over every ticket, newest first, by offset only. With count, page->total is how many
 * match in all (one more query: callers count when the data changed, not when they
 * scroll); else it is -1. Returns 0, or -1 with the database's message. */
int queue_fetch(struct db *db, const struct filter *f, const struct queue_key *after, long offset,
                int limit, bool count, struct queue_page *page, char **err);

/* For scrolling back: the key of the row n places before `from` (n >= 1). Returns how many
 * rows were found before it, at most n (fewer: the queue starts sooner), or -1 on error.
 * *out is the farthest one found. */
int queue_key_before(struct db *db, const struct filter *f, const struct queue_key *from, int n,
                     struct queue_key *out, char **err);
void queue_page_free(struct queue_page *page);

/* The same queries for the console, asynchronous: *_send queues the statement (see db_send)
 * and *_read turns its answer (which it takes over) into data, with the error in *err (newly
 * allocated, the caller frees it; err may be NULL). The
 * functions that return data directly (queue_fetch, ticket_fetch, …) are for a db that is
 * not async ('tuki -c', benchmarks); they send through these. */
void queue_page_send(struct db *db, const struct filter *f, const struct queue_key *after,
                     long offset, int limit, db_result_fn done, void *data);
int queue_page_read(PGresult *res, const struct db *db, long offset, struct queue_page *page,
                    char **err);
void queue_count_send(struct db *db, const struct filter *f, db_result_fn done, void *data);
long queue_count_read(PGresult *res, const struct db *db, char **err);
void queue_key_before_send(struct db *db, const struct filter *f, const struct queue_key *from,
                           int n, db_result_fn done, void *data);
int queue_key_before_read(PGresult *res, const struct db *db, struct queue_key *out, char **err);

struct sla_clock {
    long long ticket;
    const char *target;   /* "response" or "resolve" */
    const char *state;    /* ok, warning, breached, met, missed */
    double target_min;    /* the target's length in business minutes */
    double remaining_min; /* business minutes left, negative when overdue */
    bool paused;
    bool running; /* the clock is ticking right now (open hours, not paused) */
};

struct sla_list {
    PGresult *res;
    struct sla_clock *clocks;
    int count;
    long long fetched_ms; /* monotonic time of the fetch, for ticking locally */
};

/* The running and paused clocks of these tickets, least time left first. An absent
 * tuki.sla view gives an empty list, not an error. */
int sla_fetch(struct db *db, const long long *ids, int n, struct sla_list *list, char **err);
void sla_list_free(struct sla_list *list);
void sla_send(struct db *db, const long long *ids, int n, db_result_fn done, void *data);
int sla_list_read(PGresult *res, const struct db *db, struct sla_list *list, char **err);

/* Business minutes left on a clock now, extrapolated from the fetch without a query. */
double sla_remaining_now(const struct sla_list *list, const struct sla_clock *c, long long now_ms);

/* A ticket's attachments numbered 1, 2, … (column n) in the order they came: the ticket
 * view lists them so and 'save' finds them so. ticket is SQL text, e.g. "$1::bigint". */
#define ATTACHMENT_ORDER_SQL(ticket)                                                               \
    "SELECT a.*, row_number() OVER (ORDER BY a.id) AS n FROM tuki.attachment a"                    \
    " JOIN tuki.message m ON m.id = a.message WHERE m.ticket = " ticket

/* The ticket as src/timeline.c writes it: the header, then tuki.ticket_timeline's messages
 * (with their attachments and what became of their mail), work and history events, oldest
 * first, and the work total. Returns 0, or -1 (not found or not visible: the message says so). */
int ticket_fetch(struct db *db, long long id, struct ticket_view *view, char **err);
/* The header first, then the timeline added to the same view. */
void ticket_header_send(struct db *db, long long id, db_result_fn done, void *data);
int ticket_header_read(PGresult *res, const struct db *db, long long id, struct ticket_view *view,
                       char **err);
void ticket_timeline_send(struct db *db, long long id, db_result_fn done, void *data);
int ticket_timeline_read(PGresult *res, const struct db *db, struct ticket_view *view, char **err);

struct workload_row {
    const char *login, *name, *team;
    long open, waiting, overdue;
    const char *oldest; /* "YYYY-MM-DD" or "" */
};

struct workload {
    PGresult *res;
    struct workload_row *rows;
    int count;
};

/* Active tickets per agent, most loaded first. */
int workload_fetch(struct db *db, struct workload *wl, char **err);
void workload_free(struct workload *wl);
void workload_send(struct db *db, db_result_fn done, void *data);
int workload_read(PGresult *res, const struct db *db, struct workload *wl, char **err);

/* Completion candidates: ticket ids of the active queue, agent logins, statuses, customer
 * codes, teams. Returns a NULL-terminated array of strings (free with strv_free). */
enum completion_kind {
    COMPLETE_ID,
    COMPLETE_AGENT,
    COMPLETE_STATUS,
    COMPLETE_CUSTOMER,
    COMPLETE_TEAM,
    COMPLETE_CONTACT, /* addresses and names of active contacts */
    COMPLETE_CANNED,
    COMPLETE_COUNT
};
char **completion_fetch(struct db *db, enum completion_kind kind, const char *prefix);
/* For an asynchronous db completion_fetch answers from lists fetched by this (each kind with
 * an empty prefix, in the order of its query) and filters them by prefix itself. */
void completion_refresh(struct db *db);
void completion_forget(void);
void strv_free(char **v);

/* What a notification on channel tuki says changed: {"v":1,"kind":K,"ids":[1,2]}. A
 * payload without a readable id list (ids null when there were too many) means anything. */
struct change {
    bool all;
    long long *ids;
    int count;
};

void change_parse(const char *payload, struct change *c);
bool change_touches(const struct change *c, long long id);
void change_free(struct change *c);

#endif
