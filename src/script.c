#include "script.h"

#include "i18n.h"

#include "command.h"
#include "customer_console.h"
#include "editor.h"
#include "model.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Everything printed comes from the database or the command line: written as the screen
 * shows it (text_put_visible), so a subject cannot send escape sequences to a terminal. */
static void put_line(FILE *out, const char *text)
{
    text_put_visible(text, out);
    fputc('\n', out);
}

/* Tab-separated fields, one line. */
static void put_fields(const char *const *fields, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            putchar('\t');
        text_put_visible(fields[i], stdout);
    }
    putchar('\n');
}

struct script {
    struct db *db;
    bool quit;
    bool failed;
    bool viewed; /* the command printed a view: its status line is not wanted */
    char *error; /* what the last view failed with, owned */
};

static void print_ticket(void *data, long long id)
{
    struct script *s = data;
    s->viewed = true;
    struct ticket_view v;
    if (ticket_fetch(s->db, id, &v, &s->error) < 0 && !v.title) {
        s->failed = true;
        return;
    }
    /* the lines the ticket pane shows, unwrapped; a timeline that failed after its header
     * still prints the header, then fails */
    put_line(stdout, v.title);
    for (int i = 0; i < v.count; i++)
        put_line(stdout, v.lines[i].text);
    ticket_view_free(&v);
    s->failed = s->error != NULL;
}

/* A contact's `open`: the public timeline, as its console shows it (issue 15: the agents'
 * view reads tables a contact may not). */
static void print_customer_ticket(void *data, long long id)
{
    struct script *s = data;
    s->viewed = true;
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%lld", id);
    const char *params[] = {idtext};
    PGresult *res = db_exec(s->db, CUSTOMER_TIMELINE_SQL, 1, params);
    if (!db_ok(res)) {
        free(s->error);
        s->error = db_result_error_text(res, s->db->conn);
        s->failed = true;
        PQclear(res);
        return;
    }
    char *title = NULL, *text = customer_timeline_format(res, s->db->conn, &title);
    PQclear(res);
    printf("#%lld ", id);
    put_line(stdout, title ? title : "");
    for (char *line = text, *end; *line; line = end + (*end == '\n')) {
        end = line + strcspn(line, "\n");
        char *one = strndup(line, (size_t)(end - line));
        put_line(stdout, one);
        free(one);
    }
    free(title);
    free(text);
}

static void print_queue(void *data, const struct filter *f)
{
    struct script *s = data;
    s->viewed = true;
    struct queue_page page;
    /* Scripts see the whole list, in pages, like the screen would scroll through it. */
    struct queue_key after = {0};
    for (long offset = 0;; offset += 1000) {
        if (queue_fetch(s->db, f, &after, offset, 1000, false, &page, &s->error) < 0) {
            s->failed = true;
            return;
        }
        for (int i = 0; i < page.count; i++) {
            const struct queue_row *r = &page.rows[i];
            printf("%lld\tP%d\t", r->id, r->priority);
            const char *fields[] = {r->level, r->customer, r->status,
                                    *r->assignee ? r->assignee : "-", r->subject};
            put_fields(fields, 5);
        }
        int got = page.count;
        if (got)
            after = page.rows[got - 1].key;
        queue_page_free(&page);
        if (got < 1000)
            break;
    }
}

static void print_workload(void *data)
{
    struct script *s = data;
    s->viewed = true;
    struct workload wl;
    if (workload_fetch(s->db, &wl, &s->error) < 0) {
        s->failed = true;
        return;
    }
    /* TRANSLATORS: column names of tuki -c workload, separated by tabs (keep the \t). */
    fputs(_("agent\topen\twaiting\toverdue\toldest\tname\n"), stdout);
    for (int i = 0; i < wl.count; i++) {
        const struct workload_row *r = &wl.rows[i];
        text_put_visible(r->login, stdout);
        printf("\t%ld\t%ld\t%ld\t", r->open, r->waiting, r->overdue);
        const char *fields[] = {*r->oldest ? r->oldest : "-", r->name};
        put_fields(fields, 2);
    }
    workload_free(&wl);
}

static void print_help(void *data, const char *text)
{
    ((struct script *)data)->viewed = true;
    fputs(text, stdout);
}

static void print_text(void *data, const char *title, const char *text)
{
    (void)title;
    ((struct script *)data)->viewed = true;
    while (*text) {
        size_t len = strcspn(text, "\n");
        char *line = strndup(text, len);
        put_line(stdout, line);
        free(line);
        text += len + (text[len] == '\n');
    }
}

static void stop(void *data)
{
    ((struct script *)data)->quit = true;
}

static bool is_set(const char *name)
{
    const char *v = getenv(name);
    return v && *v;
}

/* 'tuki -c "reply 42"': the editor runs on the terminal tuki was started from; with no
 * terminal only an editor named in the environment (a script's) may run, as git decides. */
static int run_editor(void *data, const char *text, char **edited, char **err)
{
    (void)data;
    if (!isatty(STDIN_FILENO) && !is_set("VISUAL") && !is_set("EDITOR")) {
        *err = strdup(_("no terminal for an editor, and neither VISUAL nor EDITOR is set: give "
                        "the text on the command line"));
        return -1;
    }
    fflush(stdout);
    return editor_run(text, edited, err);
}

static const struct command_ui script_ui = {
    .open_ticket = print_ticket,
    .set_filter = print_queue,
    .show_workload = print_workload,
    .show_help = print_help,
    .show_text = print_text,
    .quit = stop,
    .edit = run_editor,
};

int script_run(struct db *db, const char *const *commands, int count)
{
    struct script s = {.db = db};
    /* A contact's login runs the customer's commands, and sees a ticket as its customer. */
    bool customer = customer_console_is_contact(db);
    struct command_ui ui = script_ui;
    if (customer)
        ui.open_ticket = print_customer_ticket;
    struct command_ctx ctx = {.db = db, .ui = &ui, .ui_data = &s};
    for (int i = 0; i < count && !s.quit; i++) {
        s.failed = s.viewed = false;
        int rc =
            customer ? customer_command_run(&ctx, commands[i]) : command_run(&ctx, commands[i]);
        if (rc < 0 || s.failed) {
            fputs("tuki: ", stderr);
            text_put_visible(commands[i], stderr);
            fputs(": ", stderr);
            put_line(stderr, rc < 0 ? command_message(&ctx) : s.error ? s.error : _("failed"));
            free(s.error);
            if (rc < 0 && *command_hint(&ctx)) {
                fputs(_("HINT: "), stderr);
                put_line(stderr, command_hint(&ctx));
            }
            command_ctx_clear(&ctx);
            return 1;
        }
        /* What the screen would put in the status line ("created #57 for ACME"); a view
         * printed itself instead. */
        if (!s.viewed && !s.quit && *command_message(&ctx))
            put_line(stdout, command_message(&ctx));
    }
    command_ctx_clear(&ctx);
    return 0;
}
