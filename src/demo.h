/* 'tuki demo': a private PostgreSQL server, migrated, with the console on it. */
#ifndef TUKI_DEMO_H
#define TUKI_DEMO_H

#include "config.h"

int demo_run(const struct settings *settings, int argc, char **argv);

#endif
