/* The usage text of tuki and each sub-command, written once: --help prints them all, a
 * sub-command's mistake prints its own line. */
#ifndef TUKI_USAGE_H
#define TUKI_USAGE_H

#include <stdio.h>

/* The lines for sub (a name such as "seed"), or every line when sub is NULL. */
void usage_print(FILE *to, const char *sub);

#endif
