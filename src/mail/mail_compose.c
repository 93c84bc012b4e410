/* Writing a customer mail: every header encoding is GMime's. */
#include "mail_compose.h"

#include <gmime/gmime.h>
#include <string.h>

static void compose_init_once(void)
{
    static gsize done;
    if (g_once_init_enter(&done)) {
        g_mime_init();
        g_once_init_leave(&done, 1);
    }
}

/* "<a> <b>" from "a b" */
static char *bracketed(const char *ids)
{
    GString *out = g_string_new(NULL);
    char **parts = g_strsplit(ids, " ", -1);
    for (char **p = parts; *p; p++)
        if (**p)
            g_string_append_printf(out, "%s<%s>", out->len ? " " : "", *p);
    g_strfreev(parts);
    return g_string_free(out, FALSE);
}

char *mail_compose(const struct mail_outgoing *out, size_t *len)
{
    compose_init_once();
    GMimeMessage *msg = g_mime_message_new(TRUE);
    InternetAddressList *desk = internet_address_list_parse(NULL, out->from);
    if (desk) {
        internet_address_list_append(g_mime_message_get_from(msg), desk);
        internet_address_list_append(g_mime_message_get_reply_to(msg), desk);
        g_object_unref(desk);
    }
    g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_TO, out->to_name ? out->to_name : "",
                               out->to);
    g_mime_message_set_subject(msg, out->subject, "utf-8");
    GDateTime *now = g_date_time_new_now_local();
    g_mime_message_set_date(msg, now);
    g_date_time_unref(now);
    g_mime_message_set_message_id(msg, out->message_id);
    GMimeObject *obj = GMIME_OBJECT(msg);
    if (out->in_reply_to && *out->in_reply_to) {
        char *v = bracketed(out->in_reply_to);
        g_mime_object_set_header(obj, "In-Reply-To", v, NULL);
        g_free(v);
    }
    if (out->references && *out->references) {
        char *v = bracketed(out->references);
        g_mime_object_set_header(obj, "References", v, NULL);
        g_free(v);
    }
    if (out->automatic)
        g_mime_object_set_header(obj, "Auto-Submitted", "auto-generated", NULL);

    GMimeTextPart *text = g_mime_text_part_new_with_subtype("plain");
    /* the bytes as they are: g_mime_text_part_set_text would pick Latin-1 for Finnish */
    GMimeStream *body = g_mime_stream_mem_new_with_buffer(out->body, strlen(out->body));
    GMimeDataWrapper *content =
        g_mime_data_wrapper_new_with_stream(body, GMIME_CONTENT_ENCODING_DEFAULT);
    g_mime_part_set_content(GMIME_PART(text), content);
    g_object_unref(content);
    g_object_unref(body);
    g_mime_text_part_set_charset(text, "utf-8");
    g_mime_part_set_content_encoding(GMIME_PART(text), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
    if (out->language)
        g_mime_object_set_header(GMIME_OBJECT(text), "Content-Language", out->language, NULL);
    if (out->attachment_name) {
        /* multipart/mixed: the text, then the file */
        GMimeMultipart *mixed = g_mime_multipart_new_with_subtype("mixed");
        g_mime_multipart_add(mixed, GMIME_OBJECT(text));
        GMimeContentType *type = g_mime_content_type_parse(
            NULL, out->attachment_type ? out->attachment_type : "application/octet-stream");
        GMimePart *file = g_mime_part_new_with_type(g_mime_content_type_get_media_type(type),
                                                    g_mime_content_type_get_media_subtype(type));
        const char *charset = g_mime_content_type_get_parameter(type, "charset");
        if (charset)
            g_mime_object_set_content_type_parameter(GMIME_OBJECT(file), "charset", charset);
        g_object_unref(type);
        GMimeStream *bytes =
            g_mime_stream_mem_new_with_buffer((const char *)out->attachment, out->attachment_len);
        GMimeDataWrapper *data =
            g_mime_data_wrapper_new_with_stream(bytes, GMIME_CONTENT_ENCODING_DEFAULT);
        g_mime_part_set_content(file, data);
        g_object_unref(data);
        g_object_unref(bytes);
        g_mime_part_set_filename(file, out->attachment_name);
        g_mime_part_set_content_encoding(file, GMIME_CONTENT_ENCODING_BASE64);
        g_mime_multipart_add(mixed, GMIME_OBJECT(file));
        g_object_unref(file);
        g_mime_message_set_mime_part(msg, GMIME_OBJECT(mixed));
        g_object_unref(mixed);
    } else {
        g_mime_message_set_mime_part(msg, GMIME_OBJECT(text));
    }
    g_object_unref(text);

    GMimeFormatOptions *options = g_mime_format_options_new();
    g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_UNIX);
    char *raw = g_mime_object_to_string(obj, options);
    g_mime_format_options_free(options);
    g_object_unref(msg);
    *len = strlen(raw);
    return raw;
}

char *mail_make_message_id(const char *from, long long ticket, long long row)
{
    const char *at = strrchr(from, '@');
    char *domain = g_strdup(at ? at + 1 : "localhost");
    domain[strcspn(domain, "> \t")] = '\0';
    char *id = g_strdup_printf("tuki.%lld.%lld@%s", ticket, row, domain);
    g_free(domain);
    return id;
}
