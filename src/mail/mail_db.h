/* The desk's own database session (tuki mail-in, tuki worker): connects and says it is the
 * system (tuki.system = on; the schema believes it only for members of tuki_system). The
 * connection's "options" carry the settings, replacing any options in conninfo. */
#ifndef TUKI_MAIL_DB_H
#define TUKI_MAIL_DB_H

#include "db.h"

/* 0, or -1 with the reason in err (the caller exits EX_TEMPFAIL or retries). */
int mail_db_connect(struct db *db, const char *conninfo, char *err, size_t errlen);

#endif
