/* 'tuki seed': a realistic, reproducible demo data set loaded through the real rules. */
#ifndef TUKI_SEED_H
#define TUKI_SEED_H

#include "db.h"

#include <stdbool.h>
#include <stdio.h>

/* Largest --tickets accepted. */
#define SEED_MAX_TICKETS 10000000L

/* true when the schema has what seeding needs (migration 020, the back-dating clock). */
bool seed_available(struct db *db);

/* true when the desk already has customers (demo data loaded before, or real ones). */
bool seed_present(struct db *db);

/* Loads the data set: tickets tickets from seed, their history ending at anchor (a timestamp
 * PostgreSQL understands; NULL = now, to the minute). Progress goes to progress, a bar when it
 * is a terminal. Returns 0, or -1 with err set. */
int seed_load(struct db *db, long tickets, long seed, const char *anchor, FILE *progress,
              char *err, size_t errlen);

/* The sub-command: tuki seed [--tickets N] [--seed S] [--now TIME]; returns an exit status. */
int seed_command(const char *conninfo, int argc, char **argv);

#endif
