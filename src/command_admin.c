#include "command_admin.h"

#include "admin_args.h"
#include "command_call.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADMIN_MAX_FIELDS 8

/* A listing (contacts, contracts, hours, the audit) in the text pane, or "none". */
static int listed(struct command_ctx *ctx, PGresult *res, const char *title)
{
    if (PQntuples(res) == 0 || PQgetisnull(res, 0, 0))
        return command_done(ctx, _("%s: none"), title);
    if (ctx->ui && ctx->ui->show_text)
        ctx->ui->show_text(ctx->ui_data, title, PQgetvalue(res, 0, 0));
    return command_done(ctx, "%s", title);
}

/* The word prepared before sending is the whole message. */
static int said(struct command_ctx *ctx, PGresult *res, const char *word)
{
    (void)res;
    return command_done(ctx, "%s", word);
}

/* The word says what was done up to the new number, which the answer holds. */
static int said_with_value(struct command_ctx *ctx, PGresult *res, const char *word)
{
    return command_done(ctx, "%s %s", word, PQgetvalue(res, 0, 0));
}

/* A message made with a format of our own and user text; caller frees. */
static char *message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *message(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = NULL;
    if (vasprintf(&text, fmt, ap) < 0)
        text = NULL;
    va_end(ap);
    return text;
}

/* A whole positive number: a contact's or contract's. */
static int parse_number(struct command_ctx *ctx, const char *what, const char *text)
{
    char *end;
    long long v = strtoll(text, &end, 10);
    if (text[0] < '0' || text[0] > '9' || *end || v <= 0)
        return command_fail(ctx, _("%s '%s': a whole number, as 'list' shows them"), what, text);
    return 0;
}

static int parse_date(struct command_ctx *ctx, const char *text)
{
    if (!admin_date_valid(text))
        return command_fail(ctx, _("'%s' is no date: write YYYY-MM-DD, e.g. 2027-12-24"), text);
    return 0;
}

static int parse_yes_no(struct command_ctx *ctx, const char *key, const char *value)
{
    if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
        return command_fail(ctx, _("%s is yes or no, not '%s'"), key, value);
    return 0;
}

/* FIELD=VALUE words from index first on. */
static int parse_fields(struct command_ctx *ctx, const struct cmdline_words *w, size_t first,
                        const char *const *allowed, struct admin_field *out, size_t *count)
{
    size_t n = w->count > first ? w->count - first : 0, bad = 0;
    const char **words = calloc(n + 1, sizeof *words);
    for (size_t i = 0; i < n; i++)
        words[i] = w->word[first + i].text;
    enum admin_field_error e =
        admin_fields_parse(words, n, allowed, out, ADMIN_MAX_FIELDS, count, &bad);
    int rc = 0;
    if (e != ADMIN_FIELD_OK) {
        char *names = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&names, &len);
        for (const char *const *a = allowed; out && *a; a++)
            fprintf(out, "%s%s", a == allowed ? "" : ", ", *a);
        if (out)
            fclose(out);
        rc = command_fail(ctx, _("'%s': %s (fields: %s)"), words[bad], admin_field_strerror(e),
                          names ? names : "");
        free(names);
    }
    free(words);
    return rc;
}

static const char *const contact_fields[] = {"name",     "email", "phone",  "language",
                                             "billable", "login", "active", NULL};

static int contact_add(struct command_ctx *ctx, const struct cmdline_words *w)
{
    static const char *const add_fields[] = {"email",    "phone", "language",
                                             "billable", "login", NULL};
    struct admin_field f[ADMIN_MAX_FIELDS];
    size_t n = 0;
    if (w->count < 4)
        return command_usage(ctx, "contact");
    if (parse_fields(ctx, w, 4, add_fields, f, &n) < 0)
        return -1;
    const char *values[5] = {NULL, NULL, NULL, "no", NULL};
    for (size_t i = 0; i < n; i++)
        for (int k = 0; add_fields[k]; k++)
            if (f[i].key == add_fields[k])
                values[k] = *f[i].value ? f[i].value : NULL;
    if (values[3] && parse_yes_no(ctx, "billable", values[3]) < 0)
        return -1;
    const char *params[] = {w->word[2].text, w->word[3].text, values[0],
                            values[1],       values[2],       values[3] ? values[3] : "no",
                            values[4]};
    char *said_fmt = message(_("added %s to %s: contact"), w->word[3].text, w->word[2].text);
    int rc = command_send(ctx, _("contact add"),
                          "SELECT tuki.contact_add(upper($1), $2, $3, $4, $5, $6::boolean, $7)", 7,
                          params, said_with_value, said_fmt);
    free(said_fmt);
    return rc;
}

/* NAME ID FIELD=VALUE…: one call per field, in one statement (all or nothing). fields are the
 * allowed ones; values are checked by the database. */
static int set_fields(struct command_ctx *ctx, const struct cmdline_words *w, const char *what,
                      const char *function, const struct admin_field *f, size_t n,
                      const char *const *values)
{
    const char *params[1 + 2 * ADMIN_MAX_FIELDS];
    params[0] = w->word[2].text;
    /* only placeholders are written into the statement; the fields and values are parameters */
    char sql[128 + ADMIN_MAX_FIELDS * 24];
    size_t len = (size_t)snprintf(sql, sizeof sql,
                                  "SELECT tuki.%s($1::bigint, x.f, x.v) FROM (VALUES ", function);
    for (size_t i = 0; i < n; i++) {
        params[1 + 2 * i] = f[i].key;
        params[2 + 2 * i] = values[i];
        len += (size_t)snprintf(sql + len, sizeof sql - len, "%s($%zu, $%zu, %zu)", i ? ", " : "",
                                2 + 2 * i, 3 + 2 * i, i);
    }
    snprintf(sql + len, sizeof sql - len, ") x(f, v, n) ORDER BY x.n");
    char *done = message(_("%s %s changed"), what, w->word[2].text);
    int rc = command_send(ctx, what, sql, (int)(1 + 2 * n), params, said, done);
    free(done);
    return rc;
}

static int contact_set(struct command_ctx *ctx, const struct cmdline_words *w)
{
    struct admin_field f[ADMIN_MAX_FIELDS];
    size_t n = 0;
    if (w->count < 4)
        return command_usage(ctx, "contact");
    if (parse_number(ctx, _("contact"), w->word[2].text) < 0 ||
        parse_fields(ctx, w, 3, contact_fields, f, &n) < 0)
        return -1;
    const char *values[ADMIN_MAX_FIELDS];
    for (size_t i = 0; i < n; i++) {
        values[i] = f[i].value;
        if ((strcmp(f[i].key, "billable") == 0 || strcmp(f[i].key, "active") == 0) &&
            parse_yes_no(ctx, f[i].key, f[i].value) < 0)
            return -1;
    }
    return set_fields(ctx, w, _("contact"), "contact_set", f, n, values);
}

int cmd_contact(struct command_ctx *ctx, const char *line)
{
    struct cmdline_words w;
    if (command_split(ctx, line, 0, &w, NULL) < 0)
        return -1;
    const char *sub = w.count > 1 ? w.word[1].text : "";
    int rc;
    if (strcmp(sub, "add") == 0) {
        rc = contact_add(ctx, &w);
    } else if (strcmp(sub, "set") == 0) {
        rc = contact_set(ctx, &w);
    } else if (strcmp(sub, "deactivate") == 0 && w.count == 3) {
        if ((rc = parse_number(ctx, _("contact"), w.word[2].text)) == 0) {
            const char *params[] = {w.word[2].text};
            char *done = message(_("contact %s deactivated"), w.word[2].text);
            rc = command_send(ctx, _("contact deactivate"),
                              "SELECT tuki.contact_deactivate($1::bigint)", 1, params, said, done);
            free(done);
        }
    } else if (strcmp(sub, "list") == 0 && w.count == 3) {
        const char *params[] = {w.word[2].text};
        char *title = message(_("Contacts of %s"), w.word[2].text);
        rc = command_send(
            ctx, _("contact list"),
            "SELECT string_agg(format('%s  %s  %s  %s  %s%s%s%s', c.id, c.name,"
            "         coalesce(c.email, '-'), coalesce(c.phone, '-'), coalesce(c.language, '-'),"
            "         CASE WHEN c.may_order_billable THEN '  billable' ELSE '' END,"
            "         CASE WHEN c.login IS NOT NULL THEN '  login ' || c.login ELSE '' END,"
            "         CASE WHEN NOT c.active THEN '  (inactive)' ELSE '' END), E'\\n' ORDER BY "
            "c.id)"
            "  FROM tuki.contact c WHERE c.customer = upper($1)",
            1, params, listed, title);
        free(title);
    } else {
        rc = command_usage(ctx, "contact");
    }
    cmdline_words_free(&w);
    return rc;
}

static int contract_add(struct command_ctx *ctx, const struct cmdline_words *w)
{
    static const char *const add_fields[] = {"to", "quota", NULL};
    struct admin_field f[ADMIN_MAX_FIELDS];
    size_t n = 0;
    if (w->count < 6)
        return command_usage(ctx, "contract");
    if (parse_date(ctx, w->word[5].text) < 0 || parse_fields(ctx, w, 6, add_fields, f, &n) < 0)
        return -1;
    const char *to = NULL;
    char quota[32] = "0";
    for (size_t i = 0; i < n; i++) {
        long minutes;
        if (f[i].key == add_fields[0] && *f[i].value) {
            if (parse_date(ctx, f[i].value) < 0)
                return -1;
            to = f[i].value;
        } else if (f[i].key == add_fields[1]) {
            if (!admin_quota_parse(f[i].value, &minutes))
                return command_fail(ctx, _("quota '%s': 0 or a duration such as 10h or 7h30m"),
                                    f[i].value);
            snprintf(quota, sizeof quota, "%ld", minutes);
        }
    }
    const char *params[] = {
        w->word[2].text, w->word[3].text, w->word[4].text, w->word[5].text, to, quota};
    char *fmt = message(_("added a contract of %s, %s on calendar %s from %s: contract"),
                        w->word[2].text, w->word[3].text, w->word[4].text, w->word[5].text);
    int rc =
        command_send(ctx, _("contract add"),
                     "SELECT tuki.contract_add(upper($1), $2, $3, $4::date, $5::date, $6::int)", 6,
                     params, said_with_value, fmt);
    free(fmt);
    return rc;
}

static int contract_set(struct command_ctx *ctx, const struct cmdline_words *w)
{
    static const char *const fields[] = {"level", "calendar", "quota", "from", "to", NULL};
    struct admin_field f[ADMIN_MAX_FIELDS];
    size_t n = 0;
    if (w->count < 4)
        return command_usage(ctx, "contract");
    if (parse_number(ctx, _("contract"), w->word[2].text) < 0 ||
        parse_fields(ctx, w, 3, fields, f, &n) < 0)
        return -1;
    const char *values[ADMIN_MAX_FIELDS];
    char quota[32];
    for (size_t i = 0; i < n; i++) {
        long minutes;
        values[i] = f[i].value;
        if (f[i].key == fields[2]) {
            if (!admin_quota_parse(f[i].value, &minutes))
                return command_fail(ctx, _("quota '%s': 0 or a duration such as 10h or 7h30m"),
                                    f[i].value);
            snprintf(quota, sizeof quota, "%ld", minutes);
            values[i] = quota;
        } else if ((f[i].key == fields[3] || (f[i].key == fields[4] && *f[i].value)) &&
                   parse_date(ctx, f[i].value) < 0) {
            return -1;
        }
    }
    return set_fields(ctx, w, _("contract"), "contract_set", f, n, values);
}

int cmd_contract(struct command_ctx *ctx, const char *line)
{
    struct cmdline_words w;
    if (command_split(ctx, line, 0, &w, NULL) < 0)
        return -1;
    const char *sub = w.count > 1 ? w.word[1].text : "";
    int rc;
    if (strcmp(sub, "add") == 0) {
        rc = contract_add(ctx, &w);
    } else if (strcmp(sub, "set") == 0) {
        rc = contract_set(ctx, &w);
    } else if (strcmp(sub, "list") == 0 && w.count == 3) {
        const char *params[] = {w.word[2].text};
        char *title = message(_("Contracts of %s"), w.word[2].text);
        rc = command_send(
            ctx, _("contract list"),
            "SELECT string_agg(format('%s  %s  %s  %s to %s  quota %s min%s', k.id, "
            "k.service_level,"
            "         k.calendar, k.valid_from, coalesce(k.valid_to::text, 'further notice'),"
            "         k.quota_minutes, CASE WHEN k.raise_level IS NOT NULL THEN format("
            "           '  raise to %s %s to %s', k.raise_level, k.raise_from, k.raise_to) ELSE ''"
            "         END), E'\\n' ORDER BY k.valid_from)"
            "  FROM tuki.contract k WHERE k.customer = upper($1)",
            1, params, listed, title);
        free(title);
    } else {
        rc = command_usage(ctx, "contract");
    }
    cmdline_words_free(&w);
    return rc;
}

int cmd_raise(struct command_ctx *ctx, const char *line)
{
    struct cmdline_words w;
    if (command_split(ctx, line, 0, &w, NULL) < 0)
        return -1;
    int rc = -1;
    if (w.count != 5) {
        rc = command_usage(ctx, "raise");
    } else if (parse_date(ctx, w.word[3].text) == 0 && parse_date(ctx, w.word[4].text) == 0) {
        const char *params[] = {w.word[1].text, w.word[2].text, w.word[3].text, w.word[4].text};
        char *fmt = message(_("%s raised to %s from %s to %s: contract"), w.word[1].text,
                            w.word[2].text, w.word[3].text, w.word[4].text);
        rc = command_send(ctx, _("raise"),
                          "SELECT tuki.contract_raise(upper($1), $2, $3::date, $4::date)", 4,
                          params, said_with_value, fmt);
        free(fmt);
    }
    cmdline_words_free(&w);
    return rc;
}

/* The hours of a calendar, or which calendars there are when it is none. */
static int hours_listed(struct command_ctx *ctx, PGresult *res, const char *word)
{
    if (PQgetisnull(res, 0, 0))
        return command_fail(ctx, _("no calendar %s; the calendars are %s"), PQgetvalue(res, 0, 2),
                            PQgetvalue(res, 0, 1));
    return listed(ctx, res, word);
}

/* hours CALENDAR: the weekly hours, then the holidays from today on. */
static int hours_list(struct command_ctx *ctx, const char *calendar)
{
    const char *params[] = {calendar};
    char *title = message(_("Opening hours of %s"), calendar);
    int rc = command_send(
        ctx, _("hours"),
        "SELECT (SELECT format('%s (%s)', k.name, k.tz) FROM tuki.calendar k WHERE k.code = $1)"
        "       || E'\\n' || coalesce((SELECT string_agg(format('%s  %s', d.name, coalesce(h.hours,"
        "            'closed')), E'\\n' ORDER BY d.n)"
        "         FROM unnest(ARRAY['Mon','Tue','Wed','Thu','Fri','Sat','Sun']) WITH ORDINALITY "
        "d(name, n)"
        "         LEFT JOIN (SELECT isodow, string_agg(to_char(opens, 'HH24:MI') || '-' ||"
        "                      to_char(closes, 'HH24:MI'), ' ' ORDER BY opens) AS hours"
        "                      FROM tuki.calendar_hours WHERE calendar = $1 GROUP BY isodow) h"
        "           ON h.isodow = d.n), '')"
        "       || coalesce(E'\\n\\n' || (SELECT string_agg(format('%s  %s', y.day, y.name), E'\\n'"
        "            ORDER BY y.day) FROM (SELECT * FROM tuki.holiday WHERE calendar = $1"
        "            AND day >= current_date ORDER BY day LIMIT 20) y), ''),"
        "       (SELECT string_agg(code, ', ' ORDER BY code) FROM tuki.calendar), $1",
        1, params, hours_listed, title);
    free(title);
    return rc;
}

int cmd_hours(struct command_ctx *ctx, const char *line)
{
    struct cmdline_words w;
    if (command_split(ctx, line, 0, &w, NULL) < 0)
        return -1;
    int rc = -1;
    bool days[8];
    if (w.count == 2) {
        rc = hours_list(ctx, w.word[1].text);
    } else if (w.count < 4) {
        rc = command_usage(ctx, "hours");
    } else if (admin_weekdays_parse(w.word[2].text, days) == 0) {
        rc = command_fail(ctx, _("days '%s': e.g. mon-fri, sat, mon,wed,fri, 6-7, all"),
                          w.word[2].text);
    } else {
        /* arrays of checked digits and times only: no user text goes into them as typed */
        bool closed = w.count == 4 && strcmp(w.word[3].text, "closed") == 0;
        size_t n = closed ? 0 : w.count - 3;
        char *opens = malloc(n * 6 + 3), *closes = malloc(n * 6 + 3), isodow[20];
        size_t ol = 0, cl = 0, dl = 0;
        opens[ol++] = closes[cl++] = isodow[dl++] = '{';
        rc = 0;
        for (size_t i = 0; i < n && rc == 0; i++) {
            char o[6], c[6];
            if (!admin_interval_parse(w.word[3 + i].text, o, c)) {
                rc = command_fail(ctx, _("hours '%s': HH:MM-HH:MM, e.g. 08:00-16:00, or closed"),
                                  w.word[3 + i].text);
                break;
            }
            ol += (size_t)sprintf(opens + ol, "%s%s", i ? "," : "", o);
            cl += (size_t)sprintf(closes + cl, "%s%s", i ? "," : "", c);
        }
        for (int d = 1; d <= 7; d++)
            if (days[d])
                dl += (size_t)sprintf(isodow + dl, "%s%d", dl > 1 ? "," : "", d);
        strcpy(opens + ol, "}");
        strcpy(closes + cl, "}");
        strcpy(isodow + dl, "}");
        if (rc == 0) {
            const char *params[] = {w.word[1].text, isodow, opens, closes};
            char *done = closed ? message(_("%s is closed on %s"), w.word[1].text, w.word[2].text)
                                : message(_("opening hours of %s on %s changed"), w.word[1].text,
                                          w.word[2].text);
            rc = command_send(ctx, _("hours"),
                              "SELECT tuki.calendar_hours_set($1, $2::int[], $3::time[], "
                              "$4::time[])",
                              4, params, said, done);
            free(done);
        }
        free(opens);
        free(closes);
    }
    cmdline_words_free(&w);
    return rc;
}

int cmd_holiday(struct command_ctx *ctx, const char *line)
{
    struct cmdline_words w;
    const char *rest;
    if (command_split(ctx, line, 4, &w, &rest) < 0)
        return -1;
    const char *sub = w.count > 1 ? w.word[1].text : "";
    int rc = -1;
    char *name = command_free_text(rest);
    if (strcmp(sub, "add") == 0 && w.count == 4 && *name) {
        if (parse_date(ctx, w.word[3].text) == 0) {
            const char *params[] = {w.word[2].text, w.word[3].text, name};
            char *done =
                message(_("%s is a holiday of %s: %s"), w.word[3].text, w.word[2].text, name);
            rc = command_send(ctx, _("holiday add"), "SELECT tuki.holiday_add($1, $2::date, $3)", 3,
                              params, said, done);
            free(done);
        }
    } else if (strcmp(sub, "remove") == 0 && w.count == 4 && !*name) {
        if (parse_date(ctx, w.word[3].text) == 0) {
            const char *params[] = {w.word[2].text, w.word[3].text};
            char *done =
                message(_("%s is no longer a holiday of %s"), w.word[3].text, w.word[2].text);
            rc = command_send(ctx, _("holiday remove"), "SELECT tuki.holiday_remove($1, $2::date)",
                              2, params, said, done);
            free(done);
        }
    } else {
        rc = command_usage(ctx, "holiday");
    }
    free(name);
    cmdline_words_free(&w);
    return rc;
}

int cmd_audit(struct command_ctx *ctx, const char *line)
{
    struct cmdline_words w;
    if (command_split(ctx, line, 0, &w, NULL) < 0)
        return -1;
    int rc = -1;
    char *end = NULL;
    long n = w.count == 2 ? strtol(w.word[1].text, &end, 10) : 20;
    if (w.count > 2) {
        rc = command_usage(ctx, "audit");
    } else if ((end && *end) || n < 1 || n > 1000) {
        rc = command_fail(ctx, _("audit N: N is 1 to 1000, not '%s'"), w.word[1].text);
    } else {
        char count[24];
        snprintf(count, sizeof count, "%ld", n);
        const char *params[] = {count};
        rc =
            command_send(ctx, _("audit"),
                         "SELECT string_agg(tuki.admin_audit_text(a), E'\\n' ORDER BY a.id DESC)"
                         "  FROM (SELECT * FROM tuki.admin_audit ORDER BY id DESC LIMIT $1::int) a",
                         1, params, listed, _("Administration audit"));
    }
    cmdline_words_free(&w);
    return rc;
}
