/* `tuki report`: the customers' monthly report (view tuki.monthly_report) as readable text
 * or as CSV (RFC 4180), for one month and all customers the reader may see, or one; with
 * --lines also its work lines (view tuki.monthly_report_line), what an invoice is built from. */
#ifndef TUKI_REPORT_H
#define TUKI_REPORT_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum report_format { REPORT_TEXT, REPORT_CSV };

/* `tuki report --month YYYY-MM [--customer CODE] [--format text|csv] [--lines]
 * [--lang fi|sk|en|customer]`; argv[0] is "report". Text: per customer the summary, the service
 * level on each day and each raise, with
 * --lines a table of the work lines whose totals are the summary's, and the last 12 months as
 * bars. CSV: one row per customer, or with --lines one row per worklog entry.
 * Exit status: 0; 64 bad usage (month, format, option); 69 no connection, or a schema older or
 * newer than this program; 65 database error or unknown customer; 74 output not written. */
int report_command(const char *conninfo, int argc, char **argv);

struct db;

/* The report of one customer's month (YYYY-MM) exactly as `tuki report --month MONTH
 * --customer CUSTOMER [--format F] [--lines]` writes it, newly allocated; NULL with the reason
 * in *err (newly allocated: the caller frees it; NULL when out of memory). Synchronous
 * (db_exec): `tuki report --send`; the console runs the parts below. */
char *report_text(struct db *db, const char *customer, const char *month, enum report_format format,
                  bool lines, char **err);

/* One customer's text report in parts, for a caller that runs the statements itself (the
 * console: one at a time on its asynchronous connection, each cancellable). */
enum report_part {
    REPORT_PART_TYPES,
    REPORT_PART_ROWS, /* no row: the customer had no contract that month, the rest unneeded */
    REPORT_PART_LEVELS,
    REPORT_PART_RAISES,
    REPORT_PART_HISTORY,
    REPORT_PARTS
};

/* The statement of part for customer (its code) and the month's first day (YYYY-MM-01);
 * params gets its *n parameters. */
const char *report_part_sql(enum report_part part, const char *customer, const char *month_first,
                            const char *params[2], int *n);

/* What report_text writes (REPORT_TEXT, no lines) for customer in month (YYYY-MM), from the
 * parts' results (after an empty REPORT_PART_ROWS the rest may be NULL); newly allocated,
 * NULL without memory. */
char *report_text_of(PGresult *const parts[REPORT_PARTS], const char *customer, const char *month);

/* True when s is a month YYYY-MM (year 0001-9999, month 01-12); *first gets "YYYY-MM-01". */
bool report_month_parse(const char *s, char first[11]);

/* Writes s as one CSV field: quoted (quotes doubled) when it holds a comma, a quote, CR or
 * LF, or starts or ends with a space; NULL is an empty field. */
void report_csv_field(FILE *out, const char *s);

/* Writes fraction (0..1, clamped; NaN is 0) as a bar of exactly cells display columns: full
 * blocks U+2588, one of the eighth blocks U+258F..U+2589 for the rest, spaces after. Returns the
 * bytes written; a buffer of 3 * cells + 1 bytes holds any bar, a smaller one a shorter bar. */
size_t report_bar(char *buf, size_t size, double fraction, int cells);

#endif
