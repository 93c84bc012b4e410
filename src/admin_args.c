#include "admin_args.h"

#include "duration.h"
#include "i18n.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* n digits at s, as a number; -1 when they are not all ASCII digits. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool admin_date_valid(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap);
}

/* One weekday, a name or an ISO number, of exactly len bytes; 0 when it is none. */
static int weekday(const char *s, size_t len)
{
    static const char *const names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    if (len == 1 && s[0] >= '1' && s[0] <= '7')
        return s[0] - '0';
    for (int i = 0; i < 7; i++)
        if (len == 3 && strncasecmp(s, names[i], 3) == 0)
            return i + 1;
    return 0;
}

int admin_weekdays_parse(const char *s, bool days[8])
{
    memset(days, 0, 8 * sizeof days[0]);
    if (strcasecmp(s, "all") == 0)
        s = "1-7";
    else if (strcasecmp(s, "weekdays") == 0)
        s = "1-5";
    const char *p = s;
    while (*p) {
        size_t item = strcspn(p, ",");
        const char *dash = memchr(p, '-', item);
        int from, to;
        if (dash) {
            from = weekday(p, (size_t)(dash - p));
            to = weekday(dash + 1, item - (size_t)(dash - p) - 1);
        } else {
            from = to = weekday(p, item);
        }
        if (!from || !to)
            return 0;
        for (int d = from;; d = d % 7 + 1) { /* fri-mon wraps round the week */
            days[d] = true;
            if (d == to)
                break;
        }
        p += item;
        if (*p == ',' && *++p == '\0')
            return 0; /* a trailing comma */
    }
    int n = 0;
    for (int d = 1; d <= 7; d++)
        n += days[d];
    return n;
}

/* H, HH, H:MM or HH:MM of exactly len bytes into out as HH:MM. */
static bool clock_time(const char *s, size_t len, char out[6])
{
    const char *colon = memchr(s, ':', len);
    size_t hlen = colon ? (size_t)(colon - s) : len;
    if (hlen < 1 || hlen > 2 || (colon && len - hlen - 1 != 2))
        return false;
    int h = digits(s, (int)hlen), m = colon ? digits(colon + 1, 2) : 0;
    if (h < 0 || m < 0 || h > 24 || m > 59 || (h == 24 && m != 0))
        return false;
    snprintf(out, 6, "%02d:%02d", h, m);
    return true;
}

bool admin_interval_parse(const char *s, char opens[6], char closes[6])
{
    const char *dash = strchr(s, '-');
    return dash && clock_time(s, (size_t)(dash - s), opens) &&
           clock_time(dash + 1, strlen(dash + 1), closes);
}

bool admin_quota_parse(const char *s, long *minutes)
{
    if (strcmp(s, "0") == 0) {
        *minutes = 0;
        return true;
    }
    return duration_parse(s, minutes) == DURATION_OK;
}

enum admin_field_error admin_fields_parse(const char *const *words, size_t n,
                                          const char *const *allowed, struct admin_field *out,
                                          size_t max, size_t *count, size_t *bad)
{
    *count = 0;
    for (size_t i = 0; i < n; i++) {
        *bad = i;
        const char *eq = strchr(words[i], '=');
        if (!eq || eq == words[i])
            return ADMIN_FIELD_NO_EQUALS;
        size_t klen = (size_t)(eq - words[i]);
        const char *key = NULL;
        for (const char *const *a = allowed; *a; a++)
            if (strlen(*a) == klen && strncmp(*a, words[i], klen) == 0)
                key = *a;
        if (!key)
            return ADMIN_FIELD_UNKNOWN;
        for (size_t j = 0; j < *count; j++)
            if (out[j].key == key)
                return ADMIN_FIELD_TWICE;
        if (*count == max)
            return ADMIN_FIELD_TOO_MANY;
        out[*count].key = key;
        out[*count].value = eq + 1;
        (*count)++;
    }
    return ADMIN_FIELD_OK;
}

const char *admin_field_strerror(enum admin_field_error error)
{
    switch (error) {
    case ADMIN_FIELD_OK:
        return _("ok");
    case ADMIN_FIELD_NO_EQUALS:
        return _("not FIELD=VALUE");
    case ADMIN_FIELD_UNKNOWN:
        return _("no such field here");
    case ADMIN_FIELD_TWICE:
        return _("the same field twice");
    case ADMIN_FIELD_TOO_MANY:
        return _("too many fields");
    }
    return "?";
}
