/* `tuki report`: the customers' monthly report (view tuki.monthly_report) as readable text
 * or as CSV (RFC 4180), for one month and all customers the reader may see, or one. */
#ifndef TUKI_REPORT_H
#define TUKI_REPORT_H

#include <stdbool.h>
#include <stdio.h>

enum report_format { REPORT_TEXT, REPORT_CSV };

/* `tuki report --month YYYY-MM [--customer CODE] [--format text|csv]`; argv[0] is "report".
 * Exit status: 0; 64 bad usage (month, format, option); 69 no connection, or a schema older or
 * newer than this program; 65 database error or unknown customer; 74 output not written. */
int report_command(const char *conninfo, int argc, char **argv);

/* True when s is a month YYYY-MM (year 0001-9999, month 01-12); *first gets "YYYY-MM-01". */
bool report_month_parse(const char *s, char first[11]);

/* Writes s as one CSV field: quoted (quotes doubled) when it holds a comma, a quote, CR or
 * LF, or starts or ends with a space; NULL is an empty field. */
void report_csv_field(FILE *out, const char *s);

#endif
