/* The one command table: keys, the prompt and 'tuki -c' all run commands through it,
 * and 'help' text comes from it. */
#ifndef TUKI_COMMAND_H
#define TUKI_COMMAND_H

#include "db.h"
#include "model.h"

#include <stdbool.h>
#include <stddef.h>

/* What a front end (the screen, or the script mode) does for commands that are about
 * looking rather than changing. */
struct command_ctx;

struct command_ui {
    void (*open_ticket)(void *ui, long long id);
    /* A command started work on this ticket (take): the screen opens it; a script, which
     * says what happened instead, leaves this NULL. */
    void (*follow_ticket)(void *ui, long long id);
    void (*set_filter)(void *ui, const struct filter *f);
    void (*show_workload)(void *ui);
    void (*show_help)(void *ui, const char *text);
    void (*show_text)(void *ui, const char *title, const char *text); /* a listing, e.g. held */
    void (*changed)(void *ui); /* the database was changed by a command: re-query */
    void (*redraw)(void *ui);
    void (*quit)(void *ui);
    /* Runs $VISUAL/$EDITOR on text and waits for it (the screen suspended and restored):
     * 0 with what the file holds then in *edited (caller frees), or -1 with the reason in
     * *err (caller frees). NULL: this front end has no editor, and commands want their text
     * on the line. */
    int (*edit)(void *ui, const char *text, char **edited, char **err);
    /* The command is complete and ctx holds its message: called once per command_run,
     * before it returns or, for a statement answered later, when the answer comes. The
     * front end may free ctx here. */
    void (*finished)(void *ui, struct command_ctx *ctx);
};

struct command_ctx {
    struct db *db;
    long long selected; /* the ticket under the cursor, 0 when none */
    const struct command_ui *ui;
    void *ui_data;
    char *message; /* the result, or the error (with its TK code), whole; NULL when none */
    char *hint;    /* a database HINT for the error; NULL when none */
    bool is_error;
    bool pending; /* a statement was sent and its answer is still to come */
    bool in_run;  /* inside command_run: the answer must not report finished itself */
};

/* Argument kinds, for completion. */
enum arg_kind {
    ARG_NONE,
    ARG_ID,
    ARG_IDS,
    ARG_AGENT,
    ARG_STATUS,
    ARG_CUSTOMER,
    ARG_CONTACT,
    ARG_CANNED,
    ARG_EDIT_FIELD,
    ARG_TEAM,
    ARG_FILTER,
    ARG_COMMAND,
    ARG_TEXT,
    ARG_NUMBER,
    ARG_DURATION
};

struct command {
    const char *name;
    const char *usage;     /* arguments, e.g. "ID AGENT" */
    const char *help;      /* one line */
    enum arg_kind args[4]; /* for completion, in order */
    int (*run)(struct command_ctx *ctx, const char *line);
};

extern const struct command commands[];
extern const int command_count;

const struct command *command_find(const char *name);

/* Runs one command line, taken as typed (no %i expansion: that is for key bindings). With
 * an asynchronous db the statement is queued and the answer reported later through
 * ui->finished. Returns 0, or -1 with the error in ctx->message when the command has
 * already failed; nothing is changed when a command fails. */
int command_run(struct command_ctx *ctx, const char *line);

/* ctx's message and hint, "" when none. */
const char *command_message(const struct command_ctx *ctx);
const char *command_hint(const struct command_ctx *ctx);

/* Forgets (frees) the message and hint: before a command runs, and when ctx is done. */
void command_ctx_clear(struct command_ctx *ctx);

/* The help text: all commands, or one; newly allocated (the caller frees it), whole however long
 * it grows; NULL when out of memory. */
char *command_help(const char *name);

/* A key binding's command template with each %i replaced by the selected ticket's id, newly
 * allocated; NULL when there is a %i but no ticket is selected (selected <= 0). */
char *command_expand(const char *template, long long selected);

#endif
