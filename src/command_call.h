/* What the command files beside command.c (command_admin.c, command_report.c,
 * customer_commands.c) share with it:
 * the result message, usage, word splitting, free text, and API calls answered later. */
#ifndef TUKI_COMMAND_CALL_H
#define TUKI_COMMAND_CALL_H

#include "cmdline.h"
#include "command.h"

/* ctx->message as an error or a result; return -1 and 0, for `return command_fail(…)`. */
int command_fail(struct command_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int command_done(struct command_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A failed statement's error (TK code, DETAIL) as the message and its HINT as the hint; -1. */
int command_fail_result(struct command_ctx *ctx, const PGresult *res);

/* An answer that is no success (res NULL: offline; cancelled; an error) as the message; -1
 * then, 0 for a success. label names the statement, e.g. "#42 (take)". */
int command_answer_failed(struct command_ctx *ctx, PGresult *res, const char *label);

/* A command whose statements were answered later (ctx->pending now false, the message set):
 * the front end is told, unless command_run is still running it and tells it itself. */
void command_answered(struct command_ctx *ctx);

/* "usage: NAME USAGE" from the table; -1. */
int command_usage(struct command_ctx *ctx, const char *name);

/* Splits the command's fixed words (all when max_words is 0); *rest (when not NULL) is the
 * rest of the line, verbatim. -1 with the message on an unterminated quote. */
int command_split(struct command_ctx *ctx, const char *line, size_t max_words,
                  struct cmdline_words *w, const char **rest);

/* Free text: one quoted word is unquoted, anything else is taken as typed. Caller frees. */
char *command_free_text(const char *rest);

/* Words the success of a statement sent by command_send; word is the copy it was given. */
typedef int (*command_then_fn)(struct command_ctx *ctx, PGresult *res, const char *word);

/* Sends one statement (one transaction); an error is shown with its TK code, DETAIL and HINT,
 * a success is put into words by then, and the views reload. word (copied) is for then. */
int command_send(struct command_ctx *ctx, const char *label, const char *sql, int n,
                 const char *const *params, command_then_fn then, const char *word);

/* An attachment written to a file as 'save' does: sql answers (filename, content, why it
 * was not kept, its number) for ticket and which (a number or a name); path NULL is the
 * file's own name in the current directory. */
int command_save(struct command_ctx *ctx, long long ticket, const char *which, const char *path,
                 bool overwrite, const char *sql, int n, const char *const *params);

#endif
