/* Connecting as the desk itself. */
#include "mail_db.h"

#include <stdio.h>
#include <string.h>

int mail_db_connect(struct db *db, const char *conninfo, char *err, size_t errlen)
{
    if (db_connect(db, conninfo, err, errlen) < 0)
        return -1;
    /* a database that hangs must not hold the MTA's delivery forever */
    PGresult *res = db_exec(db,
                            "SELECT set_config('tuki.system', 'on', false),"
                            "       set_config('statement_timeout', '60s', false),"
                            "       set_config('application_name', 'tuki mail', false)",
                            0, NULL);
    int rc = db_ok(res) ? 0 : -1;
    if (rc < 0)
        db_result_error(res, db->conn, err, errlen);
    PQclear(res);
    return rc;
}

bool mail_db_transient(const PGresult *res, const PGconn *conn)
{
    if (!conn || PQstatus(conn) != CONNECTION_OK)
        return true;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (!state)
        return true; /* no answer from the server at all */
    static const char *const classes[] = {"08", "53", "57", "40", "55"};
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
        if (strncmp(state, classes[i], 2) == 0)
            return true;
    return false;
}
