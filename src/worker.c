/* The worker's loop: connect, sweep, drain the outbox, wait on the socket and a signal pipe. */
#include "worker.h"

#include "mail/mail_compose.h"
#include "db.h"
#include "mail/mail_settings.h"
#include "mail/mail_socket.h"
#include "mail/mail_store.h"
#include "mail/sendmail.h"
#include "report_send.h"
#include "usage.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#define SWEEP_EVERY_MS      60000
#define MAX_ATTEMPTS        8
#define BATCH               8 /* mails sent side by side; SIGTERM waits for these */
#define RETRY_FIRST_SECONDS 60
#define RETRY_MAX_SECONDS   3600
#define RECONNECT_MAX_MS    30000
/* Mail handed over the socket goes before the outbox: sending waits until the socket has been
 * quiet this long, but never longer than DRAIN_DEFER_MAX_MS (one batch then, and so on). */
#define HANDOFF_QUIET_MS   50
#define DRAIN_DEFER_MAX_MS 1000

static volatile sig_atomic_t stop_requested;
static int signal_pipe[2] = {-1, -1};

static void on_stop_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
    int saved = errno;
    if (write(signal_pipe[1], "x", 1) < 0) {
        /* the pipe is full: a wake-up is already pending */
    }
    errno = saved;
}

static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("tuki worker: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

struct worker {
    struct db db;
    bool connected;
    const char *conninfo;
    struct mail_settings mail;
    const char *today; /* --today: the day monthly reports are judged on (tests), else NULL */
    struct mail_socket handoff; /* mail handed over by tuki mail-in (mail.socket) */
    long long handoff_at;       /* when mail last came over the socket (db_now_ms) */
    int sent, retried, failed, received;
};

static PGresult *exec(struct worker *w, const char *sql, int n, const char *const *params)
{
    return PQexecParams(w->db.conn, sql, n, NULL, params, NULL, NULL, 0);
}

/* A statement whose rows are not needed; false (and the connection judged) when it failed. */
static bool run(struct worker *w, const char *sql, int n, const char *const *params)
{
    PGresult *res = exec(w, sql, n, params);
    bool ok = db_ok(res);
    if (!ok) {
        char *err = db_result_error_text(res, w->db.conn);
        say("%s", err ? err : "out of memory");
        free(err);
        if (PQstatus(w->db.conn) != CONNECTION_OK)
            w->connected = false;
    }
    PQclear(res);
    return ok;
}

static int retry_seconds(int attempts)
{
    long s = RETRY_FIRST_SECONDS;
    for (int i = 1; i < attempts && s < RETRY_MAX_SECONDS; i++)
        s *= 2;
    return (int)(s < RETRY_MAX_SECONDS ? s : RETRY_MAX_SECONDS);
}

/* A message handed over the socket: stored exactly as tuki mail-in stores it, on the worker's
 * connection (outside any transaction of its own: done means committed). */
static int store_handed(void *ctx, const char *raw, size_t len, char **what)
{
    struct worker *w = ctx;
    if (!w->connected) {
        *what = strdup("the worker is not connected to the database");
        return EX_TEMPFAIL;
    }
    int rc = mail_store(&w->db, raw, len, w->mail.tag, what);
    if (rc == EX_TEMPFAIL) {
        say("mail from the socket not stored: %s", *what);
        if (PQstatus(w->db.conn) != CONNECTION_OK)
            w->connected = false;
    }
    w->received += rc != EX_TEMPFAIL;
    return rc;
}

/* Serves the socket; true when mail came over it (a client that connects and sends nothing
 * does not hold the outbox up). */
static bool serve_handoff(struct worker *w)
{
    bool busy = mail_socket_serve(&w->handoff, store_handed, w) > 0;
    if (busy)
        w->handoff_at = db_now_ms();
    return busy;
}

/* One claimed mail on its way. */
struct outgoing {
    char *id, *message_id, *subject, *raw;
    unsigned char *attachment;
    int attempts;
    struct sendmail_job job;
};

/* Composes the mail of result row i and starts its sendmail. */
static void start_one(struct worker *w, PGresult *res, int i, struct outgoing *o)
{
    o->id = strdup(PQgetvalue(res, i, 0));
    long long ticket = atoll(PQgetvalue(res, i, 1));
    o->message_id = PQgetisnull(res, i, 8)
                        ? mail_make_message_id(w->mail.from, ticket, atoll(o->id))
                        : strdup(PQgetvalue(res, i, 8));
    const char *subject = PQgetvalue(res, i, 5);
    size_t attachment_len = 0;
    o->attachment =
        PQgetisnull(res, i, 13)
            ? NULL
            : PQunescapeBytea((const unsigned char *)PQgetvalue(res, i, 13), &attachment_len);
    if (ticket == 0 || mail_subject_ticket(subject, w->mail.tag) == ticket)
        o->subject = strdup(subject);
    else if (asprintf(&o->subject, "[%s #%lld] %s", w->mail.tag, ticket, subject) < 0)
        o->subject = strdup(subject);
    struct mail_outgoing out = {
        .from = w->mail.from,
        .to = PQgetvalue(res, i, 3),
        .to_name = PQgetisnull(res, i, 4) ? NULL : PQgetvalue(res, i, 4),
        .subject = o->subject,
        .body = PQgetvalue(res, i, 6),
        .message_id = o->message_id,
        .in_reply_to = PQgetisnull(res, i, 9) ? NULL : PQgetvalue(res, i, 9),
        .references = PQgetvalue(res, i, 10),
        /* a person's words: an agent's reply, a lead's answer to held mail */
        .automatic = strcmp(PQgetvalue(res, i, 2), "reply") != 0 &&
                     strcmp(PQgetvalue(res, i, 2), "held_answer") != 0,
        .language = PQgetisnull(res, i, 14) ? NULL : PQgetvalue(res, i, 14),
        .attachment_name = PQgetisnull(res, i, 11) ? NULL : PQgetvalue(res, i, 11),
        .attachment_type = PQgetisnull(res, i, 12) ? NULL : PQgetvalue(res, i, 12),
        .attachment = o->attachment,
        .attachment_len = attachment_len,
    };
    size_t len;
    o->raw = mail_compose(&out, &len);
    o->attempts = atoi(PQgetvalue(res, i, 7)) + 1;
    sendmail_start(&o->job, w->mail.sendmail, o->raw, len);
}

/* Waits for its sendmail and records the attempt; false on a database error. */
static bool finish_one(struct worker *w, struct outgoing *o, const char *to)
{
    char *err = NULL;
    enum send_result sent = sendmail_finish(&o->job, &err);
    const char *status = sent == SEND_OK                                        ? "sent"
                         : sent == SEND_TEMPORARY && o->attempts < MAX_ATTEMPTS ? "queued"
                                                                                : "failed";
    char retry[16];
    snprintf(retry, sizeof retry, "%d", retry_seconds(o->attempts));
    if (sent != SEND_OK)
        say("outbox %s to %s: %s (%s)", o->id, to, err ? err : "out of memory", status);
    /* raw as text: GMime wrote 7-bit ASCII (headers encoded, body quoted-printable) */
    const char *params[6] = {
        o->id,         status, sent == SEND_OK ? NULL : err ? err : "out of memory",
        o->message_id, o->raw, retry};
    bool ok = run(
        w, "SELECT tuki.outbox_mark($1::bigint, $2, $3, $4, convert_to($5, 'UTF8'), $6::integer)",
        6, params);
    w->sent += sent == SEND_OK;
    w->retried += strcmp(status, "queued") == 0;
    w->failed += strcmp(status, "failed") == 0;
    free(err);
    free(o->id), free(o->message_id), free(o->subject), free(o->raw);
    PQfreemem(o->attachment);
    return ok;
}

/* Claims up to BATCH due mails in one transaction (FOR UPDATE SKIP LOCKED: the rows stay locked
 * while their sendmails run, so no other worker sends them too), sends them side by side, marks
 * each and commits. Returns how many were tried, 0 when none was due, -1 on a database error. */
static int send_batch(struct worker *w)
{
    if (!run(w, "BEGIN", 0, NULL))
        return -1;
    char limit[16];
    snprintf(limit, sizeof limit, "%d", BATCH);
    const char *params[1] = {limit};
    PGresult *res = exec(w,
                         "SELECT o.id, o.ticket, o.kind, o.recipient, o.recipient_name, o.subject,"
                         "       o.body, o.attempts, o.message_id, h.in_reply_to,"
                         "       array_to_string(h.refs, ' '), o.attachment_name,"
                         "       o.attachment_type, o.attachment, o.language"
                         "  FROM tuki.outbox_claim($1::integer) o, tuki.outbox_thread(o.id) h",
                         1, params);
    bool ok = db_ok(res);
    int n = ok ? PQntuples(res) : 0;
    if (!ok) {
        char *err = db_result_error_text(res, w->db.conn);
        say("%s", err ? err : "out of memory");
        free(err);
    }
    struct outgoing batch[BATCH];
    for (int i = 0; i < n; i++)
        start_one(w, res, i, &batch[i]);
    for (int i = 0; i < n; i++)
        ok = finish_one(w, &batch[i], PQgetvalue(res, i, 3)) && ok;
    PQclear(res);
    if (!(ok && run(w, "COMMIT", 0, NULL)))
        run(w, "ROLLBACK", 0, NULL);
    if (PQstatus(w->db.conn) != CONNECTION_OK)
        w->connected = false;
    return ok ? n : -1;
}

static void sweep(struct worker *w)
{
    PGresult *res = exec(w, "SELECT tuki.sla_sweep()", 0, NULL);
    if (!db_ok(res)) {
        char *err = db_result_error_text(res, w->db.conn);
        say("SLA sweep: %s", err ? err : "out of memory");
        free(err);
        if (PQstatus(w->db.conn) != CONNECTION_OK)
            w->connected = false;
    }
    PQclear(res);
}

/* Milliseconds until the next queued mail is due (capped), or the cap when none waits. */
static long long next_due_ms(struct worker *w, long long cap)
{
    PGresult *res = exec(w,
                         "SELECT ceil(extract(epoch FROM min(next_attempt) - now()) * 1000)::bigint"
                         "  FROM tuki.outbox WHERE status = 'queued'",
                         0, NULL);
    long long ms = cap;
    if (db_ok(res) && !PQgetisnull(res, 0, 0))
        ms = atoll(PQgetvalue(res, 0, 0));
    else if (!db_ok(res) && PQstatus(w->db.conn) != CONNECTION_OK)
        w->connected = false;
    PQclear(res);
    return ms < 0 ? 0 : ms < cap ? ms : cap;
}

static bool connect_and_listen(struct worker *w)
{
    char *err = NULL;
    if (db_connect_as(&w->db, w->conninfo, DB_DESK, &err) < 0) {
        say("cannot reach the database: %s", err ? err : "out of memory");
        free(err);
        db_close(&w->db);
        return false;
    }
    /* the sweep, not one statement, may run long: no statement timeout for the worker */
    w->connected =
        run(w, "SET statement_timeout = 0", 0, NULL) && run(w, "LISTEN tuki_outbox", 0, NULL);
    if (!w->connected)
        db_close(&w->db);
    else
        say("connected as %s, listening", w->db.role);
    return w->connected;
}

/* Frees the notifications libpq has read; true when there were any. Those that came in
 * during a query wait in libpq's queue, not on the socket, so this runs before every poll. */
static bool drain_notifications(struct worker *w)
{
    bool any = false;
    PGnotify *note;
    while ((note = PQnotifies(w->db.conn)) != NULL) {
        PQfreemem(note);
        any = true;
    }
    return any;
}

/* Waits for work: a notification or the timeout (work then), or a signal. Mail handed over the
 * socket meanwhile is stored as it comes, and while it keeps coming the work waits for a quiet
 * moment (HANDOFF_QUIET_MS), at most DRAIN_DEFER_MAX_MS. */
static void wait_for_work(struct worker *w, long long timeout_ms)
{
    long long work_at = db_now_ms() + timeout_ms, due_since = -1;
    bool was_connected = w->connected;
    while (!stop_requested && w->connected == was_connected) { /* lost: reconnect at once */
        long long now = db_now_ms(), wake = work_at;
        if (due_since < 0 && ((w->connected && drain_notifications(w)) || now >= work_at))
            due_since = now;
        if (due_since >= 0) {
            long long quiet_at = w->handoff_at + HANDOFF_QUIET_MS,
                      latest = due_since + DRAIN_DEFER_MAX_MS;
            if (now >= quiet_at || now >= latest)
                return;
            wake = quiet_at < latest ? quiet_at : latest;
        }
        struct pollfd fds[2 + MAIL_SOCKET_CLIENTS + 1] = {
            {.fd = signal_pipe[0], .events = POLLIN},
            {.fd = w->connected ? PQsocket(w->db.conn) : -1, .events = POLLIN}};
        size_t nfds = 2 + mail_socket_pollfds(&w->handoff, fds + 2, MAIL_SOCKET_CLIENTS + 1);
        if (poll(fds, nfds, (int)(wake > now ? wake - now : 0)) <= 0)
            continue; /* the time came (or EINTR): judged above */
        if (fds[0].revents) {
            char buf[16];
            while (read(signal_pipe[0], buf, sizeof buf) > 0) {
            }
            return;
        }
        if (w->connected && fds[1].revents &&
            (!PQconsumeInput(w->db.conn) || PQstatus(w->db.conn) != CONNECTION_OK)) {
            w->connected = false;
            return;
        }
        for (size_t i = 2; i < nfds; i++) {
            if (fds[i].revents) {
                serve_handoff(w);
                break;
            }
        }
    }
}

static int worker_loop(struct worker *w, bool once)
{
    long long next_sweep = 0, backoff = 500;
    while (!stop_requested) {
        if (!w->connected) {
            if (w->db.conn)
                db_close(&w->db);
            if (!connect_and_listen(w)) {
                if (once)
                    return EX_TEMPFAIL;
                wait_for_work(w, backoff);
                backoff = backoff * 2 < RECONNECT_MAX_MS ? backoff * 2 : RECONNECT_MAX_MS;
                continue;
            }
            backoff = 500;
        }
        if (db_now_ms() >= next_sweep) {
            sweep(w);
            /* last month's reports, on the first working day (queued: sent just below) */
            if (report_send_due(&w->db, w->today) < 0 && PQstatus(w->db.conn) != CONNECTION_OK)
                w->connected = false;
            next_sweep = db_now_ms() + SWEEP_EVERY_MS;
        }
        /* mail handed over meanwhile waits one batch at most, and puts the rest off
         * (wait_for_work) */
        while (!stop_requested && w->connected && send_batch(w) > 0 && !serve_handoff(w)) {
        }
        if (once)
            return w->connected ? 0 : EX_TEMPFAIL;
        if (w->connected) {
            long long until_sweep = next_sweep - db_now_ms();
            wait_for_work(w, next_due_ms(w, until_sweep > 0 ? until_sweep : 0));
        }
    }
    return 0;
}

int worker_command(const char *config_path, const char *conninfo, int argc, char **argv)
{
    bool once = false;
    const char *today = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--once") == 0) {
            once = true;
        } else if (strcmp(argv[i], "--today") == 0 && i + 1 < argc) {
            today = argv[++i]; /* for tests: the day the monthly reports are judged on */
        } else {
            fprintf(stderr, "tuki worker: unknown argument '%s'\n", argv[i]);
            usage_print(stderr, "worker");
            return EX_USAGE;
        }
    }
    struct worker w = {.conninfo = conninfo, .today = today};
    char *err = NULL;
    if (mail_settings_load(&w.mail, config_path, &err) < 0) {
        say("%s", err ? err : "out of memory");
        free(err);
        mail_settings_free(&w.mail);
        return EX_CONFIG;
    }
    if (pipe(signal_pipe) < 0) {
        say("cannot make a pipe: %s", strerror(errno));
        mail_settings_free(&w.mail);
        return EX_OSERR;
    }
    for (int i = 0; i < 2; i++)
        fcntl(signal_pipe[i], F_SETFL, fcntl(signal_pipe[i], F_GETFL) | O_NONBLOCK);
    struct sigaction sa = {.sa_handler = on_stop_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    w.handoff.fd = -1;
    if (!once) {
        if (mail_socket_open(&w.handoff, w.mail.socket, &err) < 0)
            say("%s: mail-in stores mail on its own connections", err ? err : "out of memory");
        else
            say("taking mail from tuki mail-in at %s", w.mail.socket);
        free(err);
    }
    int rc = worker_loop(&w, once);
    mail_socket_close(&w.handoff);
    say("stopping: %d sent, %d to retry, %d failed, %d mails taken from the socket", w.sent,
        w.retried, w.failed, w.received);
    if (w.db.conn)
        db_close(&w.db);
    mail_settings_free(&w.mail);
    close(signal_pipe[0]);
    close(signal_pipe[1]);
    return rc;
}
