/*
 * The least rules of a desk that keeps a history, as C triggers: a server module built and
 * loaded by tests/bench/measure alone (never by the desk), for the floor row "least rules in C".
 * The same rules as the bench's PL/pgSQL pair public.least_before and public.least_after: a
 * version stamp before the row is written, then one event and one notification per change.
 * They answer whether the status-change target could be met by writing the rules in C instead
 * of PL/pgSQL: if even these miss it, the desk's own rules (a dozen queries a change) would too.
 */
#include "postgres.h"
#include "fmgr.h"
#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

PG_MODULE_MAGIC;

/* One plan for the event's INSERT, kept for the session as PL/pgSQL keeps its own. */
static SPIPlanPtr insert_event;

static Datum column_of(TriggerData *trigger, HeapTuple row, const char *name)
{
    TupleDesc desc = RelationGetDescr(trigger->tg_relation);
    bool isnull;

    return SPI_getbinval(row, desc, SPI_fnumber(desc, name), &isnull);
}

PG_FUNCTION_INFO_V1(bench_least_before_c);

/* BEFORE UPDATE, per row: version = old version + 1, updated_at = the transaction's start. */
Datum bench_least_before_c(PG_FUNCTION_ARGS)
{
    TriggerData *trigger = (TriggerData *)fcinfo->context;
    TupleDesc desc;
    int columns[2];
    Datum values[2];
    bool nulls[2] = {false, false};

    if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BY_UPDATE(trigger->tg_event))
        elog(ERROR, "bench_least_before_c: not called as an UPDATE trigger");
    desc = RelationGetDescr(trigger->tg_relation);
    columns[0] = SPI_fnumber(desc, "version");
    columns[1] = SPI_fnumber(desc, "updated_at");
    values[0] =
        Int32GetDatum(DatumGetInt32(column_of(trigger, trigger->tg_trigtuple, "version")) + 1);
    values[1] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
    return PointerGetDatum(
        heap_modify_tuple_by_cols(trigger->tg_newtuple, desc, 2, columns, values, nulls));
}

PG_FUNCTION_INFO_V1(bench_least_after_c);

/* AFTER UPDATE, per row: a status event from the old to the new status, and a notification. */
Datum bench_least_after_c(PG_FUNCTION_ARGS)
{
    TriggerData *trigger = (TriggerData *)fcinfo->context;
    Datum values[3];

    if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BY_UPDATE(trigger->tg_event))
        elog(ERROR, "bench_least_after_c: not called as an UPDATE trigger");
    values[0] = column_of(trigger, trigger->tg_newtuple, "id");
    values[1] = column_of(trigger, trigger->tg_trigtuple, "status");
    values[2] = column_of(trigger, trigger->tg_newtuple, "status");
    if (SPI_connect() != SPI_OK_CONNECT)
        elog(ERROR, "bench_least_after_c: SPI_connect failed");
    if (insert_event == NULL) {
        Oid types[3] = {INT8OID, TEXTOID, TEXTOID};

        insert_event = SPI_prepare("INSERT INTO tuki.ticket_event (ticket, kind, detail) VALUES "
                                   "($1, 'status', pg_catalog.jsonb_build_object('from', $2, "
                                   "'to', $3))",
                                   3, types);
        if (insert_event == NULL || SPI_keepplan(insert_event) != 0)
            elog(ERROR, "bench_least_after_c: the event's INSERT could not be prepared");
    }
    if (SPI_execute_plan(insert_event, values, NULL, false, 0) != SPI_OK_INSERT)
        elog(ERROR, "bench_least_after_c: the event's INSERT failed");
    SPI_finish();
    Async_Notify("bench", psprintf(INT64_FORMAT, DatumGetInt64(values[0])));
    return PointerGetDatum(NULL);
}
