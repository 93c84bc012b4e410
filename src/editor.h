/* Writing text in the user's editor, as git and mutt do: a temporary file with a commented
 * template, $VISUAL / $EDITOR run on it, the file read back. Lines that are exactly "#" or
 * start with "# " are comments and are left out; an empty result, or the template unchanged,
 * means "cancel". The text helpers are pure (tests/unit/test_editor.c); editor_run spawns. */
#ifndef TUKI_EDITOR_H
#define TUKI_EDITOR_H

#include <stdbool.h>
#include <stddef.h>

/* The customer's words quoted for a reply: the attribution line, then each line of body
 * prefixed with "> " (an empty line with ">"). Newly allocated. */
char *editor_quote(const char *attribution, const char *body);

/* Each line of text as a comment ("# " + line; "#" for an empty one), newline-terminated.
 * Newly allocated. */
char *editor_comment(const char *text);

/* text without its comment lines, trailing white space of every line, and blank lines at
 * the start and the end. Newly allocated. */
char *editor_strip(const char *text);

/* What the edit produced: the stripped text, or NULL when it is empty or the same as the
 * stripped template (the user changed nothing: cancel). */
char *editor_outcome(const char *template_text, const char *edited);

/* The command to run: $VISUAL, else $EDITOR (when set and not empty), else "editor" when it
 * is on the PATH, else "vi". */
const char *editor_program(void);

/* Writes text to a new temporary file, runs the editor on it in the foreground (through
 * sh -c, so $EDITOR may carry arguments; SIGINT and SIGQUIT are ignored meanwhile, as git
 * does) and reads the file back into *edited. Returns 0, or -1 with the reason in *err (newly
 * allocated, the caller frees it). */
int editor_run(const char *text, char **edited, char **err);

#endif
