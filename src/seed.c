#include "seed.h"

#include "migrate.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

/* sql/seed/seed.sql, compiled in by build-aux/embed_text.py. */
extern const char seed_sql[];

/* Migration 020 gives administrators the per-ticket clock the seed replays history with. */
#define SEED_NEEDS_VERSION 20
/* A customer of the data set: its presence means the data set is already loaded. */
#define SEED_MARKER_CUSTOMER "POHJOISMETSA"
#define SEED_MAX_SEED 2147483647L

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
        fprintf(p->out, "\rseeding [%s] %3d%%  %ld/%ld tickets  %ldm%02lds ", bar, percent, done,
                p->total, secs / 60, secs % 60);
        if (done == p->total)
            fputc('\n', p->out);
    } else if (percent / 10 != p->last_step) {
        p->last_step = percent / 10;
        fprintf(p->out, "seeded %ld of %ld tickets (%d%%, %lds)\n", done, p->total, percent, secs);
    }
    fflush(p->out);
}

/* A parameterised statement whose result is not needed. */
static int exec_params(struct db *db, const char *sql, int nparams, const char *const *params,
                       char *err, size_t errlen)
{
    PGresult *res = db_exec(db, sql, nparams, params);
    int rc = db_ok(res) ? 0 : -1;
    if (rc < 0)
        db_result_error(res, db->conn, err, errlen);
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
    char err[512];
    return migrate_current_version(db->conn, err, sizeof err) >= SEED_NEEDS_VERSION;
}

bool seed_present(struct db *db)
{
    return query_true(db, "SELECT EXISTS (SELECT 1 FROM tuki.customer)", 0, NULL);
}

/* The session settings the script reads; the anchor is rounded to the minute when not given. */
static int seed_settings(struct db *db, long tickets, long seed, const char *anchor, char *err,
                         size_t errlen)
{
    char tickets_text[32], seed_text[32];
    snprintf(tickets_text, sizeof tickets_text, "%ld", tickets);
    snprintf(seed_text, sizeof seed_text, "%ld", seed);
    const char *params[] = {seed_text, tickets_text, anchor};
    if (exec_params(db,
                    "SELECT set_config('DateStyle', 'ISO, MDY', false),"
                    " set_config('client_min_messages', 'warning', false),"
                    " set_config('synchronous_commit', 'off', false),"
                    " set_config('tuki_seed.seed', $1, false),"
                    " set_config('tuki_seed.tickets', $2, false),"
                    " set_config('tuki_seed.now',"
                    "   coalesce($3::timestamptz, date_trunc('minute', now()))::text, false),"
                    " set_config('tuki_seed.first_id',"
                    "   (SELECT coalesce(max(id), 0) FROM tuki.ticket)::text, false)",
                    3, params, err, errlen) < 0)
        return -1;
    return 0;
}

static int run_script(struct db *db, char *err, size_t errlen)
{
    /* seed.sql is trusted text compiled into the binary and holds many statements, which only
     * the simple query protocol accepts; it takes its inputs from the settings made above. */
    PGresult *res = PQexec(db->conn, seed_sql);
    int rc = db_ok(res) ? 0 : -1;
    if (rc < 0)
        db_result_error(res, db->conn, err, errlen);
    PQclear(res);
    return rc;
}

/* Batches big enough to plan efficiently, small enough for a smooth progress bar. */
static long batch_size(long tickets)
{
    long size = tickets / 100;
    if (size < 1000)
        size = 1000;
    if (size > 10000)
        size = 10000;
    return size;
}

static int load_batches(struct db *db, long tickets, FILE *out, char *err, size_t errlen)
{
    struct progress bar;
    progress_begin(&bar, out, tickets);
    long step = batch_size(tickets);
    for (long lo = 0; lo < tickets; lo += step) {
        long hi = lo + step < tickets ? lo + step : tickets;
        char lo_text[32], hi_text[32];
        snprintf(lo_text, sizeof lo_text, "%ld", lo);
        snprintf(hi_text, sizeof hi_text, "%ld", hi);
        const char *params[] = {lo_text, hi_text};
        if (exec_params(db, "SELECT pg_temp.seed_batch($1, $2)", 2, params, err, errlen) < 0) {
            if (bar.tty)
                fputc('\n', out);
            return -1;
        }
        progress_show(&bar, hi);
    }
    return 0;
}

/* Identity past the explicit ticket numbers, then statistics for the console's queries. */
static int finish(struct db *db, char *err, size_t errlen)
{
    if (exec_params(db, "SELECT pg_temp.seed_finish()", 0, NULL, err, errlen) < 0)
        return -1;
    /* VACUUM cannot take parameters or run in a function; the statement is fixed text. */
    PGresult *res = PQexec(db->conn, "VACUUM (ANALYZE) tuki.ticket, tuki.ticket_event, "
                                     "tuki.message, tuki.worklog, tuki.sla_alert");
    PQclear(res); /* only an optimisation: a role that may not vacuum still has its data */
    return 0;
}

int seed_load(struct db *db, long tickets, long seed, const char *anchor, FILE *progress,
              char *err, size_t errlen)
{
    if (!seed_available(db)) {
        snprintf(err, errlen, "the schema is older than seeding needs (version %d): run 'tuki "
                 "migrate'", SEED_NEEDS_VERSION);
        return -1;
    }
    const char *marker[] = {SEED_MARKER_CUSTOMER};
    if (query_true(db, "SELECT EXISTS (SELECT 1 FROM tuki.customer WHERE code = $1)", 1, marker)) {
        snprintf(err, errlen, "this database already holds the seed data set (customer %s); "
                 "seed into a database without it", SEED_MARKER_CUSTOMER);
        return -1;
    }
    if (seed_settings(db, tickets, seed, anchor, err, errlen) < 0 ||
        run_script(db, err, errlen) < 0 || load_batches(db, tickets, progress, err, errlen) < 0 ||
        finish(db, err, errlen) < 0) {
        char inner[1024];
        snprintf(inner, sizeof inner, "%s", err);
        snprintf(err, errlen, "%s (batches loaded before the error stay; drop the database to "
                 "start over)", inner);
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
        fprintf(stderr, "tuki seed: %s takes a whole number from 0 to %ld, not '%s'\n", what, max,
                arg);
        return -1;
    }
    *out = n;
    return 0;
}

static void seed_usage(FILE *to)
{
    fprintf(to, "usage: tuki [-d CONNINFO] seed [--tickets N] [--seed S] [--now TIME]\n");
}

int seed_command(const char *conninfo, int argc, char **argv)
{
    static const struct option longopts[] = {{"tickets", required_argument, NULL, 't'},
                                              {"seed", required_argument, NULL, 's'},
                                              {"now", required_argument, NULL, 'n'},
                                              {"help", no_argument, NULL, 'h'},
                                              {NULL, 0, NULL, 0}};
    long tickets = 2000, seed = 1;
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
        if (opt == 'h') {
            seed_usage(stdout);
            return 0;
        }
        if (opt == '?') {
            fprintf(stderr, "tuki seed: unknown option or missing value '%s'\n", argv[optind - 1]);
            seed_usage(stderr);
            return EX_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "tuki seed: unexpected argument '%s'\n", argv[optind]);
        seed_usage(stderr);
        return EX_USAGE;
    }

    struct db db;
    char err[2048];
    if (db_connect(&db, conninfo, err, sizeof err) < 0) {
        fprintf(stderr, "tuki seed: cannot connect to the database: %s\n", err);
        db_close(&db);
        return EX_UNAVAILABLE;
    }
    int rc = 0;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    if (migrate_check_compatible(db.conn, err, sizeof err) < 0) {
        fprintf(stderr, "tuki seed: %s\n", err);
        rc = EX_DATAERR;
    } else if (seed_load(&db, tickets, seed, anchor, stderr, err, sizeof err) < 0) {
        fprintf(stderr, "tuki seed: %s\n", err);
        rc = EX_DATAERR;
    } else {
        printf("tuki seed: loaded %ld tickets (seed %ld) into %s in %.1f s\n", tickets, seed,
               PQdb(db.conn), seconds_since(&start));
    }
    db_close(&db);
    return rc;
}
