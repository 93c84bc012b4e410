/* The arguments of the leads' administration commands (contact, contract, raise, hours,
 * holiday), checked before anything is sent, so a typo is told at once and in words:
 * dates, weekdays, opening intervals and FIELD=VALUE words. Pure: no database, no curses. */
#ifndef TUKI_ADMIN_ARGS_H
#define TUKI_ADMIN_ARGS_H

#include <stdbool.h>
#include <stddef.h>

/* True when s is a calendar date YYYY-MM-DD (year 0001-9999, a day the month has). */
bool admin_date_valid(const char *s);

/* Weekdays: names (mon … sun, any case), ISO numbers (1 = Monday … 7 = Sunday), ranges of
 * either (mon-fri, 6-7, fri-mon wraps round the week), lists with commas (mon,wed,fri),
 * and the words all and weekdays. days[1..7] are set for the days named (days[0] unused).
 * Returns how many days, or 0 when s is not such a list. */
int admin_weekdays_parse(const char *s, bool days[8]);

/* An opening interval HH:MM-HH:MM (minutes optional: 8-16, 08:00-16:30); hours 0-24, 24 only
 * as 24:00. opens and closes get HH:MM. Closing at or before the opening time runs past
 * midnight, as tuki.calendar_hours says. Returns false when s is not one. */
bool admin_interval_parse(const char *s, char opens[6], char closes[6]);

/* A work quota: 0, or a duration as `log` takes it (10h, 90m, 7h30m). */
bool admin_quota_parse(const char *s, long *minutes);

/* One FIELD=VALUE word; key is one of allowed (a NULL-terminated list). */
struct admin_field {
    const char *key;   /* the entry of allowed */
    const char *value; /* points into the word; "" clears the field */
};

enum admin_field_error {
    ADMIN_FIELD_OK = 0,
    ADMIN_FIELD_NO_EQUALS, /* not FIELD=VALUE */
    ADMIN_FIELD_UNKNOWN,   /* FIELD is not allowed here */
    ADMIN_FIELD_TWICE,     /* the same field twice */
    ADMIN_FIELD_TOO_MANY,  /* more words than max */
};

/* Parses n words into out (room for max); *count gets how many. On an error *bad is the
 * index of the word at fault. */
enum admin_field_error admin_fields_parse(const char *const *words, size_t n,
                                          const char *const *allowed, struct admin_field *out,
                                          size_t max, size_t *count, size_t *bad);

/* A message for the status line, e.g. "not FIELD=VALUE". */
const char *admin_field_strerror(enum admin_field_error error);

#endif
