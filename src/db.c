#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 8000

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

static void remember_identity(struct db *db)
{
    PQsetNoticeProcessor(db->conn, ignore_notice, NULL);
    snprintf(db->dbname, sizeof db->dbname, "%s", PQdb(db->conn));
    PGresult *res = PQexecParams(db->conn, "SELECT current_user", 0, NULL, NULL, NULL, NULL, 0);
    if (PQresultStatus(res) == PGRES_TUPLES_OK)
        snprintf(db->role, sizeof db->role, "%s", PQgetvalue(res, 0, 0));
    else
        snprintf(db->role, sizeof db->role, "%s", PQuser(db->conn));
    PQclear(res);
}

static PGconn *connect_with(const char *conninfo, bool nonblocking)
{
    /* fallback_application_name lets DBAs see consoles in pg_stat_activity. */
    const char *keys[] = {"dbname", "fallback_application_name", NULL};
    const char *vals[] = {conninfo ? conninfo : "", "tuki", NULL};
    return nonblocking ? PQconnectStartParams(keys, vals, 1) : PQconnectdbParams(keys, vals, 1);
}

int db_connect(struct db *db, const char *conninfo, char *err, size_t errlen)
{
    memset(db, 0, sizeof *db);
    db->conninfo = conninfo ? strdup(conninfo) : NULL;
    db->conn = connect_with(conninfo, false);
    if (!db->conn || PQstatus(db->conn) != CONNECTION_OK) {
        snprintf(err, errlen, "%s", db->conn ? PQerrorMessage(db->conn) : "out of memory");
        trim_newline(err);
        return -1;
    }
    db->state = DB_ONLINE;
    db->backoff_ms = BACKOFF_MIN_MS;
    remember_identity(db);
    return 0;
}

void db_close(struct db *db)
{
    if (db->conn)
        PQfinish(db->conn);
    free(db->conninfo);
    memset(db, 0, sizeof *db);
}

bool db_ok(const PGresult *res)
{
    ExecStatusType st = PQresultStatus(res);
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

void db_mark_offline(struct db *db, long long now_ms)
{
    if (db->state == DB_OFFLINE)
        return;
    if (db->conn) {
        snprintf(db->error, sizeof db->error, "%s", PQerrorMessage(db->conn));
        trim_newline(db->error);
        PQfinish(db->conn);
        db->conn = NULL;
    }
    db->state = DB_OFFLINE;
    if (db->backoff_ms < BACKOFF_MIN_MS)
        db->backoff_ms = BACKOFF_MIN_MS;
    db->retry_at_ms = now_ms + db->backoff_ms;
}

PGresult *db_exec(struct db *db, const char *sql, int nparams, const char *const *params)
{
    if (db->state != DB_ONLINE || !db->conn)
        return NULL;
    PGresult *res = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
    if (PQstatus(db->conn) == CONNECTION_BAD)
        db_mark_offline(db, db_now_ms());
    return res;
}

void db_result_error(const PGresult *res, const PGconn *conn, char *buf, size_t n)
{
    if (!res) {
        snprintf(buf, n, "not connected to the database");
        return;
    }
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
    if (!msg) {
        snprintf(buf, n, "%s", conn ? PQerrorMessage(conn) : PQresultErrorMessage(res));
        trim_newline(buf);
        if (!*buf)
            snprintf(buf, n, "unknown error");
        return;
    }
    if (detail)
        snprintf(buf, n, "%s: %s — %s", state ? state : "ERROR", msg, detail);
    else
        snprintf(buf, n, "%s: %s", state ? state : "ERROR", msg);
    for (char *p = buf; *p; p++)
        if (*p == '\n' || *p == '\t')
            *p = ' ';
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

enum db_state db_reconnect_step(struct db *db, long long now_ms)
{
    if (db->state == DB_ONLINE)
        return DB_ONLINE;
    if (db->state == DB_OFFLINE) {
        if (now_ms < db->retry_at_ms)
            return DB_OFFLINE;
        db->conn = connect_with(db->conninfo, true);
        if (!db->conn || PQstatus(db->conn) == CONNECTION_BAD) {
            db_mark_offline(db, now_ms);
            db->backoff_ms =
                db->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : db->backoff_ms * 2;
            db->retry_at_ms = now_ms + db->backoff_ms;
            return DB_OFFLINE;
        }
        db->state = DB_CONNECTING;
    }
    PostgresPollingStatusType st = PQconnectPoll(db->conn);
    if (st == PGRES_POLLING_FAILED) {
        db->state = DB_CONNECTING; /* so mark_offline records the message */
        db_mark_offline(db, now_ms);
        db->backoff_ms = db->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : db->backoff_ms * 2;
        db->retry_at_ms = now_ms + db->backoff_ms;
        return DB_OFFLINE;
    }
    db->connect_writes = st == PGRES_POLLING_WRITING;
    if (st == PGRES_POLLING_OK) {
        db->state = DB_ONLINE;
        db->backoff_ms = BACKOFF_MIN_MS;
        db->error[0] = '\0';
        remember_identity(db);
    }
    return db->state;
}
