#include "report.h"
#include "report_send.h"

#include "db.h"
#include "duration.h"
#include "i18n.h"
#include "migrate.h"
#include "text.h"
#include "usage.h"

#include <ctype.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* The overview table never lets one long name push the numbers off an 80-column terminal. */
#define REPORT_NAME_COLS_MAX 40
#define REPORT_LABEL_COLS    24
/* The bars of the last 12 months: cells of eighths, so 10 cells show 1.25 % steps. */
#define REPORT_BAR_CELLS      10
#define REPORT_HISTORY_MONTHS 12
/* Columns of the lines table's text fields; longer text ends in "…". */
#define REPORT_SUBJECT_COLS 24
#define REPORT_AGENT_COLS   18
#define REPORT_ORDERER_COLS 22

/* by_type comes as "bug=0,change=1,..." and the day-by-day service levels as
 * "light 2026-05-01/2026-05-10 premium 2026-05-11/2026-05-31", so the program needs no JSON
 * parser and the CSV gets readable fields. */
static const char report_sql[] =
    "SELECT r.customer, r.customer_name, to_char(r.month, 'YYYY-MM') AS month, r.service_level,"
    "       r.calendar, r.time_zone,"
    "       (SELECT string_agg((e->>'level') || ' ' || (e->>'from') || '/' || (e->>'to'), ' '"
    "                          ORDER BY e->>'from')"
    "          FROM jsonb_array_elements(r.service_levels) e) AS service_levels,"
    "       (SELECT string_agg((e->>'level') || ' ' || (e->>'from') || '/' || (e->>'to'), ' '"
    "                          ORDER BY e->>'from')"
    "          FROM jsonb_array_elements(r.raises) e) AS raises,"
    "       r.created,"
    "       (SELECT string_agg(e.key || '=' || e.value, ',' ORDER BY e.key)"
    "          FROM jsonb_each_text(r.by_type) e) AS by_type,"
    "       r.p1, r.p2, r.p3, r.p4, r.p5, r.resolved,"
    "       r.response_met, r.response_missed, r.response_compliance,"
    "       r.resolve_met, r.resolve_missed, r.resolve_compliance,"
    "       r.response_median_minutes, r.response_avg_minutes,"
    "       r.resolve_median_minutes, r.resolve_avg_minutes,"
    "       r.worklog_minutes, r.ordered_billable_minutes, r.quota_minutes,"
    "       r.quota_used_minutes, r.over_quota_minutes, r.billable_minutes"
    "  FROM tuki.monthly_report r"
    " WHERE r.month = $1::date AND ($2::text IS NULL OR r.customer = $2::text)"
    " ORDER BY r.customer";

static const char types_sql[] = "SELECT code FROM tuki.ticket_type ORDER BY code";

static const char customer_exists_sql[] =
    "SELECT EXISTS (SELECT 1 FROM tuki.customer WHERE code = $1::text)";

/* The service level on each day of one customer's month, as runs of days. */
static const char levels_sql[] =
    "SELECT to_char(first_day, 'YYYY-MM-DD') AS first_day,"
    "       to_char(last_day, 'YYYY-MM-DD') AS last_day, service_level, raised"
    "  FROM tuki.report_levels($1::text, $2::date) ORDER BY first_day";

/* The temporary raises in force on some day of the month, with their own dates. */
static const char raises_sql[] =
    "SELECT service_level, to_char(raise_from, 'YYYY-MM-DD') AS raise_from,"
    "       to_char(raise_to, 'YYYY-MM-DD') AS raise_to"
    "  FROM tuki.report_raises($1::text, $2::date) ORDER BY raise_from";

/* The month and the eleven before it, those that have a report, for the bars. */
static const char history_sql[] =
    "SELECT to_char(r.month, 'YYYY-MM') AS month, r.response_compliance, r.resolve_compliance,"
    "       r.quota_used_minutes, r.quota_minutes, r.over_quota_minutes"
    "  FROM tuki.monthly_report r"
    " WHERE r.customer = $1::text AND r.month > $2::date - interval '12 months'"
    "   AND r.month <= $2::date"
    " ORDER BY r.month";

/* One line per worklog entry; kind says how its minutes are billed. */
static const char lines_sql[] =
    "SELECT l.customer, to_char(l.month, 'YYYY-MM') AS month,"
    "       to_char(l.day, 'YYYY-MM-DD') AS date, l.ticket, l.subject, l.agent_name AS agent,"
    "       l.minutes, l.included_minutes, l.billable_minutes,"
    "       CASE WHEN l.ordered THEN 'ordered' WHEN l.billable_minutes = 0 THEN 'included'"
    "            WHEN l.included_minutes = 0 THEN 'beyond_quota' ELSE 'split' END AS kind,"
    "       l.approved_by_name AS approved_by"
    "  FROM tuki.monthly_report_line l"
    " WHERE l.month = $1::date AND ($2::text IS NULL OR l.customer = $2::text)"
    " ORDER BY l.customer, l.at, l.worklog";

/* A short query over a few indexes: compiling it would cost more than running it. */
static const char no_jit_sql[] = "SELECT set_config('jit', 'off', false)";

struct report_options {
    const char *month;
    char month_first[11];
    const char *customer;
    enum report_format format;
    bool lines;
    const char *lang; /* fi, sk, en, "customer" (each customer's own) or NULL (the locale's) */
    bool send;        /* --send: mail it (src/report_send.c) instead of printing */
};

static void report_usage(FILE *out)
{
    usage_print(out, "report");
}

static int report_usage_error(const char *what, const char *arg)
{
    /* TRANSLATORS: "tuki report: --month wants YYYY-MM, not '2026-13'" */
    fprintf(stderr, _("tuki report: %s '%s'\n"), what, arg);
    report_usage(stderr);
    return EX_USAGE;
}

bool report_month_parse(const char *s, char first[11])
{
    if (strlen(s) != 7 || s[4] != '-')
        return false;
    for (int i = 0; i < 7; i++)
        if (i != 4 && !isdigit((unsigned char)s[i]))
            return false;
    int year = atoi(s), month = atoi(s + 5);
    if (year < 1 || month < 1 || month > 12)
        return false;
    snprintf(first, 11, "%.7s-01", s);
    return true;
}

static int report_parse(struct report_options *o, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"month", required_argument, NULL, 'm'},  {"customer", required_argument, NULL, 'C'},
        {"format", required_argument, NULL, 'F'}, {"lines", no_argument, NULL, 'l'},
        {"lang", required_argument, NULL, 'L'},   {"help", no_argument, NULL, 'h'},
        {"send", no_argument, NULL, 's'},         {NULL, 0, NULL, 0}};
    memset(o, 0, sizeof *o);
    o->format = REPORT_TEXT;
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
        switch (opt) {
        case 'm':
            o->month = optarg;
            if (!report_month_parse(optarg, o->month_first))
                return report_usage_error(_("--month wants YYYY-MM, not"), optarg);
            break;
        case 'C':
            o->customer = optarg;
            break;
        case 'F':
            if (strcmp(optarg, "text") == 0)
                o->format = REPORT_TEXT;
            else if (strcmp(optarg, "csv") == 0)
                o->format = REPORT_CSV;
            else
                return report_usage_error(_("--format is text or csv, not"), optarg);
            break;
        case 'l':
            o->lines = true;
            break;
        case 'L':
            if (!i18n_language_known(optarg) && strcmp(optarg, "customer") != 0)
                return report_usage_error(_("--lang is fi, sk, en or customer, not"), optarg);
            o->lang = optarg;
            break;
        case 's':
            o->send = true;
            break;
        case 'h':
            report_usage(stdout);
            return -1;
        default:
            return report_usage_error(_("unknown option or missing value"), argv[optind - 1]);
        }
    }
    if (optind < argc)
        return report_usage_error(_("unexpected argument"), argv[optind]);
    if (!o->month) {
        fputs(_("tuki report: --month YYYY-MM is required\n"), stderr);
        report_usage(stderr);
        return EX_USAGE;
    }
    return 0;
}

void report_csv_field(FILE *out, const char *s)
{
    if (!s)
        return;
    size_t n = strlen(s);
    bool quote = strpbrk(s, ",\"\r\n") != NULL || (n > 0 && (s[0] == ' ' || s[n - 1] == ' '));
    if (!quote) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

size_t report_bar(char *buf, size_t size, double fraction, int cells)
{
    /* U+258F .. U+2589: one to seven eighths of a cell, then U+2588 the full cell */
    static const char *const eighths[] = {"",
                                          "\xe2\x96\x8f",
                                          "\xe2\x96\x8e",
                                          "\xe2\x96\x8d",
                                          "\xe2\x96\x8c",
                                          "\xe2\x96\x8b",
                                          "\xe2\x96\x8a",
                                          "\xe2\x96\x89"};
    static const char full[] = "\xe2\x96\x88";
    size_t len = 0;
    if (size == 0)
        return 0;
    buf[0] = '\0';
    if (cells <= 0)
        return 0;
    if (!(fraction > 0)) /* also NaN */
        fraction = 0;
    if (fraction > 1)
        fraction = 1;
    long n8 = lround(fraction * cells * 8);
    int drawn = 0;
    for (; n8 >= 8 && len + 3 < size; n8 -= 8, drawn++)
        len += (size_t)snprintf(buf + len, size - len, "%s", full);
    if (n8 > 0 && len + 3 < size) {
        len += (size_t)snprintf(buf + len, size - len, "%s", eighths[n8]);
        drawn++;
    }
    for (; drawn < cells && len + 1 < size; drawn++)
        buf[len++] = ' ';
    buf[len] = '\0';
    return len;
}

/* The value of column col in row, or NULL when it is SQL NULL. */
static const char *report_value(const PGresult *res, int row, const char *col)
{
    int f = PQfnumber(res, col);
    if (f < 0 || PQgetisnull(res, row, f))
        return NULL;
    return PQgetvalue(res, row, f);
}

/* The count of type in a "bug=0,change=1" list, as text; "0" when it is not listed. */
static void report_type_count(const char *list, const char *type, char *buf, size_t size)
{
    size_t len = strlen(type);
    for (const char *p = list; p && *p;) {
        if (strncmp(p, type, len) == 0 && p[len] == '=') {
            size_t n = strcspn(p + len + 1, ",");
            snprintf(buf, size, "%.*s", (int)n, p + len + 1);
            return;
        }
        p = strchr(p, ',');
        if (p)
            p++;
    }
    snprintf(buf, size, "0");
}

/* Every column of res as a CSV table, header first (RFC 4180: CRLF). */
static void report_write_csv_rows(FILE *out, const PGresult *res)
{
    int nfields = PQnfields(res);
    for (int f = 0; f < nfields; f++)
        fprintf(out, "%s%s", f ? "," : "", PQfname(res, f));
    fputs("\r\n", out);
    for (int r = 0; r < PQntuples(res); r++) {
        for (int f = 0; f < nfields; f++) {
            if (f)
                fputc(',', out);
            report_csv_field(out, PQgetisnull(res, r, f) ? NULL : PQgetvalue(res, r, f));
        }
        fputs("\r\n", out);
    }
}

static void report_write_csv(FILE *out, const PGresult *rows, const PGresult *types)
{
    int nfields = PQnfields(rows), ntypes = PQntuples(types);
    for (int f = 0; f < nfields; f++) {
        const char *name = PQfname(rows, f);
        if (strcmp(name, "by_type") != 0) {
            fprintf(out, "%s%s", f ? "," : "", name);
            continue;
        }
        for (int t = 0; t < ntypes; t++)
            fprintf(out, "%stype_%s", f || t ? "," : "", PQgetvalue(types, t, 0));
    }
    fputs("\r\n", out);
    for (int r = 0; r < PQntuples(rows); r++) {
        for (int f = 0; f < nfields; f++) {
            const char *value = PQgetisnull(rows, r, f) ? NULL : PQgetvalue(rows, r, f);
            if (strcmp(PQfname(rows, f), "by_type") != 0) {
                if (f)
                    fputc(',', out);
                report_csv_field(out, value);
                continue;
            }
            for (int t = 0; t < ntypes; t++) {
                char count[32];
                report_type_count(value, PQgetvalue(types, t, 0), count, sizeof count);
                fprintf(out, "%s%s", f || t ? "," : "", count);
            }
        }
        fputs("\r\n", out);
    }
}

/* Database text drawn on a terminal: control characters and broken UTF-8 become U+FFFD,
 * padded with spaces to cols columns (cols 0: as wide as it is). */
static void report_put_text(FILE *out, const char *s, int cols)
{
    if (!s)
        s = "";
    if (cols <= 0)
        cols = text_width(s);
    size_t size = 4 * (size_t)cols + 4;
    char *buf = malloc(size);
    if (!buf)
        return;
    text_fit(buf, size, s, cols);
    fputs(buf, out);
    free(buf);
}

/* Our own text (a heading, a figure) in a column of cols display columns, left- or
 * right-aligned, never cut: a translation wider than the column widens the line. */
static void report_pad(FILE *out, const char *s, int cols, bool right)
{
    int pad = cols - text_width(s);
    if (right && pad > 0)
        fprintf(out, "%*s", pad, "");
    fputs(s, out);
    if (!right && pad > 0)
        fprintf(out, "%*s", pad, "");
}

/* The wider of a column's own width and its translated heading's. */
static int report_cols(int cols, const char *heading)
{
    int w = text_width(heading);
    return w > cols ? w : cols;
}

static void report_rule(FILE *out, int cols, const char *glyph)
{
    for (int i = 0; i < cols; i++)
        fputs(glyph, out);
    fputc('\n', out);
}

/* "80.0 %" (in Finnish and Slovak "80,0 %") or "-" when nothing was measured. */
static const char *report_percent(const char *v, char *buf, size_t size)
{
    if (!v)
        return "-";
    char figure[24];
    i18n_format_decimal(v, figure, sizeof figure);
    if (snprintf(buf, size, "%s %%", figure) < 0)
        return "-";
    return buf;
}

/* Business minutes as 0h30m, or "-" when nothing was measured. */
static const char *report_time(const char *v, char *buf, size_t size)
{
    if (!v)
        return "-";
    return duration_format(lround(strtod(v, NULL)), buf, size);
}

static void report_line(FILE *out, const char *label, const char *value)
{
    fputs("  ", out);
    report_pad(out, label, REPORT_LABEL_COLS, false);
    fprintf(out, " %8s\n", value ? value : "-");
}

/* A minutes figure with its hours beside it: "175  2h55m". */
static void report_minutes_line(FILE *out, const char *label, const char *value)
{
    char hours[DURATION_BUF_SIZE];
    fputs("  ", out);
    report_pad(out, label, REPORT_LABEL_COLS, false);
    fprintf(out, " %8s %8s\n", value ? value : "-",
            value ? duration_format(atol(value), hours, sizeof hours) : "");
}

/* Where report_query says why a query failed: stderr for `tuki report`, the caller's message
 * for report_text (the console, where stderr would be under the screen). */
static char **report_err;

/* Runs one query; on failure says why and returns NULL. */
static PGresult *report_query(struct db *db, const char *sql, int nparams,
                              const char *const *params)
{
    PGresult *res = db_exec(db, sql, nparams, params);
    if (db_ok(res))
        return res;
    char *err = db_result_error_text(res, db->conn);
    if (report_err) {
        free(*report_err); /* the latest failure is the one told */
        *report_err = err;
    } else {
        fprintf(stderr, "tuki report: %s\n", err ? err : "");
        free(err);
    }
    PQclear(res);
    return NULL;
}

/* The service level on each day of the month, then each temporary raise with its dates. */
static void report_put_levels(FILE *out, const PGresult *levels, const PGresult *raises)
{
    fputs(_("Service level\n"), out);
    for (int i = 0; i < PQntuples(levels); i++) {
        char from[64], to[64];
        i18n_format_date(report_value(levels, i, "first_day"), from, sizeof from);
        i18n_format_date(report_value(levels, i, "last_day"), to, sizeof to);
        fprintf(out, "  %s \xe2\x80\x93 %s  %s%s\n", from, to,
                i18n_code("level", report_value(levels, i, "service_level")),
                strcmp(report_value(levels, i, "raised"), "t") == 0 ? _(" (temporary raise)") : "");
    }
    for (int i = 0; i < PQntuples(raises); i++) {
        char from[64], to[64];
        i18n_format_date(report_value(raises, i, "raise_from"), from, sizeof from);
        i18n_format_date(report_value(raises, i, "raise_to"), to, sizeof to);
        /* TRANSLATORS: a service level (premium), then the first and the last day. */
        fprintf(out, _("  Temporary raise to %s from %s to %s\n"),
                i18n_code("level", report_value(raises, i, "service_level")), from, to);
    }
}

/* One cell group of the history: a bar of fraction and its figure, or blanks and "-". */
static void report_bar_cell(FILE *out, bool known, double fraction, const char *figure)
{
    char bar[4 * REPORT_BAR_CELLS + 1];
    report_bar(bar, sizeof bar, known ? fraction : 0, REPORT_BAR_CELLS);
    fprintf(out, "  %s ", bar);
    report_pad(out, known ? figure : "-", 7, true);
}

/* Response and resolution compliance and quota use of the last 12 months as bars. */
static void report_put_history(FILE *out, const PGresult *h)
{
    /* through a variable: GCC's sanitizer build cannot see that ngettext never returns NULL */
    const char *heading =
        ngettext("\nLast %d month\n", "\nLast %d months\n", REPORT_HISTORY_MONTHS);
    if (!heading)
        heading = "\n%d\n";
    fprintf(out, heading, REPORT_HISTORY_MONTHS);
    /* each heading over its bar and figure; the last one unpadded, so no line ends in spaces */
    fputs("  ", out);
    report_pad(out, _("Month"), 7, false);
    fputs("  ", out);
    report_pad(out, _("Response"), REPORT_BAR_CELLS + 8, false);
    fputs("  ", out);
    report_pad(out, _("Resolution"), REPORT_BAR_CELLS + 8, false);
    fprintf(out, "  %s\n", _("Quota used"));
    for (int i = 0; i < PQntuples(h); i++) {
        const char *response = report_value(h, i, "response_compliance");
        const char *resolve = report_value(h, i, "resolve_compliance");
        long used = atol(report_value(h, i, "quota_used_minutes"));
        long quota = atol(report_value(h, i, "quota_minutes"));
        char p1[32], p2[32], p3[32];
        fprintf(out, "  %-7s", report_value(h, i, "month"));
        report_bar_cell(out, response, response ? strtod(response, NULL) / 100 : 0,
                        report_percent(response, p1, sizeof p1));
        report_bar_cell(out, resolve, resolve ? strtod(resolve, NULL) / 100 : 0,
                        report_percent(resolve, p2, sizeof p2));
        snprintf(p3, sizeof p3, "%ld %%", quota > 0 ? lround(100.0 * (double)used / quota) : 0L);
        report_bar_cell(out, quota > 0, quota > 0 ? (double)used / quota : 0, p3);
        long over = atol(report_value(h, i, "over_quota_minutes"));
        if (over > 0) {
            char hours[DURATION_BUF_SIZE];
            fprintf(out, "  +%s", duration_format(over, hours, sizeof hours));
        }
        fputc('\n', out);
    }
    fputs(_("  Compliance: SLA clocks met in percent; quota used: included minutes in percent of\n"
            "  the quota, with the work beyond it.\n"),
          out);
}

/* The lines table's header, one entry per line, and the totals, all aligned by display width;
 * a figure column is as wide as its translated heading when that is wider. */
static void report_write_lines_text(FILE *out, const PGresult *lines, const char *customer)
{
    long minutes = 0, included = 0, billable = 0;
    int w_min = report_cols(7, _("Minutes")), w_in = report_cols(8, _("Included"));
    int w_bill = report_cols(8, _("Billable"));
    fputs(_("\nWork lines (minutes)\n"), out);
    fputs("  ", out);
    report_pad(out, _("Date"), 10, false);
    fputs("  ", out);
    /* TRANSLATORS: the head of the ticket numbers' column, at most 6 columns wide. */
    report_pad(out, C_("column", "Ticket"), 6, true);
    fputs("  ", out);
    report_put_text(out, _("Subject"), REPORT_SUBJECT_COLS);
    fputs("  ", out);
    report_put_text(out, _("Agent"), REPORT_AGENT_COLS);
    fputc(' ', out);
    report_pad(out, _("Minutes"), w_min, true);
    fputc(' ', out);
    report_pad(out, _("Included"), w_in, true);
    fputc(' ', out);
    report_pad(out, _("Billable"), w_bill, true);
    fprintf(out, "  %s\n", _("Ordered by"));
    for (int i = 0; i < PQntuples(lines); i++) {
        if (strcmp(report_value(lines, i, "customer"), customer) != 0)
            continue;
        const char *m = report_value(lines, i, "minutes");
        const char *in = report_value(lines, i, "included_minutes");
        const char *b = report_value(lines, i, "billable_minutes");
        char ticket[32], date[64];
        snprintf(ticket, sizeof ticket, "#%s", report_value(lines, i, "ticket"));
        i18n_format_date(report_value(lines, i, "date"), date, sizeof date);
        fputs("  ", out);
        report_pad(out, date, 10, false);
        fprintf(out, "  %6s  ", ticket);
        report_put_text(out, report_value(lines, i, "subject"), REPORT_SUBJECT_COLS);
        fputs("  ", out);
        report_put_text(out, report_value(lines, i, "agent"), REPORT_AGENT_COLS);
        fprintf(out, " %*s %*s %*s", w_min, m, w_in, in, w_bill, b);
        const char *by = report_value(lines, i, "approved_by");
        if (by) {
            fputs("  ", out);
            report_put_text(out, by,
                            text_width(by) < REPORT_ORDERER_COLS ? 0 : REPORT_ORDERER_COLS);
        }
        fputc('\n', out);
        minutes += atol(m);
        included += atol(in);
        billable += atol(b);
    }
    fputs("  ", out);
    report_pad(out, _("Total"), 10 + 2 + 6 + 2 + REPORT_SUBJECT_COLS + 2 + REPORT_AGENT_COLS,
               false);
    fprintf(out, " %*ld %*ld %*ld\n", w_min, minutes, w_in, included, w_bill, billable);
}

/* The statement of each part of a report ($1 the month's first day, $2 the customer; the
 * parts of one customer take them the other way round). */
static const char *const report_part_sqls[REPORT_PARTS] = {[REPORT_PART_TYPES] = types_sql,
                                                           [REPORT_PART_ROWS] = report_sql,
                                                           [REPORT_PART_LEVELS] = levels_sql,
                                                           [REPORT_PART_RAISES] = raises_sql,
                                                           [REPORT_PART_HISTORY] = history_sql};

const char *report_part_sql(enum report_part part, const char *customer, const char *month_first,
                            const char *params[2], int *n)
{
    *n = part == REPORT_PART_TYPES ? 0 : 2;
    params[0] = part == REPORT_PART_ROWS ? month_first : customer;
    params[1] = part == REPORT_PART_ROWS ? customer : month_first;
    return report_part_sqls[part];
}

/* One customer's report from its rows (res, row r) and its own parts (levels, raises,
 * history). lines: every customer's work lines, or NULL without --lines. */
static void report_put_customer(FILE *out, const PGresult *res, int r, const PGresult *types,
                                const PGresult *lines, PGresult *const parts[REPORT_PARTS])
{
    const char *code = report_value(res, r, "customer");
    const char *name = report_value(res, r, "customer_name");
    const char *month = report_value(res, r, "month");
    char buf[64];
    char *shown = NULL, *heading = NULL;

    /* the name as the terminal may show it (no control characters), then the heading */
    size_t size = 4 * (size_t)text_width(name ? name : "") + 4;
    if ((shown = malloc(size)))
        text_fit(shown, size, name ? name : "", text_width(name ? name : ""));
    /* TRANSLATORS: the month (2026-05), the customer's name and code. */
    if (asprintf(&heading, _("Monthly report %s: %s (%s)"), month, shown ? shown : "", code) < 0)
        heading = NULL;
    free(shown);
    fprintf(out, "%s\n", heading ? heading : code);
    report_rule(out, text_width(heading ? heading : code), "=");
    free(heading);
    /* TRANSLATORS: the calendar's code (24x7), then a time zone (Europe/Helsinki). */
    fprintf(out, _("Calendar %s; the month and all times are in %s.\n\n"),
            report_value(res, r, "calendar"), report_value(res, r, "time_zone"));
    report_put_levels(out, parts[REPORT_PART_LEVELS], parts[REPORT_PART_RAISES]);

    fputs(_("\nRequests\n"), out);
    report_line(out, _("Created"), report_value(res, r, "created"));
    report_line(out, _("Resolved"), report_value(res, r, "resolved"));
    fputs(_("\nCreated by type\n"), out);
    const char *by_type = report_value(res, r, "by_type");
    for (int t = 0; t < PQntuples(types); t++) {
        const char *type = PQgetvalue(types, t, 0);
        report_type_count(by_type, type, buf, sizeof buf);
        report_line(out, i18n_code("type", type), buf);
    }
    fputs(_("\nCreated by priority\n"), out);
    for (int p = 1; p <= 5; p++) {
        char col[4], label[4];
        snprintf(col, sizeof col, "p%d", p);
        snprintf(label, sizeof label, "P%d", p);
        report_line(out, label, report_value(res, r, col));
    }

    fputs(_("\nSLA (clocks that stopped in the month)\n"), out);
    int w_met = report_cols(6, _("Met")), w_missed = report_cols(7, _("Missed"));
    int w_comp = report_cols(11, _("Compliance")), w_median = report_cols(9, _("Median"));
    int w_avg = report_cols(9, _("Average"));
    static const struct {
        const char *label, *prefix;
    } clocks[] = {{N_("Response"), "response"}, {N_("Resolution"), "resolve"}};
    int w_label = 12;
    for (size_t i = 0; i < sizeof clocks / sizeof clocks[0]; i++)
        w_label = report_cols(w_label, _(clocks[i].label));
    fprintf(out, "  %*s", w_label, "");
    const char *heads[] = {_("Met"), _("Missed"), _("Compliance"), _("Median"), _("Average")};
    const int widths[] = {w_met, w_missed, w_comp, w_median, w_avg};
    for (int k = 0; k < 5; k++) {
        fputc(' ', out);
        report_pad(out, heads[k], widths[k], true);
    }
    fputc('\n', out);
    for (size_t i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
        char met[32], missed[32], compliance[32], median[32], avg[32];
        snprintf(met, sizeof met, "%s_met", clocks[i].prefix);
        snprintf(missed, sizeof missed, "%s_missed", clocks[i].prefix);
        snprintf(compliance, sizeof compliance, "%s_compliance", clocks[i].prefix);
        snprintf(median, sizeof median, "%s_median_minutes", clocks[i].prefix);
        snprintf(avg, sizeof avg, "%s_avg_minutes", clocks[i].prefix);
        char t1[DURATION_BUF_SIZE], t2[DURATION_BUF_SIZE];
        const char *cells[] = {report_value(res, r, met), report_value(res, r, missed),
                               report_percent(report_value(res, r, compliance), buf, sizeof buf),
                               report_time(report_value(res, r, median), t1, sizeof t1),
                               report_time(report_value(res, r, avg), t2, sizeof t2)};
        fputs("  ", out);
        report_pad(out, _(clocks[i].label), w_label, false);
        for (int k = 0; k < 5; k++) {
            fputc(' ', out);
            report_pad(out, cells[k] ? cells[k] : "", widths[k], true);
        }
        fputc('\n', out);
    }
    fputs(_("  Times are business hours of the contract's calendar; resolution time does not\n"
            "  count waiting for the customer.\n"),
          out);

    fputs(_("\nWork (minutes)\n"), out);
    report_minutes_line(out, _("Logged"), report_value(res, r, "worklog_minutes"));
    report_minutes_line(out, _("Ordered as billable"),
                        report_value(res, r, "ordered_billable_minutes"));
    report_minutes_line(out, _("Maintenance quota"), report_value(res, r, "quota_minutes"));
    report_minutes_line(out, _("Quota used"), report_value(res, r, "quota_used_minutes"));
    report_minutes_line(out, _("Beyond the quota"), report_value(res, r, "over_quota_minutes"));
    report_minutes_line(out, _("Billable"), report_value(res, r, "billable_minutes"));
    if (lines)
        report_write_lines_text(out, lines, code);
    report_put_history(out, parts[REPORT_PART_HISTORY]);
}

/* One customer's report: its own parts fetched, then written. */
static int report_write_customer(FILE *out, struct db *db, const PGresult *res, int r,
                                 const PGresult *types, const PGresult *lines,
                                 const struct report_options *o)
{
    PGresult *parts[REPORT_PARTS] = {0};
    int rc = 0;
    for (int p = REPORT_PART_LEVELS; p < REPORT_PARTS && rc == 0; p++) {
        const char *params[2];
        int n;
        const char *sql = report_part_sql((enum report_part)p, report_value(res, r, "customer"),
                                          o->month_first, params, &n);
        if (!(parts[p] = report_query(db, sql, n, params)))
            rc = -1;
    }
    if (rc == 0)
        report_put_customer(out, res, r, types, lines, parts);
    for (int p = 0; p < REPORT_PARTS; p++)
        PQclear(parts[p]);
    return rc;
}

/* The widest value of col in res, in display columns, at least min and at most max. */
static int report_column_width(const PGresult *res, const char *col, int min, int max)
{
    int cols = min;
    for (int r = 0; r < PQntuples(res); r++) {
        const char *v = report_value(res, r, col);
        int w = v ? text_width(v) : 0;
        if (w > cols)
            cols = w;
    }
    return cols < max ? cols : max;
}

static void report_write_overview(FILE *out, const PGresult *res, const char *month)
{
    int n = PQntuples(res);
    int code_cols = report_column_width(res, "customer", text_width(_("Code")), 32);
    int name_cols =
        report_column_width(res, "customer_name", text_width(_("Customer")), REPORT_NAME_COLS_MAX);
    char *heading = NULL;
    /* TRANSLATORS: the month (2026-05) and how many customers the report covers. */
    if (asprintf(&heading,
                 ngettext("Monthly report %s: %d customer", "Monthly report %s: %d customers", n),
                 month, n) < 0)
        return;
    fprintf(out, "%s\n", heading);
    report_rule(out, text_width(heading), "=");
    free(heading);
    report_pad(out, _("Code"), code_cols, false);
    fputs("  ", out);
    report_put_text(out, _("Customer"), name_cols);
    const char *heads[] = {_("Created"), _("Resolved"), _("Response"), _("Resolution"),
                           _("Billable")};
    const int widths[] = {report_cols(7, heads[0]), report_cols(8, heads[1]),
                          report_cols(9, heads[2]), report_cols(10, heads[3]),
                          report_cols(8, heads[4])};
    for (int k = 0; k < 5; k++) {
        fputc(' ', out);
        report_pad(out, heads[k], widths[k], true);
    }
    fputc('\n', out);
    for (int r = 0; r < n; r++) {
        char p1[32], p2[32];
        report_put_text(out, report_value(res, r, "customer"), code_cols);
        fputs("  ", out);
        report_put_text(out, report_value(res, r, "customer_name"), name_cols);
        const char *cells[] = {
            report_value(res, r, "created"), report_value(res, r, "resolved"),
            report_percent(report_value(res, r, "response_compliance"), p1, sizeof p1),
            report_percent(report_value(res, r, "resolve_compliance"), p2, sizeof p2),
            report_value(res, r, "billable_minutes")};
        for (int k = 0; k < 5; k++) {
            fputc(' ', out);
            report_pad(out, cells[k] ? cells[k] : "", widths[k], true);
        }
        fputc('\n', out);
    }
    fputs(_("Response, Resolution: SLA compliance in the month; Billable: minutes to invoice.\n"),
          out);
}

/* The language of one customer's copy: the customer's own (tuki.customer.language), else the
 * desk's (tuki.mail_setting language), else English. */
static const char customer_language_sql[] =
    "SELECT coalesce((SELECT c.language FROM tuki.customer c WHERE c.code = $1::text),"
    "                (SELECT s.value FROM tuki.mail_setting s WHERE s.name = 'language'), 'en')";

/* What a month without a report says: for one customer, or for all. */
static void report_put_none(FILE *out, const char *customer, const char *month)
{
    if (customer)
        fprintf(out, _("No report for %s in %s: no contract in force that month.\n"), customer,
                month);
    else
        fprintf(out, _("No report for %s: no customer had a contract in force.\n"), month);
}

static int report_write_text(FILE *out, struct db *db, const PGresult *rows, const PGresult *types,
                             const PGresult *lines, const struct report_options *o)
{
    int n = PQntuples(rows);
    if (n == 0) {
        report_put_none(out, o->customer, o->month);
        return 0;
    }
    if (n > 1) {
        report_write_overview(out, rows, o->month);
        fputc('\n', out);
    }
    for (int r = 0; r < n; r++) {
        if (r)
            fputc('\n', out);
        /* each customer's copy in the customer's language */
        struct i18n_language speak = {0};
        if (o->lang && strcmp(o->lang, "customer") == 0) {
            const char *params[] = {report_value(rows, r, "customer")};
            PGresult *lang = report_query(db, customer_language_sql, 1, params);
            if (!lang)
                return -1;
            i18n_language_begin(&speak, PQgetvalue(lang, 0, 0));
            PQclear(lang);
        }
        int rc = report_write_customer(out, db, rows, r, types, lines, o);
        i18n_language_end(&speak);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int report_write(FILE *out, struct db *db, const struct report_options *o)
{
    const char *params[] = {o->month_first, o->customer};
    PGresult *lines = NULL;
    if (o->lines && !(lines = report_query(db, lines_sql, 2, params)))
        return EX_DATAERR;
    if (o->lines && o->format == REPORT_CSV) {
        report_write_csv_rows(out, lines);
        PQclear(lines);
        return 0;
    }
    int rc = EX_DATAERR;
    PGresult *types = report_query(db, types_sql, 0, NULL);
    PGresult *rows = types ? report_query(db, report_sql, 2, params) : NULL;
    if (rows && o->format == REPORT_CSV) {
        report_write_csv(out, rows, types);
        rc = 0;
    } else if (rows) {
        rc = report_write_text(out, db, rows, types, lines, o) < 0 ? EX_DATAERR : 0;
    }
    PQclear(rows);
    PQclear(types);
    PQclear(lines);
    return rc;
}

static int report_run(struct db *db, const struct report_options *o)
{
    char *err = NULL;
    if (migrate_check_compatible(db->conn, &err) < 0) {
        fprintf(stderr, "tuki report: %s\n", err ? err : _("out of memory"));
        free(err);
        return EX_UNAVAILABLE;
    }
    PQclear(db_exec(db, no_jit_sql, 0, NULL));
    if (o->customer) {
        const char *params[] = {o->customer};
        PGresult *known = report_query(db, customer_exists_sql, 1, params);
        if (!known)
            return EX_DATAERR;
        bool exists = strcmp(PQgetvalue(known, 0, 0), "t") == 0;
        PQclear(known);
        if (!exists) {
            fprintf(stderr, _("tuki report: unknown customer '%s'\n"), o->customer);
            return EX_DATAERR;
        }
    }
    int rc = o->send ? report_send_command(db, o->month, o->customer) : report_write(stdout, db, o);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror(_("tuki report: writing the report"));
        return EX_IOERR;
    }
    return rc;
}

/* The language switch of --lang: a fixed language for everything, or none ("customer" switches
 * per customer, NULL keeps the locale's). */
static void report_language_begin(struct i18n_language *speak, const char *lang)
{
    memset(speak, 0, sizeof *speak);
    if (lang && strcmp(lang, "customer") != 0)
        i18n_language_begin(speak, lang);
}

int report_command(const char *conninfo, int argc, char **argv)
{
    struct report_options o;
    int rc = report_parse(&o, argc, argv);
    if (rc)
        return rc < 0 ? 0 : rc;
    struct db db;
    rc = db_connect_or_exit(&db, conninfo, "report", 0);
    if (rc)
        return rc;
    /* --lang fi|sk|en: the whole report in that language, whatever the locale says */
    struct i18n_language speak;
    report_language_begin(&speak, o.lang);
    rc = report_run(&db, &o);
    i18n_language_end(&speak);
    db_close(&db);
    return rc;
}

char *report_text(struct db *db, const char *customer, const char *month, enum report_format format,
                  bool lines, char **err)
{
    struct report_options o = {
        .month = month, .customer = customer, .format = format, .lines = lines};
    *err = NULL;
    if (!report_month_parse(month, o.month_first)) {
        *err = text_printf(_("the month is YYYY-MM, not '%s'"), month);
        return NULL;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out) {
        *err = strdup(_("out of memory"));
        return NULL;
    }
    report_err = err;
    int rc = report_write(out, db, &o);
    report_err = NULL;
    if (fclose(out) != 0 && rc == 0)
        rc = EX_IOERR;
    if (rc != 0) {
        if (!*err)
            *err = strdup(_("the report could not be written"));
        free(text);
        return NULL;
    }
    return text;
}

char *report_text_of(PGresult *const parts[REPORT_PARTS], const char *customer, const char *month)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        return NULL;
    const PGresult *rows = parts[REPORT_PART_ROWS];
    if (PQntuples(rows) == 0)
        report_put_none(out, customer, month);
    else
        report_put_customer(out, rows, 0, parts[REPORT_PART_TYPES], NULL, parts);
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}
