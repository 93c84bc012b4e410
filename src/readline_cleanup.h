/* What readline (8.2, Debian 12) leaves allocated when a line ends in callback mode, and
 * frees twice if left: the prompt calls these when it closes. */
#ifndef TUKI_READLINE_CLEANUP_H
#define TUKI_READLINE_CLEANUP_H

/* Frees every undo list the line left behind: its own, the one of the line typed before
 * moving into the history, and those of history entries edited on the way (the entries
 * keep their edited text). These lists share nodes, an entry keeping an older head of the
 * line's list, so each node is freed once; readline, freeing them list by list at the next
 * line, freed shared nodes twice. Leaves rl_undo_list NULL and no saved line. */
void readline_free_line_edits(void);

/* Frees what rl_callback_sigcleanup forgets without freeing: the data of a command waiting
 * for its next key (C-v, vi f) and a half-typed key sequence. Call after it. */
void readline_free_pending_key(void);

#endif
