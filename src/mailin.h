/* tuki mail-in: one RFC 5322 message on standard input, as an MTA delivers it, or every
 * message of a Maildir's new/ (--maildir DIR). Exit status per sysexits(3), what MTAs read:
 *   0  stored, held for a lead, a duplicate, or a bounce recorded
 *   65 (EX_DATAERR) the input is no message at all; its bytes are kept in tuki.mail_hold
 *   75 (EX_TEMPFAIL) the database cannot be reached or refused: nothing was stored, the MTA
 *      keeps the message and delivers it again later
 *   64 (EX_USAGE), 78 (EX_CONFIG) for wrong arguments or settings */
#ifndef TUKI_MAILIN_H
#define TUKI_MAILIN_H

int mailin_command(const char *config_path, const char *conninfo, int argc, char **argv);

#endif
