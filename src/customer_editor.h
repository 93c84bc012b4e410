/* Writing a customer's text in $VISUAL/$EDITOR (git's and mutt's way): a temporary file with
 * a commented template; lines starting with '#' are dropped, and an empty or unchanged text
 * cancels. Kept apart from the agents' editor (src/editor.c) until the two are one. */
#ifndef TUKI_CUSTOMER_EDITOR_H
#define TUKI_CUSTOMER_EDITOR_H

/* Runs the editor on template (curses is suspended around it when it is running). Returns
 * the text written, newly allocated, or NULL when cancelled (empty, unchanged, the editor
 * failed); *why then says why, in words for the status line. */
char *customer_editor_edit(const char *template_text, const char **why);

/* The text without '#' comment lines and without white space at either end, newly
 * allocated (pure, for the unit test). */
char *customer_editor_strip(const char *text);

#endif
