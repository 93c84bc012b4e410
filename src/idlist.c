#include "idlist.h"

#include "i18n.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct id_collector {
    int64_t *ids;    /* in typed order */
    int64_t *sorted; /* the same ids ascending, to find duplicates */
    size_t count;
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads an optional '#' and a positive id at *s, advancing *s past it. */
static enum idlist_error read_id(const char **s, int64_t *id)
{
    const char *p = *s;
    if (*p == '#')
        p++;
    if (!is_digit(*p))
        return IDLIST_SYNTAX;
    int64_t value = 0;
    bool too_big = false;
    for (; is_digit(*p); p++) {
        int digit = *p - '0';
        if (value > (INT64_MAX - digit) / 10)
            too_big = true;
        else
            value = value * 10 + digit;
    }
    *s = p;
    /* Syntax first, so "0x1f" is not reported as a zero id. */
    if (*p != ',' && *p != '-' && *p != '\0')
        return IDLIST_SYNTAX;
    if (too_big)
        return IDLIST_OUT_OF_RANGE;
    if (value == 0)
        return IDLIST_ZERO;
    *id = value;
    return IDLIST_OK;
}

/* Index in c->sorted where id is or would go. */
static size_t sorted_position(const struct id_collector *c, int64_t id)
{
    size_t lo = 0, hi = c->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->sorted[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static enum idlist_error collect(struct id_collector *c, int64_t id)
{
    size_t at = sorted_position(c, id);
    if (at < c->count && c->sorted[at] == id)
        return IDLIST_OK;
    if (c->count == IDLIST_MAX_IDS)
        return IDLIST_TOO_MANY;
    memmove(c->sorted + at + 1, c->sorted + at, (c->count - at) * sizeof c->sorted[0]);
    c->sorted[at] = id;
    c->ids[c->count++] = id;
    return IDLIST_OK;
}

static enum idlist_error parse_items(const char *s, struct id_collector *c)
{
    for (;;) {
        int64_t first, last;
        enum idlist_error error = read_id(&s, &first);
        if (error)
            return error;
        last = first;
        if (*s == '-') {
            s++;
            error = read_id(&s, &last);
            if (error)
                return error;
            if (last < first)
                return IDLIST_REVERSED_RANGE;
            if (last - first >= IDLIST_MAX_IDS)
                return IDLIST_RANGE_TOO_LARGE;
        }
        for (int64_t id = first;; id++) {
            error = collect(c, id);
            if (error)
                return error;
            /* Stopping before the increment keeps a range ending at INT64_MAX defined. */
            if (id == last)
                break;
        }
        if (*s == '\0')
            return IDLIST_OK;
        if (*s != ',')
            return IDLIST_SYNTAX;
        s++;
    }
}

enum idlist_error idlist_parse(const char *s, struct idlist *out)
{
    *out = (struct idlist){0};
    if (!s || !*s)
        return IDLIST_EMPTY;
    if (strpbrk(s, " \t\n\v\f\r"))
        return IDLIST_SPACE;

    struct id_collector c = {
        .ids = malloc(IDLIST_MAX_IDS * sizeof c.ids[0]),
        .sorted = malloc(IDLIST_MAX_IDS * sizeof c.sorted[0]),
    };
    enum idlist_error error = c.ids && c.sorted ? parse_items(s, &c) : IDLIST_NO_MEMORY;
    free(c.sorted);
    if (error) {
        free(c.ids);
        return error;
    }
    int64_t *shrunk = realloc(c.ids, c.count * sizeof c.ids[0]);
    out->ids = shrunk ? shrunk : c.ids;
    out->count = c.count;
    return IDLIST_OK;
}

void idlist_free(struct idlist *list)
{
    free(list->ids);
    *list = (struct idlist){0};
}

_Static_assert(IDLIST_MAX_IDS == 1000, "the messages name the limit");

const char *idlist_strerror(enum idlist_error error)
{
    switch (error) {
    case IDLIST_OK:
        return "ok";
    case IDLIST_EMPTY:
        return _("missing ticket id, e.g. 12 or 12,15-18");
    case IDLIST_SPACE:
        return _("no spaces inside a ticket id list, e.g. 12,15-18");
    case IDLIST_SYNTAX:
        return _("ticket ids look like 12, #12 or 12,15-18");
    case IDLIST_ZERO:
        return _("ticket ids start at 1");
    case IDLIST_OUT_OF_RANGE:
        return _("ticket id is too large");
    case IDLIST_REVERSED_RANGE:
        return _("a range must go upwards, e.g. 15-18");
    case IDLIST_RANGE_TOO_LARGE:
        return _("a range may span at most 1000 tickets");
    case IDLIST_TOO_MANY:
        return _("at most 1000 tickets at a time");
    case IDLIST_NO_MEMORY:
        return _("out of memory");
    }
    return _("invalid ticket id list");
}
