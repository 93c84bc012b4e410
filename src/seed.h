/* 'tuki seed': a realistic, reproducible demo data set loaded through the real rules. */
#ifndef TUKI_SEED_H
#define TUKI_SEED_H

#include "db.h"

#include <stdbool.h>
#include <stdio.h>

/* Largest --tickets and --jobs accepted. */
#define SEED_MAX_TICKETS 10000000L
#define SEED_MAX_JOBS    8

/* true when the schema has what seeding needs (migration 020, the back-dating clock). */
bool seed_available(struct db *db);

/* true when the desk already has customers (demo data loaded before, or real ones). */
bool seed_present(struct db *db);

/* Connections a load of this many tickets uses by default: 2 from 10,000 tickets on a machine
 * with two CPUs, else 1. */
int seed_default_jobs(long tickets);

/* Loads the data set: tickets tickets from seed, their history ending at anchor (a timestamp
 * PostgreSQL understands; NULL = now, to the minute), on jobs connections (0 = the default).
 * Progress goes to progress, a bar when it is a terminal. Returns 0, or -1 with *err set to
 * why, newly allocated (the caller frees it; NULL when out of memory). */
int seed_load(struct db *db, long tickets, long seed, const char *anchor, int jobs, FILE *progress,
              char **err);

/* The sub-command: tuki seed [--tickets N] [--seed S] [--now TIME] [--jobs J]; returns an exit
 * status. */
int seed_command(const char *conninfo, int argc, char **argv);

#endif
