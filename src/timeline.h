/* A ticket as a person reads it: the header and the timeline (messages, work, history) turned
 * into sentences with people's names, from the facts tuki.ticket_timeline hands over. Pure (no
 * database, no curses): the ticket pane and 'tuki -c open' show what this builds, line for
 * line. Every time arrives already written in the session's time zone, which the header names. */
#ifndef TUKI_TIMELINE_H
#define TUKI_TIMELINE_H

#include <stddef.h>

enum ticket_line_kind { LINE_HEADER, LINE_PUBLIC, LINE_INTERNAL, LINE_EVENT, LINE_BODY };

struct ticket_line {
    enum ticket_line_kind kind;
    char *text; /* owned, one display line's worth of UTF-8 (not yet wrapped) */
};

struct ticket_view {
    long long id;
    char *title; /* owned: "#4211  ACME / Päivi Mäkelä  incident P1 premium", NULL until read */
    struct ticket_line *lines;
    int count;
    long work_minutes, billable_minutes; /* the work entries added so far */
};

/* The header's facts, as text (NULL or "" where there is none). */
struct timeline_header {
    const char *customer, *contact, *type, *priority, *level;
    const char *subject, *status, *assignee, *team, *channel, *impact, *urgency;
    const char *created, *response_due, *resolve_due; /* "YYYY-MM-DD HH:MM" */
    const char *resolution, *fix_version;
    const char *bug_confirmed; /* "t" when tuki.ticket_confirm_bug confirmed it */
    const char *fix_release;   /* the fix's expected release date, "" when unknown */
    const char *links;         /* tuki.ticket_links_of: a line per link, kind, id, type, status and
                                * subject separated by tabs */
    const char *time_zone;     /* the zone every time of the view is in, e.g. "Europe/Helsinki" */
};

/* One row of tuki.ticket_timeline: kind (message, attachment, worklog, mail, edit, created,
 * status, …), who acted (a name, NULL when unknown), its arguments by kind (NULL entries for
 * SQL nulls; see the function's comment) and a body (message text, work note) or NULL. */
#define TIMELINE_ARGS 7
struct timeline_entry {
    const char *at; /* "YYYY-MM-DD HH:MM" */
    const char *kind;
    const char *who;
    const char *args[TIMELINE_ARGS];
    const char *body;
};

/* Sets the title and adds the header lines. */
void timeline_header(struct ticket_view *v, long long id, const struct timeline_header *h);

/* Adds an entry's lines: its sentence, then its body indented, one line per body line. */
void timeline_add(struct ticket_view *v, const struct timeline_entry *e);

/* After the last entry: the total of the work logged, when there was any. */
void timeline_finish(struct ticket_view *v);

/* Minutes as a sentence says them: "45 min", "2 h", "1 h 12 min". Returns a new string. */
char *timeline_minutes(long minutes);

void ticket_view_add(struct ticket_view *v, enum ticket_line_kind kind, const char *text);
void ticket_view_free(struct ticket_view *view);

#endif
