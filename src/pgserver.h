/* A private PostgreSQL server owned by tuki (for 'tuki demo'): its own data directory,
 * listening only on a Unix socket in a private temporary directory. */
#ifndef TUKI_PGSERVER_H
#define TUKI_PGSERVER_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct pgserver {
    char datadir[PATH_MAX];
    char sockdir[PATH_MAX];
    char logfile[PATH_MAX];
    char bindir[PATH_MAX];
    bool drop_privileges; /* running as root: the server runs as run_uid */
    uid_t run_uid;
    gid_t run_gid;
    bool running;
};

/* Where the demo's data lives: $XDG_DATA_HOME/tuki/demo (default ~/.local/share/tuki/demo);
 * as root without XDG_DATA_HOME, /var/lib/tuki/demo, because the server runs as an
 * unprivileged user who cannot enter /root. */
void pgserver_default_datadir(char *buf, size_t n);

/* Finds initdb and pg_ctl and the user the server runs as. -1 with a clear message.
 * Here and below, a failure's message is in *err, newly allocated (the caller frees it; NULL
 * when out of memory); *err is NULL on success. */
int pgserver_init(struct pgserver *s, const char *datadir, char **err);

/* true when the data directory holds a cluster already. */
bool pgserver_exists(const struct pgserver *s);

/* Deletes the data directory (for --reset). */
int pgserver_remove(struct pgserver *s, char **err);

/* initdb on first use (superuser 'tuki', trust on the private socket), then start and wait. */
int pgserver_start(struct pgserver *s, FILE *progress, char **err);

/* Fast shutdown and removal of the socket directory; safe to call twice. */
void pgserver_stop(struct pgserver *s);

/* A libpq conninfo for this server. */
void pgserver_conninfo(const struct pgserver *s, const char *dbname, const char *user, char *buf,
                       size_t n);

#endif
