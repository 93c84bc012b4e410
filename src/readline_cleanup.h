/* Keeps readline's (8.2, Debian 12) undo state unshared, and frees what it leaves allocated
 * when a line ends in callback mode. */
#ifndef TUKI_READLINE_CLEANUP_H
#define TUKI_READLINE_CLEANUP_H

/* Frees the undo lists of history entries edited and then left, the entries keeping their
 * edited text. readline 8.2 loads an entry's list as the line's own and adds to it, so that
 * the entry points into a list readline later frees as a whole (vi command mode, Up at the
 * top of the history, the next line) and then walks or frees again. Called after every key,
 * an entry never carries a list into the next one, and no two lists share a node.
 * Only readline's own rl_free_undo_list frees the nodes. */
void readline_drop_history_edits(void);

/* Frees the line's undo list and the line set aside while moving into the history (with
 * its list), through readline's own functions. Call after readline_drop_history_edits. */
void readline_free_line_edits(void);

/* Frees what rl_callback_sigcleanup forgets without freeing: the data of a command waiting
 * for its next key (C-v, vi f) and a half-typed key sequence. Call after it. */
void readline_free_pending_key(void);

/* Disposes of an incremental search still open after its line was accepted, without ending
 * it: ending it puts back the line it started from, by pointers into history lines that
 * accepting (reverting the edited entry) has freed. */
void readline_drop_search(void);

/* Keeps a failed incremental search's position inside the line it stopped on. readline 8.2
 * moves a search that fails forward onto the next line (the line being typed, often empty)
 * but keeps the position it had in the longer line it left; C-r then compares from there,
 * reading beyond that line's end into other heap blocks (8.3 resets the position). Call
 * after every key; nothing to do with readline 8.3 and later. */
void readline_keep_search_in_line(void);

/* The next kill starts a kill ring entry of its own: a kill that ended the last prompt's
 * line (then Esc) is not appended to, which would let one entry grow from prompt to prompt. */
void readline_forget_last_kill(void);

#endif
