#include "ticket_form.h"

#include "editor.h"
#include "i18n.h"
#include "text.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const names[FORM_FIELD_COUNT] = {
    [FORM_CUSTOMER] = "Customer", [FORM_CONTACT] = "Contact", [FORM_TYPE] = "Type",
    [FORM_IMPACT] = "Impact",     [FORM_URGENCY] = "Urgency", [FORM_CHANNEL] = "Channel",
    [FORM_TEAM] = "Team",         [FORM_SUBJECT] = "Subject",
};
static const char *const keys[FORM_FIELD_COUNT] = {
    [FORM_CUSTOMER] = "customer", [FORM_CONTACT] = "contact", [FORM_TYPE] = "type",
    [FORM_IMPACT] = "impact",     [FORM_URGENCY] = "urgency", [FORM_CHANNEL] = "channel",
    [FORM_TEAM] = "team",         [FORM_SUBJECT] = "subject",
};
/* The order a form is written in: who, what kind, then the subject right above the body. */
static const enum form_field order[FORM_FIELD_COUNT] = {
    FORM_CUSTOMER, FORM_CONTACT, FORM_TYPE, FORM_IMPACT,
    FORM_URGENCY,  FORM_CHANNEL, FORM_TEAM, FORM_SUBJECT,
};

const char *form_field_name(enum form_field f)
{
    return names[f];
}

const char *form_field_key(enum form_field f)
{
    return keys[f];
}

int form_field_by_key(const char *key)
{
    for (int i = 0; i < FORM_FIELD_COUNT; i++)
        if (strcmp(keys[i], key) == 0)
            return i;
    return -1;
}

static int field_by_name(const char *name, size_t n)
{
    for (int i = 0; i < FORM_FIELD_COUNT; i++)
        if (strlen(names[i]) == n && strncasecmp(names[i], name, n) == 0)
            return i;
    return -1;
}

static void append(char **s, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void append(char **s, size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *piece = NULL;
    int n = vasprintf(&piece, fmt, ap);
    va_end(ap);
    if (n < 0 || !(*s = realloc(*s, *len + (size_t)n + 1)))
        abort();
    memcpy(*s + *len, piece, (size_t)n + 1);
    *len += (size_t)n;
    free(piece);
}

char *form_write(const struct ticket_form *f, unsigned mask, int with_body, const char *help)
{
    char *s = NULL;
    size_t len = 0;
    append(&s, &len, "%s", help ? help : "");
    for (int i = 0; i < FORM_FIELD_COUNT; i++) {
        enum form_field k = order[i];
        if (mask & FORM_BIT(k))
            append(&s, &len, "%s: %s\n", names[k], f->value[k] ? f->value[k] : "");
    }
    if (with_body)
        append(&s, &len, "\n%s%s", f->body ? f->body : "", f->body && *f->body ? "\n" : "");
    return s;
}

static char *trimmed(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return strndup(s, n);
}

int form_parse(const char *text, unsigned mask, int with_body, struct ticket_form *f, char **error)
{
    memset(f, 0, sizeof *f);
    *error = NULL;
    char *clean = editor_strip(text);
    const char *p = clean;
    int line = 0, rc = 0;
    while (*p) {
        size_t n = strcspn(p, "\n");
        line++;
        if (n == 0) {
            p++;
            break; /* the blank line: the body follows */
        }
        const char *colon = memchr(p, ':', n);
        int k = colon ? field_by_name(p, (size_t)(colon - p)) : -1;
        if (!colon) {
            rc = text_fail(error, _("line %d: \"%.*s\" is not \"Field: value\""), line, (int)n, p);
        } else if (k < 0 || !(mask & FORM_BIT(k))) {
            rc = text_fail(error, _("line %d: no field \"%.*s\" in this form"), line,
                           (int)(colon - p), p);
        } else if (f->value[k]) {
            rc = text_fail(error, _("line %d: %s is given twice"), line, names[k]);
        } else {
            f->value[k] = trimmed(colon + 1, (size_t)(p + n - colon - 1));
            if ((k == FORM_IMPACT || k == FORM_URGENCY) && *f->value[k] &&
                !(strlen(f->value[k]) == 1 && f->value[k][0] >= '1' && f->value[k][0] <= '3'))
                rc = text_fail(error, _("line %d: %s must be 1 (high), 2 or 3 (low), not \"%s\""),
                               line, names[k], f->value[k]);
        }
        if (rc)
            break;
        p += n + (p[n] == '\n');
    }
    if (rc == 0 && *p) {
        if (with_body)
            f->body = strdup(p);
        else
            rc = text_fail(error, _("line %d: this form has no text after its fields"), line + 1);
    }
    free(clean);
    if (rc)
        form_free(f);
    return rc;
}

int form_check_new(const struct ticket_form *f, char **error)
{
    *error = NULL;
    if (!f->value[FORM_CUSTOMER] || !*f->value[FORM_CUSTOMER])
        return text_fail(error, _("Customer is empty: a new ticket needs the customer's code"));
    if (!f->value[FORM_SUBJECT] || !*f->value[FORM_SUBJECT])
        return text_fail(error, _("Subject is empty: a new ticket needs a subject"));
    return 0;
}

void form_free(struct ticket_form *f)
{
    for (int i = 0; i < FORM_FIELD_COUNT; i++)
        free(f->value[i]);
    free(f->body);
    memset(f, 0, sizeof *f);
}
