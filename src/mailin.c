/* tuki mail-in: hand the message to the running worker over its socket (mail_handoff), else
 * store it on a connection of its own (mail_store: one call of tuki.mail_receive; threading,
 * holding and duplicates are the schema's), and exit with what the MTA understands. */
#include "mailin.h"
#include "usage.h"

#include "db.h"
#include "mail/mail_handoff.h"
#include "mail/mail_settings.h"
#include "mail/mail_store.h"

#include <dirent.h>
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

/* Stores one message on db and prints what happened; returns the exit status. */
static int receive_one(struct db *db, const char *raw, size_t len, const char *tag,
                       const char *label)
{
    char *what;
    int rc = mail_store(db, raw, len, tag, &what);
    mail_in_report(rc, what, label);
    free(what);
    return rc;
}

static int receive_stdin(const char *conninfo, const char *socket, const char *tag)
{
    char *raw;
    size_t len;
    if (mail_read_all(STDIN_FILENO, &raw, &len) < 0) {
        fprintf(stderr, "tuki mail-in: cannot read standard input: %s\n", strerror(errno));
        return EX_IOERR;
    }
    int rc = -1;
    if (socket) {
        char *what;
        rc = mail_handoff(socket, raw, len, &what);
        if (rc >= 0 && rc != EX_TEMPFAIL)
            mail_in_report(rc, what, NULL);
        free(what);
    }
    /* no worker answered, or it could not store the message (its connection may be down
     * while the database is up): store it on a connection of our own. Should the worker have
     * stored it after all, it is a duplicate now and stored once. */
    if (rc < 0 || rc == EX_TEMPFAIL) {
        struct db db;
        rc = db_connect_or_exit(&db, conninfo, "mail-in", DB_DESK);
        if (rc == 0) {
            rc = receive_one(&db, raw, len, tag, NULL);
            db_close(&db);
        }
    }
    free(raw);
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

int mailin_command(const char *config_path, const char *conninfo, bool direct, int argc,
                   char **argv)
{
    const char *maildir = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--direct") == 0) {
            direct = true;
        } else if (strcmp(argv[i], "--maildir") == 0 && i + 1 < argc) {
            maildir = argv[++i];
        } else {
            fprintf(stderr, "tuki mail-in: unknown argument '%s'\n", argv[i]);
            usage_print(stderr, "mail-in");
            return EX_USAGE;
        }
    }
    struct mail_settings ms;
    char *err = NULL;
    if (mail_settings_load(&ms, config_path, &err) < 0) {
        fprintf(stderr, "tuki mail-in: %s\n", err ? err : "out of memory");
        free(err);
        mail_settings_free(&ms);
        /* a broken file must not bounce customers' mail: the MTA retries once it is fixed */
        return EX_TEMPFAIL;
    }
    int rc = maildir ? receive_maildir(conninfo, maildir, ms.tag)
                     : receive_stdin(conninfo, direct ? NULL : ms.socket, ms.tag);
    mail_settings_free(&ms);
    return rc;
}
