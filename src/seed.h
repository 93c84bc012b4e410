/* 'tuki seed': a realistic, reproducible demo data set loaded through the real rules. */
#ifndef TUKI_SEED_H
#define TUKI_SEED_H

#include "db.h"

#include <stdbool.h>
#include <stdio.h>

/* true when the schema has what seeding needs. */
bool seed_available(struct db *db);

/* true when demo data was loaded before. */
bool seed_present(struct db *db);

/* Loads the data set; progress goes to progress (a bar when it is a terminal). */
int seed_load(struct db *db, long tickets, long seed, FILE *progress, char *err, size_t errlen);

/* The sub-command: tuki seed [--tickets N] [--seed S]; returns an exit status. */
int seed_command(const char *conninfo, int argc, char **argv);

#endif
