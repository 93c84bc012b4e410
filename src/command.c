#include "command.h"

#include "cmdline.h"
#include "command_admin.h"
#include "command_call.h"
#include "duration.h"
#include "editor.h"
#include "i18n.h"
#include "idlist.h"
#include "ticket_form.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Formats into ctx->message, whole (NULL without memory). */
static void set_message(struct command_ctx *ctx, bool is_error, const char *fmt, va_list ap)
{
    free(ctx->message);
    if (vasprintf(&ctx->message, fmt, ap) < 0)
        ctx->message = NULL;
    ctx->is_error = is_error;
}

const char *command_message(const struct command_ctx *ctx)
{
    return ctx->message ? ctx->message : "";
}

const char *command_hint(const struct command_ctx *ctx)
{
    return ctx->hint ? ctx->hint : "";
}

void command_ctx_clear(struct command_ctx *ctx)
{
    free(ctx->message);
    free(ctx->hint);
    ctx->message = ctx->hint = NULL;
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
    return fail(ctx, _("usage: %s %s"), name, c ? c->usage : "");
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
    /* Text written in the editor (copied by call): what was sent, its help comment, and what
     * sends it again after a refusal (the editor re-opens with the error as a comment). */
    const char *text;
    const char *help;
    int (*send)(struct command_ctx *ctx, const struct answer *a, const char *text, char **problem);
    /* The first edit counts as unchanged when it equals this rather than the file as
     * opened (a canned reply is sent as it is); not kept past the first edit. */
    const char *baseline;
    command_then_fn then; /* for command_send: words the success */
};

static void edit_and_send(struct command_ctx *ctx, const struct answer *a, const char *text,
                          const char *error);

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

int command_answer_failed(struct command_ctx *ctx, PGresult *res, const char *label)
{
    if (!res)
        return command_fail(ctx, "%s",
                            _("offline: not sent, the connection is being re-established; try "
                              "again (Up recalls the command)"));
    if (db_was_cancelled(res))
        /* TRANSLATORS: %s names the statement, e.g. "#42 (take)". */
        return command_fail(ctx, _("cancelled: %s — nothing was changed"), label);
    if (!db_ok(res))
        return command_fail_result(ctx, res);
    return 0;
}

/* The answer to an API call: an error carries the SQLSTATE (TK001 …), DETAIL and HINT; a
 * success is put into words by the command, and the views reload. */
static void call_answered(void *data, PGresult *res)
{
    struct call *c = data;
    struct command_ctx *ctx = c->ctx;
    ctx->pending = false; /* until an answer sends a statement of its own */
    if (command_answer_failed(ctx, res, c->label)) {
        if (res && !db_was_cancelled(res) && c->a.send) {
            /* refused: the text goes back to the editor with the reason, not lost */
            char *error = NULL;
            if (asprintf(&error, ctx->hint ? "%s\nHINT: %s" : "%s", command_message(ctx),
                         command_hint(ctx)) < 0)
                error = NULL;
            edit_and_send(ctx, &c->a, c->a.text, error ? error : command_message(ctx));
            free(error);
        }
    } else if (c->finish(ctx, res, &c->a) == 0 && !ctx->pending) {
        changed(ctx);
    }
    PQclear(res);
    free((char *)c->a.word);
    free((char *)c->a.path);
    free((char *)c->a.text);
    free((char *)c->a.help);
    free(c->label);
    free(c);
    if (!ctx->in_run && !ctx->pending)
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
    c->a.text = a->text ? strdup(a->text) : NULL;
    c->a.help = a->help ? strdup(a->help) : NULL;
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
        return fail(ctx, _("ticket id '%s': %s"), text, idlist_strerror(e));
    if (list.count != 1) {
        idlist_free(&list);
        return fail(ctx, _("one ticket id here, not '%s'"), text);
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
        /* TRANSLATORS: "impact" or "urgency", then what was typed. */
        return fail(ctx, _("%s must be 1 (high), 2 or 3 (low), not '%s'"), what, text);
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

/* Taking a ticket is starting work on it: it opens, as tuki(1) says. */
static int took(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)res;
    done(ctx, _("took #%lld"), a->id);
    if (ctx->ui && ctx->ui->follow_ticket)
        ctx->ui->follow_ticket(ctx->ui_data, a->id);
    return 0;
}

static int took_next(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)a;
    if (PQgetisnull(res, 0, 0))
        return done(ctx, _("nothing in the queue to take"));
    long long id = atoll(PQgetvalue(res, 0, 0));
    done(ctx, _("took #%lld (top of the queue)"), id);
    if (ctx->ui && ctx->ui->follow_ticket)
        ctx->ui->follow_ticket(ctx->ui_data, id);
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
        rc = call(ctx, _("take (top of the queue)"), "SELECT tuki.ticket_take_next()", 0, NULL,
                  took_next, &a);
    }
    cmdline_words_free(&w);
    return rc;
}

static int assigned(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)res;
    if (a->count == 1)
        return done(ctx, _("assigned #%lld to %s"), a->id, a->word);
    return done(ctx, ngettext("assigned %zu ticket to %s", "assigned %zu tickets to %s", a->count),
                a->count, a->word);
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
        fail(ctx, _("ticket ids '%s': %s"), w.word[1].text, idlist_strerror(e));
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
    return done(ctx, _("released #%lld back to the queue"), a->id);
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
    /* TRANSLATORS: a ticket, then its new status (translated, e.g. "resolved"). */
    return done(ctx, _("#%lld is now %s"), a->id, i18n_code("status", a->word));
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
    /* TRANSLATORS: "public reply added to #42" or "internal note added to #42". */
    return done(ctx, _("%s added to #%lld"), _(a->what), a->id);
}

#define REPLY_SQL "SELECT tuki.ticket_reply($1::bigint, $2)"
#define NOTE_SQL  "SELECT tuki.ticket_note($1::bigint, $2)"

/* The editor, as the front end runs it: the text written, or NULL when the edit was
 * cancelled (ctx says nothing was sent) or failed (ctx has the error). */
static char *edit_text(struct command_ctx *ctx, const char *template_text, const char *baseline)
{
    if (!ctx->ui || !ctx->ui->edit) {
        fail(ctx, "%s", _("no editor here: give the text on the command line"));
        return NULL;
    }
    char *edited = NULL, *err = NULL;
    if (ctx->ui->edit(ctx->ui_data, template_text, &edited, &err) < 0) {
        fail(ctx, "%s", err ? err : _("the editor failed; nothing was sent"));
        free(err);
        return NULL;
    }
    char *text = editor_outcome(baseline ? baseline : template_text, edited);
    free(edited);
    if (!text)
        done(ctx, "%s", _("nothing sent: the text was empty or unchanged"));
    return text;
}

/* Opens the editor on a->help and text, with error (a refusal, or a form that does not parse)
 * above them as a comment, and hands what was written to a->send; a problem a->send finds
 * before sending re-opens the editor the same way, so nothing written is lost. */
static void edit_and_send(struct command_ctx *ctx, const struct answer *a, const char *text,
                          const char *error)
{
    char *problem = error ? strdup(error) : NULL;
    char *current = strdup(text ? text : "");
    for (;;) {
        char *comment = problem ? editor_comment(problem) : strdup("");
        char *tmpl = NULL;
        if (asprintf(&tmpl, "%s%s%s%s", comment, problem ? "\n" : "", a->help ? a->help : "",
                     current) < 0)
            abort();
        free(comment);
        free(ctx->hint);
        ctx->hint = NULL;
        char *written = edit_text(ctx, tmpl, problem ? NULL : a->baseline);
        free(tmpl);
        if (!written) {
            if (problem && !ctx->is_error)
                fail(ctx, _("nothing sent; it had been refused: %s"), problem);
            break;
        }
        free(problem);
        problem = NULL;
        a->send(ctx, a, written, &problem);
        free(current);
        current = written;
        if (!problem)
            break;
    }
    free(problem);
    free(current);
}

static int send_message(struct command_ctx *ctx, const struct answer *a, const char *text,
                        char **problem)
{
    (void)problem;
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%lld", a->id);
    const char *params[] = {idtext, text};
    struct answer b = *a;
    b.text = text;
    b.baseline = NULL;
    return call_for_ticket(ctx, a->word, strcmp(a->word, "note") == 0 ? NOTE_SQL : REPLY_SQL, 2,
                           params, posted, &b);
}

/* The ticket's subject and the customer's last words arrived: the editor opens on them. */
static int message_template_arrived(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    if (PQntuples(res) == 0)
        return fail(ctx, _("no ticket #%lld"), a->id);
    bool is_note = strcmp(a->word, "note") == 0;
    char *head = NULL, *help = NULL, *text = NULL, *quote = NULL;
    if (asprintf(&head,
                 is_note ? _("Internal note on #%lld \"%s\": only agents read it.\n%s")
                         : _("Reply to #%lld \"%s\": the customer reads it.\n%s"),
                 a->id, PQgetvalue(res, 0, 0),
                 _("Lines starting with \"# \" are left out. An empty file, or this one "
                   "unchanged, sends nothing.")) < 0)
        abort();
    help = editor_comment(head);
    if (!PQgetisnull(res, 0, 1)) {
        char *attribution = NULL;
        if (asprintf(&attribution, _("On %s, %s wrote:"), PQgetvalue(res, 0, 3),
                     PQgetvalue(res, 0, 2)) < 0)
            abort();
        quote = editor_quote(attribution, PQgetvalue(res, 0, 1));
        free(attribution);
    }
    const char *canned = PQgetisnull(res, 0, 4) ? "" : PQgetvalue(res, 0, 4);
    if (asprintf(&text, "\n%s%s%s", canned, *canned && quote ? "\n\n" : "", quote ? quote : "") < 0)
        abort();
    /* a canned reply may go as it is: only the file without it counts as unchanged */
    char *baseline = NULL;
    if (*canned && asprintf(&baseline, "%s\n%s", help, quote ? quote : "") < 0)
        abort();
    struct answer b = *a;
    b.help = help;
    b.send = send_message;
    b.baseline = baseline;
    edit_and_send(ctx, &b, text, NULL);
    free(baseline);
    free(head);
    free(help);
    free(text);
    free(quote);
    return ctx->is_error ? -1 : 0;
}

/* reply and note: NAME ID TEXT, or NAME ID [--canned CANNED] for the editor */
static int post_message(struct command_ctx *ctx, const char *line, const char *name,
                        const char *sql, const char *what)
{
    struct parsed p;
    if (parse_with_id(ctx, line, 2, &p) < 0)
        return -1;
    char *text = free_text(p.rest);
    struct cmdline_words opt = {0};
    bool canned =
        strncmp(text, "--canned", 8) == 0 && (!text[8] || isspace((unsigned char)text[8]));
    int rc;
    if (canned && (cmdline_split(text, 0, &opt) != CMDLINE_OK || opt.count != 2)) {
        rc = fail(ctx, _("usage: %s ID --canned NAME ('canned' lists the names)"), name);
    } else if (canned || !*text) {
        /* the editor: the customer's last words quoted, a canned reply above them */
        const char *params[] = {p.idtext, canned ? opt.word[1].text : NULL};
        struct answer a = {.id = p.id, .what = what, .word = name};
        rc = call_for_ticket(
            ctx, name,
            "SELECT t.subject, m.body, coalesce(c.name, m.author),"
            "       to_char(m.at, 'YYYY-MM-DD HH24:MI'),"
            "       CASE WHEN $2::text IS NOT NULL THEN tuki.canned_render($2, t.id) END"
            "  FROM tuki.ticket t"
            "  LEFT JOIN LATERAL (SELECT * FROM tuki.message m WHERE m.ticket = t.id"
            "                        AND m.from_customer ORDER BY m.at DESC, m.id DESC LIMIT 1) m"
            "         ON true"
            "  LEFT JOIN tuki.contact c ON c.id = m.contact"
            " WHERE t.id = $1::bigint",
            2, params, message_template_arrived, &a);
    } else {
        const char *params[] = {p.idtext, text};
        struct answer a = {.id = p.id, .what = what};
        rc = call_for_ticket(ctx, name, sql, 2, params, posted, &a);
    }
    cmdline_words_free(&opt);
    free(text);
    cmdline_words_free(&p.w);
    return rc;
}

static int cmd_reply(struct command_ctx *ctx, const char *line)
{
    return post_message(ctx, line, "reply", REPLY_SQL, N_("public reply"));
}

static int cmd_note(struct command_ctx *ctx, const char *line)
{
    return post_message(ctx, line, "note", NOTE_SQL, N_("internal note"));
}

static int canned_listed(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)a;
    if (PQntuples(res) == 0)
        return done(ctx, "%s", _("no canned replies yet; a lead adds one with 'canned set NAME'"));
    if (ctx->ui && ctx->ui->show_text)
        ctx->ui->show_text(ctx->ui_data, _("Canned replies"), PQgetvalue(res, 0, 0));
    return done(ctx, _("%s canned replies; 'reply ID --canned NAME' starts a reply from one"),
                PQgetvalue(res, 0, 1));
}

static int canned_shown(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    if (PQntuples(res) == 0)
        return fail(ctx, _("no canned reply '%s'; 'canned' lists them"), a->word);
    if (ctx->ui && ctx->ui->show_text)
        ctx->ui->show_text(ctx->ui_data, a->word, PQgetvalue(res, 0, 0));
    return done(ctx, _("canned reply %s"), a->word);
}

static int canned_saved(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    return done(ctx,
                strcmp(PQgetvalue(res, 0, 0), "t") == 0 ? _("canned reply %s added")
                                                        : _("canned reply %s changed"),
                a->word);
}

static int canned_removed(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)res;
    return done(ctx, _("canned reply %s removed"), a->word);
}

static int send_canned(struct command_ctx *ctx, const struct answer *a, const char *text,
                       char **problem)
{
    (void)problem;
    const char *params[] = {a->word, text};
    struct answer b = *a;
    b.text = text;
    return call(ctx, "canned set", "SELECT tuki.canned_set($1, $2)", 2, params, canned_saved, &b);
}

/* The canned reply's text as it is now arrived (none for a new one): the editor opens on it. */
static int canned_text_arrived(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    char *head = NULL;
    if (asprintf(&head,
                 _("Canned reply %s. Placeholders: {contact} the contact's name, {ticket} the "
                   "ticket number,\n{agent} your name, {customer} the customer's name.\n%s"),
                 a->word,
                 _("Lines starting with \"# \" are left out. An empty file, or this one "
                   "unchanged, changes nothing.")) < 0)
        abort();
    char *help = editor_comment(head);
    struct answer b = *a;
    b.help = help;
    b.send = send_canned;
    char *text = NULL;
    if (asprintf(&text, "\n%s\n", PQntuples(res) ? PQgetvalue(res, 0, 0) : "") < 0)
        abort();
    edit_and_send(ctx, &b, text, NULL);
    free(text);
    free(help);
    free(head);
    return ctx->is_error ? -1 : 0;
}

/* canned | canned NAME | canned set NAME [TEXT] | canned remove NAME: the database says who
 * may change them (TK005 for agents). */
static int cmd_canned(struct command_ctx *ctx, const char *line)
{
    struct cmdline_words w;
    const char *rest;
    if (split(ctx, line, 3, &w, &rest) < 0)
        return -1;
    const char *sub = w.count > 1 ? w.word[1].text : "";
    struct answer a = {.word = w.count > 2 ? w.word[2].text : sub};
    int rc;
    if (w.count == 1) {
        rc = call(ctx, "canned replies",
                  "SELECT string_agg(format('%-20s %s', r.name,"
                  "         regexp_replace(split_part(btrim(r.body, E' \\n'), E'\\n', 1),"
                  "                        '[[:cntrl:]]', '?', 'g')), E'\\n' ORDER BY r.name)"
                  "       || E'\\n', count(*)"
                  "  FROM tuki.canned_reply r HAVING count(*) > 0",
                  0, NULL, canned_listed, &a);
    } else if (strcmp(sub, "set") == 0 && w.count == 3) {
        char *text = free_text(rest);
        const char *params[] = {w.word[2].text, text};
        if (*text)
            rc = call(ctx, "canned set", "SELECT tuki.canned_set($1, $2)", 2, params, canned_saved,
                      &a);
        else
            rc = call(ctx, "canned set", "SELECT body FROM tuki.canned_reply WHERE name = $1", 1,
                      params, canned_text_arrived, &a);
        free(text);
    } else if (strcmp(sub, "remove") == 0 && w.count == 3 && !*rest) {
        const char *params[] = {w.word[2].text};
        rc = call(ctx, "canned remove", "SELECT tuki.canned_remove($1)", 1, params, canned_removed,
                  &a);
    } else if (w.count == 2 && strcmp(sub, "set") != 0 && strcmp(sub, "remove") != 0) {
        const char *params[] = {sub};
        rc = call(ctx, "canned reply", "SELECT body FROM tuki.canned_reply WHERE name = $1", 1,
                  params, canned_shown, &a);
    } else {
        rc = usage(ctx, "canned");
    }
    cmdline_words_free(&w);
    return rc;
}

static int logged(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)res;
    char shown[DURATION_BUF_SIZE];
    /* TRANSLATORS: "logged 1h30m billable on #42"; the second %s is " billable" or empty. */
    return done(ctx, _("logged %s%s on #%lld"), duration_format(a->minutes, shown, sizeof shown),
                a->billable ? _(" billable") : "", a->id);
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
        rc = fail(ctx, _("duration '%s': %s"), p.w.word[2].text, duration_strerror(e));
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
    return done(ctx, _("#%lld is now P%s (impact %s, urgency %s)"), a->id, PQgetvalue(res, 0, 1),
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
    } else if (parse_level(ctx, _("impact"), p.w.word[2].text, a.impact) == 0 &&
               parse_level(ctx, _("urgency"), p.w.word[3].text, a.urgency) == 0) {
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
    return done(ctx, _("#%lld escalated to %s"), a->id, a->word);
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
    done(ctx, _("created #%lld for %s"), id, a->word);
    if (ctx->ui && ctx->ui->open_ticket)
        ctx->ui->open_ticket(ctx->ui_data, id);
    return 0;
}

static char *form_help(const char *first)
{
    char *head = NULL;
    if (asprintf(&head, "%s\n%s\n%s\n%s", first,
                 _("Type: incident, service_request, problem, change, bug, question. Channel: "
                   "email, phone,\nportal, chat, console. Impact, Urgency: 1 high, 2, 3 low. "
                   "Contact: an e-mail address or\nthe full name of one of the customer's "
                   "contacts."),
                 _("Lines starting with \"# \" are left out; an empty or unchanged form does "
                   "nothing."),
                 "") < 0)
        abort();
    char *help = editor_comment(head);
    free(head);
    return help;
}

/* An empty field is no value: the schema's default, or no change. */
static const char *field(const struct ticket_form *f, enum form_field k)
{
    return f->value[k] && *f->value[k] ? f->value[k] : NULL;
}

static int send_new(struct command_ctx *ctx, const struct answer *a, const char *text,
                    char **problem)
{
    struct ticket_form f;
    if (form_parse(text, FORM_NEW, 1, &f, problem) < 0)
        return -1;
    if (form_check_new(&f, problem) < 0) {
        form_free(&f);
        return -1;
    }
    const char *params[] = {
        field(&f, FORM_CUSTOMER), field(&f, FORM_SUBJECT), f.body,
        field(&f, FORM_TYPE),     field(&f, FORM_IMPACT),  field(&f, FORM_URGENCY),
        field(&f, FORM_CONTACT),  field(&f, FORM_CHANNEL)};
    struct answer b = *a;
    b.text = text;
    b.word = params[0];
    int rc = call(ctx, "new ticket",
                  "SELECT tuki.ticket_create($1, $2, $3, coalesce($4, 'incident'),"
                  " coalesce($5::int, 3), coalesce($6::int, 3), $7, coalesce($8, 'phone'))",
                  8, params, created, &b);
    form_free(&f);
    return rc;
}

/* new CUSTOMER SUBJECT: a ticket with its subject only; new [CUSTOMER]: the form in the editor
 * (a call: channel phone, the body is the contact's words). */
static int cmd_new(struct command_ctx *ctx, const char *line)
{
    struct cmdline_words w;
    const char *rest;
    if (split(ctx, line, 2, &w, &rest) < 0)
        return -1;
    char *subject = free_text(rest);
    int rc = -1;
    if (w.count <= 2 && !*subject) {
        struct ticket_form f = {0};
        const char *defaults[FORM_FIELD_COUNT] = {[FORM_CUSTOMER] =
                                                      w.count == 2 ? w.word[1].text : "",
                                                  [FORM_CONTACT] = "",
                                                  [FORM_TYPE] = "incident",
                                                  [FORM_IMPACT] = "3",
                                                  [FORM_URGENCY] = "3",
                                                  [FORM_CHANNEL] = "phone",
                                                  [FORM_SUBJECT] = ""};
        for (int i = 0; i < FORM_FIELD_COUNT; i++)
            f.value[i] = defaults[i] ? strdup(defaults[i]) : NULL;
        char *text = form_write(&f, FORM_NEW, 1, "");
        char *help = form_help(_("New ticket: Customer and Subject are needed; after the blank "
                                 "line the request\nin the customer's words (their first "
                                 "message)."));
        struct answer a = {.help = help, .send = send_new};
        edit_and_send(ctx, &a, text, NULL);
        rc = ctx->is_error ? -1 : 0;
        free(help);
        free(text);
        form_free(&f);
    } else if (w.count != 2) {
        rc = usage(ctx, "new");
    } else {
        /* Taken on the phone or in chat: the subject is all there is to say yet. */
        const char *params[] = {w.word[1].text, subject};
        struct answer a = {.word = w.word[1].text};
        rc = call(ctx, _("new ticket"),
                  "SELECT tuki.ticket_create($1, $2, NULL, 'incident', 3, 3, NULL, 'console')", 2,
                  params, created, &a);
    }
    free(subject);
    cmdline_words_free(&w);
    return rc;
}

static int edited(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    int n = atoi(PQgetvalue(res, 0, 0));
    if (n == 0)
        return done(ctx, _("nothing changed on #%lld"), a->id);
    return done(ctx,
                ngettext("#%lld: %d field changed", "#%lld: %d fields changed", (unsigned long)n),
                a->id, n);
}

#define EDIT_SQL                                                                                   \
    "SELECT tuki.ticket_edit($1::bigint, type => $2, contact => $3, subject => $4,"                \
    " channel => $5, team => $6)"

static int send_edit_values(struct command_ctx *ctx, const struct answer *a,
                            const struct ticket_form *f)
{
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%lld", a->id);
    const char *params[] = {idtext,
                            field(f, FORM_TYPE),
                            field(f, FORM_CONTACT),
                            field(f, FORM_SUBJECT),
                            field(f, FORM_CHANNEL),
                            field(f, FORM_TEAM)};
    if (!params[1] && !params[2] && !params[3] && !params[4] && !params[5])
        return done(ctx, _("nothing changed on #%lld"), a->id);
    return call_for_ticket(ctx, "edit", EDIT_SQL, 6, params, edited, a);
}

static int send_edit(struct command_ctx *ctx, const struct answer *a, const char *text,
                     char **problem)
{
    struct ticket_form f;
    if (form_parse(text, FORM_EDIT, 0, &f, problem) < 0)
        return -1;
    struct answer b = *a;
    b.text = text;
    int rc = send_edit_values(ctx, &b, &f);
    form_free(&f);
    return rc;
}

/* The ticket's fields as they are arrived: the form opens on them. */
static int edit_form_arrived(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    if (PQntuples(res) == 0)
        return fail(ctx, _("no ticket #%lld"), a->id);
    struct ticket_form f = {0};
    const enum form_field cols[] = {FORM_CONTACT, FORM_TYPE, FORM_CHANNEL, FORM_TEAM, FORM_SUBJECT};
    for (int i = 0; i < 5; i++)
        f.value[cols[i]] = strdup(PQgetvalue(res, 0, i + 1));
    char *text = form_write(&f, FORM_EDIT, 0, "");
    char *first = NULL;
    if (asprintf(&first, _("Edit #%lld of %s: change what should change (teams: %s)."), a->id,
                 PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 6)) < 0)
        abort();
    char *help = form_help(first);
    struct answer b = *a;
    b.help = help;
    b.send = send_edit;
    edit_and_send(ctx, &b, text, NULL);
    free(first);
    free(help);
    free(text);
    form_free(&f);
    return ctx->is_error ? -1 : 0;
}

/* edit ID [field=value ...]: type, contact, subject, channel, team; no fields: the form. */
static int cmd_edit(struct command_ctx *ctx, const char *line)
{
    struct parsed p;
    if (parse_with_id(ctx, line, 0, &p) < 0)
        return -1;
    struct answer a = {.id = p.id};
    int rc = 0;
    if (p.w.count == 2) {
        const char *params[] = {p.idtext};
        rc = call_for_ticket(ctx, "edit",
                             "SELECT t.customer, coalesce(c.email, c.name, ''), t.type,"
                             "       t.channel, t.team, t.subject,"
                             "       (SELECT string_agg(code, ', ' ORDER BY code) FROM tuki.team)"
                             "  FROM tuki.ticket t LEFT JOIN tuki.contact c ON c.id = t.contact"
                             " WHERE t.id = $1::bigint",
                             1, params, edit_form_arrived, &a);
    } else {
        struct ticket_form f = {0};
        for (size_t i = 2; i < p.w.count && rc == 0; i++) {
            const char *word = p.w.word[i].text, *eq = strchr(word, '=');
            char *key = eq ? strndup(word, (size_t)(eq - word)) : NULL;
            int k = key ? form_field_by_key(key) : -1;
            if (k < 0 || !(FORM_EDIT & FORM_BIT(k)))
                rc = fail(ctx,
                          _("'%s': give field=value with a field of type, contact, subject, "
                            "channel, team"),
                          word);
            else if (f.value[k])
                rc = fail(ctx, _("%s is given twice"), key);
            else
                f.value[k] = strdup(eq + 1);
            free(key);
        }
        if (rc == 0)
            rc = send_edit_values(ctx, &a, &f);
        form_free(&f);
    }
    cmdline_words_free(&p.w);
    return rc;
}

static int recorded(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)res;
    /* TRANSLATORS: the contact's e-mail address or "the contact", then the ticket. */
    return done(ctx, _("recorded %s's words on #%lld"), a->word, a->id);
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
        struct answer a = {.id = p.id, .word = contact ? contact : _("the contact")};
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
        return done(ctx, _("no mail is held"));
    if (ctx->ui && ctx->ui->show_text)
        ctx->ui->show_text(ctx->ui_data, _("Held mail"), PQgetvalue(res, 0, 0));
    long held = atol(PQgetvalue(res, 0, 1));
    /* TRANSLATORS: the status line after 'held' lists the mail kept for leads. */
    return done(ctx, ngettext("%ld held", "%ld held", held), held);
}

static int held_attached(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    /* TRANSLATORS: the held mail's number, a customer code, the new or existing ticket. */
    return done(ctx, _("held mail %lld attached to %s: %s"), a->id, a->word, PQgetvalue(res, 0, 0));
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
    return done(ctx, _("held mail %lld discarded"), a->id);
}

/* The held number: a whole positive number (not a ticket, so no id list). */
static int parse_held_id(struct command_ctx *ctx, const char *text, long long *id)
{
    char *end;
    long long v = strtoll(text, &end, 10);
    if (!isdigit((unsigned char)text[0]) || *end || v <= 0)
        return fail(ctx, _("held mail number '%s': a whole number, as 'held' lists them"), text);
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
        rc = call(ctx, _("held mail"),
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
            rc = call(ctx, _("held attach"), "SELECT tuki.mail_hold_attach($1::bigint, $2)", 2,
                      params, held_attached, &a);
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
            rc = call(ctx, _("held discard"), "SELECT tuki.mail_hold_discard($1::bigint)", 1,
                      params, held_discarded, &a);
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
        return fail(ctx, _("#%lld has no attachment '%s'; 'open %lld' lists them"), a->id, a->word,
                    a->id);
    const char *filename = PQgetvalue(res, 0, 0), *n = PQgetvalue(res, 0, 3);
    if (PQgetisnull(res, 0, 1))
        return fail(ctx, _("attachment %s of #%lld (%s) was not kept: %s"), n, a->id, filename,
                    PQgetvalue(res, 0, 2));
    char *path = a->path ? strdup(a->path) : local_name(filename, n);
    size_t len = 0;
    unsigned char *data = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 1), &len);
    int rc;
    if (!data || !path)
        rc = fail(ctx, _("out of memory reading attachment %s of #%lld"), n, a->id);
    else if (write_file(path, a->overwrite, data, len) < 0)
        rc = errno == EEXIST
                 ? fail(ctx, _("%s exists already; add 'overwrite' to replace it"), path)
                 : fail(ctx, _("cannot write %s: %s"), path, strerror(errno));
    else
        rc = done(ctx, _("saved attachment %s of #%lld (%s, %zu bytes) to %s"), n, a->id, filename,
                  len, path);
    PQfreemem(data);
    free(path);
    return rc;
}

int command_save(struct command_ctx *ctx, long long ticket, const char *which, const char *path,
                 bool overwrite, const char *sql, int n, const char *const *params)
{
    struct answer a = {.id = ticket, .word = which, .path = path, .overwrite = overwrite};
    return call_for_ticket(ctx, "save", sql, n, params, saved, &a);
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
    char *what = filter_describe(f);
    done(ctx, _("filter: %s"), what ? what : _("out of memory"));
    free(what);
    if (ctx->ui && ctx->ui->set_filter)
        ctx->ui->set_filter(ctx->ui_data, f);
}

/* tuki.customer_find or tuki.queue_filter_arg answered with the filter's argument as the
 * schema spells it; a->minutes carries the filter's kind. */
static int filter_arg_found(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    struct filter f = {.kind = (enum filter_kind)a->minutes, .arg = strdup(PQgetvalue(res, 0, 0))};
    if (!f.arg)
        return fail(ctx, "%s", _("out of memory"));
    apply_filter(ctx, &f);
    filter_free(&f);
    return 0;
}

static int cmd_filter(struct command_ctx *ctx, const char *line)
{
    struct cmdline_words w;
    if (split(ctx, line, 0, &w, NULL) < 0)
        return -1;
    int rc = -1;
    struct filter f = {.kind = FILTER_ALL};
    char *err = NULL; /* quotes the filter, all of it */
    if (w.count != 2) {
        rc = usage(ctx, "filter");
    } else if (filter_parse(w.word[1].text, &f, &err) < 0) {
        rc = fail(ctx, "%s", err ? err : _("out of memory"));
    } else if (f.kind == FILTER_CUSTOMER) {
        /* Any case, and an unknown customer is an error rather than an empty queue. */
        const char *params[] = {f.arg};
        struct answer a = {.word = f.arg, .minutes = f.kind};
        rc = call(ctx, _("customer filter"), "SELECT tuki.customer_find($1)", 1, params,
                  filter_arg_found, &a);
    } else if (f.kind == FILTER_TEAM || f.kind == FILTER_TYPE || f.kind == FILTER_STATUS) {
        /* The same for a team, a request type or a status (TK006 names the valid ones). */
        const char *params[] = {f.kind == FILTER_TEAM   ? "team"
                                : f.kind == FILTER_TYPE ? "type"
                                                        : "status",
                                f.arg};
        struct answer a = {.word = f.arg, .minutes = f.kind};
        rc = call(ctx, _("filter"), "SELECT tuki.queue_filter_arg($1, $2)", 2, params,
                  filter_arg_found, &a);
    } else {
        apply_filter(ctx, &f);
        rc = ctx->is_error ? -1 : 0;
    }
    filter_free(&f);
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
    struct filter f = {.kind = FILTER_SEARCH, .arg = words}; /* all of them, however many */
    if (!*words) {
        rc = usage(ctx, "search");
    } else {
        rc = done(ctx, _("search: %s"), words);
        if (ctx->ui && ctx->ui->set_filter)
            ctx->ui->set_filter(ctx->ui_data, &f);
    }
    free(words);
    cmdline_words_free(&w);
    return ctx->is_error ? -1 : rc;
}

/* The desk's commands about one ticket's SLA, bugs and relations (sla, confirm, merge, link):
 * each one API call; the database explains, refuses (TK codes) and records the events. */

static int sla_explained(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    char *title = NULL;
    if (asprintf(&title, _("SLA of #%lld"), a->id) < 0)
        title = NULL;
    if (ctx->ui && ctx->ui->show_text)
        ctx->ui->show_text(ctx->ui_data, title ? title : "SLA", PQgetvalue(res, 0, 0));
    free(title);
    return done(ctx, _("#%lld: how its SLA deadlines follow"), a->id);
}

/* sla ID: tuki.sla_explain's lines, in the ticket pane or on stdout. */
static int cmd_sla(struct command_ctx *ctx, const char *line)
{
    struct parsed p;
    if (parse_with_id(ctx, line, 0, &p) < 0)
        return -1;
    int rc;
    if (p.w.count != 2) {
        rc = usage(ctx, "sla");
    } else {
        const char *params[] = {p.idtext};
        struct answer a = {.id = p.id};
        rc = call_for_ticket(ctx, "sla",
                             "SELECT string_agg(line, E'\\n' ORDER BY n) || E'\\n'"
                             "  FROM tuki.sla_explain($1::bigint)",
                             1, params, sla_explained, &a);
    }
    cmdline_words_free(&p.w);
    return rc;
}

static int bug_confirmed(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)res;
    if (a->path)
        return done(
            ctx, _("#%lld: bug confirmed, fixed in %s (release expected %s); the customer is told"),
            a->id, a->word, a->path);
    return done(ctx, _("#%lld: bug confirmed, fixed in %s; the customer is told"), a->id, a->word);
}

/* confirm ID VERSION [DATE]: DATE as YYYY-MM-DD, read by the database. */
static int cmd_confirm(struct command_ctx *ctx, const char *line)
{
    struct parsed p;
    if (parse_with_id(ctx, line, 0, &p) < 0)
        return -1;
    int rc;
    if (p.w.count != 3 && p.w.count != 4) {
        rc = usage(ctx, "confirm");
    } else {
        const char *date = p.w.count == 4 ? p.w.word[3].text : NULL;
        const char *params[] = {p.idtext, p.w.word[2].text, date};
        /* path carries the date into the answer (copied by call) */
        struct answer a = {.id = p.id, .word = p.w.word[2].text, .path = date};
        rc = call_for_ticket(ctx, "confirm",
                             "SELECT tuki.ticket_confirm_bug($1::bigint, $2, $3::date)", 3, params,
                             bug_confirmed, &a);
    }
    cmdline_words_free(&p.w);
    return rc;
}

static int merged(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)res;
    done(ctx, _("#%lld merged into #%s and closed"), a->id, a->word);
    if (ctx->ui && ctx->ui->follow_ticket)
        ctx->ui->follow_ticket(ctx->ui_data, atoll(a->word));
    return 0;
}

/* merge ID INTO OTHER_ID (INTO may be left out): ID is the duplicate, closed. */
static int cmd_merge(struct command_ctx *ctx, const char *line)
{
    struct parsed p;
    if (parse_with_id(ctx, line, 0, &p) < 0)
        return -1;
    size_t n = p.w.count;
    bool into = n == 4 && strcasecmp(p.w.word[2].text, "into") == 0;
    long long other = 0;
    int rc;
    if (!(n == 3 || into)) {
        rc = usage(ctx, "merge");
    } else if (parse_id(ctx, p.w.word[n - 1].text, &other) < 0) {
        rc = -1;
    } else {
        char othertext[24];
        snprintf(othertext, sizeof othertext, "%lld", other);
        const char *params[] = {p.idtext, othertext};
        struct answer a = {.id = p.id, .word = othertext};
        rc = call_for_ticket(ctx, "merge", "SELECT tuki.ticket_merge($1::bigint, $2::bigint)", 2,
                             params, merged, &a);
    }
    cmdline_words_free(&p.w);
    return rc;
}

static int linked(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    (void)res;
    return done(ctx, _("#%lld and #%s are linked"), a->id, a->word);
}

/* link ID OTHER_ID: an incident to its problem or a bug, shown in both headers. */
static int cmd_link(struct command_ctx *ctx, const char *line)
{
    struct parsed p;
    if (parse_with_id(ctx, line, 0, &p) < 0)
        return -1;
    long long other = 0;
    int rc;
    if (p.w.count != 3) {
        rc = usage(ctx, "link");
    } else if (parse_id(ctx, p.w.word[2].text, &other) < 0) {
        rc = -1;
    } else {
        char othertext[24];
        snprintf(othertext, sizeof othertext, "%lld", other);
        const char *params[] = {p.idtext, othertext};
        struct answer a = {.id = p.id, .word = othertext};
        rc = call_for_ticket(ctx, "link", "SELECT tuki.ticket_link_add($1::bigint, $2::bigint)", 2,
                             params, linked, &a);
    }
    cmdline_words_free(&p.w);
    return rc;
}

static int cmd_workload(struct command_ctx *ctx, const char *line)
{
    (void)line;
    done(ctx, _("workload per agent"));
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
        rc = fail(ctx, _("no command '%s'; 'help' lists them"), w.word[1].text);
    } else {
        char *text = command_help(w.count == 2 ? w.word[1].text : NULL);
        const struct command *c = w.count == 2 ? command_find(w.word[1].text) : NULL;
        if (c) {
            done(ctx, "%s %s — %s", c->name, c->usage, _(c->help));
        } else {
            char *names = NULL;
            size_t len = 0;
            FILE *out = open_memstream(&names, &len);
            if (out) {
                fputs(_("commands:"), out);
                for (int i = 0; i < command_count; i++)
                    fprintf(out, " %s", commands[i].name);
                fclose(out);
            }
            done(ctx, "%s", names ? names : _("commands:"));
            free(names);
        }
        if (ctx->ui && ctx->ui->show_help && text)
            ctx->ui->show_help(ctx->ui_data, text);
        free(text);
    }
    cmdline_words_free(&w);
    return rc;
}

static int cmd_quit(struct command_ctx *ctx, const char *line)
{
    (void)line;
    if (ctx->ui && ctx->ui->quit)
        ctx->ui->quit(ctx->ui_data);
    return done(ctx, _("bye"));
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
    return done(ctx, _("reloaded"));
}

/* The table; help, completion and the man page's list follow its order. */
const struct command commands[] = {
    {"take",
     "[ID]",
     N_("take a ticket: assign it to yourself (new → open); without ID the top of the queue"),
     {ARG_ID},
     cmd_take},
    {"assign",
     "IDS AGENT",
     N_("give tickets to an agent (IDS like 12,15-18); others' tickets: leads only"),
     {ARG_IDS, ARG_AGENT},
     cmd_assign},
    {"release", "ID", N_("hand a ticket back to the queue (unassigned)"), {ARG_ID}, cmd_release},
    {"status",
     "ID STATUS [NOTE]",
     N_("move a ticket: open, waiting_customer, waiting_third_party, resolved (needs a note), "
        "closed"),
     {ARG_ID, ARG_STATUS, ARG_TEXT},
     cmd_status},
    {"reply",
     "ID [TEXT | --canned NAME]",
     N_("public reply; no text: $EDITOR, quoting the customer; the first stops the response clock"),
     {ARG_ID, ARG_TEXT},
     cmd_reply},
    {"note",
     "ID [TEXT | --canned NAME]",
     N_("internal note, never shown to customers; no text: $EDITOR"),
     {ARG_ID, ARG_TEXT},
     cmd_note},
    {"log",
     "ID DURATION [billable] [NOTE]",
     N_("log work, e.g. 'log 42 1h30m billable reinstalled the driver'"),
     {ARG_ID, ARG_DURATION, ARG_TEXT},
     cmd_log},
    {"prio",
     "ID IMPACT URGENCY",
     N_("set impact and urgency (1 high … 3 low); priority follows the matrix"),
     {ARG_ID, ARG_NUMBER, ARG_NUMBER},
     cmd_prio},
    {"escalate",
     "ID TEAM",
     N_("hand a ticket to another team (e.g. third_line)"),
     {ARG_ID, ARG_TEAM},
     cmd_escalate},
    {"new",
     "[CUSTOMER [SUBJECT]]",
     N_("create a ticket; without a subject the form opens in $EDITOR (a call: the contact's "
        "words)"),
     {ARG_CUSTOMER, ARG_TEXT},
     cmd_new},
    {"edit",
     "ID [FIELD=VALUE ...]",
     N_("change type, contact, subject, channel, team; without fields the form opens in $EDITOR"),
     {ARG_ID, ARG_EDIT_FIELD, ARG_EDIT_FIELD, ARG_EDIT_FIELD},
     cmd_edit},
    {"canned",
     "[NAME | set NAME [TEXT] | remove NAME]",
     N_("canned replies: list them, show one; leads set (add or change) and remove them"),
     {ARG_CANNED, ARG_CANNED},
     cmd_canned},
    {"call",
     "ID CONTACT TEXT",
     N_("record a contact's words from the phone (CONTACT: their e-mail, - for the ticket's)"),
     {ARG_ID, ARG_CONTACT, ARG_TEXT},
     cmd_call},
    {"held",
     "[attach ID CUSTOMER | answer ID [fi|sk|en] | discard ID]",
     N_("mail held for leads: list it, make it a customer's, answer it (ask for a named contact), "
        "or discard it"),
     {ARG_NONE, ARG_NUMBER, ARG_CUSTOMER},
     cmd_held},
    {"save",
     "ID ATTACHMENT [FILE] [overwrite]",
     N_("write a ticket's attachment (its number or name in 'open') to a file"),
     {ARG_ID, ARG_NONE, ARG_NONE},
     cmd_save},
    {"open", "ID", N_("show a ticket with its messages and history"), {ARG_ID}, cmd_open},
    {"filter",
     "FILTER",
     N_("home | mine | unassigned | breaching | all | customer:CODE | status:STATUS | "
        "team:TEAM | type:TYPE"),
     {ARG_FILTER},
     cmd_filter},
    {"search",
     "WORDS",
     N_("find tickets (any status) by id or words of subject, messages, contact or customer"),
     {ARG_TEXT},
     cmd_search},
    {"confirm",
     "ID VERSION [DATE]",
     N_("confirm a bug with the version that fixes it (and its expected release, YYYY-MM-DD)"),
     {ARG_ID, ARG_NONE, ARG_NONE},
     cmd_confirm},
    {"merge",
     "ID INTO OTHER_ID",
     N_("merge a duplicate into another ticket of the customer: ID is closed with a pointer"),
     {ARG_ID, ARG_NONE, ARG_ID},
     cmd_merge},
    {"link",
     "ID OTHER_ID",
     N_("relate two tickets (an incident to its problem or a bug), shown in both"),
     {ARG_ID, ARG_ID},
     cmd_link},
    {"sla",
     "ID",
     N_("explain a ticket's SLA deadlines: targets, calendar, holidays, pauses, minutes used"),
     {ARG_ID},
     cmd_sla},
    {"workload", "", N_("open, waiting and overdue tickets per agent"), {ARG_NONE}, cmd_workload},
    COMMAND_ADMIN_ENTRIES{
        "help", "[COMMAND]", N_("list the commands, or explain one"), {ARG_COMMAND}, cmd_help},
    {"quit", "", N_("leave tuki"), {ARG_NONE}, cmd_quit},
    {"reload", "", N_("query everything again"), {ARG_NONE}, cmd_reload},
    {"redraw", "", N_("repaint the screen"), {ARG_NONE}, cmd_redraw},
};
const int command_count = (int)(sizeof commands / sizeof commands[0]);

const struct command *command_find(const char *name)
{
    for (int i = 0; i < command_count; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

char *command_help(const char *name)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        return NULL;
    for (int i = 0; i < command_count; i++) {
        const struct command *c = &commands[i];
        if (name && strcmp(name, c->name) != 0)
            continue;
        char *head = NULL; /* a long usage (contact, contract) is shown whole */
        if (asprintf(&head, "%s %s", c->name, c->usage) < 0)
            break;
        fprintf(out, "%-32s %s\n", head, _(c->help));
        free(head);
    }
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
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
    command_ctx_clear(ctx);
    ctx->is_error = ctx->pending = false;
    ctx->in_run = true;
    struct cmdline_words w;
    int rc = 0;
    if (split(ctx, line, 1, &w, NULL) < 0) {
        rc = -1;
    } else {
        const struct command *c = w.count ? command_find(w.word[0].text) : NULL;
        if (w.count && !c)
            rc = fail(ctx, _("unknown command '%s'; 'help' lists them"), w.word[0].text);
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

/* The helpers above, for the command files beside this one (command_call.h). */
int command_fail(struct command_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_message(ctx, true, fmt, ap);
    va_end(ap);
    return -1;
}

int command_done(struct command_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_message(ctx, false, fmt, ap);
    va_end(ap);
    return 0;
}

int command_fail_result(struct command_ctx *ctx, const PGresult *res)
{
    command_ctx_clear(ctx);
    ctx->message = db_result_error_text(res, ctx->db->conn);
    const char *hint = db_result_hint(res);
    ctx->hint = *hint ? strdup(hint) : NULL;
    ctx->is_error = true;
    return -1;
}

void command_answered(struct command_ctx *ctx)
{
    if (!ctx->in_run && !ctx->pending)
        report_finished(ctx);
}

int command_usage(struct command_ctx *ctx, const char *name)
{
    return usage(ctx, name);
}

int command_split(struct command_ctx *ctx, const char *line, size_t max_words,
                  struct cmdline_words *w, const char **rest)
{
    return split(ctx, line, max_words, w, rest);
}

char *command_free_text(const char *rest)
{
    return free_text(rest);
}

static int send_answered(struct command_ctx *ctx, PGresult *res, const struct answer *a)
{
    return a->then(ctx, res, a->word);
}

int command_send(struct command_ctx *ctx, const char *label, const char *sql, int n,
                 const char *const *params, command_then_fn then, const char *word)
{
    struct answer a = {.word = word, .then = then};
    return call(ctx, label, sql, n, params, send_answered, &a);
}
