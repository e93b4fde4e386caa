/*
 * live_totals.c
 *	  Keeps the totals of quota.activity per rep, kind and local day live.
 *
 * Statement-level triggers read the transition tables of an INSERT, UPDATE,
 * DELETE or COPY once, check every row (closed periods, the future
 * tolerance), fold the rows into one delta per (rep, kind, day in the rep's
 * time zone) and add those deltas to quota.daily_total in one upsert per
 * batch (a batch holds at most BATCH_WORK_MEMS times work_mem of deltas,
 * 64 MB by default).  A bulk load therefore
 * touches each total once per batch rather than once per row, and since
 * every backend adds to its own slot of a total, concurrent writers of one
 * rep and day never wait on each other's rows: readers sum the slots.
 *
 * After an update of activity, the credits (quota.activity_credit) of the
 * activities whose rep, kind, time or qty changed are touched, so that
 * their own triggers copy the new values and move the totals.
 *
 * The reps' time zones and the last closed day are cached for the session
 * and forgotten when quota.rep or quota.period_close change: a statement
 * trigger on those tables sends a relcache invalidation to every backend.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/backendid.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "quota_ext.h"

/* A string used by the rows of a batch, stored once; a rep's has its zone. */
typedef struct BatchName
{
	const char *name;			/* key */
	pg_tz	   *zone;			/* the rep's time zone, or NULL for a kind */
} BatchName;

/* One total being folded: its key and the change of its quantity. */
typedef struct TotalDelta
{
	const char *rep_id;			/* key: interned rep, interned kind, day */
	const char *kind;
	DateADT		day;
	Numeric		qty;			/* the change */
} TotalDelta;

/* The time zone of a rep, cached for the session. */
typedef struct RepZone
{
	const char *rep_id;			/* key */
	pg_tz	   *zone;
} RepZone;

/* Everything one trigger call needs while it reads its rows. */
typedef struct TotalsFold
{
	Relation	activity;		/* quota.activity or quota.activity_credit */
	bool		credit;			/* the latter */
	MemoryContext batch_context;	/* the batch's tables, names and sums */
	HTAB	   *names;			/* BatchName by string */
	HTAB	   *deltas;			/* TotalDelta by (rep, kind, day) */
	int			new_deltas;		/* deltas added since memory was last checked */
	DateADT		closed_through; /* last closed day, or DATEVAL_NOBEGIN */
	TimestampTz latest_allowed; /* occurred_at limit of the future tolerance */
	MemoryContext row_context;	/* reset after every row */
} TotalsFold;

/* Column numbers of quota.activity or quota.activity_credit the triggers read. */
typedef struct ActivityColumns
{
	AttrNumber	activity_id;
	AttrNumber	rep_id;
	AttrNumber	kind;
	AttrNumber	occurred_at;
	AttrNumber	qty;
	AttrNumber	recorded_at;	/* activity only */
	AttrNumber	from_rep_id;	/* credit only: the rep the share moves from */
} ActivityColumns;

/* How many new deltas a batch takes between two checks of its memory. */
#define BATCH_CHECK_INTERVAL 1024

/*
 * How many times work_mem of deltas a batch may hold.  Rows of a bulk load
 * come in any order, so a batch must be large to fold many rows into each
 * total; it is one per statement, like a sort's work_mem per node.
 */
#define BATCH_WORK_MEMS 16

static SPIPlanPtr rep_zone_plan = NULL;
static SPIPlanPtr closed_through_plan = NULL;
static SPIPlanPtr add_delta_plan = NULL;
static SPIPlanPtr add_deltas_plan = NULL;
static SPIPlanPtr any_credited_plan = NULL;
static SPIPlanPtr follow_by_id_plan = NULL;

/*
 * Up to how many updated activities have their credits brought up to date
 * by id, with a plan kept for the session; a larger update joins its
 * transition tables instead, planned once for the statement.
 */
#define FOLLOW_BY_ID 1024

/* Session caches and what invalidates them. */
static HTAB *rep_zones = NULL;	/* RepZone by rep, in cached_rows_context */
static MemoryContext cached_rows_context = NULL;
static Oid	rep_relid = InvalidOid;
static bool rep_zones_stale = false;
static bool closed_through_known = false;
static DateADT closed_through_cached;
static Oid	period_close_relid = InvalidOid;

/*
 * Runs a kept read-only plan with the latest snapshot rather than the
 * transaction's: what a concurrent quota.close_period() or change of a rep
 * committed before this statement got its locks must be seen, also under
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

/* Creates a hash table keyed by a C string held by pointer. */
static HTAB *
string_table_create(const char *name, Size entrysize, MemoryContext context)
{
	HASHCTL		ctl;

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(const char *);
	ctl.entrysize = entrysize;
	ctl.hash = string_pointer_hash;
	ctl.match = string_pointer_match;
	ctl.hcxt = context;
	return hash_create(name, 256, &ctl,
					   HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
}

/* Orders deltas by (rep, kind, day), so that rows are written in one order. */
static int
total_delta_pointer_cmp(const void *a, const void *b)
{
	const TotalDelta *x = *(TotalDelta *const *) a;
	const TotalDelta *y = *(TotalDelta *const *) b;
	int			cmp = strcmp(x->rep_id, y->rep_id);

	if (cmp == 0)
		cmp = strcmp(x->kind, y->kind);
	if (cmp == 0)
		cmp = (x->day > y->day) - (x->day < y->day);
	return cmp;
}

/* Notes that a table whose rows the session caches has changed. */
static void
cached_rows_invalidated(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == rep_relid)
		rep_zones_stale = true;
	if (relid == InvalidOid || relid == period_close_relid)
		closed_through_known = false;
}

/* Makes the session caches current before a trigger call uses them. */
static void
cached_rows_refresh(void)
{
	if (cached_rows_context == NULL)
	{
		cached_rows_context = AllocSetContextCreate(TopMemoryContext,
													"quota cached rows",
													ALLOCSET_DEFAULT_SIZES);
		CacheRegisterRelcacheCallback(cached_rows_invalidated, (Datum) 0);
	}
	AcceptInvalidationMessages();
	if (rep_zones == NULL || rep_zones_stale)
	{
		MemoryContextReset(cached_rows_context);
		rep_zones = string_table_create("quota rep zones", sizeof(RepZone),
										cached_rows_context);
		rep_relid = quota_table_oid(QUOTA_REP);
		rep_zones_stale = false;
	}
}

/* Returns the last closed day, reading it when the cache does not know it. */
static DateADT
closed_through(void)
{
	if (!closed_through_known)
	{
		bool		isnull;
		Datum		value;

		select_latest(kept_plan(&closed_through_plan,
								"SELECT pg_catalog.max(closed_through) FROM quota.period_close",
								0, NULL),
					  NULL);
		value = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		closed_through_cached = isnull ? DATEVAL_NOBEGIN : DatumGetDateADT(value);
		period_close_relid = quota_table_oid(QUOTA_PERIOD_CLOSE);
		closed_through_known = true;
	}
	return closed_through_cached;
}

/* Returns the time zone of a rep, reading it when the cache does not know it. */
static pg_tz *
rep_zone(const char *rep_id)
{
	RepZone    *entry;
	bool		found;
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	pg_tz	   *zone;

	entry = hash_search(rep_zones, &rep_id, HASH_FIND, NULL);
	if (entry != NULL)
		return entry->zone;

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

	zone = time_zone_lookup(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
	entry = hash_search(rep_zones, &rep_id, HASH_ENTER, &found);
	entry->rep_id = MemoryContextStrdup(cached_rows_context, rep_id);
	entry->zone = zone;
	return zone;
}

/* Hashes a (rep, kind, day) key whose strings are interned. */
static uint32
total_key_hash(const void *key, Size keysize)
{
	const TotalDelta *delta = key;

	return hash_combine(hash_combine(hash_bytes((const unsigned char *) &delta->rep_id, sizeof(char *)),
									 hash_bytes((const unsigned char *) &delta->kind, sizeof(char *))),
						hash_uint32((uint32) delta->day));
}

/* Matches (rep, kind, day) keys whose strings are interned. */
static int
total_key_match(const void *key1, const void *key2, Size keysize)
{
	const TotalDelta *a = key1;
	const TotalDelta *b = key2;

	return (a->rep_id == b->rep_id && a->kind == b->kind && a->day == b->day) ? 0 : 1;
}

/* Starts an empty batch of deltas. */
static void
batch_begin(TotalsFold *fold)
{
	HASHCTL		ctl;

	MemoryContextReset(fold->batch_context);
	fold->names = string_table_create("quota names", sizeof(BatchName), fold->batch_context);

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = offsetof(TotalDelta, qty);
	ctl.entrysize = sizeof(TotalDelta);
	ctl.hash = total_key_hash;
	ctl.match = total_key_match;
	ctl.hcxt = fold->batch_context;
	fold->deltas = hash_create("quota totals", 1024, &ctl,
							   HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
	fold->new_deltas = 0;
}

/* Prepares a trigger call: limits, caches and an empty batch. */
static void
fold_begin(TotalsFold *fold, Relation activity)
{
	fold->activity = activity;
	fold->credit = (RelationGetRelid(activity) == quota_table_oid(QUOTA_ACTIVITY_CREDIT));
	fold->latest_allowed = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
													   (int64) quota_future_tolerance * 1000);
	fold->closed_through = closed_through();
	fold->batch_context = AllocSetContextCreate(CurrentMemoryContext,
												"quota totals batch",
												ALLOCSET_DEFAULT_SIZES);
	fold->row_context = AllocSetContextCreate(CurrentMemoryContext,
											  "quota totals row",
											  ALLOCSET_SMALL_SIZES);
	batch_begin(fold);
}

/* Returns the batch's copy of a string (and, for a rep, its time zone). */
static BatchName *
batch_name(TotalsFold *fold, const char *str, bool is_rep)
{
	BatchName  *entry = hash_search(fold->names, &str, HASH_FIND, NULL);

	if (entry == NULL)
	{
		pg_tz	   *zone = is_rep ? rep_zone(str) : NULL;

		entry = hash_search(fold->names, &str, HASH_ENTER, NULL);
		entry->name = MemoryContextStrdup(fold->batch_context, str);
		entry->zone = zone;
	}
	return entry;
}

/*
 * Rejects a row that lies in a closed period, or one recorded at or after
 * checked_since that lies too far in the future.
 */
static void
check_row(TotalsFold *fold, int64 activity_id, const char *rep_id,
		  TimestampTz occurred_at, DateADT day,
		  TimestampTz recorded_at, TimestampTz checked_since)
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

	if (recorded_at >= checked_since && occurred_at > fold->latest_allowed)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("activity %lld of rep \"%s\" occurs too far in the future",
						(long long) activity_id, rep_id),
				 errdetail("It occurs at %s, more than quota.future_tolerance (%d s) after now.",
						   timestamptz_to_str(occurred_at), quota_future_tolerance),
				 errhint("Check the clock and time zone of the sending system, or raise quota.future_tolerance.")));
}

/* Adds sign * qty to the delta of (rep, kind, day); returns whether it is new. */
static bool
fold_add(TotalsFold *fold, const char *rep_id, const char *kind, DateADT day,
		 Numeric qty, int sign)
{
	TotalDelta	key;
	TotalDelta *entry;
	bool		found;
	Numeric		sum;

	key.rep_id = rep_id;
	key.kind = kind;
	key.day = day;
	entry = hash_search(fold->deltas, &key, HASH_ENTER, &found);
	if (!found)
		sum = sign > 0 ? qty : exact_negated(qty);
	else
	{
		sum = sign > 0 ? exact_plus(entry->qty, qty) : exact_minus(entry->qty, qty);
		pfree(entry->qty);
	}
	entry->qty = (Numeric) MemoryContextAlloc(fold->batch_context, VARSIZE(sum));
	memcpy(entry->qty, sum, VARSIZE(sum));
	return !found;
}

/* Adds one delta to this backend's slot of its total (the single-row statement of an app). */
static void
add_one_delta(const TotalDelta *delta)
{
	Oid			argtypes[5] = {TEXTOID, TEXTOID, DATEOID, NUMERICOID, INT4OID};
	Datum		args[5];

	args[0] = CStringGetTextDatum(delta->rep_id);
	args[1] = CStringGetTextDatum(delta->kind);
	args[2] = DateADTGetDatum(delta->day);
	args[3] = NumericGetDatum(delta->qty);
	args[4] = Int32GetDatum(MyBackendId);
	if (SPI_execute_plan(kept_plan(&add_delta_plan,
								   "INSERT INTO quota.daily_total AS t (rep_id, kind, day, slot, qty) "
								   "VALUES ($1, $2, $3, $5, $4) "
								   "ON CONFLICT (rep_id, kind, day, slot) "
								   "DO UPDATE SET qty = t.qty OPERATOR(pg_catalog.+) excluded.qty",
								   5, argtypes),
						 args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not update quota.daily_total");
}

/* Adds deltas, in key order, to this backend's slots of their totals in one statement. */
static void
add_deltas(TotalDelta **deltas, int n)
{
	Oid			argtypes[5] = {TEXTARRAYOID, TEXTARRAYOID, DATEARRAYOID, NUMERICARRAYOID, INT4OID};
	Datum	   *reps = palloc(sizeof(Datum) * n);
	Datum	   *kinds = palloc(sizeof(Datum) * n);
	Datum	   *days = palloc(sizeof(Datum) * n);
	Datum	   *qtys = palloc(sizeof(Datum) * n);
	Datum		args[5];
	int			i;

	for (i = 0; i < n; i++)
	{
		reps[i] = CStringGetTextDatum(deltas[i]->rep_id);
		kinds[i] = CStringGetTextDatum(deltas[i]->kind);
		days[i] = DateADTGetDatum(deltas[i]->day);
		qtys[i] = NumericGetDatum(deltas[i]->qty);
	}
	args[0] = PointerGetDatum(construct_array(reps, n, TEXTOID, -1, false, TYPALIGN_INT));
	args[1] = PointerGetDatum(construct_array(kinds, n, TEXTOID, -1, false, TYPALIGN_INT));
	args[2] = PointerGetDatum(construct_array(days, n, DATEOID, sizeof(DateADT), true, TYPALIGN_INT));
	args[3] = PointerGetDatum(construct_array(qtys, n, NUMERICOID, -1, false, TYPALIGN_INT));
	args[4] = Int32GetDatum(MyBackendId);

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

/* Writes the non-zero deltas of the batch, in key order, and starts a new batch. */
static void
batch_write(TotalsFold *fold)
{
	MemoryContext caller_context = MemoryContextSwitchTo(fold->batch_context);
	TotalDelta **sorted = palloc(sizeof(TotalDelta *) * Max(hash_get_num_entries(fold->deltas), 1));
	HASH_SEQ_STATUS scan;
	TotalDelta *delta;
	int			n = 0;

	hash_seq_init(&scan, fold->deltas);
	while ((delta = hash_seq_search(&scan)) != NULL)
	{
		if (!exact_is_zero(delta->qty))
			sorted[n++] = delta;
	}
	if (n == 1)
		add_one_delta(sorted[0]);
	else if (n > 1)
	{
		qsort(sorted, n, sizeof(TotalDelta *), total_delta_pointer_cmp);
		add_deltas(sorted, n);
	}
	MemoryContextSwitchTo(caller_context);
	batch_begin(fold);
}

/* Writes the batch out once it holds more than BATCH_WORK_MEMS times work_mem. */
static void
batch_write_if_full(TotalsFold *fold)
{
	if (++fold->new_deltas < BATCH_CHECK_INTERVAL)
		return;
	fold->new_deltas = 0;
	if (MemoryContextMemAllocated(fold->batch_context, true) > (Size) work_mem * 1024 * BATCH_WORK_MEMS)
		batch_write(fold);
}

/* Finds the columns the triggers read in a table like quota.activity or quota.activity_credit. */
static void
activity_columns(Relation table, bool credit, ActivityColumns *cols)
{
	TupleDesc	desc = RelationGetDescr(table);

	cols->activity_id = SPI_fnumber(desc, "activity_id");
	cols->rep_id = SPI_fnumber(desc, "rep_id");
	cols->kind = SPI_fnumber(desc, "kind");
	cols->occurred_at = SPI_fnumber(desc, "occurred_at");
	cols->qty = SPI_fnumber(desc, "qty");
	cols->recorded_at = credit ? InvalidAttrNumber : SPI_fnumber(desc, "recorded_at");
	cols->from_rep_id = credit ? SPI_fnumber(desc, "from_rep_id") : InvalidAttrNumber;
	if (cols->activity_id <= 0 || cols->rep_id <= 0 || cols->kind <= 0 ||
		cols->occurred_at <= 0 || cols->qty <= 0 ||
		(credit ? cols->from_rep_id <= 0 : cols->recorded_at <= 0))
		elog(ERROR, "table \"%s\" lacks a column of quota.%s",
			 RelationGetRelationName(table), credit ? "activity_credit" : "activity");
}

/*
 * Reads a transition table from its first row on, through a read pointer of
 * its own: the other triggers of the statement read the same table.
 */
static void
transition_rows_from_start(Tuplestorestate *rows)
{
	tuplestore_select_read_pointer(rows, tuplestore_alloc_read_pointer(rows, EXEC_FLAG_REWIND));
	tuplestore_rescan(rows);
}

/* Checks one rep's part of a row and folds it with the sign given. */
static void
fold_part(TotalsFold *fold, int64 activity_id, const char *rep_id, BatchName *kind,
		  TimestampTz occurred_at, Numeric qty, int sign,
		  TimestampTz recorded_at, TimestampTz checked_since)
{
	MemoryContext caller_context = MemoryContextSwitchTo(fold->row_context);
	BatchName  *rep = batch_name(fold, rep_id, true);
	DateADT		day = local_date(occurred_at, rep->zone);

	check_row(fold, activity_id, rep->name, occurred_at, day, recorded_at, checked_since);
	MemoryContextSwitchTo(caller_context);
	if (fold_add(fold, rep->name, kind->name, day, qty, sign))
		batch_write_if_full(fold);
}

/*
 * Checks the rows of a transition table and folds them with the sign given;
 * the future tolerance applies to the activity rows recorded at or after
 * checked_since.  A credit row adds its qty to its rep and takes it from the
 * activity's rep.
 */
static void
fold_rows(TotalsFold *fold, Tuplestorestate *rows, int sign, TimestampTz checked_since)
{
	TupleDesc	desc = RelationGetDescr(fold->activity);
	ActivityColumns cols;
	TupleTableSlot *slot;

	activity_columns(fold->activity, fold->credit, &cols);
	slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	transition_rows_from_start(rows);
	while (tuplestore_gettupleslot(rows, true, false, slot))
	{
		MemoryContext caller_context = MemoryContextSwitchTo(fold->row_context);
		bool		isnull;
		int64		activity_id = DatumGetInt64(slot_getattr(slot, cols.activity_id, &isnull));
		BatchName  *kind = batch_name(fold, TextDatumGetCString(slot_getattr(slot, cols.kind, &isnull)), false);
		TimestampTz occurred_at = DatumGetTimestampTz(slot_getattr(slot, cols.occurred_at, &isnull));
		Numeric		qty = DatumGetNumeric(slot_getattr(slot, cols.qty, &isnull));
		char	   *rep_id = TextDatumGetCString(slot_getattr(slot, cols.rep_id, &isnull));
		char	   *from_rep_id = fold->credit ?
			TextDatumGetCString(slot_getattr(slot, cols.from_rep_id, &isnull)) : NULL;

		MemoryContextSwitchTo(caller_context);
		if (fold->credit)
		{
			fold_part(fold, activity_id, rep_id, kind, occurred_at, qty, sign, DT_NOBEGIN, DT_NOEND);
			fold_part(fold, activity_id, from_rep_id, kind, occurred_at, qty, -sign, DT_NOBEGIN, DT_NOEND);
		}
		else
		{
			fold_part(fold, activity_id, rep_id, kind, occurred_at, qty, sign,
					  DatumGetTimestampTz(slot_getattr(slot, cols.recorded_at, &isnull)),
					  checked_since);
		}
		MemoryContextReset(fold->row_context);
	}
	ExecDropSingleTupleTableSlot(slot);
}

/* Refuses a TRUNCATE that would remove closed activity, then clears (or, for credits, recounts) the totals. */
static void
truncate_totals(TotalsFold *fold)
{
	/* (the credits of closed periods are looked for before a TRUNCATE of credits) */
	if (!fold->credit && fold->closed_through != DATEVAL_NOBEGIN)
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
	if (fold->credit)
	{
		/* the credits are gone, their rows unknown: recount every total */
		if (SPI_execute("SELECT quota.rebuild()", false, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not rebuild quota.daily_total");
	}
	else if (SPI_execute("TRUNCATE quota.daily_total", false, 0) != SPI_OK_UTILITY)
		elog(ERROR, "could not truncate quota.daily_total");
}

/* Whether two values of a text column are equal, as the column's deterministic collation compares them. */
static bool
texts_equal(Datum x, Datum y)
{
	text	   *x_text = DatumGetTextPP(x);
	text	   *y_text = DatumGetTextPP(y);

	return VARSIZE_ANY_EXHDR(x_text) == VARSIZE_ANY_EXHDR(y_text) &&
		memcmp(VARDATA_ANY(x_text), VARDATA_ANY(y_text), VARSIZE_ANY_EXHDR(x_text)) == 0;
}

/*
 * Finds the updated activities whose rep, kind, occurred_at or qty changed
 * (what a credit copies of its activity) and returns their ids in *ids and
 * their count.  The executor adds the old and the new row of an updated
 * row to the transition tables together, so the rows at one place of both
 * are of one activity; returns false, leaving the comparison to the
 * caller's join, if they are not.
 */
static bool
activities_changed(TotalsFold *fold, Tuplestorestate *old_rows, Tuplestorestate *new_rows,
				   int64 **ids, int *nids)
{
	TupleDesc	desc = RelationGetDescr(fold->activity);
	ActivityColumns cols;
	TupleTableSlot *old_slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	TupleTableSlot *new_slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	bool		paired = true;

	activity_columns(fold->activity, false, &cols);
	*ids = palloc(sizeof(int64) * Max(tuplestore_tuple_count(new_rows), 1));
	*nids = 0;
	transition_rows_from_start(old_rows);
	transition_rows_from_start(new_rows);
	while (paired && tuplestore_gettupleslot(new_rows, true, false, new_slot))
	{
		MemoryContext caller_context = MemoryContextSwitchTo(fold->row_context);
		bool		isnull;
		Datum		activity_id = slot_getattr(new_slot, cols.activity_id, &isnull);

		if (!tuplestore_gettupleslot(old_rows, true, false, old_slot) ||
			DatumGetInt64(slot_getattr(old_slot, cols.activity_id, &isnull)) != DatumGetInt64(activity_id))
			paired = false;
		else if (!texts_equal(slot_getattr(old_slot, cols.rep_id, &isnull),
							  slot_getattr(new_slot, cols.rep_id, &isnull)) ||
				 !texts_equal(slot_getattr(old_slot, cols.kind, &isnull),
							  slot_getattr(new_slot, cols.kind, &isnull)) ||
				 DatumGetTimestampTz(slot_getattr(old_slot, cols.occurred_at, &isnull)) !=
				 DatumGetTimestampTz(slot_getattr(new_slot, cols.occurred_at, &isnull)) ||
				 !exact_datums_equal(slot_getattr(old_slot, cols.qty, &isnull),
									 slot_getattr(new_slot, cols.qty, &isnull)))
			(*ids)[(*nids)++] = DatumGetInt64(activity_id);
		MemoryContextSwitchTo(caller_context);
		MemoryContextReset(fold->row_context);
	}
	ExecDropSingleTupleTableSlot(old_slot);
	ExecDropSingleTupleTableSlot(new_slot);
	return paired;
}

/*
 * After an update of activity, touches the credits of the activities whose
 * rep, kind, time or qty changed, so that their BEFORE trigger,
 * quota.activity_credit_copied(), copies the new values and computes
 * their qty, and their own statement trigger moves the totals.  Most
 * updates are corrections of a row or a few: those are found by id.
 */
static void
credits_follow(TriggerData *trigdata, TotalsFold *fold)
{
	int64	   *changed;
	int			nchanged;
	char	   *query;

	if (tuplestore_tuple_count(trigdata->tg_newtable) <= FOLLOW_BY_ID &&
		activities_changed(fold, trigdata->tg_oldtable, trigdata->tg_newtable, &changed, &nchanged))
	{
		Oid			argtypes[1] = {INT8ARRAYOID};
		Datum	   *ids;
		Datum		args[1];
		int			i;

		if (nchanged == 0)
			return;
		ids = palloc(sizeof(Datum) * nchanged);
		for (i = 0; i < nchanged; i++)
			ids[i] = Int64GetDatum(changed[i]);
		args[0] = PointerGetDatum(construct_array(ids, nchanged, INT8OID,
												  sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
		/*
		 * Most activity is not shared: a look costs less than an update.  It
		 * takes a new snapshot (not read-only), as the update does, to see
		 * credits committed while this waited for the activity's rows.
		 */
		if (SPI_execute_plan(kept_plan(&any_credited_plan,
									   "SELECT 1 FROM quota.activity_credit "
									   "WHERE activity_id OPERATOR(pg_catalog.=) ANY ($1) LIMIT 1",
									   1, argtypes),
							 args, NULL, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read quota.activity_credit");
		if (SPI_processed == 0)
			return;
		/* SET share = share only fires quota.activity_credit_copied(), which recomputes the rest. */
		if (SPI_execute_plan(kept_plan(&follow_by_id_plan,
									   "UPDATE quota.activity_credit SET share = share "
									   "WHERE activity_id OPERATOR(pg_catalog.=) ANY ($1)",
									   1, argtypes),
							 args, NULL, false, 0) != SPI_OK_UPDATE)
			elog(ERROR, "could not update quota.activity_credit");
		return;
	}

	/*
	 * The transition tables by the names the trigger declares (REFERENCING
	 * OLD TABLE AS old_rows NEW TABLE AS new_rows in the extension's SQL).
	 * SET share = share only fires quota.activity_credit_copied(), which
	 * recomputes the rest.
	 */
	query = psprintf("UPDATE quota.activity_credit c SET share = c.share "
					 "FROM %s o JOIN %s n ON n.activity_id OPERATOR(pg_catalog.=) o.activity_id "
					 "WHERE c.activity_id OPERATOR(pg_catalog.=) n.activity_id "
					 "AND (o.rep_id, o.kind, o.occurred_at, o.qty) IS DISTINCT FROM "
					 "(n.rep_id, n.kind, n.occurred_at, n.qty)",
					 quote_identifier(trigdata->tg_trigger->tgoldtable),
					 quote_identifier(trigdata->tg_trigger->tgnewtable));
	if (SPI_register_trigger_data(trigdata) != SPI_OK_TD_REGISTER)
		elog(ERROR, "could not register the transition tables");
	if (SPI_execute(query, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "could not update quota.activity_credit");
}

/* Refuses to run unless called as an AFTER ... FOR EACH STATEMENT trigger. */
static TriggerData *
statement_trigger_data(FunctionCallInfo fcinfo, const char *function_name)
{
	TriggerData *trigdata = trigger_call_data(fcinfo, function_name, "the extension's tables");

	trigger_check_fired(TRIGGER_FIRED_AFTER(trigdata->tg_event) &&
						TRIGGER_FIRED_FOR_STATEMENT(trigdata->tg_event),
						function_name, "AFTER ... FOR EACH STATEMENT");
	return trigdata;
}

PG_FUNCTION_INFO_V1(activity_totals);

/* Statement trigger on quota.activity: folds the changed rows into the totals. */
Datum
activity_totals(PG_FUNCTION_ARGS)
{
	static const QuotaTable totals_tables[] = {QUOTA_ACTIVITY, QUOTA_ACTIVITY_CREDIT};
	TriggerData *trigdata = statement_trigger_data(fcinfo, "quota.activity_totals()");
	TriggerEvent event = trigdata->tg_event;
	TotalsFold	fold;
	TriggerOwnerCall call;
	bool		follow_credits;

	trigger_check_table(trigdata, "quota.activity_totals()",
						"the totals of quota.activity and quota.activity_credit",
						totals_tables, lengthof(totals_tables));
	if ((TRIGGER_FIRED_BY_INSERT(event) && trigdata->tg_newtable == NULL) ||
		(TRIGGER_FIRED_BY_UPDATE(event) &&
		 (trigdata->tg_newtable == NULL || trigdata->tg_oldtable == NULL)) ||
		(TRIGGER_FIRED_BY_DELETE(event) && trigdata->tg_oldtable == NULL))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("quota.activity_totals() needs the transition tables of its event"),
				 errhint("Create the trigger with REFERENCING NEW TABLE (INSERT), OLD TABLE (DELETE) or both (UPDATE).")));
	if (!TRIGGER_FIRED_BY_TRUNCATE(event) &&
		(trigdata->tg_newtable == NULL || tuplestore_tuple_count(trigdata->tg_newtable) == 0) &&
		(trigdata->tg_oldtable == NULL || tuplestore_tuple_count(trigdata->tg_oldtable) == 0))
		return PointerGetDatum(NULL);

	/* The totals belong to the table's owner, like the checks of a foreign key. */
	trigger_begin_as_owner(trigdata, &call);

	cached_rows_refresh();
	fold_begin(&fold, trigdata->tg_relation);
	/* (the extension's SQL before 0.2 has no credits) */
	follow_credits = !fold.credit && TRIGGER_FIRED_BY_UPDATE(event) &&
		OidIsValid(quota_table_oid(QUOTA_ACTIVITY_CREDIT));
	if (TRIGGER_FIRED_BY_TRUNCATE(event))
		truncate_totals(&fold);
	else
	{
		if (trigdata->tg_oldtable != NULL)
			fold_rows(&fold, trigdata->tg_oldtable, -1, DT_NOEND);
		if (trigdata->tg_newtable != NULL)
			fold_rows(&fold, trigdata->tg_newtable, +1,
					  TRIGGER_FIRED_BY_UPDATE(event) ? DT_NOBEGIN : GetCurrentTransactionStartTimestamp());
		batch_write(&fold);
		if (follow_credits)
			credits_follow(trigdata, &fold);
	}

	trigger_end_as_owner(&call);
	return PointerGetDatum(NULL);
}

PG_FUNCTION_INFO_V1(cached_rows_changed);

/* Statement trigger on quota.rep and quota.period_close: makes every session forget its cached rows. */
Datum
cached_rows_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = statement_trigger_data(fcinfo, "quota.cached_rows_changed()");

	CacheInvalidateRelcache(trigdata->tg_relation);
	return PointerGetDatum(NULL);
}
