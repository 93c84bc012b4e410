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
struct command_ui {
    void (*open_ticket)(void *ui, long long id);
    void (*set_filter)(void *ui, const struct filter *f);
    void (*show_workload)(void *ui);
    void (*show_help)(void *ui, const char *text);
    void (*changed)(void *ui); /* the database was changed by a command: re-query */
    void (*redraw)(void *ui);
    void (*quit)(void *ui);
};

struct command_ctx {
    struct db *db;
    long long selected; /* the ticket under the cursor, 0 when none */
    const struct command_ui *ui;
    void *ui_data;
    char message[1024]; /* the result, or the error (with its TK code) */
    char hint[512];     /* a database HINT for the error, "" when none */
    bool is_error;
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

/* Runs one command line. %i in it stands for ctx->selected. Returns 0, or -1 with the
 * error in ctx->message; nothing is changed when a command fails. */
int command_run(struct command_ctx *ctx, const char *line);

/* The help text: all commands, or one. */
void command_help(const char *name, char *buf, size_t n);

/* Replaces each %i with the id; -1 when there is a %i but no ticket is selected. */
int command_expand(const char *line, long long selected, char *out, size_t n);

#endif
