/* The soak's driver: one process per client, each logged in as its own role, issuing a random
 * mix of every API call of the schema (legal and illegal) until the time is up. Every call is
 * one statement in its own transaction; its outcome goes to DIR/client-N.tsv for the SQL checks
 * of soak_check.sql (see soak.sh):
 *   client  login  role  op  ticket  arg  sqlstate  at  tries  seen
 * sqlstate is 00000 on success; at is the transaction's now() (the `at` of the events it wrote);
 * tries counts attempts (serialization failures and deadlocks, 40001/40P01, are retried);
 * seen lists what a read returned (ticket or message ids).
 *
 * Usage: soak SECONDS SEED DIR MAXTICKET ROLE:LOGIN ...   (ROLE: agent lead readonly contact)
 * The PG* variables name the server. The choices of client N depend only on SEED and N, so a
 * failing run can be replayed with the same seed (the interleaving with other clients differs). */
#include <libpq-fe.h>

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_TRIES 20

enum role { ROLE_AGENT, ROLE_LEAD, ROLE_READONLY, ROLE_CONTACT };
static const char *const role_names[] = {"agent", "lead", "readonly", "contact"};

struct client {
    int number;
    enum role role;
    const char *login;
    uint64_t rng;
    long max_ticket;
    PGconn *conn;
    FILE *log;
};

/* The agents' logins, for assign: every client that is an agent or a lead. */
static const char **agent_logins;
static int agent_count;

static uint64_t next_random(struct client *c)
{
    /* xorshift64*: small, and the same sequence on every machine */
    c->rng ^= c->rng >> 12;
    c->rng ^= c->rng << 25;
    c->rng ^= c->rng >> 27;
    return c->rng * 2685821657736338717ULL;
}

static long below(struct client *c, long n)
{
    return (long)(next_random(c) % (uint64_t)n);
}

static bool chance(struct client *c, int percent)
{
    return below(c, 100) < percent;
}

static const char *pick(struct client *c, const char *const *from, int n)
{
    return from[below(c, n)];
}

/* Mostly recent tickets (where the action is), some old ones, now and then one that does not
 * exist. */
static long pick_ticket(struct client *c)
{
    if (chance(c, 2))
        return c->max_ticket + 1000 + below(c, 1000);
    if (chance(c, 60))
        return c->max_ticket - below(c, c->max_ticket < 60 ? c->max_ticket : 60);
    return 1 + below(c, c->max_ticket);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One call: the statement with its parameters, retried on serialization failure or deadlock;
 * one line in the log. The statement's first column is the result (a ticket id for create and
 * take_next, the ids seen for reads), its second the transaction's now(). */
static void call(struct client *c, const char *op, long ticket, const char *arg, const char *sql,
                 int nparams, const char *const *params)
{
    char state[6] = "00000";
    char at[64] = "";
    char *seen = NULL;
    int tries = 0;
    for (;;) {
        tries++;
        PGresult *res = PQexecParams(c->conn, sql, nparams, NULL, params, NULL, NULL, 0);
        if (PQresultStatus(res) == PGRES_TUPLES_OK) {
            strcpy(state, "00000");
            if (PQntuples(res) > 0) {
                if (!PQgetisnull(res, 0, 0))
                    seen = strdup(PQgetvalue(res, 0, 0));
                snprintf(at, sizeof at, "%s", PQgetvalue(res, 0, 1));
            }
        } else {
            const char *s = PQresultErrorField(res, PG_DIAG_SQLSTATE);
            snprintf(state, sizeof state, "%s", s ? s : "?????");
            if (PQstatus(c->conn) == CONNECTION_BAD) {
                fprintf(stderr, "client %d (%s): connection lost: %s", c->number, c->login,
                        PQerrorMessage(c->conn));
                exit(2);
            }
        }
        PQclear(res);
        bool retry = strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0;
        if (!retry || tries >= MAX_TRIES)
            break;
    }
    /* create and take_next name their ticket in the result */
    bool result_is_ticket = strcmp(op, "create") == 0 || strcmp(op, "take_next") == 0;
    if (result_is_ticket && seen && atol(seen) > c->max_ticket)
        c->max_ticket = atol(seen);
    fprintf(c->log, "%d\t%s\t%s\t%s\t", c->number, c->login, role_names[c->role], op);
    if (result_is_ticket)
        fprintf(c->log, "%s", seen ? seen : "\\N");
    else if (ticket > 0)
        fprintf(c->log, "%ld", ticket);
    else
        fputs("\\N", c->log);
    fprintf(c->log, "\t%s\t%s\t%s\t%d\t%s\n", arg ? arg : "\\N", state, *at ? at : "\\N", tries,
            !result_is_ticket && seen ? seen : "\\N");
    free(seen);
}

static const char *const customers[] = {"ACME", "KONE", "TATRA", "NOPE"};
static const char *const contacts[] = {"paivi@acme.fi", "jussi@kone.fi", "lubo@tatra.sk"};
static const char *const types[] = {"incident", "service_request", "problem", "change",
                                    "bug",      "question",        "bogus"};
static const char *const channels[] = {"email", "phone", "portal", "chat", "console"};
static const char *const statuses[] = {
    "new", "open", "waiting_customer", "waiting_third_party", "resolved", "closed", "bogus"};
static const char *const teams[] = {"second_line", "third_line", "development", "bogus"};

/* The weight of each write call in a staff client's mix (read-only roles try them too). */
enum op {
    OP_CREATE,
    OP_TAKE,
    OP_TAKE_NEXT,
    OP_ASSIGN,
    OP_RELEASE,
    OP_STATUS,
    OP_REPLY,
    OP_NOTE,
    OP_PRIORITY,
    OP_ESCALATE,
    OP_WORKLOG,
    OP_SWEEP,
    OP_EXPECT_VERSION,
    OP_CONFIRM_BUG,
    OP_EDIT,
    OP_LINK,
    OP_MERGE,
    OP_COUNT
};
/* merges are rare: each one closes a ticket */
static const int op_weight[OP_COUNT] = {8, 10, 8, 8, 4, 22, 8, 6, 8, 4, 8, 2, 3, 3, 4, 3, 1};

static void write_call(struct client *c, enum op op)
{
    char id[32], n1[32], n2[32], text[96];
    long t = pick_ticket(c);
    snprintf(id, sizeof id, "%ld", t);
    switch (op) {
    case OP_CREATE: {
        int customer = (int)below(c, chance(c, 3) ? 4 : 3);
        const char *contact = customer < 3 && chance(c, 70) ? contacts[customer] : NULL;
        if (chance(c, 3))
            snprintf(text, sizeof text, " \t"); /* blank: TK006 */
        else
            snprintf(text, sizeof text, "soak %d/%ld", c->number, below(c, 1000000));
        snprintf(n1, sizeof n1, "%ld", chance(c, 3) ? 4 : 1 + below(c, 3));
        snprintf(n2, sizeof n2, "%ld", 1 + below(c, 3));
        const char *type = pick(c, types, chance(c, 3) ? 7 : 6);
        const char *p[] = {customers[customer], text, "body", type, n1, n2, contact,
                           pick(c, channels, 5)};
        call(c, "create", 0, customers[customer],
             "SELECT tuki.ticket_create($1, $2, $3, $4, $5::int, $6::int, $7, $8), now()", 8, p);
        break;
    }
    case OP_TAKE: {
        const char *p[] = {id};
        call(c, "take", t, NULL, "SELECT tuki.ticket_take($1), now()", 1, p);
        break;
    }
    case OP_TAKE_NEXT:
        call(c, "take_next", 0, NULL, "SELECT tuki.ticket_take_next(), now()", 0, NULL);
        break;
    case OP_ASSIGN: {
        const char *agent = chance(c, 3) ? "nobody_here" : pick(c, agent_logins, agent_count);
        const char *p[] = {id, agent};
        call(c, "assign", t, agent, "SELECT tuki.ticket_assign($1, $2), now()", 2, p);
        break;
    }
    case OP_RELEASE: {
        const char *p[] = {id};
        call(c, "release", t, NULL, "SELECT tuki.ticket_release($1), now()", 1, p);
        break;
    }
    case OP_STATUS: {
        const char *to = pick(c, statuses, chance(c, 2) ? 7 : 6);
        bool noted = strcmp(to, "resolved") == 0 ? chance(c, 85) : chance(c, 30);
        const char *p[] = {id, to, noted ? "soak note" : NULL};
        call(c, "status", t, to, "SELECT tuki.ticket_set_status($1, $2, $3), now()", 3, p);
        break;
    }
    case OP_REPLY:
    case OP_NOTE: {
        const char *p[] = {id, chance(c, 4) ? "  " : "soak message"};
        call(c, op == OP_REPLY ? "reply" : "note", t, NULL,
             op == OP_REPLY ? "SELECT tuki.ticket_reply($1, $2), now()"
                            : "SELECT tuki.ticket_note($1, $2), now()",
             2, p);
        break;
    }
    case OP_PRIORITY: {
        snprintf(n1, sizeof n1, "%ld", chance(c, 3) ? 4 : 1 + below(c, 3));
        snprintf(n2, sizeof n2, "%ld", 1 + below(c, 3));
        snprintf(text, sizeof text, "%s,%s", n1, n2);
        const char *p[] = {id, n1, n2};
        call(c, "priority", t, text, "SELECT tuki.ticket_set_priority($1, $2::int, $3::int), now()",
             3, p);
        break;
    }
    case OP_ESCALATE: {
        const char *team = pick(c, teams, chance(c, 5) ? 4 : 3);
        const char *p[] = {id, team};
        call(c, "escalate", t, team, "SELECT tuki.ticket_escalate($1, $2), now()", 2, p);
        break;
    }
    case OP_WORKLOG: {
        long minutes = chance(c, 3) ? (chance(c, 50) ? 0 : 1441) : 1 + below(c, 600);
        bool billable = chance(c, 30);
        snprintf(n1, sizeof n1, "%ld", minutes);
        snprintf(text, sizeof text, "%ld,%s", minutes, billable ? "billable" : "included");
        const char *p[] = {id, n1, billable ? "true" : "false", "soak work"};
        call(c, "worklog", t, text, "SELECT tuki.worklog_add($1, $2::int, $3::bool, $4), now()", 4,
             p);
        break;
    }
    case OP_SWEEP:
        call(c, "sweep", 0, NULL, "SELECT tuki.sla_sweep(), now()", 0, NULL);
        break;
    case OP_EXPECT_VERSION: {
        snprintf(n1, sizeof n1, "%ld", 1 + below(c, 8));
        const char *p[] = {id, n1};
        call(c, "expect_version", t, n1, "SELECT tuki.ticket_expect_version($1, $2::int), now()", 2,
             p);
        break;
    }
    case OP_EDIT: {
        /* some fields, sometimes none (TK006), a bogus type or another customer's contact */
        const char *p[] = {id,
                           chance(c, 50) ? pick(c, types, chance(c, 3) ? 7 : 6) : NULL,
                           chance(c, 30) ? contacts[below(c, 3)] : NULL,
                           chance(c, 20) ? "soak subject" : NULL,
                           chance(c, 50) ? pick(c, channels, 5) : NULL,
                           chance(c, 10) ? pick(c, teams, 4) : NULL};
        call(c, "edit", t, NULL, "SELECT tuki.ticket_edit($1, $2, $3, $4, $5, $6), now()", 6, p);
        break;
    }
    case OP_CONFIRM_BUG: {
        snprintf(text, sizeof text, "1.%ld", below(c, 5));
        const char *p[] = {id, chance(c, 30) ? NULL : text};
        call(c, "confirm_bug", t, p[1], "SELECT tuki.ticket_confirm_bug($1, $2), now()", 2, p);
        break;
    }
    case OP_LINK:
    case OP_MERGE: {
        /* two tickets, now and then the same one twice (TK006); the other is the arg */
        snprintf(n1, sizeof n1, "%ld", chance(c, 3) ? t : pick_ticket(c));
        const char *p[] = {id, n1};
        call(c, op == OP_LINK ? "link" : "merge", t, n1,
             op == OP_LINK ? "SELECT tuki.ticket_link_add($1, $2), now()"
                           : "SELECT tuki.ticket_merge($1, $2), now()",
             2, p);
        break;
    }
    case OP_COUNT:
        break;
    }
}

/* Reads of the role's own view of the desk: what came back is logged so the checks can tell
 * whether a contact saw anything of another customer's. */
static void read_call(struct client *c)
{
    char id[32];
    long t = 1 + below(c, c->max_ticket);
    snprintf(id, sizeof id, "%ld", t);
    const char *p[] = {id};
    switch (below(c, 3)) {
    case 0:
        call(c, "read_tickets", t, NULL,
             "SELECT string_agg(id::text, ' '), now() FROM tuki.ticket "
             "WHERE id BETWEEN $1::bigint AND $1::bigint + 30",
             1, p);
        break;
    case 1:
        call(c, "read_messages", t, NULL,
             "SELECT string_agg(id::text, ' '), now() FROM tuki.message "
             "WHERE ticket BETWEEN $1::bigint AND $1::bigint + 30",
             1, p);
        break;
    default:
        call(c, "read_sla", t, NULL,
             "SELECT string_agg(DISTINCT ticket::text, ' '), now() FROM tuki.sla "
             "WHERE ticket BETWEEN $1::bigint AND $1::bigint + 30",
             1, p);
        break;
    }
}

static enum op weighted_op(struct client *c)
{
    int total = 0;
    for (int i = 0; i < OP_COUNT; i++)
        total += op_weight[i];
    long r = below(c, total);
    for (int i = 0; i < OP_COUNT; i++) {
        if (r < op_weight[i])
            return (enum op)i;
        r -= op_weight[i];
    }
    return OP_STATUS;
}

static void refresh_max_ticket(struct client *c)
{
    PGresult *res = PQexec(c->conn, "SELECT max(id) FROM tuki.ticket");
    if (PQresultStatus(res) == PGRES_TUPLES_OK && !PQgetisnull(res, 0, 0) &&
        atol(PQgetvalue(res, 0, 0)) > c->max_ticket)
        c->max_ticket = atol(PQgetvalue(res, 0, 0));
    PQclear(res);
}

static long run_client(struct client *c, double seconds, const char *dir)
{
    const char *keys[] = {"user", "application_name", NULL};
    const char *values[] = {c->login, "tuki-soak", NULL};
    c->conn = PQconnectdbParams(keys, values, 1);
    if (PQstatus(c->conn) != CONNECTION_OK) {
        fprintf(stderr, "client %d (%s): %s", c->number, c->login, PQerrorMessage(c->conn));
        exit(2);
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/client-%d.tsv", dir, c->number);
    c->log = fopen(path, "w");
    if (!c->log) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        exit(2);
    }
    bool staff = c->role == ROLE_AGENT || c->role == ROLE_LEAD;
    double end = now_seconds() + seconds;
    long calls = 0;
    while (now_seconds() < end) {
        if (staff && calls % 100 == 0)
            refresh_max_ticket(c);
        if (!staff && chance(c, 60))
            read_call(c);
        else
            write_call(c, weighted_op(c));
        calls++;
    }
    fclose(c->log);
    PQfinish(c->conn);
    return calls;
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: soak SECONDS SEED DIR MAXTICKET ROLE:LOGIN...\n");
        return 2;
    }
    double seconds = atof(argv[1]);
    uint64_t seed = strtoull(argv[2], NULL, 10);
    const char *dir = argv[3];
    long max_ticket = atol(argv[4]);
    int n = argc - 5;
    struct client *clients = calloc((size_t)n, sizeof *clients);
    agent_logins = calloc((size_t)n, sizeof *agent_logins);
    for (int i = 0; i < n; i++) {
        char *spec = argv[5 + i], *colon = strchr(spec, ':');
        if (!colon) {
            fprintf(stderr, "soak: %s is not ROLE:LOGIN\n", spec);
            return 2;
        }
        *colon = '\0';
        int r = 0;
        while (r < 4 && strcmp(role_names[r], spec) != 0)
            r++;
        if (r == 4) {
            fprintf(stderr, "soak: unknown role %s\n", spec);
            return 2;
        }
        clients[i] = (struct client){.number = i + 1,
                                     .role = (enum role)r,
                                     .login = colon + 1,
                                     .rng = (seed + 1) * 0x9E3779B97F4A7C15ULL ^ (uint64_t)(i + 1),
                                     .max_ticket = max_ticket};
        if (r == ROLE_AGENT || r == ROLE_LEAD)
            agent_logins[agent_count++] = colon + 1;
    }
    if (agent_count == 0)
        agent_logins[agent_count++] = "nobody_here";
    printf("soak: seed %" PRIu64 ", %d clients, %.0f s\n", seed, n, seconds);
    fflush(stdout);
    double start = now_seconds();
    for (int i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 2;
        }
        if (pid == 0) {
            long calls = run_client(&clients[i], seconds, dir);
            printf("  client %d %-8s %-20s %ld calls\n", clients[i].number,
                   role_names[clients[i].role], clients[i].login, calls);
            fflush(stdout);
            _exit(0);
        }
    }
    int failed = 0, status;
    while (wait(&status) > 0)
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            failed++;
    printf("soak: %.1f s wall clock\n", now_seconds() - start);
    free(clients);
    free(agent_logins);
    return failed ? 1 : 0;
}
