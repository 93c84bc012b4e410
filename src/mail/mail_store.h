/* Storing one received message: parse it (mail_parse) and hand it to tuki.mail_receive in one
 * statement, or keep input that is no message in tuki.mail_hold. The one way mail gets in:
 * tuki mail-in on its own connection and tuki worker for mail handed over its socket
 * (mail_socket.h) both call this. */
#ifndef TUKI_MAIL_STORE_H
#define TUKI_MAIL_STORE_H

#include "db.h"

#include <stddef.h>

/* Stores raw[0..len) on db's connection (autocommit: done means committed). Returns the exit
 * status per sysexits(3): 0 stored (or held, a duplicate, a bounce recorded), EX_DATAERR no
 * message (its bytes held), EX_TEMPFAIL the database failed (nothing stored). *what gets what
 * tuki.mail_receive said, or the database's error (malloc'd; the caller frees it). */
int mail_store(struct db *db, const char *raw, size_t len, const char *tag, char **what);

#endif
