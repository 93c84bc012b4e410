/* tuki mail-in: parse with src/mail, store with one call of tuki.mail_receive (threading,
 * holding and duplicates are the schema's), exit with what the MTA understands. */
#include "mailin.h"
#include "usage.h"

#include "db.h"
#include "mail/mail_parse.h"
#include "mail/mail_settings.h"

#include <dirent.h>
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

/* A PostgreSQL array literal of text (or of bytea in hex when bytes is set). */
static void array_append(GString *array, const char *text, const unsigned char *bytes, size_t len)
{
    g_string_append_c(array, array->len ? ',' : '{');
    g_string_append_c(array, '"');
    if (bytes) {
        g_string_append(array, "\\\\x");
        for (size_t i = 0; i < len; i++)
            g_string_append_printf(array, "%02x", bytes[i]);
    } else {
        for (const char *p = text; *p; p++) {
            if (*p == '"' || *p == '\\')
                g_string_append_c(array, '\\');
            g_string_append_c(array, *p);
        }
    }
    g_string_append_c(array, '"');
}

static char *array_close(GString *array)
{
    if (array->len == 0)
        g_string_append_c(array, '{');
    g_string_append_c(array, '}');
    return g_string_free(array, FALSE);
}

/* Stores one message; returns the exit status and prints what happened. */
static int receive_one(struct db *db, const char *raw, size_t len, const char *tag,
                       const char *label)
{
    struct mail_message m;
    bool is_message = mail_parse(raw, len, &m) == 0;

    GString *refs = g_string_new(NULL), *names = g_string_new(NULL), *types = g_string_new(NULL),
            *contents = g_string_new(NULL);
    for (size_t i = 0; i < m.reference_count; i++)
        array_append(refs, m.references[i], NULL, 0);
    for (size_t i = 0; i < m.attachment_count; i++) {
        array_append(names, m.attachments[i].filename, NULL, 0);
        array_append(types, m.attachments[i].content_type, NULL, 0);
        array_append(contents, NULL, m.attachments[i].data, m.attachments[i].size);
    }
    char *refs_s = array_close(refs), *names_s = array_close(names), *types_s = array_close(types),
         *contents_s = array_close(contents);
    long long tagged = is_message ? mail_subject_ticket(m.subject, tag) : 0;
    char tagged_s[32];
    snprintf(tagged_s, sizeof tagged_s, "%lld", tagged);

    PGresult *res;
    if (is_message) {
        const char *params[17] = {raw,
                                  m.from_addr,
                                  m.from_name,
                                  m.subject,
                                  m.body,
                                  m.message_id,
                                  m.in_reply_to,
                                  refs_s,
                                  tagged ? tagged_s : NULL,
                                  mail_auto_kind_name(m.auto_kind),
                                  m.auto_reason,
                                  m.dsn_original_id,
                                  m.dsn_reason,
                                  m.dsn_permanent ? "true" : "false",
                                  names_s,
                                  types_s,
                                  contents_s};
        int lengths[17] = {(int)len};
        int formats[17] = {1};
        res = PQexecParams(db->conn,
                           "SELECT tuki.mail_receive($1, $2, $3, $4, $5, $6, $7, $8::text[], "
                           "$9::bigint, $10, $11, $12, $13, $14::boolean, $15::text[], "
                           "$16::text[], $17::bytea[])",
                           17, NULL, params, lengths, formats, 0);
    } else {
        const char *params[2] = {raw, m.body};
        int lengths[2] = {(int)len};
        int formats[2] = {1};
        res = PQexecParams(db->conn,
                           "SELECT tuki.mail_hold_add($1, NULL, NULL, '', $2, NULL, NULL, "
                           "'not a message')",
                           2, NULL, params, lengths, formats, 0);
    }
    int rc;
    if (db_ok(res)) {
        printf("tuki mail-in: %s%s%s\n", label ? label : "", label ? ": " : "",
               PQgetvalue(res, 0, 0));
        rc = is_message ? 0 : EX_DATAERR;
    } else {
        char err[1024];
        db_result_error(res, db->conn, err, sizeof err);
        fprintf(stderr, "tuki mail-in: %s%s%s (the message is not stored; deliver it again)\n",
                label ? label : "", label ? ": " : "", err);
        rc = EX_TEMPFAIL; /* whatever went wrong, the MTA keeps the mail and retries */
    }
    PQclear(res);
    g_free(refs_s), g_free(names_s), g_free(types_s), g_free(contents_s);
    mail_message_free(&m);
    return rc;
}

static int receive_stdin(const char *conninfo, const char *tag)
{
    GString *raw = g_string_new(NULL);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
        g_string_append_len(raw, chunk, (gssize)n);
    if (ferror(stdin)) {
        fprintf(stderr, "tuki mail-in: cannot read standard input: %s\n", strerror(errno));
        g_string_free(raw, TRUE);
        return EX_IOERR;
    }
    struct db db;
    int rc = db_connect_or_exit(&db, conninfo, "mail-in", DB_DESK);
    if (rc == 0) {
        rc = receive_one(&db, raw->str, raw->len, tag, NULL);
        db_close(&db);
    }
    g_string_free(raw, TRUE);
    return rc;
}

/* Maildir: each file of new/ once stored goes to cur/ with the info ":2," (seen by nobody). */
static int receive_maildir(const char *conninfo, const char *dir, const char *tag)
{
    char *new_dir = g_build_filename(dir, "new", NULL),
         *cur_dir = g_build_filename(dir, "cur", NULL);
    int rc = 0;
    DIR *d = opendir(new_dir);
    struct stat st;
    if (!d || stat(cur_dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "tuki mail-in: %s is not a Maildir (needs new/ and cur/)\n", dir);
        rc = EX_NOINPUT;
        goto out;
    }
    struct db db;
    rc = db_connect_or_exit(&db, conninfo, "mail-in", DB_DESK);
    if (rc)
        goto out;
    int stored = 0, failed = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *path = g_build_filename(new_dir, e->d_name, NULL);
        char *raw;
        gsize len;
        GError *error = NULL;
        if (!g_file_get_contents(path, &raw, &len, &error)) {
            fprintf(stderr, "tuki mail-in: %s\n", error->message);
            g_error_free(error);
            g_free(path);
            failed++;
            continue;
        }
        int one = receive_one(&db, raw, len, tag, e->d_name);
        g_free(raw);
        if (one == 0 || one == EX_DATAERR) {
            char *seen = g_strdup_printf("%s/%s:2,", cur_dir, e->d_name);
            if (rename(path, seen) < 0)
                fprintf(stderr, "tuki mail-in: stored %s but cannot move it to cur/: %s\n", path,
                        strerror(errno));
            g_free(seen);
            stored++;
        } else {
            failed++;
            rc = EX_TEMPFAIL;
            if (PQstatus(db.conn) != CONNECTION_OK) {
                g_free(path);
                break; /* the database is gone: the rest stays in new/ for the next run */
            }
        }
        g_free(path);
    }
    fprintf(stderr, "tuki mail-in: %d stored, %d left in %s\n", stored, failed, new_dir);
    db_close(&db);
out:
    if (d)
        closedir(d);
    g_free(new_dir);
    g_free(cur_dir);
    return rc;
}

int mailin_command(const char *config_path, const char *conninfo, int argc, char **argv)
{
    const char *maildir = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--maildir") == 0 && i + 1 < argc) {
            maildir = argv[++i];
        } else {
            fprintf(stderr, "tuki mail-in: unknown argument '%s'\n", argv[i]);
            usage_print(stderr, "mail-in");
            return EX_USAGE;
        }
    }
    struct mail_settings ms;
    char err[1024];
    if (mail_settings_load(&ms, config_path, err, sizeof err) < 0) {
        fprintf(stderr, "tuki mail-in: %s\n", err);
        mail_settings_free(&ms);
        /* a broken file must not bounce customers' mail: the MTA retries once it is fixed */
        return EX_TEMPFAIL;
    }
    int rc = maildir ? receive_maildir(conninfo, maildir, ms.tag) : receive_stdin(conninfo, ms.tag);
    mail_settings_free(&ms);
    return rc;
}
