/* Reading one message with GMime: headers, the body text, attachments, and whether it was
 * written by a person. The walk over the MIME tree is ours; decoding is GMime's. */
#include "mail_parse.h"

#include <gmime/gmime.h>
#include <string.h>

struct walk {
    struct mail_message *m;
    GString *body;
    bool have_body;
    GPtrArray *attachments; /* struct mail_attachment * */
};

static void mail_init_once(void)
{
    static gsize done;
    if (g_once_init_enter(&done)) {
        g_mime_init();
        g_once_init_leave(&done, 1);
    }
}

const char *mail_auto_kind_name(enum mail_auto_kind kind)
{
    static const char *const names[] = {"personal", "auto_reply", "bulk", "list", "bounce"};
    return names[kind];
}

/* The decoded bytes of a leaf part (transfer encoding undone). */
static GByteArray *part_bytes(GMimePart *part)
{
    GByteArray *bytes = g_byte_array_new();
    GMimeDataWrapper *content = g_mime_part_get_content(part);
    if (content) {
        GMimeStream *mem = g_mime_stream_mem_new_with_byte_array(bytes);
        g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
        g_mime_data_wrapper_write_to_stream(content, mem);
        g_object_unref(mem);
    }
    return bytes;
}

static char *part_text(GMimePart *part)
{
    GByteArray *bytes = part_bytes(part);
    const char *charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
    char *text = mail_text_to_utf8((const char *)bytes->data, bytes->len, charset);
    g_byte_array_free(bytes, TRUE);
    /* line ends as the desk stores them */
    char *w = text;
    for (const char *r = text; *r; r++)
        if (!(r[0] == '\r' && r[1] == '\n'))
            *w++ = *r;
    *w = '\0';
    return text;
}

static bool is_type(GMimeObject *obj, const char *type, const char *subtype)
{
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    return ct && g_mime_content_type_is_type(ct, type, subtype);
}

static bool is_attachment_disposition(GMimeObject *obj)
{
    const char *disposition = g_mime_object_get_disposition(obj);
    return disposition && g_ascii_strcasecmp(disposition, "attachment") == 0;
}

static void add_attachment(struct walk *w, GMimePart *part)
{
    struct mail_attachment *a = g_new0(struct mail_attachment, 1);
    const char *name = g_mime_part_get_filename(part);
    a->filename = name && *name ? mail_text_to_utf8(name, strlen(name), "UTF-8")
                                : g_strdup_printf("attachment-%u", w->attachments->len + 1);
    GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
    char *mime = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
    a->content_type = g_ascii_strdown(mime ? mime : "application/octet-stream", -1);
    g_free(mime);
    GByteArray *bytes = part_bytes(part);
    a->size = bytes->len;
    a->data = g_byte_array_free(bytes, FALSE);
    const char *disposition = g_mime_object_get_disposition(GMIME_OBJECT(part));
    a->is_inline = (disposition && g_ascii_strcasecmp(disposition, "inline") == 0) ||
                   g_mime_part_get_content_id(part) != NULL;
    g_ptr_array_add(w->attachments, a);
}

static void append_body(struct walk *w, char *text)
{
    if (w->body->len && text[0])
        g_string_append(w->body, w->body->str[w->body->len - 1] == '\n' ? "\n" : "\n\n");
    g_string_append(w->body, text);
    g_free(text);
    w->have_body = true;
}

static void walk_object(struct walk *w, GMimeObject *obj);

/* multipart/alternative: the plain text if there is one, else the richest part GMime read. */
static void walk_alternative(struct walk *w, GMimeMultipart *mp)
{
    int n = g_mime_multipart_get_count(mp);
    GMimeObject *chosen = NULL;
    for (int i = 0; i < n && !chosen; i++) {
        GMimeObject *sub = g_mime_multipart_get_part(mp, i);
        if (is_type(sub, "text", "plain"))
            chosen = sub;
    }
    if (!chosen && n > 0)
        chosen = g_mime_multipart_get_part(mp, n - 1);
    if (chosen)
        walk_object(w, chosen);
    /* images of a multipart/related HTML part are still the customer's attachments */
    for (int i = 0; i < n; i++) {
        GMimeObject *sub = g_mime_multipart_get_part(mp, i);
        if (sub != chosen && GMIME_IS_MULTIPART(sub)) {
            int m = g_mime_multipart_get_count(GMIME_MULTIPART(sub));
            for (int j = 0; j < m; j++) {
                GMimeObject *leaf = g_mime_multipart_get_part(GMIME_MULTIPART(sub), j);
                if (GMIME_IS_PART(leaf) && !is_type(leaf, "text", "*"))
                    add_attachment(w, GMIME_PART(leaf));
            }
        }
    }
}

static void walk_forwarded(struct walk *w, GMimeMessage *inner)
{
    GString *head = g_string_new("---------- Forwarded message ----------\n");
    InternetAddressList *from = g_mime_message_get_from(inner);
    if (from && internet_address_list_length(from) > 0) {
        char *text = internet_address_list_to_string(from, NULL, FALSE);
        g_string_append_printf(head, "From: %s\n", text);
        g_free(text);
    }
    const char *subject = g_mime_message_get_subject(inner);
    if (subject)
        g_string_append_printf(head, "Subject: %s\n", subject);
    /* the forwarded text follows the forwarder's own words, never stands in for them */
    bool had_body = w->have_body;
    /* the inner headers may carry raw 8-bit bytes in any charset: UTF-8 like the rest */
    char *raw_head = g_string_free(head, FALSE);
    append_body(w, mail_text_to_utf8(raw_head, strlen(raw_head), "UTF-8"));
    g_free(raw_head);
    GMimeObject *inner_part = g_mime_message_get_mime_part(inner);
    struct walk inner_walk = {.m = w->m, .body = g_string_new(NULL), .attachments = w->attachments};
    if (inner_part)
        walk_object(&inner_walk, inner_part);
    g_string_append_c(w->body, '\n');
    g_string_append(w->body, inner_walk.body->str);
    g_string_free(inner_walk.body, TRUE);
    w->have_body = had_body || inner_walk.have_body;
}

static void walk_object(struct walk *w, GMimeObject *obj)
{
    if (GMIME_IS_MESSAGE_PART(obj)) {
        GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
        if (inner)
            walk_forwarded(w, inner);
        return;
    }
    if (GMIME_IS_MULTIPART(obj)) {
        GMimeMultipart *mp = GMIME_MULTIPART(obj);
        if (is_type(obj, "multipart", "alternative")) {
            walk_alternative(w, mp);
            return;
        }
        int n = g_mime_multipart_get_count(mp);
        for (int i = 0; i < n; i++)
            walk_object(w, g_mime_multipart_get_part(mp, i));
        /* a multipart without parts (no boundary, or one never used): its text is all there is */
        const char *prologue = g_mime_multipart_get_prologue(mp);
        if (n == 0 && prologue && *prologue)
            append_body(w, mail_text_to_utf8(prologue, strlen(prologue), NULL));
        return;
    }
    /* a report's machine-readable parts are read by read_dsn, not kept as files */
    if (!GMIME_IS_PART(obj) || is_type(obj, "message", "delivery-status") ||
        is_type(obj, "text", "rfc822-headers"))
        return;
    GMimePart *part = GMIME_PART(obj);
    bool text_plain = is_type(obj, "text", "plain");
    bool text_html = is_type(obj, "text", "html");
    bool named = g_mime_part_get_filename(part) != NULL;
    /* the first text is the body; more unnamed inline text (Apple Mail splits the body
     * around an image) joins it; named or attached text is an attachment */
    if ((text_plain || text_html) && !is_attachment_disposition(obj) && !(named && w->have_body)) {
        char *text = part_text(part);
        if (text_html) {
            char *plain = mail_html_to_text(text);
            g_free(text);
            text = plain;
        }
        append_body(w, text);
        return;
    }
    add_attachment(w, part);
}

static char *decode_id(const char *header)
{
    if (!header)
        return NULL;
    char *id = g_mime_utils_decode_message_id(header);
    if (id && !*id) {
        g_free(id);
        return NULL;
    }
    return id;
}

static void read_sender(struct mail_message *m, GMimeMessage *msg)
{
    InternetAddressList *from = g_mime_message_get_from(msg);
    if (!from || internet_address_list_length(from) == 0)
        from = g_mime_message_get_sender(msg);
    if (!from)
        return;
    for (int i = 0; i < internet_address_list_length(from); i++) {
        InternetAddress *a = internet_address_list_get_address(from, i);
        if (!INTERNET_ADDRESS_IS_MAILBOX(a))
            continue;
        const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
        if (!addr || !strchr(addr, '@'))
            continue;
        char *lower = g_ascii_strdown(addr, -1);
        m->from_addr = mail_text_to_utf8(lower, strlen(lower), "UTF-8");
        g_free(lower);
        const char *name = internet_address_get_name(a);
        m->from_name = name && *name ? mail_text_to_utf8(name, strlen(name), "UTF-8") : NULL;
        return;
    }
}

static void read_references(struct mail_message *m, GMimeMessage *msg)
{
    m->in_reply_to = decode_id(g_mime_object_get_header(GMIME_OBJECT(msg), "In-Reply-To"));
    const char *refs_header = g_mime_object_get_header(GMIME_OBJECT(msg), "References");
    if (!refs_header)
        return;
    GMimeReferences *refs = g_mime_references_parse(NULL, refs_header);
    if (!refs)
        return;
    int n = g_mime_references_length(refs);
    m->references = g_new0(char *, (size_t)n + 1);
    for (int i = 0; i < n; i++)
        m->references[m->reference_count++] = g_strdup(g_mime_references_get_message_id(refs, i));
    g_mime_references_free(refs);
}

/* The value of a "Name: value" line in a block of header-like text (a DSN part), unfolded. */
static char *field_value(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *line = text; line && *line;
         line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
        if (g_ascii_strncasecmp(line, name, n) == 0 && line[n] == ':') {
            GString *value = g_string_new(NULL);
            const char *p = line + n + 1;
            for (;;) {
                const char *eol = strchr(p, '\n');
                g_string_append_len(value, p, eol ? eol - p : (gssize)strlen(p));
                if (!eol || (eol[1] != ' ' && eol[1] != '\t'))
                    break;
                p = eol + 1;
            }
            char *v = g_strstrip(g_string_free(value, FALSE));
            char *squeezed = g_strdup(v);
            g_free(v);
            g_strdelimit(squeezed, "\r\t", ' ');
            return squeezed;
        }
    }
    return NULL;
}

static char *leaf_text(GMimeObject *obj)
{
    return GMIME_IS_PART(obj) ? part_text(GMIME_PART(obj)) : NULL;
}

/* RFC 3464: which message the report is about, and why it failed. */
static void read_dsn(struct mail_message *m, GMimeMultipart *report)
{
    int n = g_mime_multipart_get_count(report);
    for (int i = 0; i < n; i++) {
        GMimeObject *sub = g_mime_multipart_get_part(report, i);
        if (is_type(sub, "message", "delivery-status")) {
            if (m->dsn_reason)
                continue; /* a report with two status parts: the first one decides */
            char *text = NULL;
            if (GMIME_IS_MESSAGE_PART(sub)) {
                /* some GMime versions read the status fields as a message's headers */
                GMimeMessage *fields = g_mime_message_part_get_message(GMIME_MESSAGE_PART(sub));
                text = fields ? g_mime_object_get_headers(GMIME_OBJECT(fields), NULL) : NULL;
            } else {
                text = leaf_text(sub);
            }
            if (!text)
                continue;
            char *status = field_value(text, "Status");
            char *diagnostic = field_value(text, "Diagnostic-Code");
            char *action = field_value(text, "Action");
            m->dsn_reason =
                g_strdup_printf("%s%s%s%s", status ? status : "", status && diagnostic ? " " : "",
                                diagnostic ? "(" : "", diagnostic ? diagnostic : "");
            if (diagnostic) {
                char *with_paren = g_strconcat(m->dsn_reason, ")", NULL);
                g_free(m->dsn_reason);
                m->dsn_reason = with_paren;
            }
            m->dsn_permanent = (action && g_ascii_strncasecmp(action, "failed", 6) == 0) ||
                               (status && status[0] == '5');
            g_free(status);
            g_free(diagnostic);
            g_free(action);
            g_free(text);
        } else if (GMIME_IS_MESSAGE_PART(sub)) {
            GMimeMessage *orig = g_mime_message_part_get_message(GMIME_MESSAGE_PART(sub));
            if (orig && !m->dsn_original_id)
                m->dsn_original_id =
                    decode_id(g_mime_object_get_header(GMIME_OBJECT(orig), "Message-ID"));
        } else if (is_type(sub, "text", "rfc822-headers")) {
            char *text = leaf_text(sub);
            char *id = text ? field_value(text, "Message-ID") : NULL;
            if (id && !m->dsn_original_id)
                m->dsn_original_id = decode_id(id);
            g_free(id);
            g_free(text);
        }
    }
}

static bool header_is(GMimeMessage *msg, const char *name, const char *const *values)
{
    const char *v = g_mime_object_get_header(GMIME_OBJECT(msg), name);
    if (!v)
        return false;
    while (g_ascii_isspace(*v))
        v++;
    for (; *values; values++) {
        size_t n = strlen(*values);
        if (g_ascii_strncasecmp(v, *values, n) == 0 && !g_ascii_isalnum(v[n]) && v[n] != '-')
            return true;
    }
    return false;
}

/* "<>" with any blank space around or inside */
static bool is_empty_path(const char *path)
{
    bool open = false;
    for (; *path; path++) {
        if (*path == '<' && !open)
            open = true;
        else if (*path == '>' && open)
            return true;
        else if (!g_ascii_isspace(*path))
            return false;
    }
    return false;
}

static void classify(struct mail_message *m, GMimeMessage *msg)
{
    static const char *const no[] = {"no", NULL};
    static const char *const yes[] = {"yes", "true", "1", NULL};
    static const char *const bulk[] = {"bulk", "junk", "list", NULL};
    GMimeObject *obj = GMIME_OBJECT(msg);
    const char *auto_submitted = g_mime_object_get_header(obj, "Auto-Submitted");
    const char *return_path = g_mime_object_get_header(obj, "Return-Path");
    char *local = m->from_addr ? g_strndup(m->from_addr, strcspn(m->from_addr, "@")) : NULL;
    GMimeObject *top = g_mime_message_get_mime_part(msg);

    if (top && is_type(top, "multipart", "report")) {
        m->auto_kind = MAIL_BOUNCE, m->auto_reason = "Content-Type: multipart/report";
        if (GMIME_IS_MULTIPART(top))
            read_dsn(m, GMIME_MULTIPART(top));
    } else if (return_path && is_empty_path(return_path)) {
        m->auto_kind = MAIL_BOUNCE, m->auto_reason = "Return-Path: <>";
    } else if (local && (g_ascii_strcasecmp(local, "mailer-daemon") == 0 ||
                         g_ascii_strcasecmp(local, "postmaster") == 0)) {
        m->auto_kind = MAIL_BOUNCE, m->auto_reason = "From: MAILER-DAEMON or postmaster";
    } else if (auto_submitted && !header_is(msg, "Auto-Submitted", no)) {
        m->auto_kind = MAIL_AUTO_REPLY, m->auto_reason = "Auto-Submitted";
    } else if (header_is(msg, "X-Autoreply", yes) ||
               g_mime_object_get_header(obj, "X-Autorespond")) {
        m->auto_kind = MAIL_AUTO_REPLY, m->auto_reason = "X-Autoreply";
    } else if (header_is(msg, "Precedence", bulk)) {
        m->auto_kind = MAIL_BULK, m->auto_reason = "Precedence";
    } else if (g_mime_object_get_header(obj, "List-Id")) {
        m->auto_kind = MAIL_LIST, m->auto_reason = "List-Id";
    }
    g_free(local);
}

/* GMime reads any bytes as a message; mail has at least one header it knows. */
static bool looks_like_mail(GMimeMessage *msg)
{
    static const char *const known[] = {"From",         "Sender",      "To",       "Subject",
                                        "Date",         "Message-ID",  "Received", "Return-Path",
                                        "MIME-Version", "Content-Type"};
    for (size_t i = 0; i < G_N_ELEMENTS(known); i++)
        if (g_mime_object_get_header(GMIME_OBJECT(msg), known[i]))
            return true;
    return false;
}

int mail_parse(const char *raw, size_t len, struct mail_message *m)
{
    mail_init_once();
    memset(m, 0, sizeof *m);
    GMimeStream *stream = g_mime_stream_mem_new_with_buffer(raw, len);
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    GMimeMessage *msg = g_mime_parser_construct_message(parser, NULL);
    g_object_unref(parser);
    g_object_unref(stream);
    if (!msg || !looks_like_mail(msg)) {
        m->subject = g_strdup("");
        m->body = mail_text_to_utf8(raw, len, NULL);
        if (msg)
            g_object_unref(msg);
        return -1;
    }
    m->is_message = true;
    read_sender(m, msg);
    const char *subject = g_mime_message_get_subject(msg);
    m->subject = mail_text_to_utf8(subject ? subject : "", subject ? strlen(subject) : 0, "UTF-8");
    g_strdelimit(m->subject, "\r\n\t", ' ');
    m->message_id = decode_id(g_mime_object_get_header(GMIME_OBJECT(msg), "Message-ID"));
    read_references(m, msg);

    struct walk w = {.m = m, .body = g_string_new(NULL), .attachments = g_ptr_array_new()};
    GMimeObject *top = g_mime_message_get_mime_part(msg);
    if (top)
        walk_object(&w, top);
    m->body = g_string_free(w.body, FALSE);
    m->attachment_count = w.attachments->len;
    m->attachments = g_new0(struct mail_attachment, w.attachments->len + 1);
    for (guint i = 0; i < w.attachments->len; i++) {
        struct mail_attachment *a = g_ptr_array_index(w.attachments, i);
        m->attachments[i] = *a;
        g_free(a);
    }
    g_ptr_array_free(w.attachments, TRUE);
    classify(m, msg);
    g_object_unref(msg);
    return 0;
}

void mail_message_free(struct mail_message *m)
{
    g_free(m->from_addr);
    g_free(m->from_name);
    g_free(m->subject);
    g_free(m->message_id);
    g_free(m->in_reply_to);
    for (size_t i = 0; i < m->reference_count; i++)
        g_free(m->references[i]);
    g_free(m->references);
    g_free(m->body);
    for (size_t i = 0; i < m->attachment_count; i++) {
        g_free(m->attachments[i].filename);
        g_free(m->attachments[i].content_type);
        g_free(m->attachments[i].data);
    }
    g_free(m->attachments);
    g_free(m->dsn_original_id);
    g_free(m->dsn_reason);
    memset(m, 0, sizeof *m);
}
