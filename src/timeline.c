#include "timeline.h"

#include "i18n.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ticket_view_add(struct ticket_view *v, enum ticket_line_kind kind, const char *text)
{
    v->lines = realloc(v->lines, ((size_t)v->count + 1) * sizeof *v->lines);
    v->lines[v->count].kind = kind;
    v->lines[v->count].text = strdup(text);
    v->count++;
}

void ticket_view_free(struct ticket_view *view)
{
    for (int i = 0; i < view->count; i++)
        free(view->lines[i].text);
    free(view->lines);
    free(view->title);
    memset(view, 0, sizeof *view);
}

static void add_format(struct ticket_view *v, enum ticket_line_kind kind, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void add_format(struct ticket_view *v, enum ticket_line_kind kind, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    char *line = NULL;
    if (vasprintf(&line, format, ap) >= 0) {
        ticket_view_add(v, kind, line);
        free(line);
    }
    va_end(ap);
}

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

/* A schema code (a status, a type, a team ...) in the reader's language, "-" for none. */
static const char *code(const char *kind, const char *value)
{
    return value && *value ? i18n_code(kind, value) : "-";
}

static bool is_true(const char *s)
{
    return s && (strcmp(s, "true") == 0 || strcmp(s, "t") == 0);
}

static bool is(const char *s, const char *want)
{
    return s && strcmp(s, want) == 0;
}

char *timeline_minutes(long minutes)
{
    char *s = NULL;
    long h = minutes / 60, m = minutes % 60;
    int n;
    if (h && m)
        n = asprintf(&s, _("%ld h %ld min"), h, m);
    else if (h)
        n = asprintf(&s, _("%ld h"), h);
    else
        n = asprintf(&s, _("%ld min"), m);
    return n < 0 ? strdup("?") : s;
}

/* "bug confirmed · fix version 4.2.1 · release expected 2026-12-15" */
static void bug_line(struct ticket_view *v, const struct timeline_header *h)
{
    bool confirmed = h->bug_confirmed && strcmp(h->bug_confirmed, "t") == 0;
    const char *version = h->fix_version ? h->fix_version : "";
    const char *release = h->fix_release ? h->fix_release : "";
    if (!confirmed && !*version)
        return;
    add_format(v, LINE_HEADER, "%s%s%s%s%s",
               confirmed ? _("bug confirmed") : _("bug not confirmed"),
               *version ? _(" · fix version ") : "", version,
               *release ? _(" · release expected ") : "", release);
}

/* "linked: #7 problem (open) Muistivuoto", "merged into #7 …", "merged here: #12 …": one
 * line per link. */
static void link_lines(struct ticket_view *v, const char *links)
{
    while (links && *links) {
        size_t len = strcspn(links, "\n");
        char *row = strndup(links, len), *f[5] = {0}, *save = NULL;
        char *p = row;
        for (int i = 0; i < 5; i++, p = NULL)
            f[i] = strtok_r(p, "\t", &save);
        if (f[4]) {
            const char *fmt = strcmp(f[0], "merged_into") == 0   ? _("merged into #%s %s (%s) %s")
                              : strcmp(f[0], "merged_from") == 0 ? _("merged here: #%s %s (%s) %s")
                                                                 : _("linked: #%s %s (%s) %s");
            add_format(v, LINE_HEADER, fmt, f[1], f[2], f[3], f[4]);
        }
        free(row);
        links += len + (links[len] == '\n');
    }
}

void timeline_header(struct ticket_view *v, long long id, const struct timeline_header *h)
{
    free(v->title);
    v->id = id;
    if (asprintf(&v->title, "#%lld  %s / %s  %s P%s %s", id, or_dash(h->customer),
                 or_dash(h->contact), code("type", h->type), or_dash(h->priority),
                 code("level", h->level)) < 0)
        v->title = NULL;
    ticket_view_add(v, LINE_HEADER, or_dash(h->subject));
    add_format(v, LINE_HEADER, _("status %s · agent %s · team %s · via %s · impact %s urgency %s"),
               code("status", h->status), or_dash(h->assignee), code("team", h->team),
               code("channel", h->channel), or_dash(h->impact), or_dash(h->urgency));
    /* the zone first: every time of the view is in it, and a narrow pane keeps it whole */
    char created[64], response_due[64], resolve_due[64];
    i18n_format_minute(or_dash(h->created), created, sizeof created);
    i18n_format_minute(or_dash(h->response_due), response_due, sizeof response_due);
    i18n_format_minute(or_dash(h->resolve_due), resolve_due, sizeof resolve_due);
    add_format(v, LINE_HEADER, _("times in %s · created %s · response due %s · resolve due %s"),
               or_dash(h->time_zone), created, response_due, resolve_due);
    if (h->resolution && *h->resolution)
        add_format(v, LINE_HEADER, _("resolution: %s"), h->resolution);
    bug_line(v, h);
    link_lines(v, h->links);
}

/* A body, indented, one line per line of it (a CR before a newline dropped). */
static void add_body(struct ticket_view *v, const char *body)
{
    for (const char *p = body; p && *p;) {
        size_t len = strcspn(p, "\n");
        size_t shown = len && p[len - 1] == '\r' ? len - 1 : len;
        char *line = malloc(shown + 3);
        memcpy(line, "  ", 2);
        memcpy(line + 2, p, shown);
        line[shown + 2] = '\0';
        ticket_view_add(v, LINE_BODY, line);
        free(line);
        if (!p[len])
            break;
        p += len + 1;
    }
}

/* "… wrote by email", by the channel the customer's words came through. */
static const char *contact_verb(const char *channel)
{
    if (is(channel, "email"))
        return _("%s wrote by email");
    if (is(channel, "portal"))
        return _("%s wrote in the portal");
    if (is(channel, "phone"))
        return _("%s said on the phone");
    if (is(channel, "chat"))
        return _("%s wrote in the chat");
    return _("%s wrote");
}

/* args: author_kind, visibility, channel, recorded by, mail status, mail error */
static void add_message(struct ticket_view *v, const struct timeline_entry *e, const char *who)
{
    const char *const *a = e->args;
    bool internal = is(a[1], "internal");
    char *what = NULL;
    int n;
    if (is(a[0], "contact"))
        n = asprintf(&what, contact_verb(a[2]), who);
    else if (internal)
        n = asprintf(&what, _("%s wrote an internal note"), who);
    else if (is(a[0], "system"))
        n = asprintf(&what, _("%s wrote"), who);
    else
        n = asprintf(&what, _("%s replied"), who);
    if (n < 0)
        return;
    const char *recorded = is(a[0], "contact") && a[3] ? a[3] : NULL;
    char *extra = NULL;
    if (recorded)
        n = asprintf(&extra, _(" (recorded by %s)"), recorded);
    else if (is(a[4], "failed"))
        n = asprintf(&extra, _(" · mail failed: %s"), a[5] ? a[5] : _("no reason recorded"));
    else if (is(a[4], "sent"))
        n = asprintf(&extra, "%s", _(" · mail sent"));
    else if (is(a[4], "queued"))
        n = asprintf(&extra, "%s", _(" · mail queued"));
    else
        n = asprintf(&extra, "%s", "");
    if (n < 0)
        extra = NULL; /* asprintf leaves it undefined */
    add_format(v, internal ? LINE_INTERNAL : LINE_PUBLIC, "%s  %s%s", e->at, what,
               extra ? extra : "");
    free(what);
    free(extra);
    add_body(v, e->body);
}

/* args: n, file name, content type, size, why the content was not kept */
static void add_attachment(struct ticket_view *v, const struct timeline_entry *e)
{
    const char *const *a = e->args;
    if (a[4])
        add_format(v, LINE_BODY, _("  attachment %s: %s (%s, %s; not kept: %s)"), or_dash(a[0]),
                   or_dash(a[1]), or_dash(a[2]), or_dash(a[3]), a[4]);
    else
        add_format(v, LINE_BODY, _("  attachment %s: %s (%s, %s)"), or_dash(a[0]), or_dash(a[1]),
                   or_dash(a[2]), or_dash(a[3]));
}

/* args: minutes, billable, the contact who ordered it */
static void add_worklog(struct ticket_view *v, const struct timeline_entry *e, const char *who)
{
    long minutes = e->args[0] ? atol(e->args[0]) : 0;
    bool billable = is_true(e->args[1]);
    v->work_minutes += minutes;
    if (billable)
        v->billable_minutes += minutes;
    char *spent = timeline_minutes(minutes);
    if (billable && e->args[2])
        add_format(v, LINE_EVENT, _("%s  %s logged %s, billable (ordered by %s)"), e->at, who,
                   spent, e->args[2]);
    else if (billable)
        add_format(v, LINE_EVENT, _("%s  %s logged %s, billable"), e->at, who, spent);
    else
        add_format(v, LINE_EVENT, _("%s  %s logged %s, included in the quota"), e->at, who, spent);
    free(spent);
    add_body(v, e->body);
}

/* args: outbox kind, recipient, status, error */
static void add_mail(struct ticket_view *v, const struct timeline_entry *e, const char *who)
{
    static const struct {
        const char *kind, *what;
    } kinds[] = {{"received", N_("a receipt")},
                 {"waiting", N_("a “waiting for you” notice")},
                 {"resolved", N_("a “resolved” notice")},
                 {"closed", N_("a “closed” notice")},
                 {"reply", N_("a reply")}};
    const char *what = N_("a mail");
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (is(e->args[0], kinds[i].kind))
            what = kinds[i].what;
    const char *to = or_dash(e->args[1]);
    if (is(e->args[2], "failed"))
        add_format(v, LINE_EVENT, _("%s  %s could not mail %s to %s: %s"), e->at, who, _(what), to,
                   e->args[3] ? e->args[3] : _("no reason recorded"));
    else if (is(e->args[2], "sent"))
        add_format(v, LINE_EVENT, _("%s  %s mailed %s to %s"), e->at, who, _(what), to);
    else
        add_format(v, LINE_EVENT, _("%s  %s will mail %s to %s (queued)"), e->at, who, _(what), to);
}

/* args: field, from, to */
static void add_edit(struct ticket_view *v, const struct timeline_entry *e, const char *who)
{
    const char *field = e->args[0], *from = or_dash(e->args[1]), *to = or_dash(e->args[2]);
    if (is(field, "subject"))
        add_format(v, LINE_EVENT, _("%s  %s changed the subject from “%s” to “%s”"), e->at, who,
                   from, to);
    else if (is(field, "type"))
        add_format(v, LINE_EVENT, _("%s  %s changed the type %s → %s"), e->at, who, from, to);
    else if (is(field, "contact"))
        add_format(v, LINE_EVENT, _("%s  %s changed the contact %s → %s"), e->at, who, from, to);
    else if (is(field, "service_level"))
        add_format(v, LINE_EVENT, _("%s  %s changed the service level %s → %s"), e->at, who, from,
                   to);
    else if (is(field, "fix_version"))
        add_format(v, LINE_EVENT, _("%s  %s set the fix version to %s"), e->at, who, to);
    else if (is(field, "bug_confirmed") && is_true(e->args[2]))
        add_format(v, LINE_EVENT, _("%s  %s confirmed the bug"), e->at, who);
    else if (is(field, "bug_confirmed"))
        add_format(v, LINE_EVENT, _("%s  %s withdrew the bug's confirmation"), e->at, who);
    else
        add_format(v, LINE_EVENT, _("%s  %s changed the %s %s → %s"), e->at, who, or_dash(field),
                   from, to);
}

/* args: reason, response due (null once answered), resolution due, resolution paused */
static void add_sla_recalc(struct ticket_view *v, const struct timeline_entry *e)
{
    const char *const *a = e->args;
    const char *why;
    if (is(a[0], "created"))
        why = _("SLA targets set");
    else if (is(a[0], "priority"))
        why = _("SLA targets recalculated for the new priority");
    else if (is(a[0], "level"))
        why = _("SLA targets recalculated for the new service level");
    else if (is(a[0], "contract"))
        why = _("SLA targets recalculated for the new contract");
    else if (is(a[0], "pause"))
        why = _("resolution clock paused");
    else if (is(a[0], "resume"))
        why = _("resolution clock resumed");
    else
        why = _("SLA targets recalculated");
    if (is_true(a[3]) && a[1])
        add_format(v, LINE_EVENT, _("%s  %s: response due %s, resolution clock paused"), e->at, why,
                   a[1]);
    else if (is_true(a[3]))
        add_format(v, LINE_EVENT, "%s  %s", e->at, why);
    else if (a[1])
        add_format(v, LINE_EVENT, _("%s  %s: response due %s, resolution due %s"), e->at, why, a[1],
                   or_dash(a[2]));
    else
        add_format(v, LINE_EVENT, _("%s  %s: resolution due %s"), e->at, why, or_dash(a[2]));
}

static const char *clock_name(const char *target)
{
    return is(target, "response") ? _("response target") : _("resolution target");
}

/* args: target (response|resolve), due, target minutes */
static void add_sla_alert(struct ticket_view *v, const struct timeline_entry *e, const char *who,
                          bool breach)
{
    char *of = timeline_minutes(e->args[2] ? atol(e->args[2]) : 0);
    if (breach)
        add_format(v, LINE_EVENT, _("%s  %s: %s breached — %s was due at %s"), e->at, who,
                   clock_name(e->args[0]), of, or_dash(e->args[1]));
    else
        add_format(v, LINE_EVENT, _("%s  %s: %s nearly used up — %s, due at %s"), e->at, who,
                   clock_name(e->args[0]), of, or_dash(e->args[1]));
    free(of);
}

/* args: time, business minutes used, target minutes, met */
static void add_responded(struct ticket_view *v, const struct timeline_entry *e)
{
    char *used = timeline_minutes(e->args[1] ? atol(e->args[1]) : 0);
    char *of = timeline_minutes(e->args[2] ? atol(e->args[2]) : 0);
    add_format(v, LINE_EVENT,
               is_true(e->args[3]) ? _("%s  response target met at %s — %s of %s")
                                   : _("%s  response target missed at %s — %s of %s"),
               e->at, or_dash(e->args[0]), used, of);
    free(used);
    free(of);
}

/* args: from, to, took it (the actor assigned it to themselves from nobody) */
static void add_assign(struct ticket_view *v, const struct timeline_entry *e, const char *who)
{
    const char *from = e->args[0], *to = e->args[1];
    bool own = is(from, who); /* the holder let it go themselves */
    if (is_true(e->args[2]))
        add_format(v, LINE_EVENT, _("%s  %s took the ticket"), e->at, who);
    else if (own && !to)
        add_format(v, LINE_EVENT, _("%s  %s released the ticket"), e->at, who);
    else if (own)
        add_format(v, LINE_EVENT, _("%s  %s handed the ticket to %s"), e->at, who, to);
    else if (!to)
        add_format(v, LINE_EVENT, _("%s  %s unassigned the ticket from %s"), e->at, who,
                   or_dash(from));
    else if (!from)
        add_format(v, LINE_EVENT, _("%s  %s assigned the ticket to %s"), e->at, who, to);
    else
        add_format(v, LINE_EVENT, _("%s  %s reassigned the ticket from %s to %s"), e->at, who, from,
                   to);
}

/* An event tuki does not know yet: its kind as words ("bug_confirmed" → "bug confirmed"). */
static void add_other(struct ticket_view *v, const struct timeline_entry *e, const char *who)
{
    char *words = strdup(or_dash(e->kind));
    for (char *p = words; *p; p++)
        if (*p == '_')
            *p = ' ';
    add_format(v, LINE_EVENT, "%s  %s: %s", e->at, who, words);
    free(words);
}

void timeline_add(struct ticket_view *v, const struct timeline_entry *entry)
{
    /* the entry's time as the locale writes dates */
    char at[64];
    i18n_format_minute(entry->at, at, sizeof at);
    struct timeline_entry local = *entry;
    local.at = at;
    const struct timeline_entry *e = &local;
    const char *who = e->who && *e->who ? e->who : _("the customer");
    const char *const *a = e->args;
    const char *k = e->kind;
    if (is(k, "message"))
        add_message(v, e, who);
    else if (is(k, "attachment"))
        add_attachment(v, e);
    else if (is(k, "worklog"))
        add_worklog(v, e, who);
    else if (is(k, "mail"))
        add_mail(v, e, who);
    else if (is(k, "edit"))
        add_edit(v, e, who);
    else if (is(k, "created"))
        add_format(v, LINE_EVENT,
                   _("%s  %s opened the ticket: %s, P%s (impact %s, urgency %s), %s, team %s, "
                     "via %s"),
                   e->at, who, code("type", a[0]), or_dash(a[1]), or_dash(a[2]), or_dash(a[3]),
                   code("level", a[4]), code("team", a[5]), code("channel", a[6]));
    else if (is(k, "status") && a[2])
        add_format(v, LINE_EVENT, _("%s  %s changed the status %s → %s: %s"), e->at, who,
                   code("status", a[0]), code("status", a[1]), a[2]);
    else if (is(k, "status"))
        add_format(v, LINE_EVENT, _("%s  %s changed the status %s → %s"), e->at, who,
                   code("status", a[0]), code("status", a[1]));
    else if (is(k, "assign"))
        add_assign(v, e, who);
    else if (is(k, "escalate"))
        add_format(v, LINE_EVENT, _("%s  %s escalated the ticket from %s to %s"), e->at, who,
                   code("team", a[0]), code("team", a[1]));
    else if (is(k, "priority"))
        add_format(v, LINE_EVENT,
                   _("%s  %s changed the priority P%s → P%s (impact %s, urgency %s)"), e->at, who,
                   or_dash(a[0]), or_dash(a[1]), or_dash(a[2]), or_dash(a[3]));
    else if (is(k, "responded"))
        add_responded(v, e);
    else if (is(k, "sla_recalc"))
        add_sla_recalc(v, e);
    else if (is(k, "sla_warning") || is(k, "sla_breach"))
        add_sla_alert(v, e, who, is(k, "sla_breach"));
    else if (is(k, "worklog_approved")) {
        char *spent = timeline_minutes(a[1] ? atol(a[1]) : 0);
        add_format(v, LINE_EVENT, _("%s  %s recorded that %s approved %s as billable work"), e->at,
                   who, or_dash(a[0]), spent);
        free(spent);
    } else
        add_other(v, e, who);
}

void timeline_finish(struct ticket_view *v)
{
    if (!v->work_minutes)
        return;
    char *total = timeline_minutes(v->work_minutes);
    char *billable = timeline_minutes(v->billable_minutes);
    char *included = timeline_minutes(v->work_minutes - v->billable_minutes);
    add_format(v, LINE_HEADER, _("work logged: %s in all — %s billable, %s included"), total,
               billable, included);
    free(total);
    free(billable);
    free(included);
}
