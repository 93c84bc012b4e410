/* 'tuki -c': console commands without the screen; what the screen would show is printed. */
#ifndef TUKI_SCRIPT_H
#define TUKI_SCRIPT_H

#include "db.h"

/* Runs the commands in order and stops at the first that fails: returns 0, or 1. */
int script_run(struct db *db, const char *const *commands, int count);

#endif
