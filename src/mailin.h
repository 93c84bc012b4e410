/* tuki mail-in: one RFC 5322 message on standard input, as an MTA delivers it, or every
 * message of a Maildir's new/ (--maildir DIR). A message on standard input goes to the
 * running worker over its socket (mail.socket) when one answers, else (and with --direct, or
 * a conninfo given with -d: direct is true) on a database connection of its own. Exit status per
 * sysexits(3), what MTAs read: 0  stored, held for a lead, a duplicate, or a bounce recorded 65
 * (EX_DATAERR) the input is no message at all; its bytes are kept in tuki.mail_hold 75
 * (EX_TEMPFAIL) the database cannot be reached or refused: nothing was stored, the MTA keeps the
 * message and delivers it again later 64 (EX_USAGE), 78 (EX_CONFIG) for wrong arguments or settings
 */
#ifndef TUKI_MAILIN_H
#define TUKI_MAILIN_H

#include <stdbool.h>

int mailin_command(const char *config_path, const char *conninfo, bool direct, int argc,
                   char **argv);

#endif
