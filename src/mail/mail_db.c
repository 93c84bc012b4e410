/* Connecting as the desk itself. */
#include "mail_db.h"

#include <stdio.h>
#include <string.h>

int mail_db_connect(struct db *db, const char *conninfo, char *err, size_t errlen)
{
    memset(db, 0, sizeof *db);
    /* the settings travel with the start-up packet: no round trip after it (one process per
     * message); a database that hangs must not hold the MTA's delivery forever */
    const char *keys[] = {"dbname", "options", "fallback_application_name", NULL};
    const char *vals[] = {conninfo ? conninfo : "", "-c tuki.system=on -c statement_timeout=60s",
                          "tuki mail", NULL};
    db->conn = PQconnectdbParams(keys, vals, 1);
    if (!db->conn || PQstatus(db->conn) != CONNECTION_OK) {
        snprintf(err, errlen, "%s", db->conn ? PQerrorMessage(db->conn) : "out of memory");
        err[strcspn(err, "\n")] = '\0';
        return -1;
    }
    db->state = DB_ONLINE;
    snprintf(db->role, sizeof db->role, "%s", PQuser(db->conn));
    snprintf(db->dbname, sizeof db->dbname, "%s", PQdb(db->conn));
    return 0;
}
