/* The connection to PostgreSQL: connect, reconnect with backoff, LISTEN, and queries that
 * are only ever sent with parameters (PQexecParams). */
#ifndef TUKI_DB_H
#define TUKI_DB_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

enum db_state { DB_OFFLINE, DB_CONNECTING, DB_ONLINE };

struct db {
    PGconn *conn;
    char *conninfo; /* NULL: libpq's defaults (PG* variables, service file) */
    enum db_state state;
    char role[128]; /* current_user once connected */
    char dbname[128];
    int backoff_ms;        /* next wait before a reconnect attempt */
    long long retry_at_ms; /* monotonic time of the next attempt while offline */
    bool connect_writes;   /* a connection under way waits to write, not to read */
    char error[512];       /* why we are offline */
};

/* Connects and waits for it. Returns 0, or -1 with libpq's message in err. */
int db_connect(struct db *db, const char *conninfo, char *err, size_t errlen);
void db_close(struct db *db);

/* A query with text parameters (NULL entries are SQL NULL). The caller PQclear()s.
 * On a broken connection the state goes to DB_OFFLINE. */
PGresult *db_exec(struct db *db, const char *sql, int nparams, const char *const *params);

/* true when res is a success (command or rows). */
bool db_ok(const PGresult *res);

/* "TK001: message — detail" on one line, or libpq's connection message. */
void db_result_error(const PGresult *res, const PGconn *conn, char *buf, size_t n);

/* The HINT of a failed result, or "" */
const char *db_result_hint(const PGresult *res);

/* Offline handling for the console: start a non-blocking reconnect when it is time.
 * db_poll_connect() advances it when the socket is ready; both return the state. */
enum db_state db_reconnect_step(struct db *db, long long now_ms);
int db_socket(const struct db *db);
bool db_wants_write(const struct db *db);

/* Marks the connection lost (after a failed query or EOF on the socket). */
void db_mark_offline(struct db *db, long long now_ms);

/* Monotonic milliseconds, the console's clock for timers. */
long long db_now_ms(void);

#endif
