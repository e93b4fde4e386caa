/*
 * live_totals.c
 *	  Keeps the totals of quota.activity per rep, kind and local day live.
 *
 * Statement-level triggers read the transition tables of an INSERT, UPDATE,
 * DELETE or COPY once, check every row (closed periods, the future
 * tolerance), fold the rows into one delta per (rep, kind, day in the rep's
 * time zone) and add those deltas to quota.daily_total in a single upsert.
 * A bulk load of millions of rows therefore touches each total once, and
 * since every backend adds to its own slot of a total, concurrent writers
 * of one rep and day never wait on each other's rows: readers sum the slots.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"
#if PG_VERSION_NUM >= 170000
#include "storage/procnumber.h"
#define BACKEND_SLOT (MyProcNumber + 1)
#else
#include "storage/backendid.h"
#define BACKEND_SLOT MyBackendId
#endif

#include "quota_ext.h"

/* One total being folded: its key and the change of its quantity. */
typedef struct TotalDelta
{
	const char *rep_id;			/* key: rep, kind, day */
	const char *kind;
	DateADT		day;
	Numeric		qty;			/* the change */
} TotalDelta;

/* The time zone of a rep, cached for one statement. */
typedef struct RepZone
{
	const char *rep_id;			/* key */
	pg_tz	   *zone;
} RepZone;

/* Everything one trigger call needs while it reads its rows. */
typedef struct TotalsFold
{
	Relation	activity;
	HTAB	   *deltas;			/* TotalDelta by (rep, kind, day) */
	HTAB	   *zones;			/* RepZone by rep */
	DateADT		closed_through; /* last closed day, or DATEVAL_NOBEGIN */
	TimestampTz latest_allowed; /* occurred_at limit of the future tolerance */
	MemoryContext fold_context; /* holds the tables, keys and sums */
	MemoryContext row_context;	/* reset after every row */
} TotalsFold;

/* Column numbers of quota.activity the triggers read. */
typedef struct ActivityColumns
{
	AttrNumber	activity_id;
	AttrNumber	rep_id;
	AttrNumber	kind;
	AttrNumber	occurred_at;
	AttrNumber	qty;
} ActivityColumns;

static SPIPlanPtr rep_zone_plan = NULL;
static SPIPlanPtr closed_through_plan = NULL;
static SPIPlanPtr add_deltas_plan = NULL;

/* Returns a plan kept for the session, preparing it on first use. */
static SPIPlanPtr
kept_plan(SPIPlanPtr *plan, const char *query, int nargs, Oid *argtypes)
{
	if (*plan == NULL)
	{
		SPIPlanPtr	prepared = SPI_prepare(query, nargs, argtypes);

		if (prepared == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s",
				 query, SPI_result_code_string(SPI_result));
		SPI_keepplan(prepared);
		*plan = prepared;
	}
	return *plan;
}

/* Hashes a C string key held by pointer. */
static uint32
string_pointer_hash(const void *key, Size keysize)
{
	const char *str = *(const char *const *) key;

	return string_hash(str, strlen(str) + 1);
}

/* Compares two C string keys held by pointer. */
static int
string_pointer_match(const void *key1, const void *key2, Size keysize)
{
	return strcmp(*(const char *const *) key1, *(const char *const *) key2);
}

/* Hashes a (rep, kind, day) key. */
static uint32
total_key_hash(const void *key, Size keysize)
{
	const TotalDelta *delta = key;

	return hash_combine(hash_combine(string_hash(delta->rep_id, strlen(delta->rep_id) + 1),
									 string_hash(delta->kind, strlen(delta->kind) + 1)),
						hash_uint32((uint32) delta->day));
}

/* Orders (rep, kind, day) keys; also the hash table's match function. */
static int
total_key_cmp(const void *key1, const void *key2)
{
	const TotalDelta *a = key1;
	const TotalDelta *b = key2;
	int			cmp = strcmp(a->rep_id, b->rep_id);

	if (cmp == 0)
		cmp = strcmp(a->kind, b->kind);
	if (cmp == 0)
		cmp = (a->day > b->day) - (a->day < b->day);
	return cmp;
}

/* Adapts total_key_cmp to the hash table's match signature. */
static int
total_key_match(const void *key1, const void *key2, Size keysize)
{
	return total_key_cmp(key1, key2);
}

/* Orders pointers to deltas by key, so that rows are locked in one order. */
static int
total_delta_pointer_cmp(const void *a, const void *b)
{
	return total_key_cmp(*(TotalDelta *const *) a, *(TotalDelta *const *) b);
}

/* Creates the hash tables and limits of one trigger call. */
static void
fold_begin(TotalsFold *fold, Relation activity)
{
	HASHCTL		ctl;

	fold->activity = activity;
	fold->fold_context = CurrentMemoryContext;

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = offsetof(TotalDelta, qty);
	ctl.entrysize = sizeof(TotalDelta);
	ctl.hash = total_key_hash;
	ctl.match = total_key_match;
	ctl.hcxt = CurrentMemoryContext;
	fold->deltas = hash_create("quota totals", 1024, &ctl,
							   HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(const char *);
	ctl.entrysize = sizeof(RepZone);
	ctl.hash = string_pointer_hash;
	ctl.match = string_pointer_match;
	ctl.hcxt = CurrentMemoryContext;
	fold->zones = hash_create("quota rep zones", 64, &ctl,
							  HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);

	fold->closed_through = DATEVAL_NOBEGIN;
	fold->latest_allowed = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
													   (int64) quota_future_tolerance * 1000);
	fold->row_context = AllocSetContextCreate(CurrentMemoryContext,
											  "quota totals row",
											  ALLOCSET_SMALL_SIZES);
}

/*
 * Runs a kept read-only plan with the latest snapshot rather than the
 * transaction's: a writer that waited for quota.close_period() or for a
 * change of a rep's time zone must see what that committed, also under
 * REPEATABLE READ.
 */
static void
select_latest(SPIPlanPtr plan, Datum *args)
{
	if (SPI_execute_snapshot(plan, args, NULL, GetLatestSnapshot(),
							 InvalidSnapshot, true, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_snapshot failed: %s",
			 SPI_result_code_string(SPI_result));
}

/* Reads the last closed day. */
static void
fold_read_closed_through(TotalsFold *fold)
{
	bool		isnull;
	Datum		value;

	select_latest(kept_plan(&closed_through_plan,
							"SELECT pg_catalog.max(closed_through) FROM quota.period_close",
							0, NULL),
				  NULL);
	value = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (!isnull)
		fold->closed_through = DatumGetDateADT(value);
}

/* Returns the time zone of a rep, looking it up once per statement. */
static pg_tz *
rep_zone(TotalsFold *fold, const char *rep_id)
{
	RepZone    *entry;
	bool		found;

	entry = hash_search(fold->zones, &rep_id, HASH_ENTER, &found);
	if (!found)
	{
		Oid			argtypes[1] = {TEXTOID};
		Datum		args[1];
		entry->rep_id = MemoryContextStrdup(fold->fold_context, rep_id);
		entry->zone = NULL;		/* until the lookup below succeeds */
		args[0] = CStringGetTextDatum(rep_id);
		select_latest(kept_plan(&rep_zone_plan,
								"SELECT time_zone FROM quota.rep WHERE rep_id OPERATOR(pg_catalog.=) $1",
								1, argtypes),
					  args);
		if (SPI_processed == 0)
			ereport(ERROR,
					(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
					 errmsg("rep \"%s\" does not exist", rep_id),
					 errhint("Add the rep to quota.rep before recording activity.")));
		entry->zone = time_zone_lookup(SPI_getvalue(SPI_tuptable->vals[0],
													SPI_tuptable->tupdesc, 1));
	}
	return entry->zone;
}

/* Rejects a row that lies in a closed period or too far in the future. */
static void
check_row(TotalsFold *fold, int64 activity_id, const char *rep_id,
		  TimestampTz occurred_at, DateADT day, bool written)
{
	if (day <= fold->closed_through)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("activity %lld of rep \"%s\" falls in a closed period",
						(long long) activity_id, rep_id),
				 errdetail("Activity on or before %s is closed; this activity is on %s in the rep's time zone.",
						   DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(fold->closed_through))),
						   DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(day)))),
				 errhint("Record a correction in an open period instead.")));

	if (written && occurred_at > fold->latest_allowed)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("activity %lld of rep \"%s\" occurs too far in the future",
						(long long) activity_id, rep_id),
				 errdetail("It occurs at %s, more than quota.future_tolerance (%d s) after now.",
						   timestamptz_to_str(occurred_at), quota_future_tolerance),
				 errhint("Check the clock and time zone of the sending system, or raise quota.future_tolerance.")));
}

/* Adds sign * qty to the delta of (rep, kind, day). */
static void
fold_add(TotalsFold *fold, const char *rep_id, const char *kind, DateADT day,
		 Numeric qty, int sign)
{
	TotalDelta	key;
	TotalDelta *entry;
	bool		found;
	Datum		sum;

	key.rep_id = rep_id;
	key.kind = kind;
	key.day = day;
	entry = hash_search(fold->deltas, &key, HASH_ENTER, &found);
	if (!found)
	{
		entry->rep_id = MemoryContextStrdup(fold->fold_context, rep_id);
		entry->kind = MemoryContextStrdup(fold->fold_context, kind);
		entry->qty = NULL;
	}

	if (entry->qty == NULL)
		sum = sign > 0 ? NumericGetDatum(qty)
			: DirectFunctionCall1(numeric_uminus, NumericGetDatum(qty));
	else
		sum = DirectFunctionCall2(sign > 0 ? numeric_add : numeric_sub,
								  NumericGetDatum(entry->qty), NumericGetDatum(qty));
	if (entry->qty != NULL)
		pfree(entry->qty);
	entry->qty = (Numeric) MemoryContextAlloc(fold->fold_context, VARSIZE(DatumGetPointer(sum)));
	memcpy(entry->qty, DatumGetPointer(sum), VARSIZE(DatumGetPointer(sum)));
}

/* Checks the rows of a transition table and folds them with the sign given. */
static void
fold_rows(TotalsFold *fold, Tuplestorestate *rows, int sign, bool written)
{
	TupleDesc	desc = RelationGetDescr(fold->activity);
	ActivityColumns cols;
	TupleTableSlot *slot;

	cols.activity_id = SPI_fnumber(desc, "activity_id");
	cols.rep_id = SPI_fnumber(desc, "rep_id");
	cols.kind = SPI_fnumber(desc, "kind");
	cols.occurred_at = SPI_fnumber(desc, "occurred_at");
	cols.qty = SPI_fnumber(desc, "qty");
	if (cols.activity_id <= 0 || cols.rep_id <= 0 || cols.kind <= 0 ||
		cols.occurred_at <= 0 || cols.qty <= 0)
		elog(ERROR, "table \"%s\" lacks a column of quota.activity",
			 RelationGetRelationName(fold->activity));

	slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	tuplestore_select_read_pointer(rows, tuplestore_alloc_read_pointer(rows, 0));
	tuplestore_rescan(rows);
	while (tuplestore_gettupleslot(rows, true, false, slot))
	{
		MemoryContext caller_context = MemoryContextSwitchTo(fold->row_context);
		bool		isnull;
		char	   *rep_id = TextDatumGetCString(slot_getattr(slot, cols.rep_id, &isnull));
		char	   *kind = TextDatumGetCString(slot_getattr(slot, cols.kind, &isnull));
		TimestampTz occurred_at = DatumGetTimestampTz(slot_getattr(slot, cols.occurred_at, &isnull));
		Numeric		qty = DatumGetNumeric(slot_getattr(slot, cols.qty, &isnull));
		DateADT		day = local_date(occurred_at, rep_zone(fold, rep_id));

		check_row(fold, DatumGetInt64(slot_getattr(slot, cols.activity_id, &isnull)),
				  rep_id, occurred_at, day, written);
		fold_add(fold, rep_id, kind, day, qty, sign);

		MemoryContextSwitchTo(caller_context);
		MemoryContextReset(fold->row_context);
	}
	ExecDropSingleTupleTableSlot(slot);
}

/* Adds every non-zero delta to this backend's slot of quota.daily_total. */
static void
fold_write(TotalsFold *fold)
{
	Oid			argtypes[5] = {TEXTARRAYOID, TEXTARRAYOID, DATEARRAYOID, NUMERICARRAYOID, INT4OID};
	long		count = hash_get_num_entries(fold->deltas);
	TotalDelta **sorted = palloc(sizeof(TotalDelta *) * Max(count, 1));
	Datum	   *reps = palloc(sizeof(Datum) * Max(count, 1));
	Datum	   *kinds = palloc(sizeof(Datum) * Max(count, 1));
	Datum	   *days = palloc(sizeof(Datum) * Max(count, 1));
	Datum	   *qtys = palloc(sizeof(Datum) * Max(count, 1));
	Datum		zero = DirectFunctionCall1(int4_numeric, Int32GetDatum(0));
	Datum		args[5];
	HASH_SEQ_STATUS scan;
	TotalDelta *delta;
	int			n = 0;
	int			i;

	hash_seq_init(&scan, fold->deltas);
	while ((delta = hash_seq_search(&scan)) != NULL)
	{
		if (!DatumGetBool(DirectFunctionCall2(numeric_eq, NumericGetDatum(delta->qty), zero)))
			sorted[n++] = delta;
	}
	if (n == 0)
		return;
	qsort(sorted, n, sizeof(TotalDelta *), total_delta_pointer_cmp);

	for (i = 0; i < n; i++)
	{
		reps[i] = CStringGetTextDatum(sorted[i]->rep_id);
		kinds[i] = CStringGetTextDatum(sorted[i]->kind);
		days[i] = DateADTGetDatum(sorted[i]->day);
		qtys[i] = NumericGetDatum(sorted[i]->qty);
	}
	args[0] = PointerGetDatum(construct_array(reps, n, TEXTOID, -1, false, TYPALIGN_INT));
	args[1] = PointerGetDatum(construct_array(kinds, n, TEXTOID, -1, false, TYPALIGN_INT));
	args[2] = PointerGetDatum(construct_array(days, n, DATEOID, sizeof(DateADT), true, TYPALIGN_INT));
	args[3] = PointerGetDatum(construct_array(qtys, n, NUMERICOID, -1, false, TYPALIGN_INT));
	args[4] = Int32GetDatum(BACKEND_SLOT);

	if (SPI_execute_plan(kept_plan(&add_deltas_plan,
								   "INSERT INTO quota.daily_total AS t (rep_id, kind, day, slot, qty) "
								   "SELECT d.rep_id, d.kind, d.day, $5, d.qty "
								   "FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), "
								   "pg_catalog.unnest($3), pg_catalog.unnest($4)) AS d(rep_id, kind, day, qty) "
								   "ON CONFLICT (rep_id, kind, day, slot) "
								   "DO UPDATE SET qty = t.qty OPERATOR(pg_catalog.+) excluded.qty",
								   5, argtypes),
						 args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not update quota.daily_total");
}

/* Refuses a TRUNCATE that would remove closed activity, then clears the totals. */
static void
truncate_totals(TotalsFold *fold)
{
	if (fold->closed_through != DATEVAL_NOBEGIN)
	{
		Oid			argtypes[1] = {DATEOID};
		Datum		args[1] = {DateADTGetDatum(fold->closed_through)};

		if (SPI_execute_with_args("SELECT 1 FROM quota.daily_total WHERE day OPERATOR(pg_catalog.<=) $1 "
								  "GROUP BY rep_id, kind, day "
								  "HAVING pg_catalog.sum(qty) OPERATOR(pg_catalog.<>) 0 LIMIT 1",
								  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read quota.daily_total");
		if (SPI_processed > 0)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("cannot truncate quota.activity: it holds activity of a closed period"),
					 errdetail("Activity on or before %s is closed.",
							   DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(fold->closed_through)))),
					 errhint("Delete the activity of open periods with DELETE instead.")));
	}
	if (SPI_execute("TRUNCATE quota.daily_total", false, 0) != SPI_OK_UTILITY)
		elog(ERROR, "could not truncate quota.daily_total");
}

/* Refuses to run unless called as an AFTER ... FOR EACH STATEMENT trigger. */
static TriggerData *
statement_trigger_data(FunctionCallInfo fcinfo)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("quota.activity_totals() was not called by the trigger manager"),
				 errhint("It is attached to quota.activity by the extension; do not call it directly.")));
	if (!TRIGGER_FIRED_AFTER(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_STATEMENT(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("quota.activity_totals() must be fired AFTER ... FOR EACH STATEMENT")));
	if ((TRIGGER_FIRED_BY_INSERT(trigdata->tg_event) && trigdata->tg_newtable == NULL) ||
		(TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) &&
		 (trigdata->tg_newtable == NULL || trigdata->tg_oldtable == NULL)) ||
		(TRIGGER_FIRED_BY_DELETE(trigdata->tg_event) && trigdata->tg_oldtable == NULL))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("quota.activity_totals() needs the transition tables of its event"),
				 errhint("Create the trigger with REFERENCING NEW TABLE (INSERT), OLD TABLE (DELETE) or both (UPDATE).")));
	return trigdata;
}

PG_FUNCTION_INFO_V1(activity_totals);

/* Statement trigger on quota.activity: folds the changed rows into the totals. */
Datum
activity_totals(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = statement_trigger_data(fcinfo);
	TriggerEvent event = trigdata->tg_event;
	TotalsFold	fold;
	Oid			caller;
	int			caller_security;

	if (!TRIGGER_FIRED_BY_TRUNCATE(event) &&
		(trigdata->tg_newtable == NULL || tuplestore_tuple_count(trigdata->tg_newtable) == 0) &&
		(trigdata->tg_oldtable == NULL || tuplestore_tuple_count(trigdata->tg_oldtable) == 0))
		return PointerGetDatum(NULL);

	/* The totals belong to the table's owner, like the checks of a foreign key. */
	GetUserIdAndSecContext(&caller, &caller_security);
	SetUserIdAndSecContext(trigdata->tg_relation->rd_rel->relowner,
						   caller_security | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	fold_begin(&fold, trigdata->tg_relation);
	fold_read_closed_through(&fold);
	if (TRIGGER_FIRED_BY_TRUNCATE(event))
		truncate_totals(&fold);
	else
	{
		if (trigdata->tg_oldtable != NULL)
			fold_rows(&fold, trigdata->tg_oldtable, -1, false);
		if (trigdata->tg_newtable != NULL)
			fold_rows(&fold, trigdata->tg_newtable, +1, true);
		fold_write(&fold);
	}

	SPI_finish();
	SetUserIdAndSecContext(caller, caller_security);
	return PointerGetDatum(NULL);
}
