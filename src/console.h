/* The full-screen console and its script twin ('tuki -c'). */
#ifndef TUKI_CONSOLE_H
#define TUKI_CONSOLE_H

#include "config.h"

/* Opens the screen on the database; returns an exit status. */
int console_run(const struct settings *settings, const char *conninfo);

/* Runs console commands without the screen, stopping at the first that fails (exit 1). */
int console_run_script(const struct settings *settings, const char *conninfo,
                       const char *const *commands, int count);

#endif
