/* Times the real console on a pseudo-terminal (tests/bench/console runs it): start to first
 * full paint, key to paint for j presses, another session's commit to paint, CPU while
 * idle, peak RSS. Each figure is printed next to its limit; nothing is asserted.
 *   bench_console TUKI [RUNS]   (PG* variables name a database with tests/ui/fixture.sql
 *                                and a few thousand more tickets; alice is an agent) */
#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pty.h>
#include <regex.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KEYS        200
#define CHANGES     30
#define QUIET_MS    30 /* no output for this long: the paint is complete */
#define MAX_RUNS    9
#define OUTPUT_KEEP (1 << 20)

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double quantile(double *v, int n, double q)
{
    qsort(v, (size_t)n, sizeof *v, by_value);
    int i = (int)(q * (n - 1) + 0.5);
    return v[i];
}

/* The console's output so far (the tail of it), and the time of its last byte. */
struct term {
    int fd;
    pid_t pid;
    char *out;
    size_t len;
    double last_byte_ms;
};

/* Reads what the console wrote within wait_ms; returns the bytes read. */
static size_t read_some(struct term *t, int wait_ms)
{
    struct pollfd p = {.fd = t->fd, .events = POLLIN};
    if (poll(&p, 1, wait_ms) <= 0)
        return 0;
    char buf[65536];
    ssize_t n = read(t->fd, buf, sizeof buf);
    if (n <= 0)
        return 0;
    t->last_byte_ms = now_ms();
    if (t->len + (size_t)n >= OUTPUT_KEEP) {
        /* keep the newest half: the patterns looked for are recent */
        memmove(t->out, t->out + t->len / 2, t->len - t->len / 2);
        t->len -= t->len / 2;
    }
    memcpy(t->out + t->len, buf, (size_t)n);
    t->len += (size_t)n;
    t->out[t->len] = '\0';
    return (size_t)n;
}

/* Reads until the console has been quiet for QUIET_MS; returns when its last byte came. */
static double read_until_quiet(struct term *t, double since_ms)
{
    double last = since_ms;
    while (read_some(t, QUIET_MS) > 0)
        last = t->last_byte_ms;
    return last;
}

/* Reads until the output (from offset on) matches re; returns the time, or -1 after 10 s. */
static double read_until(struct term *t, size_t from, const char *pattern)
{
    regex_t re;
    regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB);
    double give_up = now_ms() + 10000;
    double found = -1;
    while (now_ms() < give_up) {
        if (t->len > from && regexec(&re, t->out + from, 0, NULL, 0) == 0) {
            found = t->last_byte_ms;
            break;
        }
        read_some(t, 100);
    }
    regfree(&re);
    return found;
}

static void start(struct term *t, const char *tuki)
{
    struct winsize ws = {.ws_row = 40, .ws_col = 120};
    t->len = 0;
    t->out[0] = '\0';
    t->pid = forkpty(&t->fd, NULL, NULL, &ws);
    if (t->pid == 0) {
        setenv("TERM", "xterm-256color", 1);
        execl(tuki, tuki, "-d", "user=alice", (char *)NULL);
        _exit(127);
    }
}

static double cpu_seconds(pid_t pid)
{
    char path[64], buf[2048];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f || !fgets(buf, sizeof buf, f)) {
        if (f)
            fclose(f);
        return -1;
    }
    fclose(f);
    char *p = strrchr(buf, ')'); /* fields after the command name */
    unsigned long utime = 0, stime = 0;
    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime);
    return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

static double peak_rss_mb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    double kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %lf kB", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb / 1024;
}

static PGconn *dba(void)
{
    PGconn *c = PQconnectdb("");
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "bench_console: %s", PQerrorMessage(c));
        exit(1);
    }
    return c;
}

static void exec_ok(PGconn *c, const char *sql, int n, const char *const *params)
{
    PGresult *r = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
        fprintf(stderr, "bench_console: %s", PQerrorMessage(c));
        exit(1);
    }
    PQclear(r);
}

struct figures {
    double start_ms, key_first_ms, key_median_ms, key_p95_ms, notify_p95_ms, idle_cpu_pct, rss_mb;
};

static void one_run(const char *tuki, PGconn *c, int idle_seconds, int run, struct figures *fig)
{
    struct term t = {.out = malloc(OUTPUT_KEEP + 1)};
    double t0 = now_ms();
    start(&t, tuki);
    /* First full paint: the last byte of the start-up's paints (the queue, its count, the
     * clocks arrive one after the other), once the status line is there. curses sends only
     * what changed, so the text of later paints cannot be looked for; their bytes can. */
    double a = read_until(&t, 0, "connected");
    double last = read_until_quiet(&t, a);
    fig->start_ms = a < 0 ? -1 : last - t0;

    /* Another session's commit to paint: the subject of the ticket on the queue's first row. */
    PGresult *r = PQexec(c, "SELECT id FROM tuki.queue ORDER BY position LIMIT 1");
    char top[32];
    snprintf(top, sizeof top, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    double notify[CHANGES];
    int got = 0;
    for (int i = 0; i < CHANGES; i++) {
        char subject[64];
        snprintf(subject, sizeof subject, "Bench %d-%d", run, i);
        const char *params[] = {subject, top};
        read_until_quiet(&t, now_ms()); /* nothing else on the way */
        exec_ok(c, "UPDATE tuki.ticket SET subject = $1 WHERE id = $2::bigint", 2, params);
        double committed = now_ms();
        double painted = read_until_quiet(&t, committed);
        if (painted > committed)
            notify[got++] = painted - committed;
    }
    fig->notify_p95_ms = got ? quantile(notify, got, 0.95) : -1;

    /* Key to paint: each j, then the time of the last byte of the paint it caused. */
    double keys[KEYS], first[KEYS];
    for (int i = 0; i < KEYS; i++) {
        double sent = now_ms();
        if (write(t.fd, "j", 1) != 1)
            break;
        first[i] = read_some(&t, 1000) ? t.last_byte_ms - sent : 1000;
        keys[i] = read_until_quiet(&t, t.last_byte_ms) - sent;
    }
    fig->key_first_ms = quantile(first, KEYS, 0.5);
    fig->key_median_ms = quantile(keys, KEYS, 0.5);
    fig->key_p95_ms = quantile(keys, KEYS, 0.95);

    /* Idle: nothing typed, nothing changed. */
    double cpu0 = cpu_seconds(t.pid), w0 = now_ms();
    double until = w0 + idle_seconds * 1000.0;
    while (now_ms() < until)
        read_some(&t, 200);
    double cpu1 = cpu_seconds(t.pid), w1 = now_ms();
    fig->idle_cpu_pct = 100.0 * (cpu1 - cpu0) / ((w1 - w0) / 1000.0);
    fig->rss_mb = peak_rss_mb(t.pid);

    if (write(t.fd, "q", 1) != 1)
        kill(t.pid, SIGTERM);
    double give_up = now_ms() + 5000;
    int status;
    while (waitpid(t.pid, &status, WNOHANG) == 0 && now_ms() < give_up)
        read_some(&t, 50);
    close(t.fd);
    free(t.out);
}

/* The median over the runs of one figure (a double member at offset). */
static double median_of(const struct figures *f, int runs, size_t offset)
{
    double v[MAX_RUNS];
    for (int i = 0; i < runs; i++)
        memcpy(&v[i], (const char *)&f[i] + offset, sizeof v[i]);
    return quantile(v, runs, 0.5);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_console TUKI [RUNS]\n");
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    if (runs < 1 || runs > MAX_RUNS)
        runs = 3;
    const char *idle_env = getenv("IDLE_SECONDS");
    int idle_seconds = idle_env ? atoi(idle_env) : 30;
    PGconn *c = dba();
    struct figures f[MAX_RUNS];
    for (int i = 0; i < runs; i++) {
        one_run(argv[1], c, idle_seconds, i, &f[i]);
        printf("run %d: start %.1f ms, key first byte %.2f ms, median %.2f ms p95 %.2f ms, notify "
               "p95 %.2f ms, "
               "idle cpu %.3f %%, peak rss %.1f MB\n",
               i + 1, f[i].start_ms, f[i].key_first_ms, f[i].key_median_ms, f[i].key_p95_ms,
               f[i].notify_p95_ms, f[i].idle_cpu_pct, f[i].rss_mb);
        fflush(stdout);
    }
    printf("\nmedians over %d runs                          figure     limit\n", runs);
    printf("key to first paint byte, median of %d j   %8.2f ms   5 ms each\n", KEYS,
           median_of(f, runs, offsetof(struct figures, key_first_ms)));
    printf("key to paint, median of %d j presses      %8.2f ms   5 ms each\n", KEYS,
           median_of(f, runs, offsetof(struct figures, key_median_ms)));
    printf("key to paint, p95 of %d j presses         %8.2f ms   5 ms each\n", KEYS,
           median_of(f, runs, offsetof(struct figures, key_p95_ms)));
    printf("commit to paint (NOTIFY), p95 of %d      %8.2f ms   50 ms\n", CHANGES,
           median_of(f, runs, offsetof(struct figures, notify_p95_ms)));
    printf("idle CPU over %d s                        %8.3f %%    0.5 %% of a core\n", idle_seconds,
           median_of(f, runs, offsetof(struct figures, idle_cpu_pct)));
    /* /proc counts CPU time in clock ticks: 0 means less than one tick in the window. */
    printf("  (resolution: one clock tick in %d s = %.3f %%)\n", idle_seconds,
           100.0 / (double)sysconf(_SC_CLK_TCK) / idle_seconds);
    printf("start to first full paint                 %8.1f ms   150 ms\n",
           median_of(f, runs, offsetof(struct figures, start_ms)));
    printf("peak RSS                                  %8.1f MB   16 MB\n",
           median_of(f, runs, offsetof(struct figures, rss_mb)));
    PQfinish(c);
    return 0;
}
