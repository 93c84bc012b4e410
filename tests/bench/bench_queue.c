/* Times the console's own queue and SLA queries (model.c) against whatever database the
 * PG* variables name: median milliseconds per window at several depths of the queue. */
#include "db.h"
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUNS 15
#define WINDOW 40

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, by_value);
    return v[n / 2];
}

static void time_window(struct db *db, const char *filter_text, long offset)
{
    struct filter f;
    char err[512];
    if (filter_parse(filter_text, &f, err, sizeof err) < 0) {
        f.kind = FILTER_SEARCH;
        snprintf(f.arg, sizeof f.arg, "%s", filter_text + strlen("search "));
    }
    double t[RUNS], sla[RUNS];
    long total = 0;
    for (int i = 0; i < RUNS; i++) {
        struct queue_page page;
        double start = now_ms();
        if (queue_fetch(db, &f, offset, WINDOW, &page, err, sizeof err) < 0) {
            fprintf(stderr, "%s\n", err);
            exit(1);
        }
        t[i] = now_ms() - start;
        total = page.total;
        long long ids[WINDOW];
        for (int k = 0; k < page.count; k++)
            ids[k] = page.rows[k].id;
        struct sla_list list;
        start = now_ms();
        if (sla_fetch(db, ids, page.count, &list, err, sizeof err) < 0) {
            fprintf(stderr, "%s\n", err);
            exit(1);
        }
        sla[i] = now_ms() - start;
        sla_list_free(&list);
        queue_page_free(&page);
    }
    printf("%-22s offset %7ld  window %d of %7ld  queue %7.2f ms  sla %6.2f ms (medians of %d)\n",
           filter_text, offset, WINDOW, total, median(t, RUNS), median(sla, RUNS), RUNS);
}

int main(void)
{
    struct db db;
    char err[512];
    if (db_connect(&db, NULL, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    const long offsets[] = {0, 1000, 50000, 99000};
    for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++)
        time_window(&db, "all", offsets[i]);
    time_window(&db, "mine", 0);
    time_window(&db, "unassigned", 0);
    time_window(&db, "breaching", 0);
    time_window(&db, "customer:ACME", 0);
    time_window(&db, "status:open", 0);
    time_window(&db, "search tulostin", 0);
    db_close(&db);
    return 0;
}
