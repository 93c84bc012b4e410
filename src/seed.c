#include "seed.h"

#include <stdio.h>
#include <sysexits.h>

/* The data set itself arrives with the seeding work (issue 6); until then the demo
 * database is real but empty, and 'tuki seed' says so instead of pretending. */
bool seed_available(struct db *db)
{
    (void)db;
    return false;
}

bool seed_present(struct db *db)
{
    (void)db;
    return false;
}

int seed_load(struct db *db, long tickets, long seed, FILE *progress, char *err, size_t errlen)
{
    (void)db, (void)tickets, (void)seed, (void)progress;
    snprintf(err, errlen, "seeding is not available in this version yet");
    return -1;
}

int seed_command(const char *conninfo, int argc, char **argv)
{
    (void)conninfo, (void)argc, (void)argv;
    fprintf(stderr, "tuki seed: seeding is not available in this version yet\n");
    return EX_SOFTWARE;
}
