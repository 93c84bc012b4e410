#include "pgserver.h"
#include "i18n.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* snprintf that says whether the whole path fitted. */
static bool path_fits(char *buf, size_t n, const char *dir, const char *name)
{
    int w = snprintf(buf, n, "%s%s", dir, name);
    return w >= 0 && (size_t)w < n;
}

void pgserver_default_datadir(char *buf, size_t n)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(buf, n, "%s/tuki/demo", xdg);
    else if (geteuid() == 0)
        snprintf(buf, n, "/var/lib/tuki/demo");
    else
        snprintf(buf, n, "%s/.local/share/tuki/demo", home && *home ? home : ".");
}

static bool executable(const char *dir, const char *prog)
{
    char path[PATH_MAX];
    int w = snprintf(path, sizeof path, "%s/%s", dir, prog);
    return w > 0 && (size_t)w < sizeof path && access(path, X_OK) == 0;
}

/* Debian keeps the server programs out of PATH, one directory per major version. */
static bool find_bindir(char *out, size_t n)
{
    const char *env = getenv("TUKI_PG_BINDIR");
    if (env && *env) {
        snprintf(out, n, "%s", env);
        return executable(out, "initdb") && executable(out, "pg_ctl");
    }
    int best = -1;
    DIR *d = opendir("/usr/lib/postgresql");
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            int v = atoi(e->d_name);
            char dir[PATH_MAX];
            snprintf(dir, sizeof dir, "/usr/lib/postgresql/%s/bin", e->d_name);
            if (v > best && executable(dir, "initdb") && executable(dir, "pg_ctl")) {
                best = v;
                snprintf(out, n, "%s", dir);
            }
        }
        closedir(d);
    }
    if (best >= 0)
        return true;
    const char *path = getenv("PATH");
    char *copy = strdup(path ? path : "/usr/bin:/bin");
    bool found = false;
    for (char *save, *dir = strtok_r(copy, ":", &save); dir && !found;
         dir = strtok_r(NULL, ":", &save)) {
        if (executable(dir, "initdb") && executable(dir, "pg_ctl")) {
            snprintf(out, n, "%s", dir);
            found = true;
        }
    }
    free(copy);
    return found;
}

int pgserver_init(struct pgserver *s, const char *datadir, char **err)
{
    *err = NULL;
    memset(s, 0, sizeof *s);
    if (!path_fits(s->datadir, sizeof s->datadir, datadir, "") ||
        !path_fits(s->logfile, sizeof s->logfile, datadir, ".log")) {
        *err = text_printf("%s", _("the data directory's path is too long"));
        return -1;
    }
    if (!find_bindir(s->bindir, sizeof s->bindir)) {
        *err = text_printf(
            "%s", _("tuki demo needs the PostgreSQL server programs initdb and pg_ctl, which "
                    "were not found: install them (Debian: apt-get install postgresql)"));
        return -1;
    }
    if (geteuid() == 0) {
        /* PostgreSQL refuses to run as root. */
        struct passwd *pw = getpwnam("postgres");
        if (!pw)
            pw = getpwnam("nobody");
        if (!pw) {
            *err = text_printf("%s", _("running as root, but there is no 'postgres' or 'nobody' "
                                       "user to run the demo server as"));
            return -1;
        }
        s->drop_privileges = true;
        s->run_uid = pw->pw_uid;
        s->run_gid = pw->pw_gid;
    }
    return 0;
}

bool pgserver_exists(const struct pgserver *s)
{
    char path[PATH_MAX];
    return path_fits(path, sizeof path, s->datadir, "/PG_VERSION") && access(path, F_OK) == 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

int pgserver_remove(struct pgserver *s, char **err)
{
    *err = NULL;
    if (access(s->datadir, F_OK) != 0)
        return 0;
    if (nftw(s->datadir, remove_entry, 32, FTW_DEPTH | FTW_PHYS) != 0) {
        *err = text_printf(_("cannot remove %s: %s"), s->datadir, strerror(errno));
        return -1;
    }
    return 0;
}

static int mkdir_parents(const char *dir, mode_t mode)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", dir);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, mode) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    return mkdir(tmp, mode) != 0 && errno != EEXIST ? -1 : 0;
}

/* Runs a server program (as the unprivileged user when we are root) with its output in
 * the log file; returns its exit status. */
static int run_program(const struct pgserver *s, char *const argv[])
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int log = open(s->logfile, O_WRONLY | O_CREAT | O_APPEND, 0600);
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0)
            dup2(null, 0);
        if (log >= 0) {
            dup2(log, 1);
            dup2(log, 2);
        }
        if (s->drop_privileges) {
            if (setgroups(0, NULL) != 0 || setgid(s->run_gid) != 0 || setuid(s->run_uid) != 0)
                _exit(126);
        }
        setsid(); /* a Ctrl-C in the console's terminal must not reach the server */
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A postmaster.pid whose process is alive and is a postgres means a server already runs. */
static pid_t running_server_pid(const struct pgserver *s)
{
    char path[PATH_MAX];
    if (!path_fits(path, sizeof path, s->datadir, "/postmaster.pid"))
        return 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    long pid = 0;
    if (fscanf(f, "%ld", &pid) != 1)
        pid = 0;
    fclose(f);
    if (pid <= 0 || kill((pid_t)pid, 0) != 0)
        return 0;
    char comm_path[64], comm[64] = "";
    snprintf(comm_path, sizeof comm_path, "/proc/%ld/comm", pid);
    f = fopen(comm_path, "r");
    if (f) {
        if (!fgets(comm, sizeof comm, f))
            comm[0] = '\0';
        fclose(f);
    }
    return strncmp(comm, "postgres", 8) == 0 ? (pid_t)pid : 0;
}

static void chown_if_root(const struct pgserver *s, const char *path)
{
    if (s->drop_privileges && chown(path, s->run_uid, s->run_gid) != 0)
        perror(path);
}

int pgserver_start(struct pgserver *s, FILE *progress, char **err)
{
    *err = NULL;
    pid_t other = running_server_pid(s);
    if (other) {
        *err = text_printf(
            _("a demo server is already running on %s (pid %ld), probably another 'tuki "
              "demo': close that one first, or stop it with: %s/pg_ctl -D %s stop"),
            s->datadir, (long)other, s->bindir, s->datadir);
        return -1;
    }
    /* A lock file whose process is gone (or is no postgres) was left by a crash: PostgreSQL
     * would refuse to start over it when its pid has been reused. */
    char lock[PATH_MAX];
    if (path_fits(lock, sizeof lock, s->datadir, "/postmaster.pid") && access(lock, F_OK) == 0) {
        if (unlink(lock) == 0 && progress)
            fputs(_("tuki: removed a stale lock file left by a crashed demo server\n"), progress);
    }
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", s->datadir);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent)
        *slash = '\0';
    if (mkdir_parents(parent, 0755) != 0) {
        *err = text_printf(_("cannot create %s: %s"), parent, strerror(errno));
        return -1;
    }
    if (s->drop_privileges) {
        /* The server user must be able to reach its data directory. */
        pid_t pid = fork();
        if (pid == 0) {
            if (setgroups(0, NULL) != 0 || setgid(s->run_gid) != 0 || setuid(s->run_uid) != 0)
                _exit(2);
            _exit(access(parent, X_OK | W_OK) == 0 || access(parent, X_OK) == 0 ? 0 : 1);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            *err = text_printf(
                _("the demo server runs as an unprivileged user, who cannot enter %s: set "
                  "XDG_DATA_HOME to a directory others may enter, or unset it to use "
                  "/var/lib/tuki/demo"),
                parent);
            return -1;
        }
    }
    int logfd = open(s->logfile, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (logfd >= 0)
        close(logfd);
    chown_if_root(s, s->logfile);

    if (!pgserver_exists(s)) {
        if (mkdir(s->datadir, 0700) != 0 && errno != EEXIST) {
            *err = text_printf(_("cannot create %s: %s"), s->datadir, strerror(errno));
            return -1;
        }
        chown_if_root(s, s->datadir);
        if (progress)
            fprintf(progress, "tuki: creating the demo database cluster in %s\n", s->datadir);
        char initdb[PATH_MAX + 16];
        snprintf(initdb, sizeof initdb, "%s/initdb", s->bindir);
        char *argv[] = {initdb,
                        "-D",
                        s->datadir,
                        "-U",
                        "tuki",
                        "--auth=trust",
                        "-E",
                        "UTF8",
                        "--locale=C.UTF-8",
                        "--no-instructions",
                        NULL};
        if (run_program(s, argv) != 0) {
            *err = text_printf(_("initdb failed; see %s"), s->logfile);
            return -1;
        }
    }

    char tmpl[] = "/tmp/tuki-demo-XXXXXX";
    if (!mkdtemp(tmpl)) {
        *err = text_printf(_("cannot create a socket directory in /tmp: %s"), strerror(errno));
        return -1;
    }
    snprintf(s->sockdir, sizeof s->sockdir, "%s", tmpl);
    chown_if_root(s, s->sockdir);

    char pg_ctl[PATH_MAX + 16], opts[PATH_MAX + 128];
    snprintf(pg_ctl, sizeof pg_ctl, "%s/pg_ctl", s->bindir);
    /* No TCP at all; the socket lives in a directory only its owner may enter. */
    snprintf(opts, sizeof opts, "-c listen_addresses='' -k %s -c unix_socket_permissions=0700",
             s->sockdir);
    char *argv[] = {pg_ctl, "-D",       s->datadir, "-w", "-t",    "60",
                    "-l",   s->logfile, "-o",       opts, "start", NULL};
    if (run_program(s, argv) != 0) {
        rmdir(s->sockdir);
        *err = text_printf(_("the demo server did not start; see %s"), s->logfile);
        return -1;
    }
    s->running = true;
    return 0;
}

void pgserver_stop(struct pgserver *s)
{
    if (!s->running)
        return;
    char pg_ctl[PATH_MAX + 16];
    snprintf(pg_ctl, sizeof pg_ctl, "%s/pg_ctl", s->bindir);
    char *argv[] = {pg_ctl, "-D", s->datadir, "-w", "-t", "60", "-m", "fast", "stop", NULL};
    run_program(s, argv);
    s->running = false;
    rmdir(s->sockdir);
}

void pgserver_conninfo(const struct pgserver *s, const char *dbname, const char *user, char *buf,
                       size_t n)
{
    snprintf(buf, n, "host=%s port=5432 dbname=%s user=%s", s->sockdir, dbname, user);
}
