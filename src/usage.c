#include "usage.h"

#include <stdbool.h>
#include <string.h>

static const struct {
    const char *sub; /* "" for the console and -c */
    const char *text;
} usage_lines[] = {
    {"", "tuki [-d CONNINFO] [-f CONFIG]          open the console\n"},
    {"", "tuki [-d CONNINFO] -c 'COMMAND' [-c ...]  run console commands without the screen\n"},
    {"migrate", "tuki [-d CONNINFO] migrate              create or upgrade the schema\n"},
    {"seed", "tuki [-d CONNINFO] seed [--tickets N] [--seed S] [--now TIME] [--jobs J]\n"
             "                                               load a realistic demo data set\n"},
    {"demo", "tuki demo [--tickets N] [--reset]       a private throwaway PostgreSQL with the "
             "console\n"},
    {"report", "tuki [-d CONNINFO] report --month YYYY-MM [--customer CODE] "
               "[--format text|csv] [--lines] [--send]\n"},
    {"mail-in", "tuki [-d CONNINFO] mail-in [--maildir DIR]  store mail (stdin: one message, as "
                "an MTA delivers it)\n"},
    {"worker", "tuki [-d CONNINFO] worker [--once] [--today YYYY-MM-DD]  send the outbox and "
               "the monthly reports, sweep the SLA clocks\n"},
    {"", "tuki --help | --version\n"},
};

void usage_print(FILE *to, const char *sub)
{
    bool first = true;
    for (size_t i = 0; i < sizeof usage_lines / sizeof usage_lines[0]; i++) {
        if (sub && strcmp(sub, usage_lines[i].sub) != 0)
            continue;
        fputs(first ? "usage: " : "       ", to);
        first = false;
        fputs(usage_lines[i].text, to);
    }
}
