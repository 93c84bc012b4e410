/* Ticket id lists as typed in `assign 12,15-18 bob`.
 *
 * Items are separated by commas: an id (`12`, `#12`) or an inclusive range
 * (`15-18`, `#15-#18`). Ids are positive int64; whitespace anywhere is an error,
 * since the list is one word of a command. A range may hold at most
 * IDLIST_MAX_IDS ids and so may the whole list after duplicates are removed. */
#ifndef TUKI_IDLIST_H
#define TUKI_IDLIST_H

#include <stddef.h>
#include <stdint.h>

#define IDLIST_MAX_IDS 1000

enum idlist_error {
    IDLIST_OK = 0,
    IDLIST_EMPTY,
    IDLIST_SPACE,
    IDLIST_SYNTAX,
    IDLIST_ZERO,
    IDLIST_OUT_OF_RANGE,
    IDLIST_REVERSED_RANGE,
    IDLIST_RANGE_TOO_LARGE,
    IDLIST_TOO_MANY,
    IDLIST_NO_MEMORY,
};

struct idlist {
    int64_t *ids; /* distinct, in the order first typed */
    size_t count;
};

/* Parses s into *out. On IDLIST_OK out->ids is a malloc'd array of out->count ids
 * that the caller releases with idlist_free; on any error *out is {NULL, 0}. */
enum idlist_error idlist_parse(const char *s, struct idlist *out);

/* Frees the ids and empties the list; safe on an empty or already freed list. */
void idlist_free(struct idlist *list);

/* A message for the status line, e.g. "a range must go upwards, e.g. 15-18". */
const char *idlist_strerror(enum idlist_error error);

#endif
