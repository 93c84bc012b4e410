#include "customer_words.h"

#include "i18n.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

const char *customer_status_words(const char *status)
{
    static const struct {
        const char *code, *words;
    } names[] = {{"new", N_("received")},
                 {"open", N_("in progress")},
                 {"waiting_customer", N_("waiting for you")},
                 {"waiting_third_party", N_("waiting for a third party")},
                 {"resolved", N_("resolved")},
                 {"closed", N_("closed")}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].code, status) == 0)
            return _(names[i].words);
    return status;
}

void customer_sla_words(const char *sla, long long due, long long now, char *buf, size_t n)
{
    char when[64] = "";
    if (due > 0) {
        time_t t = (time_t)due;
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(when, sizeof when, "%a %H:%M", &tm);
    }
    if (strcmp(sla, "answer_due") == 0) {
        snprintf(buf, n, _("answer due by %s"), when);
    } else if (strcmp(sla, "resolve_due") == 0) {
        snprintf(buf, n, _("solution due by %s"), when);
    } else if (strcmp(sla, "waiting_for_you") == 0) {
        snprintf(buf, n, "%s", _("waiting for you"));
    } else if (strcmp(sla, "reopen_until") == 0) {
        long long days = (due - now + 86399) / 86400;
        if (days < 1)
            days = 1;
        snprintf(buf, n,
                 ngettext("resolved, %lld day left to reopen", "resolved, %lld days left to reopen",
                          (unsigned long)days),
                 days);
    } else if (strcmp(sla, "resolved") == 0) {
        snprintf(buf, n, "%s", _("resolved"));
    } else if (strcmp(sla, "closed") == 0) {
        snprintf(buf, n, "%s", _("closed"));
    } else {
        snprintf(buf, n, "%s", _("in progress"));
    }
}
