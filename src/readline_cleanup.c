#include "readline_cleanup.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <readline/history.h>
#include <readline/readline.h>

/* readline's own, not in its headers (8.2): the data of a command waiting for its next
 * key, and the chain of a key sequence half typed. */
struct readline_callback_arg;
extern struct readline_callback_arg *_rl_callback_data;
extern void _rl_callback_data_dispose(struct readline_callback_arg *arg);
extern void _rl_keyseq_chain_dispose(void);

static int compare_pointers(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (void *const *)a, y = (uintptr_t) * (void *const *)b;
    return (x > y) - (x < y);
}

/* Adds the nodes of list to *nodes (growing it); false without memory. */
static bool collect_undo_nodes(UNDO_LIST *list, UNDO_LIST ***nodes, size_t *n, size_t *cap)
{
    for (; list; list = list->next) {
        if (*n == *cap) {
            size_t grown = *cap ? *cap * 2 : 64;
            UNDO_LIST **more = realloc(*nodes, grown * sizeof *more);
            if (!more)
                return false;
            *nodes = more;
            *cap = grown;
        }
        (*nodes)[(*n)++] = list;
    }
    return true;
}

/* All nodes of every list are gathered, sorted and freed once each: the lists share nodes. */
void readline_free_line_edits(void)
{
    UNDO_LIST *current = rl_undo_list;
    rl_undo_list = NULL;
    rl_maybe_unsave_line(); /* takes readline's saved line, putting its list in rl_undo_list */
    UNDO_LIST *saved = rl_undo_list;
    rl_undo_list = NULL;
    UNDO_LIST **nodes = NULL;
    size_t n = 0, cap = 0;
    bool complete = collect_undo_nodes(current, &nodes, &n, &cap) &&
                    collect_undo_nodes(saved, &nodes, &n, &cap);
    HIST_ENTRY **entries = history_list();
    for (int i = 0; entries && entries[i]; i++) {
        complete = complete && collect_undo_nodes(entries[i]->data, &nodes, &n, &cap);
        entries[i]->data = NULL;
    }
    if (complete && n > 0) { /* out of memory: leaking is the safe way */
        qsort(nodes, n, sizeof *nodes, compare_pointers);
        for (size_t i = 0; i < n; i++) {
            if (i > 0 && nodes[i] == nodes[i - 1])
                continue;
            free(nodes[i]->text);
            free(nodes[i]);
        }
    }
    free(nodes);
}

void readline_free_pending_key(void)
{
    if (_rl_callback_data) {
        _rl_callback_data_dispose(_rl_callback_data);
        _rl_callback_data = NULL;
    }
    _rl_keyseq_chain_dispose();
}
