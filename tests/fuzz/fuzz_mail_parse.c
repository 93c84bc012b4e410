/* libFuzzer: the mail reader on any bytes, as `tuki mail-in` meets them from an MTA. Whatever
 * comes in, what comes out is what mail_parse.h promises: every string UTF-8, never NULL where
 * the header says so, attachments with a name and a type, sizes that hold their bytes. */
#include "mail/mail_parse.h"

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>

static void must_be_utf8(const char *s)
{
    if (s && !g_utf8_validate(s, -1, NULL))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mail_message m;
    int rc = mail_parse((const char *)data, size, &m);
    if ((rc == 0) != m.is_message || !m.body)
        abort();
    if (m.is_message && !m.subject)
        abort();
    must_be_utf8(m.body);
    must_be_utf8(m.subject);
    must_be_utf8(m.from_addr);
    must_be_utf8(m.from_name);
    for (size_t i = 0; i < m.reference_count; i++)
        if (!m.references[i])
            abort();
    for (size_t i = 0; i < m.attachment_count; i++) {
        const struct mail_attachment *a = &m.attachments[i];
        if (!a->filename || !a->content_type || (a->size && !a->data))
            abort();
        must_be_utf8(a->filename);
        volatile unsigned char sink = 0;
        for (size_t j = 0; j < a->size; j++) /* every byte it claims is readable */
            sink ^= a->data[j];
        (void)sink;
    }
    mail_message_free(&m);
    return 0;
}
