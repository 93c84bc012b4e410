/* The mail.* settings of tuki.conf, read by the mail commands (tuki mail-in, tuki worker).
 *   mail.from      the desk's address, From and Reply-To of customer mail (default tuki@localhost)
 *   mail.sendmail  the sendmail(8) command line (default "/usr/sbin/sendmail -t -oi")
 *   mail.tag       the word of the subject tag "[tuki #N]" (default "tuki")
 *   mail.socket    where tuki worker takes mail from tuki mail-in (default /run/tuki/mail.sock)
 * The attachment cap and the mail language live in the database (tuki.mail_setting). */
#ifndef TUKI_MAIL_SETTINGS_H
#define TUKI_MAIL_SETTINGS_H

#include <stddef.h>

struct mail_settings {
    char *from;
    char *sendmail;
    char *tag;
    char *socket;
};

/* Defaults, then the file at path (NULL: defaults only). 0, or -1 with "file:line: what" in
 * *err, newly allocated (the caller frees it; NULL when out of memory). */
int mail_settings_load(struct mail_settings *m, const char *path, char **err);
void mail_settings_free(struct mail_settings *m);

/* The ticket number of a "[TAG #N]" in subject (TAG compared case-insensitively), else 0. */
long long mail_subject_ticket(const char *subject, const char *tag);

#endif
