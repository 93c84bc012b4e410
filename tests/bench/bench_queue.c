/* Times the console's own queue and SLA queries (model.c) against whatever database the
 * PG* variables name: median milliseconds per window at several depths of the queue. */
#include "db.h"
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUNS   15
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

static void fail_on(int rc, const char *err)
{
    if (rc < 0) {
        fprintf(stderr, "%s\n", err);
        exit(1);
    }
}

/* For the functions whose error is allocated: read only after the call has set it. */
static void fail_on_alloc(int rc, char **err)
{
    fail_on(rc, rc < 0 && *err ? *err : "failed");
}

static void time_window(struct db *db, const char *filter_text, long offset)
{
    struct filter f;
    char *qerr = NULL;
    if (filter_parse(filter_text, &f, NULL) < 0) {
        f.kind = FILTER_SEARCH;
        f.arg = strdup(filter_text + strlen("search "));
    }
    /* Once with the count (what a change costs), then the page alone (what scrolling costs). */
    struct queue_page page;
    double start = now_ms();
    fail_on_alloc(queue_fetch(db, &f, NULL, offset, WINDOW, true, &page, &qerr), &qerr);
    double counted = now_ms() - start;
    long total = page.total;
    queue_page_free(&page);
    /* What the console does when paging: the window after the last row on screen, and the
     * key a page before the first (keyset: the depth should not matter). */
    fail_on_alloc(queue_fetch(db, &f, NULL, offset, WINDOW, false, &page, &qerr), &qerr);
    struct queue_key last = page.count ? page.rows[page.count - 1].key : (struct queue_key){0};
    struct queue_key first = page.count ? page.rows[0].key : (struct queue_key){0};
    queue_page_free(&page);
    double next[RUNS], back[RUNS];
    for (int i = 0; i < RUNS; i++) {
        start = now_ms();
        fail_on_alloc(queue_fetch(db, &f, &last, 0, WINDOW, false, &page, &qerr), &qerr);
        next[i] = now_ms() - start;
        queue_page_free(&page);
        struct queue_key key;
        start = now_ms();
        if (first.set && f.kind != FILTER_SEARCH)
            fail_on_alloc(queue_key_before(db, &f, &first, WINDOW, &key, &qerr) < 0 ? -1 : 0,
                          &qerr);
        back[i] = now_ms() - start;
    }
    double t[RUNS], sla[RUNS];
    for (int i = 0; i < RUNS; i++) {
        start = now_ms();
        fail_on_alloc(queue_fetch(db, &f, NULL, offset, WINDOW, false, &page, &qerr), &qerr);
        t[i] = now_ms() - start;
        long long ids[WINDOW];
        for (int k = 0; k < page.count; k++)
            ids[k] = page.rows[k].id;
        struct sla_list list;
        start = now_ms();
        fail_on_alloc(sla_fetch(db, ids, page.count, &list, &qerr), &qerr);
        sla[i] = now_ms() - start;
        sla_list_free(&list);
        queue_page_free(&page);
    }
    printf("%-16s row %6ld of %7ld: by offset %7.2f ms, +count %7.2f ms | by key: next page "
           "%5.2f ms, page back %5.2f ms | SLA clocks %5.2f ms\n",
           filter_text, offset, total, median(t, RUNS), counted, median(next, RUNS),
           median(back, RUNS), median(sla, RUNS));
    filter_free(&f);
}

int main(void)
{
    struct db db;
    char *err = NULL;
    if (db_connect(&db, NULL, &err) < 0) {
        fprintf(stderr, "%s\n", err ? err : "out of memory");
        free(err);
        return 1;
    }
    const long offsets[] = {0, 1000, 50000, 99000};
    printf("medians of %d runs, %d-row windows\n", RUNS, WINDOW);
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
