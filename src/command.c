#include "command.h"

#include "cmdline.h"
#include "duration.h"
#include "i18n.h"
#include "idlist.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Formats into ctx->message; a message longer than the buffer is cut before a whole UTF-8
 * character, never inside one. */
static void set_message(struct command_ctx *ctx, bool is_error, const char *fmt, va_list ap)
{
    char *text = NULL;
    if (vasprintf(&text, fmt, ap) < 0)
        text = NULL;
    size_t len = text ? strlen(text) : 0, cap = sizeof ctx->message - 1;
    if (len > cap) {
        len = cap;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(ctx->message, text ? text : "", len);
    ctx->message[len] = '\0';
    free(text);
    ctx->is_error = is_error;
}

static int fail(struct command_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(struct command_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_message(ctx, true, fmt, ap);
    va_end(ap);
    return -1;
}

static int done(struct command_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int done(struct command_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_message(ctx, false, fmt, ap);
    va_end(ap);
    return 0;
}

static int usage(struct command_ctx *ctx, const char *name)
{
    const struct command *c = command_find(name);
    return fail(ctx, "usage: %s %s", name, c ? c->usage : "");
}

static void changed(struct command_ctx *ctx)
{
    if (ctx->ui && ctx->ui->changed)
        ctx->ui->changed(ctx->ui_data);
}

/* What a command's answer needs to say what happened, copied from its parse. */
struct answer {
    long long id;
    size_t count;
    const char *word; /* an agent, a status, a team or a customer (copied by call) */
    long minutes;
    bool billable;
    char impact[2], urgency[2];
    const char *what; /* "public reply", "internal note" */
    const char *path; /* a file to write (copied by call) */
    bool overwrite;
};

typedef int (*answer_fn)(struct command_ctx *ctx, PGresult *res, const struct answer *a);

struct call {
    struct command_ctx *ctx;
    answer_fn finish;
    struct answer a;
    char *label;
};

static void report_finished(struct command_ctx *ctx)
{
    if (ctx->ui && ctx->ui->finished)
        ctx->ui->finished(ctx->ui_data, ctx);
}

/* The answer to an API call: an error carries the SQLSTATE (TK001 …), DETAIL and HINT; a
 * success is put into words by the command, and the views reload. */
static void call_answered(void *data, PGresult *res)
{
    struct call *c = data;
    struct command_ctx *ctx = c->ctx;
    if (!res) {
        fail(ctx, "offline: not sent, the connection is being re-established; try again "
                  "(Up recalls the command)");
    } else if (db_was_cancelled(res)) {
        fail(ctx, "cancelled: %s — nothing was changed", c->label);
    } else if (!db_ok(res)) {
        db_result_error(res, ctx->db->conn, ctx->message, sizeof ctx->message);
        snprintf(ctx->hint, sizeof ctx->hint, "%s", db_result_hint(res));
        ctx->is_error = true;
    } else if (c->finish(ctx, res, &c->a) == 0) {
        changed(ctx);
    }
    PQclear(res);
    free((char *)c->a.word);
    free((char *)c->a.path);
    free(c->label);
    free(c);
    ctx->pending = false;
    if (!ctx->in_run)
        report_finished(ctx);
}

/* Sends one API call (one transaction: all of it or nothing); finish words its success.
 * label names it in the status line while it waits. */
static int call(struct command_ctx *ctx, const char *label, const char *sql, int n,
                const char *const *params, answer_fn finish, const struct answer *a)
{
    struct call *c = calloc(1, sizeof *c);
    c->ctx = ctx;
    c->finish = finish;
    c->a = *a;
    c->a.word = a->word ? strdup(a->word) : NULL;
    c->a.path = a->path ? strdup(a->path) : NULL;
    c->label = strdup(label);
    ctx->pending = true;
    db_send(ctx->db, label, sql, n, params, call_answered, c);
    return 0;
}

/* "#42 take": how a statement about one ticket is named while it waits. */
static char *label_for(const char *command, long long id)
{
    char *label = NULL;
    if (asprintf(&label, "#%lld (%s)", id, command) < 0)
        label = strdup(command);
    return label;
}

static int call_for_ticket(struct command_ctx *ctx, const char *command, const char *sql, int n,
                           const char *const *params, answer_fn finish, const struct answer *a)
{
    char *label = label_for(command, a->id);
    int rc = call(ctx, label, sql, n, params, finish, a);
    free(label);
    return rc;
}

/* Splits the command's fixed words; the rest of the line stays verbatim in *rest. */
static int split(struct command_ctx *ctx, const char *line, size_t max_words,
                 struct cmdline_words *w, const char **rest)
{
    enum cmdline_error e = cmdline_split(line, max_words, w);
    if (e != CMDLINE_OK)
        return fail(ctx, "%s (at column %zu)", cmdline_strerror(e), w->error_at + 1);
    if (rest) {
        const char *r = line + w->rest;
        while (*r == ' ' || *r == '\t')
            r++;
        *rest = r;
    }
    return 0;
}

/* Free text: one quoted word is unquoted ("fixed it"), anything else is taken as typed. */
static char *free_text(const char *rest)
{
    size_t len = strlen(rest);
    while (len && isspace((unsigned char)rest[len - 1]))
        len--;
    char *trimmed = strndup(rest, len);
    if (len && (rest[0] == '"' || rest[0] == '\'')) {
        struct cmdline_words w;
        if (cmdline_split(trimmed, 0, &w) == CMDLINE_OK) {
            if (w.count == 1 && w.word[0].end == len) {
                char *unq = strdup(w.word[0].text);
                cmdline_words_free(&w);
                free(trimmed);
                return unq;
            }
            cmdline_words_free(&w);
        }
    }
    return trimmed;
}

static int parse_id(struct command_ctx *ctx, const char *text, long long *id)
{
    struct idlist list;
    enum idlist_error e = idlist_parse(text, &list);
    if (e != IDLIST_OK)
        return fail(ctx, "ticket id '%s': %s", text, idlist_strerror(e));
    if (list.count != 1) {
        idlist_free(&list);
        return fail(ctx, "one ticket id here, not '%s'", text);
    }
    *id = list.ids[0];
    idlist_free(&list);
    return 0;
}

/* The ids as a PostgreSQL array literal, e.g. {12,15,16}. Caller frees. */
static char *id_array(const struct idlist *list)
{
    size_t cap = list->count * 21 + 3, len = 0;
    char *s = malloc(cap);
    s[len++] = '{';
    for (size_t i = 0; i < list->count; i++)
        len +=
            (size_t)snprintf(s + len, cap - len, "%s%lld", i ? "," : "", (long long)list->ids[i]);
    s[len++] = '}';
    s[len] = '\0';
    return s;
}

static int parse_level(struct command_ctx *ctx, const char *what, const char *text, char *out)
{
    if (!(text[0] >= '1' && text[0] <= '3' && text[1] == '\0'))
        return fail(ctx, "%s must be 1 (high), 2 or 3 (low), not '%s'", what, text);
    out[0] = text[0];
    out[1] = '\0';
    return 0;
}

/* Most commands: NAME ID [words…] [free text]; this fetches the words and the id. */
struct parsed {
    struct cmdline_words w;
    const char *rest;
    long long id;
    char idtext[24];
};

static int parse_with_id(struct command_ctx *ctx, const char *line, size_t fixed, struct parsed *p)
{
    memset(p, 0, sizeof *p);
    if (split(ctx, line, fixed, &p->w, &p->rest) < 0)
        return -1;
    if (p->w.count < 2 || parse_id(ctx, p->w.word[1].text, &p->id) < 0) {
        bool had_id = p->w.count >= 2;
        const char *name = p->w.count ? p->w.word[0].text : "";
        if (!had_id)
            usage(ctx, name);
        cmdline_words_free(&p->w);
        return -1;
    }
    snprintf(p->idtext, sizeof p->idtext, "%lld", p->id);
    return 0;
}

static int took(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)res;
    return done(ctx, "took #%lld", a->id);
}

static int took_next(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)a;
    if (PQgetisnull(res, 0, 0))
        return done(ctx, "nothing in the queue to take");
    long long id = atoll(PQgetvalue(res, 0, 0));
    done(ctx, "took #%lld (top of the queue)", id);
    if (ctx->ui && ctx->ui->open_ticket)
        ctx->ui->open_ticket(ctx->ui_data, id);
    return 0;
}

static int cmd_take(struct command_ctx *ctx, const char *line)
{
    struct cmdline_words w;
    if (split(ctx, line, 0, &w, NULL) < 0)
        return -1;
    int rc = -1;
    struct answer a = {0};
    if (w.count > 2) {
        rc = usage(ctx, "take");
    } else if (w.count == 2) {
        if (parse_id(ctx, w.word[1].text, &a.id) == 0) {
            char idtext[24];
            snprintf(idtext, sizeof idtext, "%lld", a.id);
            const char *params[] = {idtext};
            rc = call_for_ticket(ctx, "take", "SELECT tuki.ticket_take($1::bigint)", 1, params,
                                 took, &a);
        }
    } else {
        rc = call(ctx, "take (top of the queue)", "SELECT tuki.ticket_take_next()", 0, NULL,
                  took_next, &a);
    }
    cmdline_words_free(&w);
    return rc;
}

static int assigned(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)res;
    if (a->count == 1)
        return done(ctx, "assigned #%lld to %s", a->id, a->word);
    return done(ctx, "assigned %zu tickets to %s", a->count, a->word);
}

static int cmd_assign(struct command_ctx *ctx, const char *line)
{
    struct cmdline_words w;
    if (split(ctx, line, 0, &w, NULL) < 0)
        return -1;
    if (w.count != 3) {
        cmdline_words_free(&w);
        return usage(ctx, "assign");
    }
    struct idlist ids;
    enum idlist_error e = idlist_parse(w.word[1].text, &ids);
    if (e != IDLIST_OK) {
        fail(ctx, "ticket ids '%s': %s", w.word[1].text, idlist_strerror(e));
        cmdline_words_free(&w);
        return -1;
    }
    char *arr = id_array(&ids);
    const char *params[] = {arr, w.word[2].text};
    struct answer a = {.id = (long long)ids.ids[0], .count = ids.count, .word = w.word[2].text};
    /* One statement: all of them or none, and one notification. */
    int rc = call_for_ticket(ctx, "assign",
                             "SELECT tuki.ticket_assign(id, $2) FROM unnest($1::bigint[])"
                             " WITH ORDINALITY AS u(id, n) ORDER BY n",
                             2, params, assigned, &a);
    free(arr);
    idlist_free(&ids);
    cmdline_words_free(&w);
    return rc;
}

static int released(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)res;
    return done(ctx, "released #%lld back to the queue", a->id);
}

static int cmd_release(struct command_ctx *ctx, const char *line)
{
    struct parsed p;
    if (parse_with_id(ctx, line, 0, &p) < 0)
        return -1;
    int rc;
    if (p.w.count != 2) {
        rc = usage(ctx, "release");
    } else {
        const char *params[] = {p.idtext};
        struct answer a = {.id = p.id};
        rc = call_for_ticket(ctx, "release", "SELECT tuki.ticket_release($1::bigint)", 1, params,
                             released, &a);
    }
    cmdline_words_free(&p.w);
    return rc;
}

static int status_set(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)res;
    return done(ctx, "#%lld is now %s", a->id, a->word);
}

static int cmd_status(struct command_ctx *ctx, const char *line)
{
    struct parsed p;
    if (parse_with_id(ctx, line, 3, &p) < 0)
        return -1;
    int rc;
    if (p.w.count != 3) {
        rc = usage(ctx, "status");
    } else {
        char *note = free_text(p.rest);
        const char *params[] = {p.idtext, p.w.word[2].text, *note ? note : NULL};
        struct answer a = {.id = p.id, .word = p.w.word[2].text};
        rc = call_for_ticket(ctx, "status", "SELECT tuki.ticket_set_status($1::bigint, $2, $3)", 3,
                             params, status_set, &a);
        free(note);
    }
    cmdline_words_free(&p.w);
    return rc;
}

static int posted(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)res;
    return done(ctx, "%s added to #%lld", a->what, a->id);
}

/* reply and note: NAME ID TEXT */
static int post_message(struct command_ctx *ctx, const char *line, const char *name,
                        const char *sql, const char *what)
{
    struct parsed p;
    if (parse_with_id(ctx, line, 2, &p) < 0)
        return -1;
    char *text = free_text(p.rest);
    int rc;
    if (!*text) {
        rc = usage(ctx, name);
    } else {
        const char *params[] = {p.idtext, text};
        struct answer a = {.id = p.id, .what = what};
        rc = call_for_ticket(ctx, name, sql, 2, params, posted, &a);
    }
    free(text);
    cmdline_words_free(&p.w);
    return rc;
}

static int cmd_reply(struct command_ctx *ctx, const char *line)
{
    return post_message(ctx, line, "reply", "SELECT tuki.ticket_reply($1::bigint, $2)",
                        "public reply");
}

static int cmd_note(struct command_ctx *ctx, const char *line)
{
    return post_message(ctx, line, "note", "SELECT tuki.ticket_note($1::bigint, $2)",
                        "internal note");
}

static int logged(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)res;
    char shown[DURATION_BUF_SIZE];
    return done(ctx, "logged %s%s on #%lld", duration_format(a->minutes, shown, sizeof shown),
                a->billable ? " billable" : "", a->id);
}

static int cmd_log(struct command_ctx *ctx, const char *line)
{
    struct parsed p;
    if (parse_with_id(ctx, line, 3, &p) < 0)
        return -1;
    int rc = -1;
    long minutes = 0;
    enum duration_error e;
    if (p.w.count != 3) {
        rc = usage(ctx, "log");
    } else if ((e = duration_parse(p.w.word[2].text, &minutes)) != DURATION_OK) {
        rc = fail(ctx, "duration '%s': %s", p.w.word[2].text, duration_strerror(e));
    } else {
        const char *rest = p.rest;
        bool billable = false;
        if (strncmp(rest, "billable", 8) == 0 &&
            (rest[8] == '\0' || isspace((unsigned char)rest[8]))) {
            billable = true;
            rest += 8;
            while (isspace((unsigned char)*rest))
                rest++;
        }
        char *note = free_text(rest);
        char mintext[24];
        snprintf(mintext, sizeof mintext, "%ld", minutes);
        const char *params[] = {p.idtext, mintext, billable ? "true" : "false",
                                *note ? note : NULL};
        struct answer a = {.id = p.id, .minutes = minutes, .billable = billable};
        rc = call_for_ticket(ctx, "log",
                             "SELECT tuki.worklog_add($1::bigint, $2::int, $3::boolean, $4)", 4,
                             params, logged, &a);
        free(note);
    }
    cmdline_words_free(&p.w);
    return rc;
}

static int prio_set(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    return done(ctx, "#%lld is now P%s (impact %s, urgency %s)", a->id, PQgetvalue(res, 0, 1),
                a->impact, a->urgency);
}

static int cmd_prio(struct command_ctx *ctx, const char *line)
{
    struct parsed p;
    if (parse_with_id(ctx, line, 0, &p) < 0)
        return -1;
    int rc = -1;
    struct answer a = {.id = p.id};
    if (p.w.count != 4) {
        rc = usage(ctx, "prio");
    } else if (parse_level(ctx, "impact", p.w.word[2].text, a.impact) == 0 &&
               parse_level(ctx, "urgency", p.w.word[3].text, a.urgency) == 0) {
        const char *params[] = {p.idtext, a.impact, a.urgency};
        rc = call_for_ticket(ctx, "prio",
                             "SELECT tuki.ticket_set_priority($1::bigint, $2::int, $3::int),"
                             " (SELECT priority FROM tuki.priority_matrix"
                             "   WHERE impact = $2::int AND urgency = $3::int)",
                             3, params, prio_set, &a);
    }
    cmdline_words_free(&p.w);
    return rc;
}

static int escalated(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)res;
    return done(ctx, "#%lld escalated to %s", a->id, a->word);
}

static int cmd_escalate(struct command_ctx *ctx, const char *line)
{
    struct parsed p;
    if (parse_with_id(ctx, line, 0, &p) < 0)
        return -1;
    int rc = -1;
    if (p.w.count != 3) {
        rc = usage(ctx, "escalate");
    } else {
        const char *params[] = {p.idtext, p.w.word[2].text};
        struct answer a = {.id = p.id, .word = p.w.word[2].text};
        rc = call_for_ticket(ctx, "escalate", "SELECT tuki.ticket_escalate($1::bigint, $2)", 2,
                             params, escalated, &a);
    }
    cmdline_words_free(&p.w);
    return rc;
}

static int created(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    long long id = atoll(PQgetvalue(res, 0, 0));
    done(ctx, "created #%lld for %s", id, a->word);
    if (ctx->ui && ctx->ui->open_ticket)
        ctx->ui->open_ticket(ctx->ui_data, id);
    return 0;
}

static int cmd_new(struct command_ctx *ctx, const char *line)
{
    struct cmdline_words w;
    const char *rest;
    if (split(ctx, line, 2, &w, &rest) < 0)
        return -1;
    char *subject = free_text(rest);
    int rc = -1;
    if (w.count != 2 || !*subject) {
        rc = usage(ctx, "new");
    } else {
        /* Taken on the phone or in chat: the subject is all there is to say yet. */
        const char *params[] = {w.word[1].text, subject};
        struct answer a = {.word = w.word[1].text};
        rc = call(ctx, "new ticket",
                  "SELECT tuki.ticket_create($1, $2, NULL, 'incident', 3, 3, NULL, 'console')", 2,
                  params, created, &a);
    }
    free(subject);
    cmdline_words_free(&w);
    return rc;
}

static int recorded(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)res;
    return done(ctx, "recorded %s's words on #%lld", a->word, a->id);
}

/* call ID CONTACT TEXT: what a contact said on the phone, as their public message; CONTACT
 * is an e-mail address of the ticket's customer, or - for the ticket's own contact. */
static int cmd_call(struct command_ctx *ctx, const char *line)
{
    struct parsed p;
    if (parse_with_id(ctx, line, 3, &p) < 0)
        return -1;
    char *text = free_text(p.rest);
    int rc;
    if (p.w.count != 3 || !*text) {
        rc = usage(ctx, "call");
    } else {
        const char *contact = strcmp(p.w.word[2].text, "-") == 0 ? NULL : p.w.word[2].text;
        const char *params[] = {p.idtext, text, contact};
        struct answer a = {.id = p.id, .word = contact ? contact : "the contact"};
        rc = call_for_ticket(ctx, "call", "SELECT tuki.ticket_record($1::bigint, $2, 'phone', $3)",
                             3, params, recorded, &a);
    }
    free(text);
    cmdline_words_free(&p.w);
    return rc;
}

static int held_listed(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)a;
    int n = PQntuples(res);
    if (n == 0)
        return done(ctx, "no mail is held");
    if (ctx->ui && ctx->ui->show_text)
        ctx->ui->show_text(ctx->ui_data, "Held mail", PQgetvalue(res, 0, 0));
    return done(ctx, "%s held", PQgetvalue(res, 0, 1));
}

static int held_attached(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    return done(ctx, "held mail %lld attached to %s: %s", a->id, a->word, PQgetvalue(res, 0, 0));
}

static int held_answered(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)res;
    return done(ctx,
                _("held mail %lld answered: the sender is asked to go through a named contact"),
                a->id);
}

static int held_discarded(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)res;
    return done(ctx, "held mail %lld discarded", a->id);
}

/* The held number: a whole positive number (not a ticket, so no id list). */
static int parse_held_id(struct command_ctx *ctx, const char *text, long long *id)
{
    char *end;
    long long v = strtoll(text, &end, 10);
    if (!isdigit((unsigned char)text[0]) || *end || v <= 0)
        return fail(ctx, "held mail number '%s': a whole number, as 'held' lists them", text);
    *id = v;
    return 0;
}

/* held | held attach ID CUSTOMER | held answer ID [LANGUAGE] | held discard ID: mail the desk
 * keeps for leads; the database says who may (TK005 for agents). */
static int cmd_held(struct command_ctx *ctx, const char *line)
{
    struct cmdline_words w;
    if (split(ctx, line, 0, &w, NULL) < 0)
        return -1;
    int rc = -1;
    struct answer a = {0};
    const char *sub = w.count > 1 ? w.word[1].text : "";
    if (w.count == 1) {
        /* control characters of a sender's header would break the lines */
        rc = call(ctx, "held mail",
                  "SELECT string_agg(format('%s  %s  %s  %s  (%s)', h.id,"
                  "         to_char(h.at, 'YYYY-MM-DD HH24:MI'),"
                  "         regexp_replace(coalesce(h.sender, '-'), '[[:cntrl:]]', '?', 'g'),"
                  "         regexp_replace(h.subject, '[[:cntrl:]]', '?', 'g'),"
                  "         regexp_replace(h.reason, '[[:cntrl:]]', '?', 'g')"
                  "         || CASE WHEN h.answered_at IS NOT NULL"
                  "                 THEN ', answered by ' || h.answered_by ELSE '' END),"
                  "         E'\\n' ORDER BY h.at, h.id) || E'\\n', count(*)"
                  "  FROM tuki.mail_hold h HAVING count(*) > 0",
                  0, NULL, held_listed, &a);
    } else if (strcmp(sub, "attach") == 0 && w.count == 4) {
        if (parse_held_id(ctx, w.word[2].text, &a.id) == 0) {
            const char *params[] = {w.word[2].text, w.word[3].text};
            a.word = w.word[3].text;
            rc = call(ctx, "held attach", "SELECT tuki.mail_hold_attach($1::bigint, $2)", 2, params,
                      held_attached, &a);
        }
    } else if (strcmp(sub, "answer") == 0 && (w.count == 3 || w.count == 4)) {
        if (parse_held_id(ctx, w.word[2].text, &a.id) == 0) {
            const char *params[] = {w.word[2].text, w.count == 4 ? w.word[3].text : NULL};
            rc = call(ctx, "held answer", "SELECT tuki.mail_hold_answer($1::bigint, $2)", 2, params,
                      held_answered, &a);
        }
    } else if (strcmp(sub, "discard") == 0 && w.count == 3) {
        if (parse_held_id(ctx, w.word[2].text, &a.id) == 0) {
            const char *params[] = {w.word[2].text};
            rc = call(ctx, "held discard", "SELECT tuki.mail_hold_discard($1::bigint)", 1, params,
                      held_discarded, &a);
        }
    } else {
        rc = usage(ctx, "held");
    }
    cmdline_words_free(&w);
    return rc;
}

/* A sender's file name as a name in the current directory: no directories, no control
 * characters, never "." or "..". Caller frees. */
static char *local_name(const char *filename, const char *n)
{
    const char *base = strrchr(filename, '/');
    base = base ? base + 1 : filename;
    char *name = NULL;
    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        if (asprintf(&name, "attachment-%s", n) < 0)
            name = NULL;
        return name;
    }
    name = strdup(base);
    for (char *p = name; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '_';
    return name;
}

/* Writes the whole buffer; a file this call created is removed again when that fails. */
static int write_file(const char *path, bool overwrite, const unsigned char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | (overwrite ? O_TRUNC : O_EXCL), 0666);
    if (fd < 0)
        return -1;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    int saved = errno;
    if (close(fd) < 0 && off == len) {
        saved = errno;
        off = 0;
    }
    if (off < len) {
        if (!overwrite)
            unlink(path);
        errno = saved ? saved : EIO;
        return -1;
    }
    return 0;
}

static int saved(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    if (PQntuples(res) == 0)
        return fail(ctx, "#%lld has no attachment '%s'; 'open %lld' lists them", a->id, a->word,
                    a->id);
    const char *filename = PQgetvalue(res, 0, 0), *n = PQgetvalue(res, 0, 3);
    if (PQgetisnull(res, 0, 1))
        return fail(ctx, "attachment %s of #%lld (%s) was not kept: %s", n, a->id, filename,
                    PQgetvalue(res, 0, 2));
    char *path = a->path ? strdup(a->path) : local_name(filename, n);
    size_t len = 0;
    unsigned char *data = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 1), &len);
    int rc;
    if (!data || !path)
        rc = fail(ctx, "out of memory reading attachment %s of #%lld", n, a->id);
    else if (write_file(path, a->overwrite, data, len) < 0)
        rc = errno == EEXIST ? fail(ctx, "%s exists already; add 'overwrite' to replace it", path)
                             : fail(ctx, "cannot write %s: %s", path, strerror(errno));
    else
        rc = done(ctx, "saved attachment %s of #%lld (%s, %zu bytes) to %s", n, a->id, filename,
                  len, path);
    PQfreemem(data);
    free(path);
    return rc;
}

/* save ID ATTACHMENT [FILE] [overwrite]: ATTACHMENT is its number in the ticket view or its
 * name; FILE defaults to the attachment's name in the current directory. */
static int cmd_save(struct command_ctx *ctx, const char *line)
{
    struct parsed p;
    if (parse_with_id(ctx, line, 0, &p) < 0)
        return -1;
    size_t words = p.w.count;
    bool overwrite = words >= 4 && strcmp(p.w.word[words - 1].text, "overwrite") == 0;
    if (overwrite)
        words--;
    int rc;
    if (words < 3 || words > 4) {
        rc = usage(ctx, "save");
    } else {
        const char *which = p.w.word[2].text;
        bool is_number = which[strspn(which, "0123456789")] == '\0' && strlen(which) < 19;
        /* a number is the attachment's place, else (or when there is none) its name */
        const char *params[] = {p.idtext, is_number ? which : NULL, which};
        struct answer a = {.id = p.id,
                           .word = which,
                           .path = words == 4 ? p.w.word[3].text : NULL,
                           .overwrite = overwrite};
        rc =
            call_for_ticket(ctx, "save",
                            "SELECT x.filename, x.content, x.note, x.n FROM (" ATTACHMENT_ORDER_SQL(
                                "$1::bigint") ") x WHERE x.n = $2::bigint OR x.filename = $3"
                                              " ORDER BY x.n = $2::bigint IS TRUE DESC, x.n"
                                              " LIMIT 1",
                            3, params, saved, &a);
    }
    cmdline_words_free(&p.w);
    return rc;
}

static int cmd_open(struct command_ctx *ctx, const char *line)
{
    struct parsed p;
    if (parse_with_id(ctx, line, 0, &p) < 0)
        return -1;
    int rc;
    if (p.w.count != 2) {
        rc = usage(ctx, "open");
    } else {
        rc = done(ctx, "#%lld", p.id);
        if (ctx->ui && ctx->ui->open_ticket)
            ctx->ui->open_ticket(ctx->ui_data, p.id);
    }
    cmdline_words_free(&p.w);
    return ctx->is_error ? -1 : rc;
}

static void apply_filter(struct command_ctx *ctx, const struct filter *f)
{
    char what[300];
    filter_describe(f, what, sizeof what);
    done(ctx, "filter: %s", what);
    if (ctx->ui && ctx->ui->set_filter)
        ctx->ui->set_filter(ctx->ui_data, f);
}

/* tuki.customer_find answered with the customer's code as the schema spells it. */
static int customer_found(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)a;
    struct filter f = {.kind = FILTER_CUSTOMER};
    snprintf(f.arg, sizeof f.arg, "%s", PQgetvalue(res, 0, 0));
    apply_filter(ctx, &f);
    return 0;
}

static int cmd_filter(struct command_ctx *ctx, const char *line)
{
    struct cmdline_words w;
    if (split(ctx, line, 0, &w, NULL) < 0)
        return -1;
    int rc = -1;
    struct filter f;
    /* The error quotes the filter: room for all of it, then cut as every message is. */
    size_t errlen = w.count == 2 ? strlen(w.word[1].text) + 200 : 0;
    char *err = w.count == 2 ? malloc(errlen) : NULL;
    if (w.count != 2) {
        rc = usage(ctx, "filter");
    } else if (filter_parse(w.word[1].text, &f, err, errlen) < 0) {
        rc = fail(ctx, "%s", err);
    } else if (f.kind == FILTER_CUSTOMER) {
        /* Any case, and an unknown customer is an error rather than an empty queue. */
        const char *params[] = {f.arg};
        struct answer a = {.word = f.arg};
        rc = call(ctx, "customer filter", "SELECT tuki.customer_find($1)", 1, params,
                  customer_found, &a);
    } else {
        apply_filter(ctx, &f);
        rc = ctx->is_error ? -1 : 0;
    }
    free(err);
    cmdline_words_free(&w);
    return ctx->is_error ? -1 : rc;
}

static int cmd_search(struct command_ctx *ctx, const char *line)
{
    struct cmdline_words w;
    const char *rest;
    if (split(ctx, line, 1, &w, &rest) < 0)
        return -1;
    char *words = free_text(rest);
    int rc = -1;
    struct filter f = {.kind = FILTER_SEARCH};
    if (!*words) {
        rc = usage(ctx, "search");
    } else if (strlen(words) >= sizeof f.arg) {
        rc = fail(ctx, "search words are limited to %zu bytes", sizeof f.arg - 1);
    } else {
        snprintf(f.arg, sizeof f.arg, "%s", words);
        rc = done(ctx, "search: %s", words);
        if (ctx->ui && ctx->ui->set_filter)
            ctx->ui->set_filter(ctx->ui_data, &f);
    }
    free(words);
    cmdline_words_free(&w);
    return ctx->is_error ? -1 : rc;
}

static int cmd_workload(struct command_ctx *ctx, const char *line)
{
    (void)line;
    done(ctx, "workload per agent");
    if (ctx->ui && ctx->ui->show_workload)
        ctx->ui->show_workload(ctx->ui_data);
    return ctx->is_error ? -1 : 0;
}

static int cmd_help(struct command_ctx *ctx, const char *line)
{
    struct cmdline_words w;
    if (split(ctx, line, 0, &w, NULL) < 0)
        return -1;
    int rc = 0;
    if (w.count > 2) {
        rc = usage(ctx, "help");
    } else if (w.count == 2 && !command_find(w.word[1].text)) {
        rc = fail(ctx, "no command '%s'; 'help' lists them", w.word[1].text);
    } else {
        char text[8192];
        command_help(w.count == 2 ? w.word[1].text : NULL, text, sizeof text);
        const struct command *c = w.count == 2 ? command_find(w.word[1].text) : NULL;
        if (c) {
            done(ctx, "%s %s — %s", c->name, c->usage, c->help);
        } else {
            size_t len = (size_t)snprintf(ctx->message, sizeof ctx->message, "commands:");
            for (int i = 0; i < command_count && len < sizeof ctx->message; i++)
                len += (size_t)snprintf(ctx->message + len, sizeof ctx->message - len, " %s",
                                        commands[i].name);
            ctx->is_error = false;
        }
        if (ctx->ui && ctx->ui->show_help)
            ctx->ui->show_help(ctx->ui_data, text);
    }
    cmdline_words_free(&w);
    return rc;
}

static int cmd_quit(struct command_ctx *ctx, const char *line)
{
    (void)line;
    if (ctx->ui && ctx->ui->quit)
        ctx->ui->quit(ctx->ui_data);
    return done(ctx, "bye");
}

static int cmd_redraw(struct command_ctx *ctx, const char *line)
{
    (void)line;
    if (ctx->ui && ctx->ui->redraw)
        ctx->ui->redraw(ctx->ui_data);
    return done(ctx, "%s", "");
}

static int cmd_reload(struct command_ctx *ctx, const char *line)
{
    (void)line;
    changed(ctx);
    return done(ctx, "reloaded");
}

/* The table; help, completion and the man page's list follow its order. */
const struct command commands[] = {
    {"take",
     "[ID]",
     "take a ticket: assign it to yourself (new → open); without ID the top of the queue",
     {ARG_ID},
     cmd_take},
    {"assign",
     "IDS AGENT",
     "give tickets to an agent (IDS like 12,15-18); others' tickets: leads only",
     {ARG_IDS, ARG_AGENT},
     cmd_assign},
    {"release", "ID", "hand a ticket back to the queue (unassigned)", {ARG_ID}, cmd_release},
    {"status",
     "ID STATUS [NOTE]",
     "move a ticket: open, waiting_customer, waiting_third_party, resolved (needs a note), closed",
     {ARG_ID, ARG_STATUS, ARG_TEXT},
     cmd_status},
    {"reply",
     "ID TEXT",
     "public reply to the customer; the first one stops the response clock",
     {ARG_ID, ARG_TEXT},
     cmd_reply},
    {"note", "ID TEXT", "internal note, never shown to customers", {ARG_ID, ARG_TEXT}, cmd_note},
    {"log",
     "ID DURATION [billable] [NOTE]",
     "log work, e.g. 'log 42 1h30m billable reinstalled the driver'",
     {ARG_ID, ARG_DURATION, ARG_TEXT},
     cmd_log},
    {"prio",
     "ID IMPACT URGENCY",
     "set impact and urgency (1 high … 3 low); priority follows the matrix",
     {ARG_ID, ARG_NUMBER, ARG_NUMBER},
     cmd_prio},
    {"escalate",
     "ID TEAM",
     "hand a ticket to another team (e.g. third_line)",
     {ARG_ID, ARG_TEAM},
     cmd_escalate},
    {"new",
     "CUSTOMER SUBJECT",
     "create a ticket taken by phone or chat",
     {ARG_CUSTOMER, ARG_TEXT},
     cmd_new},
    {"call",
     "ID CONTACT TEXT",
     "record a contact's words from the phone (CONTACT: their e-mail, - for the ticket's)",
     {ARG_ID, ARG_NONE, ARG_TEXT},
     cmd_call},
    {"held",
     "[attach ID CUSTOMER | answer ID [fi|sk|en] | discard ID]",
     "mail held for leads: list it, make it a customer's, answer it (ask for a named contact), "
     "or discard it",
     {ARG_NONE, ARG_NUMBER, ARG_CUSTOMER},
     cmd_held},
    {"save",
     "ID ATTACHMENT [FILE] [overwrite]",
     "write a ticket's attachment (its number or name in 'open') to a file",
     {ARG_ID, ARG_NONE, ARG_NONE},
     cmd_save},
    {"open", "ID", "show a ticket with its messages and history", {ARG_ID}, cmd_open},
    {"filter",
     "FILTER",
     "mine | unassigned | breaching | all | customer:CODE | status:STATUS",
     {ARG_FILTER},
     cmd_filter},
    {"search",
     "WORDS",
     "find tickets (any status) by id or words of subject, messages, contact or customer",
     {ARG_TEXT},
     cmd_search},
    {"workload", "", "open, waiting and overdue tickets per agent", {ARG_NONE}, cmd_workload},
    {"help", "[COMMAND]", "list the commands, or explain one", {ARG_COMMAND}, cmd_help},
    {"quit", "", "leave tuki", {ARG_NONE}, cmd_quit},
    {"reload", "", "query everything again", {ARG_NONE}, cmd_reload},
    {"redraw", "", "repaint the screen", {ARG_NONE}, cmd_redraw},
};
const int command_count = (int)(sizeof commands / sizeof commands[0]);

const struct command *command_find(const char *name)
{
    for (int i = 0; i < command_count; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

void command_help(const char *name, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < command_count && len < n; i++) {
        const struct command *c = &commands[i];
        if (name && strcmp(name, c->name) != 0)
            continue;
        char head[64];
        snprintf(head, sizeof head, "%s %s", c->name, c->usage);
        int w = snprintf(buf + len, n - len, "%-32s %s\n", head, c->help);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

char *command_expand(const char *template, long long selected)
{
    char id[24];
    int idlen = snprintf(id, sizeof id, "%lld", selected);
    size_t n = 0;
    for (const char *p = template; *p; p++)
        n += (p[0] == '%' && p[1] == 'i') ? (size_t)idlen : 1;
    char *out = malloc(n + 1), *o = out;
    for (const char *p = template; *p; p++) {
        if (p[0] == '%' && p[1] == 'i') {
            if (selected <= 0) {
                free(out);
                return NULL;
            }
            memcpy(o, id, (size_t)idlen);
            o += idlen;
            p++;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

int command_run(struct command_ctx *ctx, const char *line)
{
    ctx->message[0] = ctx->hint[0] = '\0';
    ctx->is_error = ctx->pending = false;
    ctx->in_run = true;
    struct cmdline_words w;
    int rc = 0;
    if (split(ctx, line, 1, &w, NULL) < 0) {
        rc = -1;
    } else {
        const struct command *c = w.count ? command_find(w.word[0].text) : NULL;
        if (w.count && !c)
            rc = fail(ctx, "unknown command '%s'; 'help' lists them", w.word[0].text);
        else if (c)
            rc = c->run(ctx, line);
        cmdline_words_free(&w);
    }
    ctx->in_run = false;
    if (ctx->pending)
        return 0; /* answered later, through ui->finished */
    rc = rc < 0 || ctx->is_error ? -1 : 0;
    report_finished(ctx); /* may free ctx */
    return rc;
}
