/* The worker's loop: connect, sweep, drain the outbox, wait on the socket and a signal pipe. */
#include "worker.h"

#include "mail/mail_compose.h"
#include "mail/mail_db.h"
#include "mail/mail_settings.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#define SWEEP_EVERY_MS      60000
#define MAX_ATTEMPTS        8
#define RETRY_FIRST_SECONDS 60
#define RETRY_MAX_SECONDS   3600
#define RECONNECT_MAX_MS    30000

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

enum send_result { SEND_OK, SEND_TEMPORARY, SEND_PERMANENT };

/* sendmail's exit status as sysexits(3): which failures are worth another try */
static enum send_result classify_exit(int status)
{
    if (WIFEXITED(status)) {
        switch (WEXITSTATUS(status)) {
        case 0:
            return SEND_OK;
        case EX_TEMPFAIL:
        case EX_OSERR:
        case EX_IOERR:
        case EX_CANTCREAT:
        case EX_SOFTWARE:
        case 126: /* the command cannot run or is missing: an administrator's fix away */
        case 127:
            return SEND_TEMPORARY;
        default:
            return SEND_PERMANENT;
        }
    }
    return SEND_TEMPORARY; /* killed by a signal */
}

/* Runs mail.sendmail with the message on stdin; its stderr becomes the error text. */
static enum send_result run_sendmail(const char *command, const char *raw, size_t len, char *err,
                                     size_t errlen)
{
    err[0] = '\0';
    FILE *errors = tmpfile();
    int in[2];
    if (!errors || pipe(in) < 0) {
        snprintf(err, errlen, "cannot start '%s': %s", command, strerror(errno));
        if (errors)
            fclose(errors);
        return SEND_TEMPORARY;
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "cannot start '%s': %s", command, strerror(errno));
        close(in[0]), close(in[1]), fclose(errors);
        return SEND_TEMPORARY;
    }
    if (pid == 0) {
        dup2(in[0], STDIN_FILENO);
        dup2(fileno(errors), STDOUT_FILENO);
        dup2(fileno(errors), STDERR_FILENO);
        close(in[0]), close(in[1]);
        signal(SIGTERM, SIG_DFL), signal(SIGINT, SIG_DFL), signal(SIGPIPE, SIG_DFL);
        execl("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(in[1], raw + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* it stopped reading; its status says why */
        done += (size_t)n;
    }
    close(in[1]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    enum send_result result = classify_exit(status);
    if (result != SEND_OK) {
        rewind(errors);
        size_t n = fread(err, 1, errlen - 1, errors);
        err[n] = '\0';
        while (n && (err[n - 1] == '\n' || err[n - 1] == ' '))
            err[--n] = '\0';
        for (char *p = err; *p; p++)
            if (*p == '\n')
                *p = ' ';
        if (!*err)
            snprintf(err, errlen, "'%s' exited with status %d", command,
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    fclose(errors);
    return result;
}

struct worker {
    struct db db;
    bool connected;
    const char *conninfo;
    struct mail_settings mail;
    int sent, retried, failed;
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
        char err[1024];
        db_result_error(res, w->db.conn, err, sizeof err);
        say("%s", err);
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

/* Claims, composes, sends and marks one queued mail in one transaction: the row stays locked
 * while sendmail runs, so no other worker sends it too. Returns 1 sent or tried, 0 none due,
 * -1 on a database error. */
static int send_one(struct worker *w)
{
    if (!run(w, "BEGIN", 0, NULL))
        return -1;
    PGresult *res = exec(w,
                         "SELECT o.id, o.ticket, o.kind, o.recipient, o.recipient_name, o.subject,"
                         "       o.body, o.attempts, o.message_id, h.in_reply_to,"
                         "       array_to_string(h.refs, ' ')"
                         "  FROM tuki.outbox_claim(1) o, tuki.outbox_thread(o.id) h",
                         0, NULL);
    if (!db_ok(res) || PQntuples(res) == 0) {
        bool ok = db_ok(res);
        if (!ok) {
            char err[1024];
            db_result_error(res, w->db.conn, err, sizeof err);
            say("%s", err);
        }
        PQclear(res);
        run(w, ok ? "COMMIT" : "ROLLBACK", 0, NULL);
        if (PQstatus(w->db.conn) != CONNECTION_OK)
            w->connected = false;
        return ok ? 0 : -1;
    }
    const char *id = PQgetvalue(res, 0, 0);
    long long ticket = atoll(PQgetvalue(res, 0, 1));
    bool has_id = !PQgetisnull(res, 0, 8);
    char *message_id = has_id ? strdup(PQgetvalue(res, 0, 8))
                              : mail_make_message_id(w->mail.from, ticket, atoll(id));
    const char *subject = PQgetvalue(res, 0, 5);
    char *tagged = NULL;
    if (mail_subject_ticket(subject, w->mail.tag) == ticket)
        tagged = strdup(subject);
    else if (asprintf(&tagged, "[%s #%lld] %s", w->mail.tag, ticket, subject) < 0)
        tagged = NULL;
    struct mail_outgoing out = {
        .from = w->mail.from,
        .to = PQgetvalue(res, 0, 3),
        .to_name = PQgetisnull(res, 0, 4) ? NULL : PQgetvalue(res, 0, 4),
        .subject = tagged ? tagged : subject,
        .body = PQgetvalue(res, 0, 6),
        .message_id = message_id,
        .in_reply_to = PQgetisnull(res, 0, 9) ? NULL : PQgetvalue(res, 0, 9),
        .references = PQgetvalue(res, 0, 10),
        .automatic = strcmp(PQgetvalue(res, 0, 2), "reply") != 0,
    };
    size_t len;
    char *raw = mail_compose(&out, &len);
    char err[2048];
    enum send_result sent = run_sendmail(w->mail.sendmail, raw, len, err, sizeof err);
    int attempts = atoi(PQgetvalue(res, 0, 7)) + 1;
    const char *status = sent == SEND_OK                                     ? "sent"
                         : sent == SEND_TEMPORARY && attempts < MAX_ATTEMPTS ? "queued"
                                                                             : "failed";
    char retry[16];
    snprintf(retry, sizeof retry, "%d", retry_seconds(attempts));
    if (sent != SEND_OK)
        say("outbox %s to %s: %s (%s)", id, out.to, err, status);
    /* raw as text: GMime wrote 7-bit ASCII (headers encoded, body quoted-printable) */
    const char *params[6] = {id, status, sent == SEND_OK ? NULL : err, message_id, raw, retry};
    bool ok = run(w,
                  "SELECT tuki.outbox_mark($1::bigint, $2, $3, $4, convert_to($5, 'UTF8'), "
                  "$6::integer)",
                  6, params) &&
              run(w, "COMMIT", 0, NULL);
    if (!ok)
        run(w, "ROLLBACK", 0, NULL);
    w->sent += sent == SEND_OK;
    w->retried += strcmp(status, "queued") == 0;
    w->failed += strcmp(status, "failed") == 0;
    free(raw);
    free(tagged);
    free(message_id);
    PQclear(res);
    return ok ? 1 : -1;
}

static void sweep(struct worker *w)
{
    PGresult *res = exec(w, "SELECT tuki.sla_sweep()", 0, NULL);
    if (!db_ok(res)) {
        char err[1024];
        db_result_error(res, w->db.conn, err, sizeof err);
        say("SLA sweep: %s", err);
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
    char err[1024];
    if (mail_db_connect(&w->db, w->conninfo, err, sizeof err) < 0) {
        say("cannot reach the database: %s", err);
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

/* Waits for a notification, a signal or the timeout. */
static void wait_for_work(struct worker *w, long long timeout_ms)
{
    if (w->connected && drain_notifications(w))
        return;
    struct pollfd fds[2] = {{.fd = signal_pipe[0], .events = POLLIN},
                            {.fd = w->connected ? PQsocket(w->db.conn) : -1, .events = POLLIN}};
    int n = poll(fds, 2, (int)timeout_ms);
    if (n <= 0)
        return;
    if (fds[0].revents) {
        char buf[16];
        while (read(signal_pipe[0], buf, sizeof buf) > 0) {
        }
    }
    if (w->connected && fds[1].revents) {
        if (!PQconsumeInput(w->db.conn) || PQstatus(w->db.conn) != CONNECTION_OK) {
            w->connected = false;
            return;
        }
        drain_notifications(w);
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
            next_sweep = db_now_ms() + SWEEP_EVERY_MS;
        }
        while (!stop_requested && w->connected && send_one(w) == 1) {
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
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--once") == 0) {
            once = true;
        } else {
            fprintf(stderr, "tuki worker: unknown argument '%s'\nusage: tuki worker [--once]\n",
                    argv[i]);
            return EX_USAGE;
        }
    }
    struct worker w = {.conninfo = conninfo};
    char err[1024];
    if (mail_settings_load(&w.mail, config_path, err, sizeof err) < 0) {
        say("%s", err);
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

    int rc = worker_loop(&w, once);
    say("stopping: %d sent, %d to retry, %d failed", w.sent, w.retried, w.failed);
    if (w.db.conn)
        db_close(&w.db);
    mail_settings_free(&w.mail);
    close(signal_pipe[0]);
    close(signal_pipe[1]);
    return rc;
}
