#include "check.h"
#include "timeline.h"

#include <stdlib.h>

/* One entry of tuki.ticket_timeline, arguments as the function returns them (NULL = null). */
static void add(struct ticket_view *v, const char *kind, const char *who, const char *body,
                const char *a0, const char *a1, const char *a2, const char *a3, const char *a4,
                const char *a5)
{
    struct timeline_entry e = {.at = "2026-11-25 09:12", .kind = kind, .who = who, .body = body};
    const char *args[] = {a0, a1, a2, a3, a4, a5, NULL};
    for (int i = 0; i < TIMELINE_ARGS; i++)
        e.args[i] = args[i];
    timeline_add(v, &e);
}

/* The only line of a view made of one entry (the first line when there are more). */
static const char *first(const struct ticket_view *v)
{
    return v->count ? v->lines[0].text : "(no line)";
}

static void test_minutes_read_as_words(void)
{
    const struct {
        long minutes;
        const char *want;
    } cases[] = {{0, "0 min"}, {45, "45 min"}, {60, "1 h"}, {72, "1 h 12 min"}, {1500, "25 h"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = timeline_minutes(cases[i].minutes);
        CHECK_STR(s, cases[i].want);
        free(s);
    }
}

static void test_customer_words_under_the_contact_name(void)
{
    struct ticket_view v = {0};
    add(&v, "message", "Riikka Söderström", "Hei,\r\n\r\nlasku on väärin.", "contact", "public",
        "email", NULL, NULL, NULL);
    CHECK_INT(v.count, 4);
    CHECK_STR(first(&v), "2026-11-25 09:12  Riikka Söderström wrote by email");
    CHECK_INT(v.lines[0].kind, LINE_PUBLIC);
    CHECK_STR(v.lines[1].text, "  Hei,");
    CHECK_STR(v.lines[2].text, "  ");
    CHECK_STR(v.lines[3].text, "  lasku on väärin.");
    CHECK_INT(v.lines[3].kind, LINE_BODY);
    ticket_view_free(&v);

    add(&v, "message", "Päivi Mäkelä", "Soitto.", "contact", "public", "phone", "Mikko Korhonen",
        NULL, NULL);
    CHECK_STR(first(&v), "2026-11-25 09:12  Päivi Mäkelä said on the phone (recorded by Mikko "
                         "Korhonen)");
    ticket_view_free(&v);

    add(&v, "message", NULL, "Nimetön.", "contact", "public", "email", NULL, NULL, NULL);
    CHECK_STR(first(&v), "2026-11-25 09:12  the customer wrote by email");
    ticket_view_free(&v);
}

static void test_agent_replies_and_notes(void)
{
    struct ticket_view v = {0};
    add(&v, "message", "Mikko Korhonen", "Katsotaan.", "agent", "public", "console", NULL, "sent",
        NULL);
    CHECK_STR(first(&v), "2026-11-25 09:12  Mikko Korhonen replied · mail sent");
    ticket_view_free(&v);
    add(&v, "message", "Mikko Korhonen", "x", "agent", "public", "console", NULL, "failed",
        "sendmail exited 75");
    CHECK_STR(first(&v), "2026-11-25 09:12  Mikko Korhonen replied · mail failed: sendmail exited "
                         "75");
    ticket_view_free(&v);
    add(&v, "message", "Mikko Korhonen", "sisäinen", "agent", "internal", "console", NULL, NULL,
        NULL);
    CHECK_STR(first(&v), "2026-11-25 09:12  Mikko Korhonen wrote an internal note");
    CHECK_INT(v.lines[0].kind, LINE_INTERNAL);
    ticket_view_free(&v);
}

static void test_events_as_sentences(void)
{
    const struct {
        const char *kind, *args[TIMELINE_ARGS], *want;
    } cases[] = {
        {"assign", {NULL, "Mikko Korhonen", "true"}, "Mikko Korhonen took the ticket"},
        {"assign",
         {"Mikko Korhonen", "Lena Lehtonen", "false"},
         "Mikko Korhonen handed the ticket to Lena Lehtonen"},
        {"assign", {"Mikko Korhonen", NULL, "false"}, "Mikko Korhonen released the ticket"},
        {"assign",
         {"Bob Björklund", "Lena Lehtonen", "false"},
         "Mikko Korhonen reassigned the ticket from Bob Björklund to Lena Lehtonen"},
        {"assign",
         {NULL, "Lena Lehtonen", "false"},
         "Mikko Korhonen assigned the ticket to Lena Lehtonen"},
        {"assign",
         {"Lena Lehtonen", NULL, "false"},
         "Mikko Korhonen unassigned the ticket from Lena Lehtonen"},
        {"priority",
         {"3", "1", "1", "1"},
         "Mikko Korhonen changed the priority P3 → P1 (impact 1, urgency 1)"},
        {"status", {"new", "open"}, "Mikko Korhonen changed the status new → open"},
        {"status",
         {"open", "resolved", "Ajuri päivitetty."},
         "Mikko Korhonen changed the status open → resolved: Ajuri päivitetty."},
        {"escalate",
         {"second_line", "third_line"},
         "Mikko Korhonen escalated the ticket from second_line to third_line"},
        {"responded",
         {"09:12", "72", "120", "true"},
         "response target met at 09:12 — 1 h 12 min of 2 h"},
        {"responded",
         {"11:30", "210", "120", "false"},
         "response target missed at 11:30 — 3 h 30 min of 2 h"},
        {"sla_recalc",
         {"created", "10:00", "2026-11-27 12:00", "false"},
         "SLA targets set: response due 10:00, resolution due 2026-11-27 12:00"},
        {"sla_recalc",
         {"priority", NULL, "15:00", "false"},
         "SLA targets recalculated for the new priority: resolution due 15:00"},
        {"sla_recalc", {"pause", NULL, "15:00", "true"}, "resolution clock paused"},
        {"sla_warning",
         {"response", "10:00", "120"},
         "Mikko Korhonen: response target nearly used up — 2 h, due at 10:00"},
        {"sla_breach",
         {"resolve", "16:00", "480"},
         "Mikko Korhonen: resolution target breached — 8 h was due at 16:00"},
        {"edit",
         {"subject", "Vanha", "Uusi"},
         "Mikko Korhonen changed the subject from “Vanha” to “Uusi”"},
        {"edit",
         {"contact", "Päivi Mäkelä", "Riikka Söderström"},
         "Mikko Korhonen changed the contact Päivi Mäkelä → Riikka Söderström"},
        {"edit", {"type", "incident", "bug"}, "Mikko Korhonen changed the type incident → bug"},
        {"edit", {"bug_confirmed", "false", "true"}, "Mikko Korhonen confirmed the bug"},
        {"edit",
         {"channel", "console", "phone"},
         "Mikko Korhonen changed the channel console → phone"},
        {"mail",
         {"received", "Riikka Söderström", "sent"},
         "Mikko Korhonen mailed a receipt to Riikka Söderström"},
        {"mail",
         {"resolved", "Riikka Söderström", "failed", "no route"},
         "Mikko Korhonen could not mail a “resolved” notice to Riikka Söderström: no route"},
        {"created",
         {"incident", "3", "2", "3", "premium", "second_line", "email"},
         "Mikko Korhonen opened the ticket: incident, P3 (impact 2, urgency 3), premium, team "
         "second_line, via email"},
        {"merged_into", {NULL}, "Mikko Korhonen: merged into"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ticket_view v = {0};
        struct timeline_entry e = {
            .at = "2026-11-25 09:12", .kind = cases[i].kind, .who = "Mikko Korhonen"};
        memcpy(e.args, cases[i].args, sizeof e.args);
        timeline_add(&v, &e);
        CHECK_INT(v.count, 1);
        char *want = NULL;
        if (asprintf(&want, "2026-11-25 09:12  %s", cases[i].want) < 0)
            return;
        CHECK_STR(first(&v), want);
        CHECK_INT(v.lines[0].kind, LINE_EVENT);
        free(want);
        ticket_view_free(&v);
    }
}

static void test_work_with_notes_and_a_total(void)
{
    struct ticket_view v = {0};
    add(&v, "worklog", "Mikko Korhonen", "Lokit läpi.", "45", "false", NULL, NULL, NULL, NULL);
    add(&v, "worklog", "Mikko Korhonen", NULL, "90", "true", "Riikka Söderström", NULL, NULL, NULL);
    timeline_finish(&v);
    CHECK_INT(v.count, 4);
    CHECK_STR(v.lines[0].text, "2026-11-25 09:12  Mikko Korhonen logged 45 min, included in the "
                               "quota");
    CHECK_STR(v.lines[1].text, "  Lokit läpi.");
    CHECK_STR(v.lines[2].text, "2026-11-25 09:12  Mikko Korhonen logged 1 h 30 min, billable "
                               "(ordered by Riikka Söderström)");
    CHECK_STR(v.lines[3].text, "work logged: 2 h 15 min in all — 1 h 30 min billable, 45 min "
                               "included");
    ticket_view_free(&v);

    timeline_finish(&v); /* no work, no total */
    CHECK_INT(v.count, 0);
}

static void test_attachments_listed(void)
{
    struct ticket_view v = {0};
    add(&v, "attachment", NULL, NULL, "1", "loki.txt", "text/plain", "12 kB", NULL, NULL);
    add(&v, "attachment", NULL, NULL, "2", "iso.bin", "application/octet-stream", "30 MB",
        "over the size cap", NULL);
    CHECK_STR(v.lines[0].text, "  attachment 1: loki.txt (text/plain, 12 kB)");
    CHECK_STR(v.lines[1].text,
              "  attachment 2: iso.bin (application/octet-stream, 30 MB; not kept: over the size "
              "cap)");
    ticket_view_free(&v);
}

static void test_header_names_the_zone(void)
{
    struct ticket_view v = {0};
    const struct timeline_header h = {
        .customer = "ACME",
        .contact = "Riikka Söderström",
        .type = "incident",
        .priority = "1",
        .level = "premium",
        .subject = "Laskutusajo kaatuu",
        .status = "open",
        .assignee = "Mikko Korhonen",
        .team = "second_line",
        .channel = "email",
        .impact = "1",
        .urgency = "1",
        .created = "2026-11-25 08:00",
        .response_due = "2026-11-25 10:00",
        .time_zone = "Europe/Helsinki",
        .fix_version = "4.2.1",
        .bug_confirmed = "t",
        .fix_release = "2026-12-15",
        .links = "relates\t7\tproblem\topen\tMuistivuoto\nmerged_from\t12\tincident\tclosed\tSama",
    };
    timeline_header(&v, 4211, &h);
    CHECK_STR(v.title, "#4211  ACME / Riikka Söderström  incident P1 premium");
    CHECK_INT(v.count, 6);
    CHECK_STR(v.lines[0].text, "Laskutusajo kaatuu");
    CHECK_STR(v.lines[1].text, "status open · agent Mikko Korhonen · team second_line · via email "
                               "· impact 1 urgency 1");
    CHECK_STR(v.lines[2].text, "times in Europe/Helsinki · created 2026-11-25 08:00 · response due "
                               "2026-11-25 10:00 · resolve due -");
    CHECK_STR(v.lines[3].text, "bug confirmed · fix version 4.2.1 · release expected 2026-12-15");
    CHECK_STR(v.lines[4].text, "linked: #7 problem (open) Muistivuoto");
    CHECK_STR(v.lines[5].text, "merged here: #12 incident (closed) Sama");
    ticket_view_free(&v);
    CHECK(v.title == NULL);
}

#define TESTS(X)                                                                                   \
    X(test_minutes_read_as_words)                                                                  \
    X(test_customer_words_under_the_contact_name)                                                  \
    X(test_agent_replies_and_notes)                                                                \
    X(test_events_as_sentences)                                                                    \
    X(test_work_with_notes_and_a_total)                                                            \
    X(test_attachments_listed)                                                                     \
    X(test_header_names_the_zone)
CHECK_MAIN(TESTS)
