/* One customer mail composed with GMime: From and Reply-To the desk (mail.from, which may
 * carry a display name), To the contact, the subject and display names RFC 2047-encoded,
 * Message-ID / In-Reply-To / References for threading, the body as UTF-8 quoted-printable,
 * LF line ends (sendmail(8) input). Pure: no database, no I/O. */
#ifndef TUKI_MAIL_COMPOSE_H
#define TUKI_MAIL_COMPOSE_H

#include <stdbool.h>
#include <stddef.h>

struct mail_outgoing {
    const char *from;        /* "Tuki <tuki@vendor.example>" or a bare address */
    const char *to;          /* address */
    const char *to_name;     /* display name or NULL */
    const char *subject;     /* UTF-8, the tag already in it */
    const char *body;        /* UTF-8 */
    const char *message_id;  /* without angle brackets */
    const char *in_reply_to; /* without angle brackets, or NULL */
    const char *references;  /* ids separated by spaces, without angle brackets, or NULL */
    bool automatic;       /* a notification, not a person's reply: Auto-Submitted: auto-generated */
    const char *language; /* Content-Language (fi, sk, en), or NULL */
    const char *attachment_name;     /* one file sent with it (base64), or NULL */
    const char *attachment_type;     /* its MIME type, e.g. "text/csv; charset=utf-8" */
    const unsigned char *attachment; /* its bytes */
    size_t attachment_len;
};

/* The message as bytes (NUL-terminated; *len without it). Caller frees with free(). */
char *mail_compose(const struct mail_outgoing *out, size_t *len);

/* "tuki.TICKET.ROW@DOMAIN" with the domain of from's address; caller frees. */
char *mail_make_message_id(const char *from, long long ticket, long long row);

#endif
