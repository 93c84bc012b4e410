#include "migrate.h"

#include "i18n.h"

#include "db.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

/* Serialises concurrent 'tuki migrate' runs against one database ("tuki" in ASCII). */
#define MIGRATE_LOCK_KEY "1953853289"

int migrate_known_version(void)
{
    return migration_count ? migrations[migration_count - 1].version : 0;
}

int migrate_current_version(PGconn *conn, char **err)
{
    *err = NULL;
    PGresult *res = PQexecParams(conn,
                                 "SELECT CASE WHEN to_regclass('tuki.schema_version') IS NULL "
                                 "THEN 0 ELSE 1 END",
                                 0, NULL, NULL, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        *err = db_result_error_text(res, conn);
        PQclear(res);
        return -1;
    }
    int installed = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    if (!installed)
        return 0;
    res = PQexecParams(conn, "SELECT coalesce(max(version), 0) FROM tuki.schema_version", 0, NULL,
                       NULL, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        *err = db_result_error_text(res, conn);
        PQclear(res);
        return -1;
    }
    int version = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return version;
}

static int run_simple(PGconn *conn, const char *sql, char **err)
{
    /* Migration files are trusted text compiled into the binary and hold many statements,
     * which only the simple query protocol accepts; nothing typed by a user comes here. */
    PGresult *res = PQexec(conn, sql);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
    if (!ok)
        *err = db_result_error_text(res, conn);
    PQclear(res);
    return ok ? 0 : -1;
}

static int apply_one(PGconn *conn, const struct migration *m, FILE *out, int *applied, char **err)
{
    if (run_simple(conn, "BEGIN", err) < 0)
        return -1;
    const char *lock_params[] = {MIGRATE_LOCK_KEY};
    PGresult *res = PQexecParams(conn, "SELECT pg_advisory_xact_lock($1::bigint)", 1, NULL,
                                 lock_params, NULL, NULL, 0);
    int ok = PQresultStatus(res) == PGRES_TUPLES_OK;
    if (!ok)
        *err = db_result_error_text(res, conn);
    PQclear(res);
    /* Another run may have applied it while we waited for the lock. */
    int current = ok ? migrate_current_version(conn, err) : -1;
    if (current < 0)
        goto fail;
    if (current >= m->version)
        return run_simple(conn, "ROLLBACK", err);
    if (run_simple(conn, m->sql, err) < 0) {
        char *inner = *err;
        *err = text_printf("%s: %s", m->name, inner ? inner : _("out of memory"));
        free(inner);
        goto fail;
    }
    char version[16];
    snprintf(version, sizeof version, "%d", m->version);
    const char *params[] = {version, m->name, m->checksum};
    res = PQexecParams(conn,
                       "INSERT INTO tuki.schema_version (version, name, checksum) "
                       "VALUES ($1, $2, $3)",
                       3, NULL, params, NULL, NULL, 0);
    ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok)
        *err = db_result_error_text(res, conn);
    PQclear(res);
    if (!ok || run_simple(conn, "COMMIT", err) < 0)
        goto fail;
    fprintf(out, _("applied %s\n"), m->name);
    (*applied)++;
    return 0;
fail:
    PQclear(PQexec(conn, "ROLLBACK"));
    return -1;
}

/* Migrations are edited only before a release; a database made by a build with other files
 * (a development demo, say) would otherwise look current and fail later, query by query.
 * One query compares every recorded checksum with the one carried here; a row without one
 * (from before checksums were recorded) counts as different. 0, or -1 with err set. */
static int check_unchanged(PGconn *conn, char **err)
{
    size_t cap = (size_t)migration_count * 40 + 3;
    char *versions = malloc(cap), *checksums = malloc(cap);
    if (!versions || !checksums) {
        free(versions);
        free(checksums);
        *err = strdup(_("out of memory"));
        return -1;
    }
    size_t vn = 0, cn = 0;
    versions[vn++] = '{';
    checksums[cn++] = '{';
    for (int i = 0; i < migration_count; i++) {
        vn +=
            (size_t)snprintf(versions + vn, cap - vn, "%s%d", i ? "," : "", migrations[i].version);
        cn += (size_t)snprintf(checksums + cn, cap - cn, "%s%s", i ? "," : "",
                               migrations[i].checksum);
    }
    snprintf(versions + vn, cap - vn, "}");
    snprintf(checksums + cn, cap - cn, "}");
    const char *params[] = {versions, checksums};
    PGresult *res = PQexecParams(conn,
                                 "SELECT s.name FROM tuki.schema_version s "
                                 "JOIN unnest($1::int[], $2::text[]) AS k(version, checksum) "
                                 "ON k.version = s.version "
                                 "WHERE to_jsonb(s) ->> 'checksum' IS DISTINCT FROM k.checksum "
                                 "ORDER BY s.version LIMIT 1",
                                 2, NULL, params, NULL, NULL, 0);
    free(versions);
    free(checksums);
    int rc = 0;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        *err = db_result_error_text(res, conn);
        rc = -1;
    } else if (PQntuples(res) > 0) {
        *err = text_printf(
            /* TRANSLATORS: %s is a migration file's name (012_api.sql). */
            _("this database was migrated with another %s than this tuki carries (it was "
              "made by a different build of tuki): recreate the database"),
            PQgetvalue(res, 0, 0));
        rc = -1;
    }
    PQclear(res);
    return rc;
}

int migrate_apply(PGconn *conn, FILE *out, char **err)
{
    *err = NULL;
    int current = migrate_current_version(conn, err);
    if (current < 0)
        return -1;
    /* Files first: a database from a build with another layout of the migrations is refused
     * by the first file that differs, whatever its version number says. */
    if (current > 0 && check_unchanged(conn, err) < 0)
        return -1;
    if (current > migrate_known_version()) {
        *err = text_printf(
            _("the database's tuki schema is version %d, newer than this tuki knows (%d): "
              "upgrade tuki"),
            current, migrate_known_version());
        return -1;
    }
    /* Quiet the NOTICEs of IF NOT EXISTS and friends; errors still come back as results. */
    PQclear(PQexec(conn, "SET client_min_messages = warning"));
    int applied = 0;
    for (int i = 0; i < migration_count; i++) {
        if (migrations[i].version <= current)
            continue;
        if (apply_one(conn, &migrations[i], out, &applied, err) < 0)
            return -1;
    }
    if (applied == 0)
        fprintf(out, _("nothing to do: schema is at version %d\n"), current);
    else
        fprintf(out, _("schema is now at version %d\n"), migrate_known_version());
    return 0;
}

int migrate_check_compatible(PGconn *conn, char **err)
{
    *err = NULL;
    int current = migrate_current_version(conn, err);
    if (current < 0)
        return -1;
    int known = migrate_known_version();
    if (current > 0 && check_unchanged(conn, err) < 0)
        return -1;
    if (current == 0)
        *err = strdup(_("tuki is not installed in this database: run 'tuki migrate'"));
    else if (current < known)
        *err = text_printf(_("the schema is at version %d, this tuki needs %d: run 'tuki migrate'"),
                           current, known);
    else if (current > known)
        *err = text_printf(
            _("the schema is version %d, newer than this tuki knows (%d): upgrade tuki"), current,
            known);
    return current == known ? 0 : -1;
}
