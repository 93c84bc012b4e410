/* Mailing the monthly report through tuki.outbox (tuki worker, `tuki report --send`). */
#ifndef TUKI_REPORT_SEND_H
#define TUKI_REPORT_SEND_H

#include "db.h"

#include <stdbool.h>

/* Queues a customer's report of month (YYYY-MM) to each receiving contact in their language,
 * the text in the body and the work lines as CSV, in one transaction that records the month as
 * sent (tuki.report_claim). A month sent before is skipped unless again. Returns the number of
 * mails queued (0 when already sent), -1 on a database error (printed; nothing queued). */
int report_send_customer(struct db *db, const char *customer, const char *month, bool again);

/* The worker's part: sends every report tuki.report_due finds due on today (YYYY-MM-DD, or NULL
 * for each customer's own date). Returns the mails queued, or -1. */
int report_send_due(struct db *db, const char *today);

/* `tuki report --send --month M [--customer C]`: sends by hand, again if it was sent; prints a
 * line per customer. Returns an exit status. */
int report_send_command(struct db *db, const char *month, const char *customer);

#endif
