/* The ':' prompt: GNU readline in callback mode, drawn into the screen's last line.
 * Readline never touches the terminal itself: curses owns it, we hand readline bytes and
 * draw what it has in its buffer, placing the cursor by display width. */
#ifndef TUKI_PROMPT_H
#define TUKI_PROMPT_H

#include "app.h"

#include <stdbool.h>

/* Reads ~/.inputrc ($if tuki) and the history file. */
void prompt_init(struct app *app);
/* Writes the history file. */
void prompt_done(void);

/* Opens the prompt with text already typed (may be ""). */
void prompt_open(struct app *app, const char *initial);
void prompt_cancel(struct app *app);
bool prompt_is_open(void);

/* Hands readline the bytes typed, one key per call into readline; a finished line is run
 * through the command table. A bracketed paste (the terminal marks pastes while the prompt
 * is open) is collected across calls and inserted as text, newlines and controls included.
 * Returns how many bytes the prompt took: when a line ends (Enter) or the prompt is
 * cancelled, the bytes after it belong to the screen again. */
int prompt_feed(struct app *app, const unsigned char *bytes, int n);

/* Paints the prompt line and puts the cursor in it. */
void prompt_draw(struct app *app);

/* Runs a command line from the prompt or a key binding (set by the console). */
extern void (*prompt_run_line)(struct app *app, const char *line);
/* Shows a line in the status line (completion matches; set by the console). */
extern void (*prompt_show_status)(struct app *app, const char *text);

#endif
