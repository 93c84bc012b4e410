/* The schema migrations carried inside the binary (generated from sql/ at build time). */
#ifndef TUKI_MIGRATE_H
#define TUKI_MIGRATE_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdio.h>

struct migration {
    int version;
    const char *name;
    const char *checksum; /* MD5 of sql in hex, recorded in tuki.schema_version */
    const char *sql;
};

extern const struct migration migrations[];
extern const int migration_count;

/* The newest version this binary knows.
 * The functions below that fail set *err to why, newly allocated (the caller frees it; NULL
 * when out of memory), and leave it NULL when they succeed. */
int migrate_known_version(void);

/* The database's schema version: 0 when tuki is not installed there. -1 on error (err set). */
int migrate_current_version(PGconn *conn, char **err);

/* Applies every pending migration, each in its own transaction under an advisory lock, and
 * tells out what it did; refuses a newer schema or one whose applied files differ from the
 * ones carried here. Returns 0, or -1 with err set (nothing of the failing file kept). */
int migrate_apply(PGconn *conn, FILE *out, char **err);

/* For the console: 0 when the schema is exactly the one this binary knows, made from the same
 * migration files, else -1 with a message saying what to do (run 'tuki migrate', upgrade
 * tuki, or recreate a database made by another build). */
int migrate_check_compatible(PGconn *conn, char **err);

#endif
