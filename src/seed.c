#include "seed.h"
#include "i18n.h"

#include "migrate.h"
#include "text.h"
#include "usage.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

/* sql/seed/seed.sql, compiled in by build-aux/embed_text.py. */
extern const char seed_sql[];

/* Migration 025 (025_history_load.sql) gives administrators tuki.history_load, which the seed
 * loads its histories with. */
#define SEED_NEEDS_VERSION 25
/* A customer of the data set: its presence means the data set is already loaded. */
#define SEED_MARKER_CUSTOMER "POHJOISMETSA"
#define SEED_MAX_SEED        2147483647L
/* From this many tickets the load runs on two connections when there are two CPUs. */
#define SEED_PARALLEL_FROM 10000L

struct progress {
    FILE *out;
    bool tty;
    long total;
    struct timespec start;
    int last_step;
};

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void progress_begin(struct progress *p, FILE *out, long total)
{
    p->out = out;
    p->tty = out && isatty(fileno(out));
    p->total = total;
    p->last_step = -1;
    clock_gettime(CLOCK_MONOTONIC, &p->start);
}

/* A bar redrawn in place on a terminal; elsewhere a line at every tenth. */
static void progress_show(struct progress *p, long done)
{
    if (!p->out)
        return;
    int percent = p->total ? (int)(done * 100 / p->total) : 100;
    long secs = (long)seconds_since(&p->start);
    if (p->tty) {
        enum { WIDTH = 30 };
        char bar[WIDTH + 1];
        int filled = percent * WIDTH / 100;
        for (int i = 0; i < WIDTH; i++)
            bar[i] = i < filled ? '#' : '.';
        bar[WIDTH] = '\0';
        /* TRANSLATORS: the progress line of tuki seed: a bar, percent, tickets done and all,
           minutes and seconds. */
        fputc('\r', p->out);
        fprintf(p->out,
                ngettext("seeding [%s] %3d%%  %ld/%ld ticket  %ldm%02lds ",
                         "seeding [%s] %3d%%  %ld/%ld tickets  %ldm%02lds ", p->total),
                bar, percent, done, p->total, secs / 60, secs % 60);
        if (done == p->total)
            fputc('\n', p->out);
    } else if (percent / 10 != p->last_step) {
        p->last_step = percent / 10;
        fprintf(p->out,
                ngettext("seeded %ld of %ld ticket (%d%%, %lds)\n",
                         "seeded %ld of %ld tickets (%d%%, %lds)\n", p->total),
                done, p->total, percent, secs);
    }
    fflush(p->out);
}

/* A parameterised statement whose result is not needed. */
static int exec_params(struct db *db, const char *sql, int nparams, const char *const *params,
                       char **err)
{
    PGresult *res = db_exec(db, sql, nparams, params);
    int rc = db_ok(res) ? 0 : -1;
    if (rc < 0)
        *err = db_result_error_text(res, db->conn);
    PQclear(res);
    return rc;
}

/* A one-row, one-column boolean query; false on error. */
static bool query_true(struct db *db, const char *sql, int nparams, const char *const *params)
{
    PGresult *res = db_exec(db, sql, nparams, params);
    bool yes = db_ok(res) && PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    return yes;
}

bool seed_available(struct db *db)
{
    char *err = NULL; /* not told: the caller says what seeding needs */
    bool available = migrate_current_version(db->conn, &err) >= SEED_NEEDS_VERSION;
    free(err);
    return available;
}

bool seed_present(struct db *db)
{
    return query_true(db, "SELECT EXISTS (SELECT 1 FROM tuki.customer)", 0, NULL);
}

/* The session settings the script reads; the anchor is rounded to the minute when not given.
 * JIT is off: compiling the many short statements of a seed costs more than it saves. */
static int seed_settings(struct db *db, long tickets, long seed, const char *anchor, char **err)
{
    char tickets_text[32], seed_text[32];
    snprintf(tickets_text, sizeof tickets_text, "%ld", tickets);
    snprintf(seed_text, sizeof seed_text, "%ld", seed);
    const char *params[] = {seed_text, tickets_text, anchor};
    if (exec_params(db,
                    "SELECT set_config('DateStyle', 'ISO, MDY', false),"
                    " set_config('client_min_messages', 'warning', false),"
                    " set_config('synchronous_commit', 'off', false),"
                    " set_config('jit', 'off', false),"
                    " set_config('tuki_seed.seed', $1, false),"
                    " set_config('tuki_seed.tickets', $2, false),"
                    " set_config('tuki_seed.now',"
                    "   coalesce($3::timestamptz, date_trunc('minute', now()))::text, false),"
                    " set_config('tuki_seed.first_id',"
                    "   (SELECT coalesce(max(id), 0) FROM tuki.ticket)::text, false)",
                    3, params, err) < 0)
        return -1;
    return 0;
}

static int run_script(struct db *db, char **err)
{
    /* seed.sql is trusted text compiled into the binary and holds many statements, which only
     * the simple query protocol accepts; it takes its inputs from the settings made above. */
    PGresult *res = PQexec(db->conn, seed_sql);
    int rc = db_ok(res) ? 0 : -1;
    if (rc < 0)
        *err = db_result_error_text(res, db->conn);
    PQclear(res);
    return rc;
}

/* Settings, the script's temporary tables and functions, and (first session only) the
 * customers, contracts, contacts and agents. */
static int prepare_session(struct db *db, long tickets, long seed, const char *anchor, bool first,
                           char **err)
{
    if (seed_settings(db, tickets, seed, anchor, err) < 0 || run_script(db, err) < 0)
        return -1;
    if (first && exec_params(db, "SELECT pg_temp.seed_reference()", 0, NULL, err) < 0)
        return -1;
    return exec_params(db, "SELECT pg_temp.seed_lookup()", 0, NULL, err);
}

/* The anchor the first session settled on, so every session replays the same history. */
static int resolved_anchor(struct db *db, char *out, size_t n, char **err)
{
    PGresult *res = db_exec(db, "SELECT current_setting('tuki_seed.now')", 0, NULL);
    int rc = db_ok(res) && PQntuples(res) == 1 ? 0 : -1;
    if (rc == 0)
        snprintf(out, n, "%s", PQgetvalue(res, 0, 0));
    else
        *err = db_result_error_text(res, db->conn);
    PQclear(res);
    return rc;
}

/* Batches big enough to plan efficiently (each batch plans tuki.history_load's statements
 * again), small enough for a progress bar that moves and for two connections to share. */
static long batch_size(long tickets)
{
    long size = tickets / 20;
    if (size < 1000)
        size = 1000;
    if (size > 10000)
        size = 10000;
    return size;
}

struct worker {
    struct db db;
    bool connected;
    bool busy;
    long lo, hi;
};

/* Starts one batch without waiting: the asynchronous twin of db_exec, parameters as always. */
static int send_batch(struct worker *w, long lo, long hi, char **err)
{
    char lo_text[32], hi_text[32];
    snprintf(lo_text, sizeof lo_text, "%ld", lo);
    snprintf(hi_text, sizeof hi_text, "%ld", hi);
    const char *params[] = {lo_text, hi_text};
    if (!PQsendQueryParams(w->db.conn, "SELECT pg_temp.seed_batch($1, $2)", 2, NULL, params, NULL,
                           NULL, 0)) {
        *err = strdup(PQerrorMessage(w->db.conn));
        return -1;
    }
    w->busy = true;
    w->lo = lo;
    w->hi = hi;
    return 0;
}

/* 1 when the worker's batch has finished, 0 while it runs, -1 on error (err set). */
static int collect_batch(struct worker *w, char **err)
{
    if (!PQconsumeInput(w->db.conn)) {
        *err = strdup(PQerrorMessage(w->db.conn));
        w->busy = false;
        return -1;
    }
    if (PQisBusy(w->db.conn))
        return 0;
    int rc = 1;
    PGresult *res;
    while ((res = PQgetResult(w->db.conn))) {
        if (!db_ok(res) && rc == 1) {
            *err = db_result_error_text(res, w->db.conn);
            rc = -1;
        }
        PQclear(res);
    }
    w->busy = false;
    return rc;
}

/* Hands batches to the workers as they become free; waits on their sockets. */
static int run_batches(struct worker *workers, int count, long tickets, FILE *out, char **err)
{
    struct progress bar;
    progress_begin(&bar, out, tickets);
    long step = batch_size(tickets), next = 0, done = 0;
    int rc = 0;
    for (int i = 0; i < count && next < tickets && rc == 0; i++) {
        rc = send_batch(&workers[i], next, next + step < tickets ? next + step : tickets, err);
        next += step;
    }
    for (;;) {
        struct pollfd fds[SEED_MAX_JOBS];
        int busy = 0;
        for (int i = 0; i < count; i++)
            if (workers[i].busy)
                fds[busy++] = (struct pollfd){.fd = PQsocket(workers[i].db.conn), .events = POLLIN};
        if (busy == 0)
            break;
        if (poll(fds, (nfds_t)busy, -1) < 0 && errno != EINTR) {
            free(*err); /* a batch may have failed before: the poll's failure is the news */
            *err = text_printf("poll: %s", strerror(errno));
            return -1;
        }
        for (int i = 0; i < count; i++) {
            if (!workers[i].busy)
                continue;
            char *batch_err = NULL;
            int r = collect_batch(&workers[i], &batch_err);
            if (r < 0 && rc == 0) {
                *err = batch_err; /* the first error is the one told */
                batch_err = NULL;
                rc = -1;
            }
            free(batch_err);
            if (r != 1)
                continue;
            done += workers[i].hi - workers[i].lo;
            progress_show(&bar, done);
            if (rc == 0 && next < tickets) {
                rc = send_batch(&workers[i], next, next + step < tickets ? next + step : tickets,
                                err);
                next += step;
            }
        }
    }
    if (rc < 0 && bar.tty)
        fputc('\n', out);
    return rc;
}

/* Identity past the explicit ticket numbers, then statistics for the console's queries
 * (autovacuum does the vacuuming later; waiting for it here would add minutes to big loads). */
static int finish(struct db *db, char **err)
{
    if (exec_params(db, "SELECT pg_temp.seed_finish()", 0, NULL, err) < 0)
        return -1;
    /* ANALYZE takes no parameters; the statement is fixed text. */
    PGresult *res = PQexec(db->conn, "ANALYZE tuki.ticket, tuki.ticket_event, tuki.message, "
                                     "tuki.worklog, tuki.sla_alert");
    PQclear(res); /* only an optimisation: a role that may not analyze still has its data */
    return 0;
}

/* One session per job: the caller's, then more connections like it. */
static int load_with_workers(struct db *db, long tickets, long seed, const char *anchor, int jobs,
                             FILE *progress, char **err)
{
    struct worker workers[SEED_MAX_JOBS];
    memset(workers, 0, sizeof workers);
    workers[0].db = *db;
    char settled[64];
    int rc = prepare_session(db, tickets, seed, anchor, true, err);
    if (rc == 0)
        rc = resolved_anchor(db, settled, sizeof settled, err);
    int count = 1;
    for (; rc == 0 && count < jobs; count++) {
        struct worker *w = &workers[count];
        if (db_connect(&w->db, db->conninfo, err) < 0) {
            db_close(&w->db);
            rc = -1;
            break;
        }
        w->connected = true;
        rc = prepare_session(&w->db, tickets, seed, settled, false, err);
    }
    if (rc == 0)
        rc = run_batches(workers, count, tickets, progress, err);
    for (int i = 1; i < SEED_MAX_JOBS; i++)
        if (workers[i].connected)
            db_close(&workers[i].db);
    return rc;
}

int seed_default_jobs(long tickets)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return tickets >= SEED_PARALLEL_FROM && cpus >= 2 ? 2 : 1;
}

int seed_load(struct db *db, long tickets, long seed, const char *anchor, int jobs, FILE *progress,
              char **err)
{
    *err = NULL;
    if (!seed_available(db)) {
        *err = text_printf("the schema is older than seeding needs (version %d): run 'tuki "
                           "migrate'",
                           SEED_NEEDS_VERSION);
        return -1;
    }
    const char *marker[] = {SEED_MARKER_CUSTOMER};
    if (query_true(db, "SELECT EXISTS (SELECT 1 FROM tuki.customer WHERE code = $1)", 1, marker)) {
        *err = text_printf("this database already holds the seed data set (customer %s); "
                           "seed into a database without it",
                           SEED_MARKER_CUSTOMER);
        return -1;
    }
    const char *anchor_param[] = {anchor};
    if (anchor && exec_params(db, "SELECT $1::timestamptz", 1, anchor_param, err) < 0)
        return -1;
    if (jobs < 1)
        jobs = seed_default_jobs(tickets);
    if (load_with_workers(db, tickets, seed, anchor, jobs, progress, err) < 0 ||
        finish(db, err) < 0) {
        char *inner = *err;
        *err = text_printf(_("%s (what was loaded before the error stays; drop the database to "
                             "start over)"),
                           inner ? inner : _("out of memory"));
        free(inner);
        return -1;
    }
    return 0;
}

static int parse_long(const char *what, const char *arg, long max, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(arg, &end, 10);
    if (*arg == '\0' || *end != '\0' || errno || n < 0 || n > max) {
        fprintf(stderr, _("tuki seed: %s takes a whole number from 0 to %ld, not '%s'\n"), what,
                max, arg);
        return -1;
    }
    *out = n;
    return 0;
}

static void seed_usage(FILE *to)
{
    usage_print(to, "seed");
}

int seed_command(const char *conninfo, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"tickets", required_argument, NULL, 't'}, {"seed", required_argument, NULL, 's'},
        {"now", required_argument, NULL, 'n'},     {"jobs", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    long tickets = 2000, seed = 1, jobs = 0;
    const char *anchor = NULL;
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
        if (opt == 't' && parse_long("--tickets", optarg, SEED_MAX_TICKETS, &tickets) < 0)
            return EX_USAGE;
        if (opt == 's' && parse_long("--seed", optarg, SEED_MAX_SEED, &seed) < 0)
            return EX_USAGE;
        if (opt == 'n')
            anchor = optarg;
        if (opt == 'j' && parse_long("--jobs", optarg, SEED_MAX_JOBS, &jobs) < 0)
            return EX_USAGE;
        if (opt == 'j' && jobs == 0) {
            fprintf(stderr, _("tuki seed: --jobs takes 1 to %d connections\n"), SEED_MAX_JOBS);
            return EX_USAGE;
        }
        if (opt == 'h') {
            seed_usage(stdout);
            return 0;
        }
        if (opt == '?') {
            fprintf(stderr, _("tuki seed: unknown option or missing value '%s'\n"),
                    argv[optind - 1]);
            seed_usage(stderr);
            return EX_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, _("tuki seed: unexpected argument '%s'\n"), argv[optind]);
        seed_usage(stderr);
        return EX_USAGE;
    }

    struct db db;
    char *err = NULL;
    int rc = db_connect_or_exit(&db, conninfo, "seed", 0);
    if (rc)
        return rc;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    if (migrate_check_compatible(db.conn, &err) < 0 ||
        seed_load(&db, tickets, seed, anchor, (int)jobs, stderr, &err) < 0) {
        fprintf(stderr, "tuki seed: %s\n", err ? err : _("out of memory"));
        rc = EX_DATAERR;
    } else {
        /* TRANSLATORS: tickets, the random seed, the database's name, seconds. */
        printf(ngettext("tuki seed: loaded %ld ticket (seed %ld) into %s in %.1f s\n",
                        "tuki seed: loaded %ld tickets (seed %ld) into %s in %.1f s\n", tickets),
               tickets, seed, PQdb(db.conn), seconds_since(&start));
    }
    free(err);
    db_close(&db);
    return rc;
}
