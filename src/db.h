/* The connection to PostgreSQL: connect, reconnect with backoff, LISTEN on the
 * session's own channel (tuki.listen()), and queries
 * that are only ever sent with parameters. Two ways to run them:
 * - synchronous (db_exec), for 'tuki -c' and the sub-commands;
 * - asynchronous (db_send), for the console: queued, at most one in flight, driven by the
 *   one poll loop through db_on_socket(); each result goes to the callback of the code that
 *   asked. Notifications are drained after every result and before every poll()
 *   (db_drain_notifications), as PostgreSQL's testlibpq2.c does. */
#ifndef TUKI_DB_H
#define TUKI_DB_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

enum db_state { DB_OFFLINE, DB_CONNECTING, DB_ONLINE };

/* Called with the result of a query sent by db_send; it owns res (PQclear it). res is NULL
 * when the statement was never answered: the connection was lost or closed. */
typedef void (*db_result_fn)(void *data, PGresult *res);

/* One statement waiting its turn, with copies of everything it needs (public so that
 * tests can see what would be sent). */
struct db_query {
    struct db_query *next;
    long number;
    char *label;
    char *sql;
    int nparams;
    char **params;
    db_result_fn done;
    void *data;
    PGresult *result; /* the last result collected for it */
};

struct db {
    PGconn *conn;
    char *conninfo; /* NULL: libpq's defaults (PG* variables, service file) */
    enum db_state state;
    /* PostgreSQL names are at most 63 bytes (NAMEDATALEN - 1): these hold any. */
    char role[128]; /* current_user once connected */
    char dbname[128];
    int backoff_ms;        /* next wait before a reconnect attempt */
    long long retry_at_ms; /* monotonic time of the next attempt while offline */
    bool connect_writes;   /* a connection under way waits to write, not to read */
    char *error;           /* why we are offline, whole; NULL when online or not known */

    /* The asynchronous side (the console): db_send queues, the loop drives. */
    bool async;
    bool listen;                  /* tuki.listen() on every connection */
    struct db_query *head, *tail; /* head is in flight when sent_ms != 0 */
    long long sent_ms;            /* when the statement in flight was sent, 0 when none */
    bool cancel_requested;        /* the one in flight was asked to stop */
    long next_number;             /* statements are numbered #1, #2, … for the status line */
    void (*on_notify)(void *owner, const char *payload);
    void (*on_state)(void *owner); /* online or offline now (the banner, a reload) */
    void *owner;
};

/* Connects and waits for it; with listen, tuki.listen() and check that it worked.
 * Returns 0, or -1 with libpq's message, whole, in *err (newly allocated: the caller frees it;
 * NULL when out of memory). */
int db_connect(struct db *db, const char *conninfo, char **err);

/* Flags of a connection. DB_DESK: the desk's own session (tuki mail-in, tuki worker): says it
 * is the system (tuki.system = on, believed only for members of tuki_system) and has a 60 s
 * statement timeout, both in the start-up packet (no round trip after it); failing to
 * connect is temporary (EX_TEMPFAIL, so an MTA keeps the mail and retries). */
enum { DB_DESK = 1 };

/* db_connect with flags. */
int db_connect_as(struct db *db, const char *conninfo, unsigned flags, char **err);

/* The same for a sub-command: on failure prints "tuki[ WHO]: cannot connect to the database:
 * …" and returns EX_UNAVAILABLE (with DB_DESK "tuki WHO: cannot reach the database: … (deliver
 * it again later)" and EX_TEMPFAIL); 0 when connected. who may be NULL. */
int db_connect_or_exit(struct db *db, const char *conninfo, const char *who, unsigned flags);

/* Every later connection (reconnects too) LISTENs on its channel (tuki.listen()); the first
 * one now.
 * Returns 0, or -1 with the reason in *err (newly allocated, as db_connect's). */
int db_listen(struct db *db, char **err);

void db_close(struct db *db);

/* A query with text parameters (NULL entries are SQL NULL), waited for. The caller
 * PQclear()s. On a broken connection the state goes to DB_OFFLINE. Only while nothing is
 * queued (it returns NULL otherwise, as when offline). */
PGresult *db_exec(struct db *db, const char *sql, int nparams, const char *const *params);

/* Runs a query for code written once for both modes: with db->async queued (the result
 * comes later; sent when online, kept while reconnecting, answered NULL at once when
 * offline), else executed now (done is called before db_send returns). label names it
 * in the status line while it waits ("take 42"). Returns the statement's number. */
long db_send(struct db *db, const char *label, const char *sql, int nparams,
             const char *const *params, db_result_fn done, void *data);

/* The loop saw the socket ready: advance a reconnect, or read and deliver results. */
void db_on_socket(struct db *db, long long now_ms);

/* Hands every notification libpq has already read to db->on_notify. */
void db_drain_notifications(struct db *db);

/* The statement in flight: its number and label, and since when it has been waiting;
 * false when none. */
bool db_waiting(const struct db *db, long *number, const char **label, long long *since_ms);

/* Asks the server to cancel the statement in flight (PQcancel). Its result still comes,
 * as an error with SQLSTATE 57014. Returns false when nothing was in flight. */
bool db_cancel(struct db *db);

/* true when res is a success (command or rows). */
bool db_ok(const PGresult *res);

/* true when res is the error of a cancelled statement. */
bool db_was_cancelled(const PGresult *res);

/* "TK001: message — detail" on one line, or libpq's connection message. */
void db_result_error(const PGresult *res, const PGconn *conn, char *buf, size_t n);

/* The same in a string of its own size (caller frees). */
char *db_result_error_text(const PGresult *res, const PGconn *conn);

/* The HINT of a failed result, or "" */
const char *db_result_hint(const PGresult *res);

/* Offline handling for the console: start a non-blocking reconnect when it is time.
 * db_on_socket() advances it when the socket is ready; both return the state. */
enum db_state db_reconnect_step(struct db *db, long long now_ms);
int db_socket(const struct db *db);
bool db_wants_write(const struct db *db);

/* Marks the connection lost (after a failed query or EOF on the socket); queued
 * statements are answered with NULL. */
void db_mark_offline(struct db *db, long long now_ms);

/* Monotonic milliseconds, the console's clock for timers. */
long long db_now_ms(void);

#endif
