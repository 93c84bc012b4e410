/* One received message into the database: the parse is GMime's (mail_parse), threading,
 * holding and duplicates are the schema's (tuki.mail_receive). */
#include "mail_store.h"

#include "mail_parse.h"
#include "mail_settings.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

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

int mail_store(struct db *db, const char *raw, size_t len, const char *tag, char **what)
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
        *what = strdup(PQgetvalue(res, 0, 0));
        rc = is_message ? 0 : EX_DATAERR;
    } else {
        *what = db_result_error_text(res, db->conn);
        rc = EX_TEMPFAIL; /* whatever went wrong, the MTA keeps the mail and retries */
    }
    PQclear(res);
    g_free(refs_s), g_free(names_s), g_free(types_s), g_free(contents_s);
    mail_message_free(&m);
    return rc;
}
