/* The corpus test: every message in tests/mail/ read by mail_parse and compared with its block
 * in expected.txt (sender, subject, first body line, attachments, kind, threading ids, DSN).
 * One TAP line per message; every differing field is printed. */
#include "mail/mail_parse.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

static int failures_in_message;

static void differ(const char *file, const char *key, const char *got, const char *want)
{
    printf("#   %s: %s = \"%s\", want \"%s\"\n", file, key, got ? got : "(null)", want);
    failures_in_message++;
}

static void expect_str(const char *file, const char *key, const char *got, const char *want)
{
    const char *g = got ? got : "-";
    if (strcmp(g, want) != 0)
        differ(file, key, got, want);
}

static char *first_line(const char *body)
{
    while (*body == '\n')
        body++;
    return g_strndup(body, strcspn(body, "\n"));
}

/* Joins one field of every attachment with '|'. */
static char *attachment_list(const struct mail_message *m, char field)
{
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < m->attachment_count; i++) {
        if (i)
            g_string_append_c(s, '|');
        const struct mail_attachment *a = &m->attachments[i];
        if (field == 'n')
            g_string_append(s, a->filename);
        else if (field == 't')
            g_string_append(s, a->content_type);
        else if (field == 's')
            g_string_append_printf(s, "%zu", a->size);
        else
            g_string_append(s, a->is_inline ? "yes" : "no");
    }
    return g_string_free(s, FALSE);
}

static void check_field(const char *file, const struct mail_message *m, const char *key,
                        const char *want)
{
    if (strcmp(key, "not-a-message") == 0) {
        if (m->is_message)
            differ(file, key, "a message", "not a message");
    } else if (strcmp(key, "from") == 0) {
        expect_str(file, key, m->from_addr, want);
    } else if (strcmp(key, "name") == 0) {
        expect_str(file, key, m->from_name, want);
    } else if (strcmp(key, "subject") == 0) {
        expect_str(file, key, m->subject, want);
    } else if (strcmp(key, "subject-nonempty") == 0) {
        if (!m->subject[0])
            differ(file, key, "", "something");
    } else if (strcmp(key, "first-line") == 0) {
        char *line = first_line(m->body);
        expect_str(file, key, line, want);
        g_free(line);
    } else if (strcmp(key, "first-line-contains") == 0 || strncmp(key, "body-contains", 13) == 0) {
        if (!strstr(m->body, want))
            differ(file, key, m->body, want);
    } else if (strcmp(key, "body-lacks") == 0) {
        char **bad = g_strsplit(want, "|", -1);
        for (char **b = bad; *b; b++)
            if (strstr(m->body, *b))
                differ(file, key, m->body, *b);
        g_strfreev(bad);
    } else if (strncmp(key, "attachment", 10) == 0) {
        if (strcmp(want, "*") == 0)
            return;
        char kind = strcmp(key, "attachments") == 0        ? 'n'
                    : strcmp(key, "attachment-types") == 0 ? 't'
                    : strcmp(key, "attachment-sizes") == 0 ? 's'
                                                           : 'i';
        char *got = attachment_list(m, kind);
        expect_str(file, key, got, want);
        g_free(got);
    } else if (strcmp(key, "kind") == 0) {
        expect_str(file, key, mail_auto_kind_name(m->auto_kind), want);
    } else if (strcmp(key, "message-id") == 0) {
        expect_str(file, key, m->message_id, want);
    } else if (strcmp(key, "in-reply-to") == 0) {
        expect_str(file, key, m->in_reply_to, want);
    } else if (strcmp(key, "references") == 0) {
        GString *refs = g_string_new(NULL);
        for (size_t i = 0; i < m->reference_count; i++)
            g_string_append_printf(refs, "%s%s", i ? " " : "", m->references[i]);
        expect_str(file, key, refs->str, want);
        g_string_free(refs, TRUE);
    } else if (strcmp(key, "dsn-original") == 0) {
        expect_str(file, key, m->dsn_original_id, want);
    } else if (strcmp(key, "dsn-reason-contains") == 0) {
        if (!m->dsn_reason || !strstr(m->dsn_reason, want))
            differ(file, key, m->dsn_reason, want);
    } else if (strcmp(key, "dsn-permanent") == 0) {
        expect_str(file, key, m->dsn_permanent ? "yes" : "no", want);
    } else {
        differ(file, key, "(no such key)", want);
    }
}

/* test_mail_parse --dump FILE: what the parser read, for writing a new expectation */
static int dump(const char *path)
{
    char *raw;
    gsize len;
    if (!g_file_get_contents(path, &raw, &len, NULL))
        return 1;
    struct mail_message m;
    int rc = mail_parse(raw, len, &m);
    printf("message: %s\nfrom: %s\nname: %s\nsubject: %s\nmessage-id: %s\nkind: %s\n",
           rc ? "no" : "yes", m.from_addr, m.from_name, m.subject, m.message_id,
           mail_auto_kind_name(m.auto_kind));
    for (size_t i = 0; i < m.attachment_count; i++)
        printf("attachment: %s %s %zu\n", m.attachments[i].filename, m.attachments[i].content_type,
               m.attachments[i].size);
    printf("body:\n%s\n", m.body);
    mail_message_free(&m);
    g_free(raw);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--dump") == 0)
        return dump(argv[2]);
    const char *dir = argc > 1 ? argv[1] : ".";
    char *path = g_build_filename(dir, "expected.txt", NULL);
    char *text;
    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        printf("Bail out! cannot read %s\n", path);
        return 1;
    }
    char **blocks = g_regex_split_simple("\n\\s*\n", text, 0, 0);
    int n = 0, failed = 0, fields = 0;
    for (char **b = blocks; *b; b++)
        if (strstr(*b, "file: "))
            n++;
    printf("1..%d\n", n);
    int number = 0;
    for (char **b = blocks; *b; b++) {
        char **lines = g_strsplit(*b, "\n", -1);
        char *file = NULL;
        struct mail_message m;
        bool parsed = false;
        failures_in_message = 0;
        for (char **l = lines; *l; l++) {
            if (**l == '#' || !**l)
                continue;
            char *colon = strstr(*l, ": ");
            char *key = colon ? g_strndup(*l, (gsize)(colon - *l)) : g_strdup(*l);
            const char *value = colon ? colon + 2 : "";
            if (strcmp(key, "file") == 0) {
                file = g_strdup(value);
                char *mail_path = g_build_filename(dir, file, NULL);
                char *raw;
                gsize len;
                if (!g_file_get_contents(mail_path, &raw, &len, NULL)) {
                    differ(file, "file", "(unreadable)", mail_path);
                } else {
                    mail_parse(raw, len, &m);
                    parsed = true;
                    g_free(raw);
                }
                g_free(mail_path);
            } else if (parsed) {
                check_field(file, &m, key, value);
                fields++;
            }
            g_free(key);
        }
        if (file) {
            number++;
            failed += failures_in_message > 0;
            printf("%s %d - %s\n", failures_in_message ? "not ok" : "ok", number, file);
        }
        if (parsed)
            mail_message_free(&m);
        g_free(file);
        g_strfreev(lines);
    }
    printf("# %d fields checked\n", fields);
    g_strfreev(blocks);
    g_free(text);
    g_free(path);
    return failed ? 1 : 0;
}
