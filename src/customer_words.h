/* The schema's codes in the customer's words (pure, unit-tested): a ticket's status and
 * the SLA of tuki.portal_tickets(). */
#ifndef TUKI_CUSTOMER_WORDS_H
#define TUKI_CUSTOMER_WORDS_H

#include <stddef.h>

/* A status in the customer's words ("waiting for you"); an unknown code as it is. */
const char *customer_status_words(const char *status);

/* The SLA of tuki.portal_tickets() in words: "answer due by Tue 10:00" (due in local time),
 * "waiting for you", "resolved, 3 days left to reopen" (due: the window's end, counted in
 * started days); now and due in seconds since the epoch. */
void customer_sla_words(const char *sla, long long due, long long now, char *buf, size_t n);

#endif
