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
    void (*set_filter)(void *ui, const struct filter *f);
    void (*show_workload)(void *ui);
    void (*show_help)(void *ui, const char *text);
    void (*show_text)(void *ui, const char *title, const char *text); /* a listing, e.g. held */
    void (*changed)(void *ui); /* the database was changed by a command: re-query */
    void (*redraw)(void *ui);
    void (*quit)(void *ui);
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
    char message[1024]; /* the result, or the error (with its TK code); cut at a whole
                           UTF-8 character when longer */
    char hint[512];     /* a database HINT for the error, "" when none */
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

/* For command tables kept elsewhere (the customer's, src/customer_commands.c): one API call
 * sent the way the built-in commands send theirs; on success the message is done_fmt, whose
 * one %s (when it has one) is the first value of the answer. */
int command_call(struct command_ctx *ctx, const char *label, const char *sql, int n,
                 const char *const *params, const char *done_fmt);

/* An attachment written to a file as 'save' does: sql answers (filename, content, why it
 * was not kept, its number) for ticket and which (a number or a name); path NULL is the
 * file's own name in the current directory. */
int command_save(struct command_ctx *ctx, long long ticket, const char *which, const char *path,
                 bool overwrite, const char *sql, int n, const char *const *params);

/* Sets ctx's error message; returns -1. */
int command_fail(struct command_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The help text: all commands, or one. */
void command_help(const char *name, char *buf, size_t n);

/* A key binding's command template with each %i replaced by the selected ticket's id, newly
 * allocated; NULL when there is a %i but no ticket is selected (selected <= 0). */
char *command_expand(const char *template, long long selected);

#endif
