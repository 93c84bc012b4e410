#include "duration.h"

#include "i18n.h"

#include <stdbool.h>
#include <stdio.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads a run of digits, saturating above DURATION_MAX_MINUTES so huge input cannot
 * overflow; returns the bytes read, 0 when s does not start with a digit. */
static size_t read_number(const char *s, long *value)
{
    size_t len = 0;
    long v = 0;
    for (; is_digit(s[len]); len++) {
        if (v <= DURATION_MAX_MINUTES)
            v = v * 10 + (s[len] - '0');
    }
    *value = v;
    return len;
}

enum duration_error duration_parse(const char *s, long *minutes)
{
    if (!s || !*s)
        return DURATION_EMPTY;

    long first, second = 0;
    size_t at = read_number(s, &first);
    if (at == 0)
        return DURATION_SYNTAX;

    long total;
    if (s[at] == 'm' && s[at + 1] == '\0') {
        total = first;
    } else if (s[at] == 'h') {
        at++;
        if (s[at] != '\0') {
            size_t len = read_number(s + at, &second);
            if (len == 0 || s[at + len] != 'm' || s[at + len + 1] != '\0')
                return DURATION_SYNTAX;
            if (second >= 60)
                return DURATION_MINUTES_OVER_59;
            if (len > 2)
                return DURATION_SYNTAX;
        }
        total = first > DURATION_MAX_MINUTES / 60 ? DURATION_MAX_MINUTES + 1 : first * 60 + second;
    } else {
        return DURATION_SYNTAX;
    }

    if (total > DURATION_MAX_MINUTES)
        return DURATION_TOO_LONG;
    if (total == 0)
        return DURATION_ZERO;
    *minutes = total;
    return DURATION_OK;
}

_Static_assert(DURATION_MAX_MINUTES == 100000L, "the too-long message names the limit");

const char *duration_strerror(enum duration_error error)
{
    switch (error) {
    case DURATION_OK:
        return "ok";
    case DURATION_EMPTY:
        return _("missing duration, e.g. 1h30m");
    case DURATION_SYNTAX:
        return _("duration must look like 1h30m, 2h or 90m");
    case DURATION_MINUTES_OVER_59:
        return _("minutes after hours must be below 60, e.g. 1h05m");
    case DURATION_ZERO:
        return _("duration must be more than zero");
    case DURATION_TOO_LONG:
        return _("duration is too long (at most 1666h40m)");
    }
    return _("invalid duration");
}

/* Splits off the sign so LONG_MIN formats without overflow. */
static unsigned long magnitude(long minutes)
{
    return minutes < 0 ? 0UL - (unsigned long)minutes : (unsigned long)minutes;
}

char *duration_format(long minutes, char *buf, size_t size)
{
    unsigned long m = magnitude(minutes);
    snprintf(buf, size, "%s%luh%02lum", minutes < 0 ? "-" : "", m / 60, m % 60);
    return buf;
}

char *duration_format_remaining(long minutes, char *buf, size_t size)
{
    unsigned long m = magnitude(minutes);
    if (m < 24 * 60)
        return duration_format(minutes, buf, size);
    unsigned long hours = m / 60;
    snprintf(buf, size, "%s%lud%02luh", minutes < 0 ? "-" : "", hours / 24, hours % 24);
    return buf;
}
