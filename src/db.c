#include "db.h"

#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 8000
/* The schema picks the channel: staff's, or a contact's own customer's (tuki-schema(7)). */
#define LISTEN_SQL "SELECT tuki.listen()"

long long db_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void trim_newline(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
        s[--n] = '\0';
}

/* libpq prints notices to stderr, which would scribble over the screen; the console
 * shows what matters (errors, the offline banner) itself. */
static void ignore_notice(void *arg, const char *message)
{
    (void)arg, (void)message;
}

static void remember_role(struct db *db, const PGresult *res)
{
    if (res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
        snprintf(db->role, sizeof db->role, "%s", PQgetvalue(res, 0, 0));
    else
        snprintf(db->role, sizeof db->role, "%s", PQuser(db->conn));
}

static void role_arrived(void *data, PGresult *res)
{
    struct db *db = data;
    if (db->conn)
        remember_role(db, res);
    PQclear(res);
}

static void listen_arrived(void *data, PGresult *res)
{
    struct db *db = data;
    if (res && !db_ok(res) && db->conn) {
        /* Without LISTEN the console would silently stop seeing other agents' changes:
         * better offline, and trying again, than quietly stale. */
        free(db->error);
        db->error = db_result_error_text(res, db->conn);
        PQclear(res);
        PQfinish(db->conn);
        db->conn = NULL;
        db->state = DB_CONNECTING;
        db_mark_offline(db, db_now_ms());
        return;
    }
    PQclear(res);
}

static void prepare_session(struct db *db)
{
    PQsetNoticeProcessor(db->conn, ignore_notice, NULL);
    snprintf(db->dbname, sizeof db->dbname, "%s", PQdb(db->conn));
}

static PGconn *connect_with(const char *conninfo, bool nonblocking, unsigned flags)
{
    /* fallback_application_name lets DBAs see consoles in pg_stat_activity. The desk's own
     * session says it is the system (tuki.system = on; the schema believes it only for
     * members of tuki_system) in the start-up packet, replacing any options in conninfo: no
     * round trip after it (mail-in is one process per message), and a database that hangs
     * must not hold an MTA's delivery forever. */
    const char *keys[] = {"dbname", "fallback_application_name", "options", NULL};
    const char *vals[] = {conninfo ? conninfo : "", flags & DB_DESK ? "tuki mail" : "tuki",
                          "-c tuki.system=on -c statement_timeout=60s", NULL};
    if (!(flags & DB_DESK))
        keys[2] = NULL;
    return nonblocking ? PQconnectStartParams(keys, vals, 1) : PQconnectdbParams(keys, vals, 1);
}

int db_connect(struct db *db, const char *conninfo, char **err)
{
    return db_connect_as(db, conninfo, 0, err);
}

int db_connect_as(struct db *db, const char *conninfo, unsigned flags, char **err)
{
    *err = NULL;
    memset(db, 0, sizeof *db);
    db->conninfo = conninfo ? strdup(conninfo) : NULL;
    db->conn = connect_with(conninfo, false, flags);
    if (!db->conn || PQstatus(db->conn) != CONNECTION_OK) {
        *err = strdup(db->conn ? PQerrorMessage(db->conn) : _("out of memory"));
        if (*err)
            trim_newline(*err);
        return -1;
    }
    db->state = DB_ONLINE;
    db->backoff_ms = BACKOFF_MIN_MS;
    prepare_session(db);
    if (flags & DB_DESK) {
        remember_role(db, NULL); /* the login role: no SET ROLE in the desk's session */
        return 0;
    }
    PGresult *res = PQexecParams(db->conn, "SELECT current_user", 0, NULL, NULL, NULL, NULL, 0);
    remember_role(db, res);
    PQclear(res);
    return 0;
}

int db_connect_or_exit(struct db *db, const char *conninfo, const char *who, unsigned flags)
{
    char *err = NULL;
    if (db_connect_as(db, conninfo, flags, &err) == 0)
        return 0;
    const char *why = err ? err : _("out of memory");
    int rc = EX_UNAVAILABLE;
    if (flags & DB_DESK) {
        fprintf(stderr, _("tuki %s: cannot reach the database: %s (deliver it again later)\n"),
                who ? who : "mail-in", why);
        rc = EX_TEMPFAIL; /* the MTA keeps the message and retries */
    } else {
        fprintf(stderr, _("tuki%s%s: cannot connect to the database: %s\n"), who ? " " : "",
                who ? who : "", why);
    }
    free(err);
    db_close(db);
    return rc;
}

int db_listen(struct db *db, char **err)
{
    *err = NULL;
    db->listen = true;
    PGresult *res = db_exec(db, LISTEN_SQL, 0, NULL);
    int rc = db_ok(res) ? 0 : -1;
    if (rc < 0)
        *err = db_result_error_text(res, db->conn);
    PQclear(res);
    return rc;
}

static void query_free(struct db_query *q)
{
    for (int i = 0; i < q->nparams; i++)
        free(q->params[i]);
    free(q->params);
    free(q->sql);
    free(q->label);
    PQclear(q->result);
    free(q);
}

/* Takes the head off the queue and hands its result (or NULL) to whoever asked. */
static void answer_head(struct db *db, PGresult *res)
{
    struct db_query *q = db->head;
    db->head = q->next;
    if (!db->head)
        db->tail = NULL;
    db->sent_ms = 0;
    db->cancel_requested = false;
    q->result = NULL;
    q->done(q->data, res);
    query_free(q);
}

static void answer_all_unsent(struct db *db)
{
    while (db->head)
        answer_head(db, NULL);
}

void db_close(struct db *db)
{
    if (db->conn)
        PQfinish(db->conn);
    db->conn = NULL;
    db->state = DB_OFFLINE;
    answer_all_unsent(db);
    free(db->conninfo);
    free(db->error);
    memset(db, 0, sizeof *db);
}

bool db_ok(const PGresult *res)
{
    ExecStatusType st = PQresultStatus(res);
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

bool db_was_cancelled(const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    return state && strcmp(state, "57014") == 0;
}

static void notify_state(struct db *db)
{
    if (db->on_state)
        db->on_state(db->owner);
}

void db_mark_offline(struct db *db, long long now_ms)
{
    if (db->state == DB_OFFLINE)
        return;
    if (db->conn) {
        free(db->error);
        if ((db->error = strdup(PQerrorMessage(db->conn))))
            trim_newline(db->error);
        PQfinish(db->conn);
        db->conn = NULL;
    }
    db->state = DB_OFFLINE;
    if (db->backoff_ms < BACKOFF_MIN_MS)
        db->backoff_ms = BACKOFF_MIN_MS;
    db->retry_at_ms = now_ms + db->backoff_ms;
    answer_all_unsent(db);
    notify_state(db);
}

PGresult *db_exec(struct db *db, const char *sql, int nparams, const char *const *params)
{
    if (db->state != DB_ONLINE || !db->conn || db->head)
        return NULL;
    PGresult *res = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
    if (PQstatus(db->conn) == CONNECTION_BAD)
        db_mark_offline(db, db_now_ms());
    return res;
}

/* Sends the head of the queue when nothing is in flight. */
static void send_next(struct db *db)
{
    while (db->head && !db->sent_ms) {
        if (db->state == DB_CONNECTING)
            return; /* sent once the connection is up */
        if (db->state != DB_ONLINE || !db->conn) {
            answer_all_unsent(db);
            return;
        }
        struct db_query *q = db->head;
        if (PQsendQueryParams(db->conn, q->sql, q->nparams, NULL, (const char *const *)q->params,
                              NULL, NULL, 0)) {
            db->sent_ms = db_now_ms();
            return;
        }
        db_mark_offline(db, db_now_ms());
    }
}

long db_send(struct db *db, const char *label, const char *sql, int nparams,
             const char *const *params, db_result_fn done, void *data)
{
    long number = ++db->next_number;
    if (!db->async) {
        done(data, db_exec(db, sql, nparams, params));
        return number;
    }
    struct db_query *q = calloc(1, sizeof *q);
    q->number = number;
    q->label = strdup(label ? label : "");
    q->sql = strdup(sql);
    q->nparams = nparams;
    q->params = calloc((size_t)nparams + 1, sizeof *q->params);
    for (int i = 0; i < nparams; i++)
        q->params[i] = params[i] ? strdup(params[i]) : NULL;
    q->done = done;
    q->data = data;
    if (db->tail)
        db->tail->next = q;
    else
        db->head = q;
    db->tail = q;
    send_next(db);
    return number;
}

void db_drain_notifications(struct db *db)
{
    PGnotify *note;
    while (db->conn && (note = PQnotifies(db->conn))) {
        if (db->on_notify)
            db->on_notify(db->owner, note->extra);
        PQfreemem(note);
    }
}

/* Collects the results that arrived; the last one of a statement answers it. */
static void collect_results(struct db *db)
{
    while (db->conn && db->sent_ms && !PQisBusy(db->conn)) {
        PGresult *res = PQgetResult(db->conn);
        if (res) {
            PQclear(db->head->result);
            db->head->result = res;
            continue;
        }
        struct db_query *q = db->head;
        PGresult *last = q->result;
        q->result = NULL;
        answer_head(db, last);
        db_drain_notifications(db);
        send_next(db);
    }
}

/* A reconnect that just succeeded: LISTEN again and learn who we are, before anything the
 * owner queues in its on_state. */
static void session_started(struct db *db)
{
    prepare_session(db);
    struct db_query *queued = db->head, *tail = db->tail;
    db->head = db->tail = NULL;
    if (db->listen)
        db_send(db, "LISTEN", LISTEN_SQL, 0, NULL, listen_arrived, db);
    db_send(db, _("who am I"), "SELECT current_user", 0, NULL, role_arrived, db);
    if (queued) {
        db->tail->next = queued;
        db->tail = tail;
    }
}

void db_on_socket(struct db *db, long long now_ms)
{
    if (db->state == DB_CONNECTING) {
        db_reconnect_step(db, now_ms);
        return;
    }
    if (db->state != DB_ONLINE || !db->conn)
        return;
    if (!PQconsumeInput(db->conn) || PQstatus(db->conn) == CONNECTION_BAD) {
        db_mark_offline(db, now_ms);
        return;
    }
    collect_results(db);
    db_drain_notifications(db);
}

bool db_waiting(const struct db *db, long *number, const char **label, long long *since_ms)
{
    if (!db->sent_ms || !db->head)
        return false;
    *number = db->head->number;
    *label = db->head->label;
    *since_ms = db->sent_ms;
    return true;
}

bool db_cancel(struct db *db)
{
    if (!db->sent_ms || !db->conn)
        return false;
    PGcancel *cancel = PQgetCancel(db->conn);
    char err[256]; /* libpq's size for PQcancel's message, which is cut to fit; not shown */
    bool sent = cancel && PQcancel(cancel, err, sizeof err);
    PQfreeCancel(cancel);
    db->cancel_requested = sent;
    return sent;
}

/* A message cut by snprintf may end inside a UTF-8 character: drop the partial one. */
static void drop_partial_character(char *s)
{
    size_t len = strlen(s), start = len;
    while (start > 0 && len - start < 4 && ((unsigned char)s[start - 1] & 0xC0) == 0x80)
        start--;
    if (start == 0)
        return;
    unsigned char lead = (unsigned char)s[start - 1];
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (len - (start - 1) < want)
        s[start - 1] = '\0';
}

void db_result_error(const PGresult *res, const PGconn *conn, char *buf, size_t n)
{
    if (!res) {
        snprintf(buf, n, _("not connected to the database"));
        return;
    }
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
    if (!msg) {
        snprintf(buf, n, "%s", conn ? PQerrorMessage(conn) : PQresultErrorMessage(res));
        trim_newline(buf);
        if (!*buf)
            snprintf(buf, n, _("unknown error"));
        return;
    }
    if (detail)
        snprintf(buf, n, "%s: %s — %s", state ? state : "ERROR", msg, detail);
    else
        snprintf(buf, n, "%s: %s", state ? state : "ERROR", msg);
    for (char *p = buf; *p; p++)
        if (*p == '\n' || *p == '\t')
            *p = ' ';
    drop_partial_character(buf);
}

const char *db_result_hint(const PGresult *res)
{
    const char *hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL;
    return hint ? hint : "";
}

int db_socket(const struct db *db)
{
    return db->conn ? PQsocket(db->conn) : -1;
}

bool db_wants_write(const struct db *db)
{
    return db->state == DB_CONNECTING && db->connect_writes;
}

static void back_off(struct db *db, long long now_ms)
{
    db->backoff_ms = db->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : db->backoff_ms * 2;
    db->retry_at_ms = now_ms + db->backoff_ms;
}

enum db_state db_reconnect_step(struct db *db, long long now_ms)
{
    if (db->state == DB_ONLINE)
        return DB_ONLINE;
    if (db->state == DB_OFFLINE) {
        if (now_ms < db->retry_at_ms)
            return DB_OFFLINE;
        db->conn = connect_with(db->conninfo, true, 0);
        if (!db->conn || PQstatus(db->conn) == CONNECTION_BAD) {
            db->state = DB_CONNECTING; /* so mark_offline records the message */
            db_mark_offline(db, now_ms);
            back_off(db, now_ms);
            return DB_OFFLINE;
        }
        db->state = DB_CONNECTING;
        notify_state(db);
    }
    PostgresPollingStatusType st = PQconnectPoll(db->conn);
    if (st == PGRES_POLLING_FAILED) {
        db_mark_offline(db, now_ms);
        back_off(db, now_ms);
        return DB_OFFLINE;
    }
    db->connect_writes = st == PGRES_POLLING_WRITING;
    if (st == PGRES_POLLING_OK) {
        db->state = DB_ONLINE;
        db->backoff_ms = BACKOFF_MIN_MS;
        free(db->error);
        db->error = NULL;
        session_started(db);
        notify_state(db);
    }
    return db->state;
}

/* The database's error for a failed result, in a string of its own size (caller frees). */
char *db_result_error_text(const PGresult *res, const PGconn *conn)
{
    size_t n = 64;
    const int fields[] = {PG_DIAG_SQLSTATE, PG_DIAG_MESSAGE_PRIMARY, PG_DIAG_MESSAGE_DETAIL};
    for (size_t i = 0; res && i < sizeof fields / sizeof fields[0]; i++) {
        const char *f = PQresultErrorField(res, fields[i]);
        n += f ? strlen(f) : 0;
    }
    n += res ? strlen(PQresultErrorMessage(res)) : 0;
    n += conn ? strlen(PQerrorMessage(conn)) : 0;
    char *buf = malloc(n);
    db_result_error(res, conn, buf, n);
    return buf;
}
