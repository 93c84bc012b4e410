/* Work durations in whole minutes, as typed in `log ID 1h30m` and shown in panes.
 *
 * Accepted: `Nh`, `Nm` or `NhMm` with ASCII digits only, lower-case units, nothing
 * else (no spaces, signs, fractions or other units); `M` after hours is one or two
 * digits below 60 (`1h05m`, `0h45m`), a lone `90m` may be any size, up to
 * DURATION_MAX_MINUTES. Zero is its own error: well-formed, but it logs no work. */
#ifndef TUKI_DURATION_H
#define TUKI_DURATION_H

#include <stddef.h>

#define DURATION_MAX_MINUTES 100000L
/* Holds any formatted long, sign included. */
#define DURATION_BUF_SIZE 32

enum duration_error {
    DURATION_OK = 0,
    DURATION_EMPTY,
    DURATION_SYNTAX,
    DURATION_MINUTES_OVER_59,
    DURATION_ZERO,
    DURATION_TOO_LONG,
};

/* Parses s into *minutes; *minutes is only written on DURATION_OK. */
enum duration_error duration_parse(const char *s, long *minutes);

/* A message for the status line, e.g. "minutes after hours must be below 60". */
const char *duration_strerror(enum duration_error error);

/* Writes minutes as `0h12m`, `3h40m`, `26h05m`, negative as `-1h05m`; returns buf. */
char *duration_format(long minutes, char *buf, size_t size);

/* The compact form for SLA time left: below 24 hours as duration_format, from 24
 * hours on whole days and hours, minutes dropped (`2d03h`); negative means overdue
 * and gets a leading `-` (`-0h12m`, `-1d02h`). Returns buf. */
char *duration_format_remaining(long minutes, char *buf, size_t size);

#endif
