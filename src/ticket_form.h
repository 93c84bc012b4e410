/* The ticket form written in the editor ('new' and 'edit' with no arguments): header lines
 * "Field: value" (field names in any case, each at most once), then, for a new ticket, a
 * blank line and the body. Comment lines (editor.h) are left out before parsing. Pure; the
 * spec is tests/unit/test_ticket_form.c. */
#ifndef TUKI_TICKET_FORM_H
#define TUKI_TICKET_FORM_H

#include <stddef.h>

enum form_field {
    FORM_CUSTOMER,
    FORM_CONTACT,
    FORM_TYPE,
    FORM_IMPACT,
    FORM_URGENCY,
    FORM_CHANNEL,
    FORM_TEAM,
    FORM_SUBJECT,
    FORM_FIELD_COUNT
};

#define FORM_BIT(f) (1u << (f))
/* The fields of each form, in the order they are written. */
#define FORM_NEW                                                                                   \
    (FORM_BIT(FORM_CUSTOMER) | FORM_BIT(FORM_CONTACT) | FORM_BIT(FORM_TYPE) |                      \
     FORM_BIT(FORM_IMPACT) | FORM_BIT(FORM_URGENCY) | FORM_BIT(FORM_CHANNEL) |                     \
     FORM_BIT(FORM_SUBJECT))
#define FORM_EDIT                                                                                  \
    (FORM_BIT(FORM_CONTACT) | FORM_BIT(FORM_TYPE) | FORM_BIT(FORM_CHANNEL) | FORM_BIT(FORM_TEAM) | \
     FORM_BIT(FORM_SUBJECT))

struct ticket_form {
    char *value[FORM_FIELD_COUNT]; /* NULL: not in the form; "" written empty */
    char *body;                    /* NULL when the form has none */
};

/* The field's name as the form writes it ("Customer"), and the lower-case name that
 * 'edit ID field=value' takes ("customer"). */
const char *form_field_name(enum form_field f);
const char *form_field_key(enum form_field f);

/* The field of that lower-case key, or -1. */
int form_field_by_key(const char *key);

/* The form as text: the comment help first, then fields (in mask, with their values) and,
 * when with_body, a blank line and the body. Newly allocated. */
char *form_write(const struct ticket_form *f, unsigned mask, int with_body, const char *help);

/* Parses the edited text (comments already in it are left out). Only fields in mask are
 * accepted; the body only when with_body (else text after the blank line is an error).
 * Returns 0, or -1 with a message naming the line in *error (newly allocated). Impact and
 * urgency must be 1, 2 or 3 when given. */
int form_parse(const char *text, unsigned mask, int with_body, struct ticket_form *f, char **error);

/* A new ticket's form: Customer and Subject given. 0, or -1 with *error. */
int form_check_new(const struct ticket_form *f, char **error);

void form_free(struct ticket_form *f);

#endif
