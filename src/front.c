/* tuki, the command: a small front that loads nothing but libc and libconfig.
 *
 * tuki mail-in runs once per message, as an MTA runs it, and most of a process's start-up
 * is the dynamic loader mapping the program's 40-odd libraries (GMime, GLib, GnuTLS, libpq,
 * Kerberos, LDAP ...). So this front hands a message on standard input to the running worker
 * over its socket itself (mail_handoff.h) and exits with the worker's answer. Everything
 * else, and a message no worker answered for, goes to the program proper (installed in
 * libexecdir, src/tuki in the build tree) by execv with the same arguments; a message it read
 * goes along as that program's standard input, with --direct (the socket was tried). */
#include "config_file.h"
#include "mail/mail_handoff.h"
#include "mail/mail_settings.h"
#include "tuki_build.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sysexits.h>
#include <unistd.h>

/* The program proper: next to this front in a meson build directory, else installed. */
static char *program_path(void)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash) {
            *slash = '\0';
            char *marker, *path = NULL;
            if (asprintf(&marker, "%s/build.ninja", self) >= 0) {
                if (access(marker, F_OK) == 0 && asprintf(&path, "%s/src/tuki", self) < 0)
                    path = NULL;
                free(marker);
            }
            if (path)
                return path;
        }
    }
    return strdup(TUKI_LIBEXECDIR "/tuki");
}

/* Runs the program proper with argv (and extra, when not NULL, after it); returns only when
 * it cannot be run. */
static int run_program(int argc, char **argv, const char *extra, int failure)
{
    char *path = program_path();
    char **args = calloc((size_t)argc + 2, sizeof *args);
    if (path && args) {
        memcpy(args, argv, (size_t)argc * sizeof *args);
        args[argc] = (char *)extra;
        execv(path, args);
    }
    fprintf(stderr, "tuki: cannot run %s: %s\n", path ? path : "the program", strerror(errno));
    free(args);
    free(path);
    return failure;
}

/* Puts raw[0..len) where the program proper reads its standard input; false when it cannot. */
static bool message_to_stdin(const char *raw, size_t len)
{
    int fd = memfd_create("tuki-mail-in", 0);
    if (fd < 0)
        return false;
    for (size_t done = 0; done < len;) {
        ssize_t n = write(fd, raw + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            close(fd);
            return false;
        }
        done += (size_t)n;
    }
    bool ok = lseek(fd, 0, SEEK_SET) == 0 && dup2(fd, STDIN_FILENO) == STDIN_FILENO;
    close(fd);
    return ok;
}

/* tuki [-f CONFIG] mail-in: the message to the worker; returns only when the program proper
 * is to store it (then with the message as its standard input). */
static void hand_off(const char *config_opt)
{
    char *config_path = settings_find_file(config_opt);
    struct mail_settings ms;
    char *err = NULL; /* not told here: the program proper says what is wrong */
    int settings = mail_settings_load(&ms, config_path, &err);
    free(err);
    free(config_path);
    if (settings < 0) { /* the program proper says what is wrong */
        mail_settings_free(&ms);
        return;
    }
    char *raw;
    size_t len;
    if (mail_read_all(STDIN_FILENO, &raw, &len) < 0) {
        fprintf(stderr, "tuki mail-in: cannot read standard input: %s\n", strerror(errno));
        exit(EX_IOERR);
    }
    char *what;
    int status = mail_handoff(ms.socket, raw, len, &what);
    mail_settings_free(&ms);
    if (status >= 0 && status != EX_TEMPFAIL) {
        mail_in_report(status, what, NULL);
        free(what);
        free(raw);
        exit(status);
    }
    free(what);
    if (!message_to_stdin(raw, len)) {
        fprintf(stderr, "tuki mail-in: cannot pass the message on: %s (deliver it again)\n",
                strerror(errno));
        exit(EX_TEMPFAIL);
    }
    free(raw);
}

int main(int argc, char **argv)
{
    /* the options of main.c, only to see whether this is "tuki [-f CONFIG] mail-in" */
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0}};
    const char *config_opt = NULL;
    bool other = false;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "+d:f:c:hV", longopts, NULL)) != -1) {
        if (opt == 'f')
            config_opt = optarg;
        else
            other = true; /* -d names a database: stored there, by the program proper */
    }
    if (!other && optind == argc - 1 && strcmp(argv[optind], "mail-in") == 0) {
        hand_off(config_opt);
        return run_program(argc, argv, "--direct", EX_TEMPFAIL);
    }
    return run_program(argc, argv, NULL, EX_OSERR);
}
