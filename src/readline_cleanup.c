#include "readline_cleanup.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <readline/history.h>
#include <readline/readline.h>

/* readline's own, not in its headers (8.2): the data of a command waiting for its next
 * key, the chain of a key sequence half typed, and the freeing of the line set aside while
 * in the history (with its undo list, minding that rl_undo_list may be that same list). */
struct readline_callback_arg;
extern struct readline_callback_arg *_rl_callback_data;
extern void _rl_callback_data_dispose(struct readline_callback_arg *arg);
extern void _rl_keyseq_chain_dispose(void);
extern int _rl_free_saved_history_line(void);
extern HIST_ENTRY *_rl_saved_line_for_history;
#if RL_READLINE_VERSION < 0x0803
/* The incremental search's context as readline 8.2 lays it out (rlprivate.h, built with
 * multibyte support as Debian's is): only its fields up to sline_index are used here. */
struct readline_search_context {
    int type, sflags;
    char *search_string;
    int search_string_index, search_string_size;
    char **lines;
    char *allocated_line;
    int hlen, hindex;
    int save_point, save_mark, save_line, last_found_line;
    char *prev_line_found;
    UNDO_LIST *save_undo_list;
    Keymap keymap, okeymap;
    int history_pos, direction;
    int prevc, lastc;
    char mb[MB_LEN_MAX], pmb[MB_LEN_MAX];
    char *sline;
    int sline_len, sline_index;
};
#else
struct readline_search_context;
#endif
extern struct readline_search_context *_rl_iscxt;
extern void _rl_scxt_dispose(struct readline_search_context *cxt, int flags);
extern int _rl_last_command_was_kill;

/* The oldest node of a list readline holds now (all its nodes alive). Lists that share
 * nodes share their tail, so they share this one. */
static const UNDO_LIST *oldest_node(const UNDO_LIST *list)
{
    while (list && list->next)
        list = list->next;
    return list;
}

void readline_drop_history_edits(void)
{
    /* A search holds the line's list aside, and the entry it started from may point at it:
     * the search's end gives it back to the line, and the next key drops the entry's. */
    if (RL_ISSTATE(RL_STATE_ISEARCH | RL_STATE_NSEARCH))
        return;
    /* On an entry with no line set aside (after history-search-backward, which drops the
     * one it had), Up at the top sets one aside with the line's list, gives the entry the
     * same list, then frees the set-aside line and its list: the entry's points at freed
     * nodes. A line set aside now, with no undo list of its own, keeps the list the line's. */
    if (!rl_done && where_history() < history_length && !_rl_saved_line_for_history) {
        rl_maybe_save_line();
        _rl_saved_line_for_history->data = NULL;
    }
    HIST_ENTRY **entries = history_list();
    for (int i = 0; entries && entries[i]; i++) {
        if (!entries[i]->data)
            continue;
        /* An entry loaded before its list was dropped (the line a search ended on) shares
         * nodes with the line's list or the set-aside line's: they stay theirs (any nodes of
         * the entry's own are leaked, never freed twice). */
        UNDO_LIST *saved = _rl_saved_line_for_history ? _rl_saved_line_for_history->data : NULL;
        const UNDO_LIST *oldest = oldest_node(entries[i]->data);
        if (oldest == oldest_node(rl_undo_list) || oldest == oldest_node(saved)) {
            entries[i]->data = NULL;
            continue;
        }
        /* rl_free_undo_list frees rl_undo_list and unhooks every entry pointing at it. */
        UNDO_LIST *line_list = rl_undo_list;
        rl_undo_list = entries[i]->data;
        rl_free_undo_list();
        rl_undo_list = line_list;
    }
}

void readline_free_line_edits(void)
{
    rl_free_undo_list();
    _rl_free_saved_history_line();
}

void readline_free_pending_key(void)
{
    if (_rl_callback_data) {
        _rl_callback_data_dispose(_rl_callback_data);
        _rl_callback_data = NULL;
    }
    _rl_keyseq_chain_dispose();
}

void readline_drop_search(void)
{
    if (!RL_ISSTATE(RL_STATE_ISEARCH) || !_rl_iscxt)
        return;
    _rl_scxt_dispose(_rl_iscxt, 0);
    _rl_iscxt = NULL;
    RL_UNSETSTATE(RL_STATE_ISEARCH);
}

void readline_keep_search_in_line(void)
{
#if RL_READLINE_VERSION < 0x0803
    struct readline_search_context *cxt = _rl_iscxt;
    if (!RL_ISSTATE(RL_STATE_ISEARCH) || !cxt || !cxt->sline)
        return;
    /* Only a context that looks like 8.2's: the line searched is one of its lines. The
     * lines are compared as pointers, never read: while the search ends (rl_clear_message
     * redisplays from _rl_isearch_cleanup), the line set aside for it is already freed. */
    bool known = cxt->sline == rl_line_buffer;
    for (int i = 0; !known && cxt->lines && i < cxt->hlen; i++)
        known = cxt->sline == cxt->lines[i];
    if (!known || cxt->sline_len < 0)
        return;
    if (cxt->sline_index > cxt->sline_len)
        cxt->sline_index = 0; /* what readline 8.3 does at the same place */
#endif
}

void readline_forget_last_kill(void)
{
    _rl_last_command_was_kill = 0;
}
