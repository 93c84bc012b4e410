#include "demo.h"

#include "i18n.h"

#include "console.h"
#include "db.h"
#include "migrate.h"
#include "pgserver.h"
#include "seed.h"
#include "text.h"
#include "usage.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#define DEMO_DB    "tuki"
#define DEMO_AGENT "demo"

static int parse_tickets(const char *arg, long *out)
{
    char *end;
    long n = strtol(arg, &end, 10);
    if (*arg == '\0' || *end != '\0' || n < 0 || n > 10000000) {
        fprintf(stderr, _("tuki: --tickets takes a whole number from 0 to 10000000, not '%s'\n"),
                arg);
        return -1;
    }
    *out = n;
    return 0;
}

/* Connects; on failure closes db and puts libpq's message in *err (as every function here: the
 * message newly allocated, NULL when out of memory; the caller frees it). */
static int connect_demo(struct db *db, const char *conninfo, char **err)
{
    if (db_connect(db, conninfo, err) == 0)
        return 0;
    db_close(db);
    return -1;
}

/* The demo database 'tuki' inside the private server, created on first use. */
static int ensure_database(const struct pgserver *s, char **err)
{
    char conninfo[PATH_MAX + 128];
    pgserver_conninfo(s, "postgres", "tuki", conninfo, sizeof conninfo);
    struct db db;
    if (connect_demo(&db, conninfo, err) < 0)
        return -1;
    const char *params[] = {DEMO_DB};
    PGresult *res = db_exec(&db, "SELECT 1 FROM pg_database WHERE datname = $1", 1, params);
    int exists = db_ok(res) && PQntuples(res) == 1;
    int rc = db_ok(res) ? 0 : -1;
    if (rc < 0)
        *err = db_result_error_text(res, db.conn);
    PQclear(res);
    if (rc == 0 && !exists) {
        /* A fixed identifier, not user input: CREATE DATABASE takes no parameters. */
        res = PQexec(db.conn, "CREATE DATABASE " DEMO_DB);
        if (!db_ok(res)) {
            *err = db_result_error_text(res, db.conn);
            rc = -1;
        }
        PQclear(res);
    }
    db_close(&db);
    return rc;
}

/* The console never runs as the superuser: the demo login is a real agent and lead, registered
 * the way a lead would (tuki.agent_add creates the role). */
static int register_demo_agent(struct db *db, char **err)
{
    const char *params[] = {DEMO_AGENT, "Demo Agent"};
    PGresult *res = db_exec(db, "SELECT tuki.agent_add($1, $2, 'second_line', true)", 2, params);
    int rc = db_ok(res) ? 0 : -1;
    if (rc < 0)
        *err = db_result_error_text(res, db->conn);
    PQclear(res);
    return rc;
}

/* So that 'filter mine' shows something: the demo agent takes the top three new tickets, as
 * itself (an administrator may name the actor, see tuki.actor()). */
static int take_first_tickets(struct db *db, char **err)
{
    const char *params[] = {DEMO_AGENT};
    PGresult *res = db_exec(db, "SELECT set_config('tuki.actor', $1, false)", 1, params);
    int rc = db_ok(res) ? 0 : -1;
    PQclear(res);
    if (rc == 0) {
        res = db_exec(db,
                      "SELECT tuki.ticket_take(q.id) FROM (SELECT id FROM tuki.queue "
                      "WHERE status = 'new' AND assignee IS NULL ORDER BY position LIMIT 3) q",
                      0, NULL);
        rc = db_ok(res) ? 0 : -1;
        if (rc < 0)
            *err = db_result_error_text(res, db->conn);
        PQclear(res);
    }
    return rc;
}

/* Migrates, seeds on first use and registers the demo agent; returns the login to use. */
static int prepare_schema(const struct pgserver *s, long tickets, const char **login, char **err)
{
    char conninfo[PATH_MAX + 128];
    pgserver_conninfo(s, DEMO_DB, "tuki", conninfo, sizeof conninfo);
    struct db db;
    if (connect_demo(&db, conninfo, err) < 0)
        return -1;
    FILE *quiet = fopen("/dev/null", "w");
    char *e = NULL;
    int rc = migrate_apply(db.conn, quiet ? quiet : stderr, &e);
    if (quiet)
        fclose(quiet);
    if (rc < 0) {
        /* the demo database is throwaway: say how to start it afresh */
        *err =
            e ? text_printf("%s%s", e, _(" ('tuki demo --reset' starts the demo afresh)")) : NULL;
    }
    free(e);
    *login = "tuki";
    if (rc == 0 && seed_available(&db)) {
        bool fresh = !seed_present(&db);
        if (fresh) {
            fprintf(stderr,
                    ngettext("tuki: loading the demo data (%ld ticket)\n",
                             "tuki: loading the demo data (%ld tickets)\n", tickets),
                    tickets);
            rc = seed_load(&db, tickets, 1, NULL, 0, stderr, err);
        }
        if (rc == 0)
            rc = register_demo_agent(&db, err);
        if (rc == 0 && fresh)
            rc = take_first_tickets(&db, err);
        if (rc == 0)
            *login = DEMO_AGENT;
    }
    db_close(&db);
    return rc;
}

/* Prints "tuki demo: why" and frees it; returns status. */
static int demo_failed(char *err, int status)
{
    fprintf(stderr, "tuki demo: %s\n", err ? err : _("out of memory"));
    free(err);
    return status;
}

static volatile sig_atomic_t demo_interrupted;

static void note_interrupt(int sig)
{
    (void)sig;
    demo_interrupted = 1;
}

int demo_run(const struct settings *settings, int argc, char **argv)
{
    static const struct option longopts[] = {{"tickets", required_argument, NULL, 't'},
                                             {"reset", no_argument, NULL, 'r'},
                                             {NULL, 0, NULL, 0}};
    long tickets = 2000;
    int reset = 0, opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
        if (opt == 't') {
            if (parse_tickets(optarg, &tickets) < 0)
                return EX_USAGE;
        } else if (opt == 'r') {
            reset = 1;
        } else {
            fprintf(stderr, _("tuki demo: unknown option '%s'\n"), argv[optind - 1]);
            usage_print(stderr, "demo");
            return EX_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, _("tuki demo: unexpected argument '%s'\n"), argv[optind]);
        return EX_USAGE;
    }

    /* Until the console takes over the signals, an interrupt only cuts the start short;
     * the server is always stopped on the way out. */
    struct sigaction sa = {.sa_handler = note_interrupt};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    char datadir[PATH_MAX], *err = NULL;
    pgserver_default_datadir(datadir, sizeof datadir);
    struct pgserver server;
    if (pgserver_init(&server, datadir, &err) < 0)
        return demo_failed(err, EX_UNAVAILABLE);
    if (reset) {
        if (pgserver_start(&server, NULL, &err) == 0)
            pgserver_stop(&server); /* only to learn it is not in use */
        else if (pgserver_exists(&server))
            return demo_failed(err, EX_UNAVAILABLE);
        free(err); /* no cluster, so none in use: remove what is left */
        if (pgserver_remove(&server, &err) < 0)
            return demo_failed(err, EX_CANTCREAT);
    }
    if (pgserver_start(&server, stderr, &err) < 0)
        return demo_failed(err, EX_UNAVAILABLE);
    int rc = 0;
    const char *login = NULL;
    if (ensure_database(&server, &err) < 0 || prepare_schema(&server, tickets, &login, &err) < 0) {
        rc = demo_failed(err, EX_UNAVAILABLE);
    } else if (!demo_interrupted) {
        char conninfo[PATH_MAX + 128];
        pgserver_conninfo(&server, DEMO_DB, login, conninfo, sizeof conninfo);
        fprintf(stderr,
                _("tuki: demo database running; while the console is open, try:\n"
                  "  psql '%s'\n"),
                conninfo);
        rc = console_run(settings, conninfo);
    }
    pgserver_stop(&server);
    return rc;
}
