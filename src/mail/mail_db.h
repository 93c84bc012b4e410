/* The desk's own database session (tuki mail-in, tuki worker): connects, says it is the
 * system (tuki.system = on; the schema believes it only for members of tuki_system), and tells
 * a failure worth retrying (connection, shutdown, lock, serialization) from the others. */
#ifndef TUKI_MAIL_DB_H
#define TUKI_MAIL_DB_H

#include "db.h"

#include <stdbool.h>

/* 0, or -1 with the reason in err (the caller exits EX_TEMPFAIL or retries). */
int mail_db_connect(struct db *db, const char *conninfo, char *err, size_t errlen);

/* true when res failed for a reason that may pass: the connection, the server going down,
 * a lock or statement timeout, a serialization failure or deadlock, too many connections. */
bool mail_db_transient(const PGresult *res, const PGconn *conn);

#endif
