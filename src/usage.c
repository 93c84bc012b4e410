#include "usage.h"

#include "i18n.h"
#include "text.h"

#include <stdbool.h>
#include <string.h>

static const struct {
    const char *sub; /* "" for the console and -c */
    const char *text;
} usage_lines[] = {
    {"", N_("tuki [-d CONNINFO] [-f CONFIG]          open the console\n")},
    {"", N_("tuki [-d CONNINFO] -c 'COMMAND' [-c ...]  run console commands without the screen\n")},
    {"migrate", N_("tuki [-d CONNINFO] migrate              create or upgrade the schema\n")},
    {"seed", N_("tuki [-d CONNINFO] seed [--tickets N] [--seed S] [--now TIME] [--jobs J]\n"
                "                                               load a realistic demo data set\n")},
    {"demo", N_("tuki demo [--tickets N] [--reset]       a private throwaway PostgreSQL with the "
                "console\n")},
    {"report", N_("tuki [-d CONNINFO] report --month YYYY-MM [--customer CODE] "
                  "[--format text|csv] [--lines] [--lang fi|sk|en|customer] [--send]\n")},
    {"mail-in", N_("tuki [-d CONNINFO] mail-in [--maildir DIR]  store mail (stdin: one message, as "
                   "an MTA delivers it)\n")},
    {"worker", N_("tuki [-d CONNINFO] worker [--once] [--today YYYY-MM-DD]  send the outbox and "
                  "the monthly reports, sweep the SLA clocks\n")},
    {"", N_("tuki --help | --version\n")},
};

void usage_print(FILE *to, const char *sub)
{
    bool first = true;
    for (size_t i = 0; i < sizeof usage_lines / sizeof usage_lines[0]; i++) {
        if (sub && strcmp(sub, usage_lines[i].sub) != 0)
            continue;
        /* TRANSLATORS: begins the first line of the usage; the lines below are indented to
           its width. */
        const char *head = _("usage: ");
        if (first)
            fputs(head, to);
        else
            fprintf(to, "%*s", text_width(head), "");
        first = false;
        fputs(_(usage_lines[i].text), to);
    }
}
