#include "customer_commands.h"

#include "cmdline.h"
#include "command_call.h"
#include "editor.h"
#include "i18n.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct customer_command {
    const char *name;
    const char *usage;
    const char *help;
    int (*run)(struct command_ctx *ctx, const struct cmdline_words *w, const char *rest);
    size_t fixed_words; /* words split before the free text, the name included */
};

/* The agents' commands a contact uses as they are: the schema checks them (reply as the
 * contact's own public words on its own tickets). */
static const char *const shared_commands[] = {"reply", "open",   "report", "help",
                                              "quit",  "reload", "redraw"};

static int parse_number(struct command_ctx *ctx, const char *what, const char *text, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(text[0] == '#' ? text + 1 : text, &end, 10);
    if (errno || *end || v <= 0 || end == text)
        return command_fail(ctx, _("%s '%s' is not a number"), what, text);
    *out = v;
    return 0;
}

static int usage_of(struct command_ctx *ctx, const char *name, const char *usage)
{
    return command_fail(ctx, _("usage: %s %s"), name, _(usage));
}

/* One API call, sent as the agents' commands send theirs (command_send); on success the
 * message is fmt, whose one %s (when it has one) is the first value of the answer. */
static int said(struct command_ctx *ctx, PGresult *res, const char *fmt)
{
    return command_done(ctx, fmt, PQntuples(res) && PQnfields(res) ? PQgetvalue(res, 0, 0) : "");
}

static int send_api_call(struct command_ctx *ctx, const char *label, const char *sql, int n,
                         const char *const *params, const char *fmt)
{
    return command_send(ctx, label, sql, n, params, said, fmt);
}

/* The request's body written in the user's editor (src/editor.c), curses stepping aside
 * meanwhile; NULL with the reason in *why (newly allocated) when cancelled or failed. */
static char *write_in_editor(const char *template_text, char **why)
{
    bool curses = stdscr && !isendwin();
    if (curses) {
        def_prog_mode();
        endwin();
    }
    char *edited = NULL;
    int rc = editor_run(template_text, &edited, why);
    if (curses) {
        reset_prog_mode();
        clearok(curscr, TRUE);
        refresh();
    }
    if (rc < 0)
        return NULL;
    char *text = editor_outcome(template_text, edited);
    free(edited);
    if (!text)
        *why = strdup(_("empty text: cancelled, nothing was sent"));
    return text;
}

/* request TYPE IMPACT URGENCY SUBJECT: the body is written in the editor. */
static int run_request(struct command_ctx *ctx, const struct cmdline_words *w, const char *rest)
{
    if (w->count != 4 || !*rest)
        return usage_of(ctx, "request", N_("TYPE IMPACT URGENCY SUBJECT"));
    char *why = NULL;
    char *template_text = NULL;
    if (asprintf(&template_text,
                 _("\n# %s\n# Describe the request above; lines starting with '# ' are left "
                   "out.\n# Leave it empty to cancel.\n"),
                 rest) < 0)
        return command_fail(ctx, "%s", _("out of memory"));
    char *body = write_in_editor(template_text, &why);
    free(template_text);
    if (!body) {
        command_fail(ctx, "%s", why ? why : _("the editor failed; nothing was sent"));
        free(why);
        return -1;
    }
    const char *params[] = {rest, body, w->word[1].text, w->word[2].text, w->word[3].text};
    int rc = send_api_call(ctx, _("new request"),
                           "SELECT tuki.ticket_create(NULL, $1, $2, $3, $4::integer, $5::integer)",
                           5, params, _("request #%s sent"));
    free(body);
    return rc;
}

const char *customer_content_type(const char *filename)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {"txt", "text/plain"},        {"log", "text/plain"},     {"csv", "text/csv"},
        {"pdf", "application/pdf"},   {"png", "image/png"},      {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"},       {"gif", "image/gif"},      {"zip", "application/zip"},
        {"json", "application/json"}, {"xml", "application/xml"}};
    const char *dot = strrchr(filename, '.');
    if (dot && !strchr(dot, '/'))
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcasecmp(dot + 1, types[i].ext) == 0)
                return types[i].type;
    return "application/octet-stream";
}

/* The file's bytes as bytea's text form (\x…), for a parameter; NULL when unreadable. */
static char *file_as_bytea(const char *path, const char **why)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *why = strerror(errno);
        return NULL;
    }
    size_t cap = 3 + 4096 * 2, n = 0;
    char *hex = malloc(cap);
    hex[n++] = '\\';
    hex[n++] = 'x';
    unsigned char buf[4096]; /* a chunk of the file: the hex grows as the chunks come */
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        if (n + got * 2 + 1 > cap) {
            while (n + got * 2 + 1 > cap)
                cap *= 2;
            hex = realloc(hex, cap);
        }
        for (size_t i = 0; i < got; i++)
            n += (size_t)snprintf(hex + n, 3, "%02x", buf[i]);
    }
    bool failed = ferror(f);
    fclose(f);
    hex[n] = '\0';
    if (failed) {
        *why = _("read error");
        free(hex);
        return NULL;
    }
    return hex;
}

static int run_attach(struct command_ctx *ctx, const struct cmdline_words *w, const char *rest)
{
    (void)rest;
    long long id;
    if (w->count != 3)
        return usage_of(ctx, "attach", N_("ID FILE"));
    if (parse_number(ctx, _("ticket"), w->word[1].text, &id) < 0)
        return -1;
    const char *path = w->word[2].text, *why = NULL;
    char *content = file_as_bytea(path, &why);
    if (!content)
        return command_fail(ctx, _("cannot read %s: %s"), path, why);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%lld", id);
    const char *params[] = {idtext, base, content, customer_content_type(base)};
    int rc =
        send_api_call(ctx, _("attach"), "SELECT tuki.ticket_attach($1::bigint, $2, $3::bytea, $4)",
                      4, params, _("attached as message %s"));
    free(content);
    return rc;
}

static int run_on_ticket(struct command_ctx *ctx, const struct cmdline_words *w, const char *sql,
                         const char *text, const char *done_fmt)
{
    long long id;
    if (parse_number(ctx, _("ticket"), w->word[1].text, &id) < 0)
        return -1;
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%lld", id);
    const char *params[] = {idtext, text && *text ? text : NULL};
    return send_api_call(ctx, w->word[0].text, sql, text ? 2 : 1, params, done_fmt);
}

static int run_reopen(struct command_ctx *ctx, const struct cmdline_words *w, const char *rest)
{
    if (w->count != 2)
        return usage_of(ctx, "reopen", N_("ID [TEXT]"));
    return run_on_ticket(ctx, w, "SELECT tuki.ticket_reopen($1::bigint, $2)", rest, _("reopened"));
}

static int run_close(struct command_ctx *ctx, const struct cmdline_words *w, const char *rest)
{
    if (w->count != 2 || *rest)
        return usage_of(ctx, "close", N_("ID"));
    return run_on_ticket(ctx, w, "SELECT tuki.ticket_close($1::bigint)", NULL, _("closed"));
}

static int run_approve(struct command_ctx *ctx, const struct cmdline_words *w, const char *rest)
{
    long long entry;
    if (w->count != 2 || *rest)
        return usage_of(ctx, "approve", N_("ENTRY"));
    if (parse_number(ctx, _("work log entry"), w->word[1].text, &entry) < 0)
        return -1;
    char text[24];
    snprintf(text, sizeof text, "%lld", entry);
    const char *params[] = {text};
    return send_api_call(ctx, _("approve"), "SELECT tuki.worklog_approve($1::bigint)", 1, params,
                         _("approved: the work is billable, ordered by you"));
}

/* save ID ATTACHMENT [FILE] [overwrite], as for agents; ATTACHMENT is the number the
 * conversation shows (#5) or the file's name. */
static int run_save(struct command_ctx *ctx, const struct cmdline_words *w, const char *rest)
{
    (void)rest;
    size_t words = w->count;
    bool overwrite = words >= 4 && strcmp(w->word[words - 1].text, "overwrite") == 0;
    if (overwrite)
        words--;
    long long id;
    if (words < 3 || words > 4)
        return usage_of(ctx, "save", N_("ID ATTACHMENT [FILE] [overwrite]"));
    if (parse_number(ctx, _("ticket"), w->word[1].text, &id) < 0)
        return -1;
    const char *which = w->word[2].text[0] == '#' ? w->word[2].text + 1 : w->word[2].text;
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%lld", id);
    const char *params[] = {idtext, which};
    return command_save(
        ctx, id, which, words == 4 ? w->word[3].text : NULL, overwrite,
        "SELECT p.filename, p.content, CASE WHEN p.content IS NULL THEN 'not kept' END,"
        " f.id::text FROM (SELECT (a->>'id')::bigint AS id, a->>'filename' AS filename"
        " FROM tuki.portal_timeline($1::bigint) x, jsonb_array_elements(x.attachments) a) f"
        " CROSS JOIN LATERAL tuki.portal_attachment(f.id) p"
        " WHERE f.id::text = $2 OR f.filename = $2 ORDER BY f.id::text = $2 DESC LIMIT 1",
        2, params);
}

static const struct customer_command customer_commands[] = {
    {"request", N_("TYPE IMPACT URGENCY SUBJECT"),
     N_("new request (type incident, question…; impact and urgency 1 high … 3 low); the text "
        "in $EDITOR"),
     run_request, 4},
    {"attach", N_("ID FILE"), N_("attach a file to a ticket"), run_attach, 3},
    {"save", N_("ID ATTACHMENT [FILE] [overwrite]"),
     N_("save a file of the conversation (its #number or name) to FILE or its own name"), run_save,
     0},
    {"reopen", N_("ID [TEXT]"), N_("reopen a resolved ticket (within the reopen window)"),
     run_reopen, 2},
    {"close", N_("ID"), N_("close a resolved ticket: it is done"), run_close, 2},
    {"approve", N_("ENTRY"), N_("order work logged on a ticket as billable"), run_approve, 2},
};
#define CUSTOMER_COMMAND_COUNT (sizeof customer_commands / sizeof customer_commands[0])

static bool is_shared(const char *name)
{
    for (size_t i = 0; i < sizeof shared_commands / sizeof shared_commands[0]; i++)
        if (strcmp(shared_commands[i], name) == 0)
            return true;
    return false;
}

int customer_command_run(struct command_ctx *ctx, const char *line)
{
    struct cmdline_words first;
    if (cmdline_split(line, 1, &first) != CMDLINE_OK || first.count == 0) {
        if (first.count == 0)
            cmdline_words_free(&first);
        return command_run(ctx, line); /* its own error, or nothing to do */
    }
    const char *name = first.word[0].text;
    const struct customer_command *c = NULL;
    for (size_t i = 0; i < CUSTOMER_COMMAND_COUNT; i++)
        if (strcmp(customer_commands[i].name, name) == 0)
            c = &customer_commands[i];
    if (!c && strcmp(name, "help") == 0 && ctx->ui && ctx->ui->show_help) {
        cmdline_words_free(&first);
        char *text = customer_command_help();
        command_ctx_clear(ctx);
        ctx->is_error = ctx->pending = false;
        ctx->ui->show_help(ctx->ui_data, text);
        free(text);
        if (ctx->ui->finished)
            ctx->ui->finished(ctx->ui_data, ctx);
        return 0;
    }
    if (!c) {
        bool shared = is_shared(name);
        if (!shared) {
            command_ctx_clear(ctx);
            ctx->pending = false;
            command_fail(ctx, _("'%s' is not a customer's command; 'help' lists yours"), name);
        }
        cmdline_words_free(&first);
        if (shared)
            return command_run(ctx, line);
        if (ctx->ui && ctx->ui->finished)
            ctx->ui->finished(ctx->ui_data, ctx);
        return -1;
    }
    cmdline_words_free(&first);
    /* The same contract as command_run: answered now or later through ui->finished. */
    command_ctx_clear(ctx);
    ctx->is_error = ctx->pending = false;
    ctx->in_run = true;
    struct cmdline_words w;
    int rc;
    if (cmdline_split(line, c->fixed_words, &w) != CMDLINE_OK) {
        rc = command_fail(ctx, "%s", _("unterminated quote"));
    } else {
        const char *rest = line + w.rest;
        while (*rest == ' ' || *rest == '\t')
            rest++;
        rc = c->run(ctx, &w, rest);
        cmdline_words_free(&w);
    }
    ctx->in_run = false;
    if (ctx->pending)
        return 0;
    rc = rc < 0 || ctx->is_error ? -1 : 0;
    if (ctx->ui && ctx->ui->finished)
        ctx->ui->finished(ctx->ui_data, ctx); /* may free ctx */
    return rc;
}

char *customer_command_help(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    for (size_t i = 0; i < CUSTOMER_COMMAND_COUNT; i++) {
        char *head = NULL;
        if (asprintf(&head, "%s %s", customer_commands[i].name, _(customer_commands[i].usage)) < 0)
            continue;
        fprintf(f, "%-34s %s\n", head, _(customer_commands[i].help));
        free(head);
    }
    for (size_t i = 0; i < sizeof shared_commands / sizeof shared_commands[0]; i++) {
        const struct command *c = command_find(shared_commands[i]);
        if (!c)
            continue;
        char *head = NULL;
        if (asprintf(&head, "%s %s", c->name, c->usage) < 0)
            continue;
        fprintf(f, "%-34s %s\n", head, c->help);
        free(head);
    }
    fclose(f);
    return text;
}
