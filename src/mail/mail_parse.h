/* One RFC 5322 message read into plain data, with GMime 3. Pure: no database, no I/O.
 *
 * - Everything the caller gets is UTF-8: headers decoded (RFC 2047), bodies converted from
 *   their charset (anything GMime and iconv know); bytes that are not valid in the charset
 *   the message claims are read as Windows-1252, so no text is ever dropped.
 * - The body is the first text part: text/plain preferred inside multipart/alternative; an
 *   HTML-only message becomes readable text (mail_html_to_text). A forwarded message
 *   (message/rfc822) follows the body under a "Forwarded message" line, and its attachments
 *   join the list.
 * - Every other leaf part is an attachment, inline images included, with its decoded bytes;
 *   file names come from RFC 2231 / RFC 2047 parameters, else "attachment-N".
 * - Malformed mail (bad dates, broken boundaries, missing bodies) is read as far as it goes.
 *   Only input without a single header line is "not a message" (mail.is_message false). */
#ifndef TUKI_MAIL_PARSE_H
#define TUKI_MAIL_PARSE_H

#include <stdbool.h>
#include <stddef.h>

struct mail_attachment {
    char *filename;     /* never NULL */
    char *content_type; /* "type/subtype", lower case */
    unsigned char *data;
    size_t size;
    bool is_inline; /* Content-Disposition inline or a Content-ID (an embedded image) */
};

/* Why the desk must not answer a message automatically (RFC 3834, RFC 2369, RFC 3464). */
enum mail_auto_kind {
    MAIL_PERSONAL = 0, /* written by a person: may be answered */
    MAIL_AUTO_REPLY,   /* Auto-Submitted other than "no", X-Autoreply */
    MAIL_BULK,         /* Precedence: bulk / junk / list */
    MAIL_LIST,         /* List-Id */
    MAIL_BOUNCE,       /* empty return path, MAILER-DAEMON, postmaster, multipart/report */
};

struct mail_message {
    bool is_message;   /* false: not mail at all (no header) */
    char *from_addr;   /* the sender's address, lower case; NULL when there is none */
    char *from_name;   /* display name, NULL when none */
    char *subject;     /* "" when none */
    char *message_id;  /* without angle brackets; NULL when none */
    char *in_reply_to; /* without angle brackets; NULL when none */
    char **references; /* without angle brackets, oldest first */
    size_t reference_count;
    char *body; /* UTF-8 text, "" when the message has none */
    struct mail_attachment *attachments;
    size_t attachment_count;
    enum mail_auto_kind auto_kind;
    const char
        *auto_reason; /* the header that decided auto_kind, e.g. "Auto-Submitted: auto-replied" */
    char *dsn_original_id; /* a delivery status notification: the Message-ID it is about */
    char *dsn_reason;      /* and why, e.g. "5.1.1 (smtp; 550 5.1.1 user unknown)" */
    bool dsn_permanent;    /* Action: failed / status 5.x.x */
};

/* Reads raw[0..len). Always fills *m (free it with mail_message_free); returns 0 for a message,
 * -1 when the input is no message at all (m->is_message false, m->body holds what could be
 * read as text). */
int mail_parse(const char *raw, size_t len, struct mail_message *m);
void mail_message_free(struct mail_message *m);

/* Readable text from HTML: no tags, script or style; block elements and <br> make line breaks,
 * entities decoded, runs of blank space folded. Caller frees. */
char *mail_html_to_text(const char *html);

/* Bytes in a charset (a MIME name; NULL = unknown) as UTF-8. Invalid input is read as
 * Windows-1252, so the result is never NULL and always valid UTF-8. Caller frees. */
char *mail_text_to_utf8(const char *bytes, size_t len, const char *charset);

/* The name of a kind: "personal", "auto_reply", "bulk", "list", "bounce". */
const char *mail_auto_kind_name(enum mail_auto_kind kind);

#endif
