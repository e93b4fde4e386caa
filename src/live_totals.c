/*
 * live_totals.c
 *	  Keeps the totals of quota.activity per rep, kind and local day live.
 *
 * Every changed row is captured by an AFTER ROW trigger, which checks it
 * (closed periods, the future tolerance) and folds it into the deltas of
 * its transaction: one delta per (rep, kind, day in the rep's time zone),
 * kept in backend memory.  The deltas are written to quota.daily_total
 * and quota.month_total (added in place to the rows that hold them,
 * total_rows.c, and in one upsert each where there are none yet) at the
 * end of the statement (by an AFTER STATEMENT
 * trigger), or at commit or PREPARE where no statement trigger fires (the
 * apply process of logical replication fires row triggers only), or when
 * they hold more than BATCH_WORK_MEMS times work_mem.  A bulk load
 * therefore touches each total once per batch rather than once per row,
 * and since every backend adds to its own slot of a total, concurrent
 * writers of one rep and day never wait on each other's rows: readers sum
 * the slots.
 *
 * Deltas belong to the (sub)transaction that folded them: those of a
 * subtransaction that aborts are dropped, those of one that commits join
 * its parent's.
 *
 * After an update of activity, the credits (quota.activity_credit) of the
 * activities whose rep, kind, time or qty changed are touched at the end
 * of the statement, so that their own triggers copy the new values and
 * move the totals.  (A replica does not: the credits arrive changed.)
 *
 * A row counts on the day of its rep's time zone; a change of the zone
 * applies from the first open day, and the moments before it keep the
 * days they had (quota.rep_zone_change), so that a closed day keeps its
 * figures.  The reps' zones and changes and the last closed day are
 * cached for the session and forgotten when quota.rep,
 * quota.rep_zone_change or quota.period_close change: a trigger on those
 * tables sends a relcache invalidation to every backend.
 *
 * Installed scripts before 0.3 fire the same function as a statement
 * trigger with transition tables: their rows are folded the same way.
 */
#include "postgres.h"

#include "access/twophase.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/backendid.h"
#include "storage/lmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "quota_ext.h"

/* A string used by the deltas of a batch, stored once. */
typedef struct BatchName
{
	const char *name;			/* key */
} BatchName;

/*
 * A change of a rep's time zone made while periods were closed
 * (quota.rep_zone_change): moments before the boundary count in the zone
 * the rep had then, on days before first_day; moments from it on count on
 * first_day or later.
 */
typedef struct ZoneChange
{
	TimestampTz boundary;
	pg_tz	   *zone_before;
	DateADT		first_day;
} ZoneChange;

/* How the moments of a rep become days, cached for the session. */
struct RepDays
{
	const char *rep_id;			/* key */
	pg_tz	   *zone;			/* the rep's time zone now */
	int			nchanges;
	ZoneChange *changes;		/* by boundary */
};

/*
 * The deltas of one (sub)transaction not yet written, and the activities
 * whose credits must follow an update; the innermost level first.
 */
typedef struct PendingTotals
{
	int			nest_level;		/* of the (sub)transaction they belong to */
	Oid			owner;			/* owner of the totals, who writes them */
	MemoryContext context;		/* this struct and the followed ids */
	MemoryContext batch_context;	/* the batch's tables, names and sums */
	HTAB	   *names;			/* BatchName by string */
	HTAB	   *deltas;			/* TotalDelta by (rep, kind, day) */
	int			new_deltas;		/* deltas added since memory was last checked */
	int64	   *followed;		/* updated activities whose credits follow */
	int			nfollowed;
	int			maxfollowed;
	struct PendingTotals *outer;	/* the enclosing level's, or NULL */
} PendingTotals;

/* Column numbers of quota.activity or quota.activity_credit the triggers read. */
typedef struct ActivityColumns
{
	Oid			relid;			/* the table they are of */
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
 * total; it is one per transaction level, like a sort's work_mem per node.
 */
#define BATCH_WORK_MEMS 16

static SPIPlanPtr rep_zone_plan = NULL;
static SPIPlanPtr zone_changes_plan = NULL;
static SPIPlanPtr closed_through_plan = NULL;
static SPIPlanPtr daily_upsert_plan = NULL;
static SPIPlanPtr month_upsert_plan = NULL;
static SPIPlanPtr any_prepared_plan = NULL;
static SPIPlanPtr any_credited_plan = NULL;
static SPIPlanPtr follow_by_id_plan = NULL;

/* The deltas of the current transaction, innermost level first. */
static PendingTotals *pending = NULL;
static bool transaction_callbacks_registered = false;

/*
 * The slot this transaction writes to, once chosen, and whether each
 * transaction must look for prepared transactions before it chooses: until
 * a look finds none, and again after this session prepared a transaction
 * that wrote to its own slot.
 */
static TransactionId slot_chosen_for = InvalidTransactionId;
static int32 slot_chosen;
static bool slot_look_each_transaction = true;

/* Session caches and what invalidates them. */
static HTAB *rep_days = NULL;	/* RepDays by rep, in cached_rows_context */
static MemoryContext cached_rows_context = NULL;
static Oid	rep_relid = InvalidOid;
static Oid	zone_change_relid = InvalidOid;
static bool rep_days_stale = false;
static bool closed_through_known = false;
static DateADT closed_through_cached;
static Oid	period_close_relid = InvalidOid;
static ActivityColumns activity_cols;	/* of quota.activity, once known */

/*
 * The shape of the totals: the library serves the scripts of every
 * version, and ALTER EXTENSION UPDATE may change the tables under a
 * session.  Known for the tables daily_total_shape_of and
 * month_total_shape_of; the kept plans that write them are of that shape.
 */
typedef enum TotalsShape
{
	TOTALS_DAILY,				/* before 0.4: no tracking_id, no rows */
	TOTALS_TRACKED,				/* 0.4 and 0.5: tracking_id and rows */
	TOTALS_MONTHLY				/* 0.6 on: and quota.month_total beside */
} TotalsShape;

static Oid	daily_total_shape_of = InvalidOid;
static Oid	month_total_shape_of = InvalidOid;
static TotalsShape totals_shape;
static ActivityColumns credit_cols; /* of quota.activity_credit, once known */

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
							 InvalidSnapshot, true, false, 0) != SPI_OK_SELECT)
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
string_table_create(const char *name, long nelem, Size entrysize, MemoryContext context)
{
	HASHCTL		ctl;

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(const char *);
	ctl.entrysize = entrysize;
	ctl.hash = string_pointer_hash;
	ctl.match = string_pointer_match;
	ctl.hcxt = context;
	return hash_create(name, nelem, &ctl,
					   HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
}

/* Orders deltas by (rep, kind, day, tracking), so that rows are written in one order. */
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
	if (cmp == 0)
		cmp = (x->tracking_id > y->tracking_id) - (x->tracking_id < y->tracking_id);
	return cmp;
}

/* Notes that a table whose rows the session caches has changed. */
static void
cached_rows_invalidated(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == rep_relid || relid == zone_change_relid)
		rep_days_stale = true;
	if (relid == InvalidOid || relid == period_close_relid)
		closed_through_known = false;
	if (relid == InvalidOid || relid == activity_cols.relid)
		activity_cols.relid = InvalidOid;
	if (relid == InvalidOid || relid == credit_cols.relid)
		credit_cols.relid = InvalidOid;
	if (relid == InvalidOid || relid == daily_total_shape_of)
		daily_total_shape_of = InvalidOid;
}

/* Learns the shape of the totals, forgetting the plans made for another. */
static void
totals_shape_known(void)
{
	Oid			relid = quota_table_oid(QUOTA_DAILY_TOTAL);
	Oid			month_relid;

	/*
	 * The lock its writes take anyway, taken first: an update that changes
	 * the shape locks the table against writers, so once this has it, the
	 * shape read next stays until this transaction ends.
	 */
	LockRelationOid(relid, RowExclusiveLock);
	month_relid = quota_table_oid(QUOTA_MONTH_TOTAL);
	if (relid == daily_total_shape_of && month_relid == month_total_shape_of)
		return;
	if (daily_upsert_plan != NULL)
		SPI_freeplan(daily_upsert_plan);
	daily_upsert_plan = NULL;
	if (month_relid != InvalidOid)
		totals_shape = TOTALS_MONTHLY;
	else if (get_attnum(relid, "tracking_id") != InvalidAttrNumber)
		totals_shape = TOTALS_TRACKED;
	else
		totals_shape = TOTALS_DAILY;
	daily_total_shape_of = relid;
	month_total_shape_of = month_relid;
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
	if (rep_days == NULL || rep_days_stale)
	{
		MemoryContextReset(cached_rows_context);
		rep_days = string_table_create("quota rep days", 256, sizeof(RepDays),
									   cached_rows_context);
		rep_relid = quota_table_oid(QUOTA_REP);
		rep_days_stale = false;
	}
}

/* Reads the last closed day into the cache (SPI connected). */
static void
closed_through_read(void)
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

/* Returns how the cache turns a rep's moments into days, or NULL when it does not know the rep. */
static const RepDays *
rep_days_cached(const char *rep_id)
{
	return hash_search(rep_days, &rep_id, HASH_FIND, NULL);
}

/*
 * Reads a rep's time zone and its changes into the cache (SPI connected);
 * a rep that does not exist is an error, or with missing_ok gives NULL.
 */
static const RepDays *
rep_days_read(const char *rep_id, bool missing_ok)
{
	RepDays    *entry;
	bool		found;
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	pg_tz	   *zone;
	uint64		nchanges;
	ZoneChange *changes;
	uint64		i;

	args[0] = CStringGetTextDatum(rep_id);
	select_latest(kept_plan(&rep_zone_plan,
							"SELECT time_zone FROM quota.rep WHERE rep_id OPERATOR(pg_catalog.=) $1",
							1, argtypes),
				  args);
	if (SPI_processed == 0 && missing_ok)
		return NULL;
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("rep \"%s\" does not exist", rep_id),
				 errhint("Add the rep to quota.rep before recording activity.")));
	zone = time_zone_lookup(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));

	/* (the entry is made last: a failed read leaves the cache without it) */
	zone_change_relid = quota_table_oid(QUOTA_REP_ZONE_CHANGE);
	if (OidIsValid(zone_change_relid))	/* (none before 0.5) */
		select_latest(kept_plan(&zone_changes_plan,
								"SELECT boundary, time_zone, first_day FROM quota.rep_zone_change "
								"WHERE rep_id OPERATOR(pg_catalog.=) $1 ORDER BY boundary",
								1, argtypes),
					  args);
	nchanges = OidIsValid(zone_change_relid) ? SPI_processed : 0;
	changes = nchanges > 0 ? MemoryContextAlloc(cached_rows_context, nchanges * sizeof(ZoneChange)) : NULL;
	for (i = 0; i < nchanges; i++)
	{
		HeapTuple	row = SPI_tuptable->vals[i];
		bool		isnull;

		changes[i].boundary = DatumGetTimestampTz(SPI_getbinval(row, SPI_tuptable->tupdesc, 1, &isnull));
		changes[i].zone_before = time_zone_lookup(SPI_getvalue(row, SPI_tuptable->tupdesc, 2));
		changes[i].first_day = DatumGetDateADT(SPI_getbinval(row, SPI_tuptable->tupdesc, 3, &isnull));
	}

	entry = hash_search(rep_days, &rep_id, HASH_ENTER, &found);
	entry->rep_id = MemoryContextStrdup(cached_rows_context, rep_id);
	entry->zone = zone;
	entry->nchanges = (int) nchanges;
	entry->changes = changes;
	return entry;
}

/*
 * Returns the day of a rep on which a moment counts: the local day in the
 * zone the rep had at that moment, and no earlier than the first day of
 * that zone (a closed day keeps what it counted when its period closed).
 */
DateADT
rep_day(const RepDays *rep, TimestampTz at)
{
	pg_tz	   *zone = rep->zone;
	DateADT		first_day = DATEVAL_NOBEGIN;
	int			i;

	for (i = 0; i < rep->nchanges; i++)
	{
		if (at < rep->changes[i].boundary)
		{
			zone = rep->changes[i].zone_before;
			break;
		}
		first_day = rep->changes[i].first_day;
	}
	return Max(local_date(at, zone), first_day);
}

/* Hashes a (rep, kind, day, tracking) key whose strings are interned. */
static uint32
total_key_hash(const void *key, Size keysize)
{
	const TotalDelta *delta = key;

	return hash_combine(hash_combine(hash_bytes((const unsigned char *) &delta->rep_id, sizeof(char *)),
									 hash_bytes((const unsigned char *) &delta->kind, sizeof(char *))),
						hash_combine(hash_uint32((uint32) delta->day), hash_uint32((uint32) delta->tracking_id)));
}

/* Matches (rep, kind, day, tracking) keys whose strings are interned. */
static int
total_key_match(const void *key1, const void *key2, Size keysize)
{
	const TotalDelta *a = key1;
	const TotalDelta *b = key2;

	return (a->rep_id == b->rep_id && a->kind == b->kind && a->day == b->day &&
			a->tracking_id == b->tracking_id) ? 0 : 1;
}

/* Starts an empty batch of deltas. */
static void
batch_begin(PendingTotals *totals)
{
	HASHCTL		ctl;

	MemoryContextReset(totals->batch_context);
	/* (small at first: most transactions of apps change one row) */
	totals->names = string_table_create("quota names", 16, sizeof(BatchName), totals->batch_context);

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = offsetof(TotalDelta, qty);
	ctl.entrysize = sizeof(TotalDelta);
	ctl.hash = total_key_hash;
	ctl.match = total_key_match;
	ctl.hcxt = totals->batch_context;
	totals->deltas = hash_create("quota totals", 16, &ctl,
								 HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
	totals->new_deltas = 0;
}

/* Returns the batch's copy of a string. */
static const char *
batch_name(PendingTotals *totals, const char *str)
{
	bool		found;
	BatchName  *entry = hash_search(totals->names, &str, HASH_ENTER, &found);

	if (!found)
		entry->name = MemoryContextStrdup(totals->batch_context, str);
	return entry->name;
}

/*
 * Adds sign * qty and rows to the delta of (rep, kind, day, tracking);
 * returns whether the delta is new.
 */
static bool
batch_add(PendingTotals *totals, const char *rep_id, const char *kind, DateADT day,
		  int32 tracking_id, Numeric qty, int sign, int64 rows)
{
	TotalDelta	key;
	TotalDelta *entry;
	bool		found;
	Numeric		sum;

	key.rep_id = batch_name(totals, rep_id);
	key.kind = batch_name(totals, kind);
	key.day = day;
	key.tracking_id = tracking_id;
	entry = hash_search(totals->deltas, &key, HASH_ENTER, &found);
	if (!found)
	{
		sum = sign > 0 ? qty : exact_negated(qty);
		entry->rows = rows;
	}
	else
	{
		sum = sign > 0 ? exact_plus(entry->qty, qty) : exact_minus(entry->qty, qty);
		pfree(entry->qty);
		entry->rows += rows;
	}
	entry->qty = (Numeric) MemoryContextAlloc(totals->batch_context, VARSIZE(sum));
	memcpy(entry->qty, sum, VARSIZE(sum));
	return !found;
}

/*
 * Returns the slot of quota.daily_total this transaction writes to (SPI
 * connected): the backend's own, unless a prepared transaction exists,
 * which may hold the rows of the slot of a backend that had this one's id.
 * Then the transaction takes a slot of its own, beyond every backend's.
 * Only a transaction prepared before this session began (or by it) can
 * hold its slot: once a look finds none, the session stops looking.
 */
static int32
total_slot(void)
{
	TransactionId xid = GetTopTransactionId();

	if (xid != slot_chosen_for)
	{
		slot_chosen = MyBackendId;
		if (max_prepared_xacts > 0 && slot_look_each_transaction)
		{
			if (SPI_execute_plan(kept_plan(&any_prepared_plan,
										   "SELECT 1 FROM pg_catalog.pg_prepared_xacts "
										   "WHERE database OPERATOR(pg_catalog.=) pg_catalog.current_database() LIMIT 1",
										   0, NULL),
								 NULL, NULL, true, 1) != SPI_OK_SELECT)
				elog(ERROR, "could not read pg_prepared_xacts");
			if (SPI_processed > 0)
				slot_chosen = MaxBackends + 1 + (int32) (xid % (uint32) (PG_INT32_MAX - MaxBackends - 1));
			else
				slot_look_each_transaction = false;
		}
		slot_chosen_for = xid;
	}
	return slot_chosen;
}

/*
 * The upserts that add arrays of deltas, in key order, to this
 * transaction's slots of their totals: of the daily totals, by shape, and
 * of the month totals (0.6 on), whose deltas' days are the first of their
 * months.  Their parameters: $1 rep, $2 kind, $3 day, $4 qty, $5 slot, $6
 * tracking, $7 rows.  A batch's days and months are written in one
 * transaction, so the two agree whenever it commits.
 */
#define TRACKED_DAILY_UPSERT \
	"INSERT INTO quota.daily_total AS t (rep_id, kind, day, tracking_id, slot, qty, rows) " \
	"SELECT d.rep_id, d.kind, d.day, d.tracking_id, $5, d.qty, d.rows " \
	"FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), " \
	"pg_catalog.unnest($3), pg_catalog.unnest($6), pg_catalog.unnest($4), " \
	"pg_catalog.unnest($7)) AS d(rep_id, kind, day, tracking_id, qty, rows) " \
	"ON CONFLICT (rep_id, kind, day, tracking_id, slot) " \
	"DO UPDATE SET qty = t.qty OPERATOR(pg_catalog.+) excluded.qty, " \
	"rows = t.rows OPERATOR(pg_catalog.+) excluded.rows"

static const char *const daily_upsert_sql[] = {
	/* (the trackings and rows are all 0) */
	[TOTALS_DAILY] =
	"INSERT INTO quota.daily_total AS t (rep_id, kind, day, slot, qty) "
	"SELECT d.rep_id, d.kind, d.day, $5, d.qty "
	"FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), "
	"pg_catalog.unnest($3), pg_catalog.unnest($4)) AS d(rep_id, kind, day, qty) "
	"WHERE $6 IS NOT NULL AND $7 IS NOT NULL "
	"ON CONFLICT (rep_id, kind, day, slot) "
	"DO UPDATE SET qty = t.qty OPERATOR(pg_catalog.+) excluded.qty",
	[TOTALS_TRACKED] = TRACKED_DAILY_UPSERT,
	[TOTALS_MONTHLY] = TRACKED_DAILY_UPSERT
};

static const char month_upsert_sql[] =
"INSERT INTO quota.month_total AS t (rep_id, kind, month, tracking_id, slot, qty) "
"SELECT d.rep_id, d.kind, d.month, d.tracking_id, $5, d.qty "
"FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), "
"pg_catalog.unnest($3), pg_catalog.unnest($6), pg_catalog.unnest($4)) "
"AS d(rep_id, kind, month, tracking_id, qty) "
"WHERE $7 IS NOT NULL "
"ON CONFLICT (rep_id, kind, month, tracking_id, slot) "
"DO UPDATE SET qty = t.qty OPERATOR(pg_catalog.+) excluded.qty";

/* Upserts deltas, in key order, into this transaction's slots of their totals in one statement. */
static void
totals_upserted(SPIPlanPtr *plan, const char *sql, TotalDelta **deltas, int n, int32 slot)
{
	Oid			argtypes[7] = {TEXTARRAYOID, TEXTARRAYOID, DATEARRAYOID, NUMERICARRAYOID, INT4OID,
							   INT4ARRAYOID, INT8ARRAYOID};
	Datum	   *reps;
	Datum	   *kinds;
	Datum	   *days;
	Datum	   *qtys;
	Datum	   *trackings;
	Datum	   *rows;
	Datum		args[7];
	int			i;

	if (n == 0)
		return;
	reps = palloc(sizeof(Datum) * n);
	kinds = palloc(sizeof(Datum) * n);
	days = palloc(sizeof(Datum) * n);
	qtys = palloc(sizeof(Datum) * n);
	trackings = palloc(sizeof(Datum) * n);
	rows = palloc(sizeof(Datum) * n);
	for (i = 0; i < n; i++)
	{
		reps[i] = CStringGetTextDatum(deltas[i]->rep_id);
		kinds[i] = CStringGetTextDatum(deltas[i]->kind);
		days[i] = DateADTGetDatum(deltas[i]->day);
		qtys[i] = NumericGetDatum(deltas[i]->qty);
		trackings[i] = Int32GetDatum(deltas[i]->tracking_id);
		rows[i] = Int64GetDatum(deltas[i]->rows);
	}
	args[0] = PointerGetDatum(construct_array(reps, n, TEXTOID, -1, false, TYPALIGN_INT));
	args[1] = PointerGetDatum(construct_array(kinds, n, TEXTOID, -1, false, TYPALIGN_INT));
	args[2] = PointerGetDatum(construct_array(days, n, DATEOID, sizeof(DateADT), true, TYPALIGN_INT));
	args[3] = PointerGetDatum(construct_array(qtys, n, NUMERICOID, -1, false, TYPALIGN_INT));
	args[4] = Int32GetDatum(slot);
	args[5] = PointerGetDatum(construct_array(trackings, n, INT4OID, sizeof(int32), true, TYPALIGN_INT));
	args[6] = PointerGetDatum(construct_array(rows, n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	if (SPI_execute_plan(kept_plan(plan, sql, 7, argtypes), args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not update the totals");
}

/*
 * Returns the month deltas of day deltas in key order: one per (rep,
 * kind, month, tracking) whose qty changes, dated the first of the month.
 */
static TotalDelta **
month_deltas(TotalDelta **days, int n, int *nmonths)
{
	TotalDelta *copies = palloc(sizeof(TotalDelta) * n);
	TotalDelta **months = palloc(sizeof(TotalDelta *) * n);
	int			m = 0;
	int			i;

	for (i = 0; i < n; i++)
	{
		copies[i] = *days[i];
		copies[i].day = period_start_of(PERIOD_MONTH, days[i]->day);
		copies[i].rows = 0;
		months[i] = &copies[i];
	}
	qsort(months, n, sizeof(TotalDelta *), total_delta_pointer_cmp);
	for (i = 0; i < n; i++)
	{
		if (m > 0 && total_delta_pointer_cmp(&months[m - 1], &months[i]) == 0)
			months[m - 1]->qty = exact_plus(months[m - 1]->qty, months[i]->qty);
		else
			months[m++] = months[i];
	}
	*nmonths = 0;
	for (i = 0; i < m; i++)
		if (!exact_is_zero(months[i]->qty))
			months[(*nmonths)++] = months[i];
	return months;
}

/*
 * Writes the non-zero deltas of the batch, in key order (SPI connected,
 * as the owner), and starts a new batch: added in place to the rows that
 * hold them, upserted where there are none.
 */
static void
batch_write(PendingTotals *totals)
{
	MemoryContext caller_context = MemoryContextSwitchTo(totals->batch_context);
	TotalDelta **sorted = palloc(sizeof(TotalDelta *) * Max(hash_get_num_entries(totals->deltas), 1));
	HASH_SEQ_STATUS scan;
	TotalDelta *delta;
	int			n = 0;

	hash_seq_init(&scan, totals->deltas);
	while ((delta = hash_seq_search(&scan)) != NULL)
	{
		if (!exact_is_zero(delta->qty) || delta->rows != 0)
			sorted[n++] = delta;
	}
	if (n > 0)
	{
		int32		slot = total_slot();
		TotalDelta **months = NULL;
		int			nmonths = 0;

		qsort(sorted, n, sizeof(TotalDelta *), total_delta_pointer_cmp);
		totals_shape_known();
		if (totals_shape == TOTALS_MONTHLY)
		{
			months = month_deltas(sorted, n, &nmonths);
			n = totals_added_in_place(QUOTA_DAILY_TOTAL, sorted, n, slot);
			nmonths = totals_added_in_place(QUOTA_MONTH_TOTAL, months, nmonths, slot);
		}
		totals_upserted(&daily_upsert_plan, daily_upsert_sql[totals_shape], sorted, n, slot);
		if (totals_shape == TOTALS_MONTHLY)
			totals_upserted(&month_upsert_plan, month_upsert_sql, months, nmonths, slot);
	}
	MemoryContextSwitchTo(caller_context);
	batch_begin(totals);
}

/* Writes a level's batch as the owner of the totals. */
static void
pending_write(PendingTotals *totals)
{
	TriggerOwnerCall call;

	if (hash_get_num_entries(totals->deltas) == 0)
		return;
	owner_call_begin(totals->owner, &call);
	batch_write(totals);
	owner_call_end(&call);
}

/* Forgets the innermost level's deltas. */
static void
pending_pop(void)
{
	PendingTotals *outer = pending->outer;

	MemoryContextDelete(pending->context);
	pending = outer;
}

/* Adds the deltas and followed ids of the innermost level to the level around it, and forgets them. */
static void
pending_merge_outward(void)
{
	PendingTotals *inner = pending;
	PendingTotals *outer = inner->outer;
	HASH_SEQ_STATUS scan;
	TotalDelta *delta;
	int			i;

	hash_seq_init(&scan, inner->deltas);
	while ((delta = hash_seq_search(&scan)) != NULL)
		batch_add(outer, delta->rep_id, delta->kind, delta->day, delta->tracking_id,
				  delta->qty, +1, delta->rows);
	for (i = 0; i < inner->nfollowed; i++)
	{
		if (outer->nfollowed == outer->maxfollowed)
		{
			outer->maxfollowed *= 2;
			outer->followed = repalloc(outer->followed, sizeof(int64) * outer->maxfollowed);
		}
		outer->followed[outer->nfollowed++] = inner->followed[i];
	}
	pending_pop();
}

/* Keeps the deltas right as (sub)transactions end: written before commit, dropped on abort. */
static void
pending_at_transaction_end(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
		case XACT_EVENT_PRE_PREPARE:
			/* what no statement trigger wrote (only the top level is left) */
			if (pending != NULL)
			{
				PendingTotals *totals;

				PushActiveSnapshot(GetTransactionSnapshot());
				for (totals = pending; totals != NULL; totals = totals->outer)
					pending_write(totals);
				PopActiveSnapshot();
			}
			/* a prepared transaction that wrote to this backend's slot holds it */
			if (event == XACT_EVENT_PRE_PREPARE && slot_chosen_for == GetCurrentTransactionIdIfAny() &&
				slot_chosen == MyBackendId)
				slot_look_each_transaction = true;
			break;
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PREPARE:
			/* (the memory goes with the transaction's) */
			pending = NULL;
			break;
		default:
			break;
	}
}

/* Drops the deltas of an aborted subtransaction, and hands those of a committed one to its parent. */
static void
pending_at_subtransaction_end(SubXactEvent event, SubTransactionId subid,
							  SubTransactionId parent_subid, void *arg)
{
	int			level = GetCurrentTransactionNestLevel();

	if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		while (pending != NULL && pending->nest_level >= level)
			pending_pop();
	}
	else if (event == SUBXACT_EVENT_COMMIT_SUB && pending != NULL && pending->nest_level == level)
	{
		if (pending->outer != NULL && pending->outer->nest_level == level - 1)
			pending_merge_outward();
		else
			pending->nest_level = level - 1;
	}
}

/* Returns the deltas of the current (sub)transaction level, starting them if need be. */
static PendingTotals *
pending_here(Oid owner)
{
	int			level = GetCurrentTransactionNestLevel();
	PendingTotals *totals;
	MemoryContext context;

	if (pending != NULL && pending->nest_level == level)
		return pending;
	if (!transaction_callbacks_registered)
	{
		RegisterXactCallback(pending_at_transaction_end, NULL);
		RegisterSubXactCallback(pending_at_subtransaction_end, NULL);
		transaction_callbacks_registered = true;
	}
	context = AllocSetContextCreate(TopTransactionContext, "quota pending totals",
									ALLOCSET_SMALL_SIZES);
	totals = MemoryContextAllocZero(context, sizeof(PendingTotals));
	totals->nest_level = level;
	totals->owner = owner;
	totals->context = context;
	totals->batch_context = AllocSetContextCreate(context, "quota totals batch",
												  ALLOCSET_DEFAULT_SIZES);
	totals->maxfollowed = 16;
	totals->followed = MemoryContextAlloc(context, sizeof(int64) * totals->maxfollowed);
	totals->outer = pending;
	batch_begin(totals);
	pending = totals;
	return totals;
}

/* Notes an updated activity whose credits must follow at the end of the statement. */
static void
pending_follow(PendingTotals *totals, int64 activity_id)
{
	if (totals->nfollowed == totals->maxfollowed)
	{
		totals->maxfollowed *= 2;
		totals->followed = repalloc(totals->followed, sizeof(int64) * totals->maxfollowed);
	}
	totals->followed[totals->nfollowed++] = activity_id;
}

/* Returns the columns the triggers read in quota.activity or quota.activity_credit. */
static const ActivityColumns *
activity_columns(Relation table, bool credit)
{
	ActivityColumns *cols = credit ? &credit_cols : &activity_cols;
	TupleDesc	desc = RelationGetDescr(table);

	if (cols->relid == RelationGetRelid(table))
		return cols;
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
	cols->relid = RelationGetRelid(table);
	return cols;
}

/* A row of quota.activity or quota.activity_credit, as the totals see it. */
typedef struct CapturedRow
{
	int64		activity_id;
	const char *rep_id;			/* the rep credited */
	const char *from_rep_id;	/* credit only: the rep the share moves from */
	const char *kind;
	TimestampTz occurred_at;
	Numeric		qty;
	TimestampTz recorded_at;	/* activity only */
} CapturedRow;

/* Reads a row of the table that fired the trigger. */
static void
captured_row_read(TupleTableSlot *slot, const ActivityColumns *cols, bool credit, CapturedRow *row)
{
	bool		isnull;

	row->activity_id = DatumGetInt64(slot_getattr(slot, cols->activity_id, &isnull));
	row->rep_id = TextDatumGetCString(slot_getattr(slot, cols->rep_id, &isnull));
	row->kind = TextDatumGetCString(slot_getattr(slot, cols->kind, &isnull));
	row->occurred_at = DatumGetTimestampTz(slot_getattr(slot, cols->occurred_at, &isnull));
	row->qty = DatumGetNumeric(slot_getattr(slot, cols->qty, &isnull));
	row->from_rep_id = credit ? TextDatumGetCString(slot_getattr(slot, cols->from_rep_id, &isnull)) : NULL;
	row->recorded_at = credit ? DT_NOBEGIN : DatumGetTimestampTz(slot_getattr(slot, cols->recorded_at, &isnull));
}

/*
 * Rejects a row that lies in a closed period, or one recorded at or after
 * checked_since that lies too far in the future.
 */
static void
check_row(const CapturedRow *row, const char *rep_id, DateADT day, TimestampTz checked_since)
{
	if (day <= closed_through_cached)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("activity %lld of rep \"%s\" falls in a closed period",
						(long long) row->activity_id, rep_id),
				 errdetail("Activity on or before %s is closed; this activity is on %s in the rep's time zone.",
						   DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(closed_through_cached))),
						   DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(day)))),
				 errhint("Record a correction in an open period instead.")));

	if (row->recorded_at >= checked_since &&
		row->occurred_at > TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
													   (int64) quota_future_tolerance * 1000))
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("activity %lld of rep \"%s\" occurs too far in the future",
						(long long) row->activity_id, rep_id),
				 errdetail("It occurs at %s, more than quota.future_tolerance (%d s) after now.",
						   timestamptz_to_str(row->occurred_at), quota_future_tolerance),
				 errhint("Check the clock and time zone of the sending system, or raise quota.future_tolerance.")));
}

/*
 * Adds sign * qty and sign * rows to a delta of the current level; a batch
 * grown past its memory is written early.
 */
static void
pending_add(PendingTotals *totals, const char *rep_id, const char *kind, DateADT day,
			int32 tracking_id, Numeric qty, int sign, int rows)
{
	if (batch_add(totals, rep_id, kind, day, tracking_id, qty, sign, (int64) sign * rows) &&
		++totals->new_deltas >= BATCH_CHECK_INTERVAL)
	{
		totals->new_deltas = 0;
		if (MemoryContextMemAllocated(totals->batch_context, true) > (Size) work_mem * 1024 * BATCH_WORK_MEMS)
			pending_write(totals);
	}
}

/*
 * Checks one rep's part of a row and folds it with the sign given; the
 * activity's own rep counts the row, a rep credited only its share.
 */
static void
fold_part(PendingTotals *totals, const CapturedRow *row, const char *rep_id, const RepDays *rep,
		  int sign, TimestampTz checked_since, int rows)
{
	DateADT		day = rep_day(rep, row->occurred_at);

	check_row(row, rep_id, day, checked_since);
	pending_add(totals, rep_id, row->kind, day, 0, row->qty, sign, rows);
}

/*
 * Folds a row with the sign given; the future tolerance applies to an
 * activity row recorded at or after checked_since.  A credit row adds its
 * qty to its rep and takes it from the activity's rep.  The caches are
 * read first where they do not know the row's reps.
 */
static void
fold_row(Relation table, bool credit, const CapturedRow *row, int sign, TimestampTz checked_since)
{
	PendingTotals *totals = pending_here(table->rd_rel->relowner);
	const RepDays *rep = rep_days_cached(row->rep_id);
	const RepDays *from_rep = credit ? rep_days_cached(row->from_rep_id) : NULL;

	if (!closed_through_known || rep == NULL || (credit && from_rep == NULL))
	{
		TriggerOwnerCall call;

		owner_call_begin(table->rd_rel->relowner, &call);
		if (!closed_through_known)
			closed_through_read();
		if (rep == NULL)
			rep = rep_days_read(row->rep_id, false);
		if (credit && from_rep == NULL)
			from_rep = rep_days_read(row->from_rep_id, false);
		owner_call_end(&call);
	}
	fold_part(totals, row, row->rep_id, rep, sign, checked_since, credit ? 0 : 1);
	if (credit)
		fold_part(totals, row, row->from_rep_id, from_rep, -sign, checked_since, 0);
}

/*
 * Row trigger: folds the row changed.  An updated activity whose rep,
 * kind, time or qty changed is noted for its credits to follow, unless
 * the changes arrive as a replica's (the credits then arrive changed too).
 */
static void
capture_row(TriggerData *trigdata, bool credit)
{
	TriggerEvent event = trigdata->tg_event;
	Relation	table = trigdata->tg_relation;
	const ActivityColumns *cols = activity_columns(table, credit);
	CapturedRow old_row;
	CapturedRow new_row;

	cached_rows_refresh();
	if (TRIGGER_FIRED_BY_INSERT(event))
	{
		captured_row_read(trigdata->tg_trigslot, cols, credit, &new_row);
		fold_row(table, credit, &new_row, +1,
				 credit ? DT_NOEND : GetCurrentTransactionStartTimestamp());
		return;
	}
	captured_row_read(trigdata->tg_trigslot, cols, credit, &old_row);
	fold_row(table, credit, &old_row, -1, DT_NOEND);
	if (!TRIGGER_FIRED_BY_UPDATE(event))
		return;
	captured_row_read(trigdata->tg_newslot, cols, credit, &new_row);
	fold_row(table, credit, &new_row, +1, credit ? DT_NOEND : DT_NOBEGIN);
	if (!credit && SessionReplicationRole != SESSION_REPLICATION_ROLE_REPLICA &&
		(strcmp(old_row.rep_id, new_row.rep_id) != 0 || strcmp(old_row.kind, new_row.kind) != 0 ||
		 old_row.occurred_at != new_row.occurred_at || exact_cmp(old_row.qty, new_row.qty) != 0))
		pending_follow(pending, new_row.activity_id);
}

/*
 * Folds the rows of a transition table with the sign given (the statement
 * triggers of the scripts before 0.3); the future tolerance applies to the
 * activity rows recorded at or after checked_since.  With follow, notes
 * every activity read for its credits to follow.
 */
static void
capture_transition_rows(Relation table, bool credit, Tuplestorestate *rows, int sign,
						TimestampTz checked_since, bool follow)
{
	const ActivityColumns *cols = activity_columns(table, credit);
	TupleTableSlot *slot = MakeSingleTupleTableSlot(RelationGetDescr(table), &TTSOpsMinimalTuple);
	MemoryContext row_context = AllocSetContextCreate(CurrentMemoryContext, "quota totals row",
													  ALLOCSET_SMALL_SIZES);

	cached_rows_refresh();
	/* (a read pointer of its own: the other triggers of the statement read the same table) */
	tuplestore_select_read_pointer(rows, tuplestore_alloc_read_pointer(rows, EXEC_FLAG_REWIND));
	tuplestore_rescan(rows);
	while (tuplestore_gettupleslot(rows, true, false, slot))
	{
		MemoryContext caller_context = MemoryContextSwitchTo(row_context);
		CapturedRow row;

		captured_row_read(slot, cols, credit, &row);
		fold_row(table, credit, &row, sign, checked_since);
		if (follow)
			pending_follow(pending, row.activity_id);
		MemoryContextSwitchTo(caller_context);
		MemoryContextReset(row_context);
	}
	ExecDropSingleTupleTableSlot(slot);
	MemoryContextDelete(row_context);
}

/* Refuses a TRUNCATE that would remove closed activity, then clears (or, for credits, recounts) the totals of quota.activity (SPI connected). */
static void
truncate_totals(bool credit)
{
	if (!closed_through_known)
		closed_through_read();
	/* (the credits of closed periods are looked for before a TRUNCATE of credits) */
	if (!credit && closed_through_cached != DATEVAL_NOBEGIN)
	{
		Oid			argtypes[1] = {DATEOID};
		Datum		args[1] = {DateADTGetDatum(closed_through_cached)};

		totals_shape_known();
		if (SPI_execute_with_args(totals_shape != TOTALS_DAILY ?
								  "SELECT 1 FROM quota.daily_total WHERE day OPERATOR(pg_catalog.<=) $1 "
								  "AND tracking_id OPERATOR(pg_catalog.=) 0 GROUP BY rep_id, kind, day "
								  "HAVING pg_catalog.sum(qty) OPERATOR(pg_catalog.<>) 0 LIMIT 1" :
								  "SELECT 1 FROM quota.daily_total WHERE day OPERATOR(pg_catalog.<=) $1 "
								  "GROUP BY rep_id, kind, day "
								  "HAVING pg_catalog.sum(qty) OPERATOR(pg_catalog.<>) 0 LIMIT 1",
								  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read quota.daily_total");
		if (SPI_processed > 0)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("cannot truncate quota.activity: it holds activity of a closed period"),
					 errdetail("Activity on or before %s is closed.",
							   DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(closed_through_cached)))),
					 errhint("Delete the activity of open periods with DELETE instead.")));
	}
	totals_shape_known();
	if (credit)
	{
		/* the credits are gone, their rows unknown: recount the totals of quota.activity */
		if (SPI_execute(totals_shape != TOTALS_DAILY ? "SELECT quota.activity_rebuilt(NULL)" : "SELECT quota.rebuild()",
						false, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not rebuild quota.daily_total");
	}
	else if (totals_shape == TOTALS_DAILY)
	{
		if (SPI_execute("TRUNCATE quota.daily_total", false, 0) != SPI_OK_UTILITY)
			elog(ERROR, "could not clear quota.daily_total");
	}
	else if (SPI_execute("DELETE FROM quota.daily_total WHERE tracking_id OPERATOR(pg_catalog.=) 0",
						 false, 0) != SPI_OK_DELETE ||
			 (totals_shape == TOTALS_MONTHLY &&
			  SPI_execute("DELETE FROM quota.month_total WHERE tracking_id OPERATOR(pg_catalog.=) 0",
						  false, 0) != SPI_OK_DELETE))
		elog(ERROR, "could not clear the totals of quota.activity");
}

/*
 * Touches the credits of the updated activities noted (SPI connected), so
 * that their BEFORE trigger, quota.activity_credit_copied(), copies the
 * new values and computes their qty, and their own triggers move the
 * totals.
 */
static void
credits_follow(const int64 *followed, int nfollowed)
{
	Oid			argtypes[1] = {INT8ARRAYOID};
	Datum	   *ids = palloc(sizeof(Datum) * nfollowed);
	Datum		args[1];
	int			i;

	for (i = 0; i < nfollowed; i++)
		ids[i] = Int64GetDatum(followed[i]);
	args[0] = PointerGetDatum(construct_array(ids, nfollowed, INT8OID,
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
}

/*
 * Statement trigger: writes the deltas of the statement's level (for a
 * script before 0.3, of the rows of its transition tables), then clears
 * the totals after a TRUNCATE or brings the credits of updated activities
 * up to date.
 */
static void
capture_statement_end(TriggerData *trigdata, bool credit)
{
	TriggerEvent event = trigdata->tg_event;
	Relation	table = trigdata->tg_relation;
	PendingTotals *totals;
	TriggerOwnerCall call;
	int64	   *followed = NULL;
	int			nfollowed = 0;

	if (trigdata->tg_oldtable != NULL)
		capture_transition_rows(table, credit, trigdata->tg_oldtable, -1, DT_NOEND, false);
	if (trigdata->tg_newtable != NULL)
		capture_transition_rows(table, credit, trigdata->tg_newtable, +1,
								TRIGGER_FIRED_BY_UPDATE(event) ? DT_NOBEGIN : GetCurrentTransactionStartTimestamp(),
								/* (the scripts before 0.2 have no credits) */
								!credit && TRIGGER_FIRED_BY_UPDATE(event) &&
								SessionReplicationRole != SESSION_REPLICATION_ROLE_REPLICA &&
								OidIsValid(quota_table_oid(QUOTA_ACTIVITY_CREDIT)));

	totals = pending != NULL && pending->nest_level == GetCurrentTransactionNestLevel() ? pending : NULL;
	if (totals == NULL && !TRIGGER_FIRED_BY_TRUNCATE(event))
		return;					/* no row of the statement was folded */
	if (totals != NULL && totals->nfollowed > 0)
	{
		followed = palloc(sizeof(int64) * totals->nfollowed);
		memcpy(followed, totals->followed, sizeof(int64) * totals->nfollowed);
		nfollowed = totals->nfollowed;
		totals->nfollowed = 0;
	}
	owner_call_begin(table->rd_rel->relowner, &call);
	if (totals != NULL)
		batch_write(totals);
	if (TRIGGER_FIRED_BY_TRUNCATE(event))
	{
		cached_rows_refresh();
		truncate_totals(credit);
	}
	if (nfollowed > 0)
		credits_follow(followed, nfollowed);
	owner_call_end(&call);
}

PG_FUNCTION_INFO_V1(activity_totals);

/*
 * Trigger of quota.activity and quota.activity_credit: AFTER ... FOR EACH
 * ROW it folds the changed row into the totals, AFTER ... FOR EACH
 * STATEMENT it writes them.
 */
Datum
activity_totals(PG_FUNCTION_ARGS)
{
	static const QuotaTable totals_tables[] = {QUOTA_ACTIVITY, QUOTA_ACTIVITY_CREDIT};
	TriggerData *trigdata = trigger_call_data(fcinfo, "quota.activity_totals()", "the extension's tables");
	bool		credit;

	trigger_check_fired(TRIGGER_FIRED_AFTER(trigdata->tg_event),
						"quota.activity_totals()", "AFTER ... FOR EACH ROW or FOR EACH STATEMENT");
	trigger_check_table(trigdata, "quota.activity_totals()",
						"the totals of quota.activity and quota.activity_credit",
						totals_tables, lengthof(totals_tables));
	if (quota_restoring)
		return PointerGetDatum(NULL);	/* quota.end_restore() counts the rows */
	credit = RelationGetRelid(trigdata->tg_relation) == quota_table_oid(QUOTA_ACTIVITY_CREDIT);
	if (TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
		capture_row(trigdata, credit);
	else
		capture_statement_end(trigdata, credit);
	return PointerGetDatum(NULL);
}

/* Returns how a rep's moments become days, or NULL when the rep does not exist (tracked sources). */
const RepDays *
totals_rep_days(Oid owner, const char *rep_id)
{
	const RepDays *rep;

	cached_rows_refresh();
	rep = rep_days_cached(rep_id);
	if (rep == NULL)
	{
		TriggerOwnerCall call;

		owner_call_begin(owner, &call);
		rep = rep_days_read(rep_id, true);
		owner_call_end(&call);
	}
	return rep;
}

PG_FUNCTION_INFO_V1(rep_day_of);

/*
 * quota.rep_day(rep_id, at): the day of a rep on which a moment counts, as
 * the totals count it (NULL for a rep that does not exist); the rep's time
 * zone and its changes are read as the owner of the totals.
 */
Datum
rep_day_of(PG_FUNCTION_ARGS)
{
	Oid		   *owner = fcinfo->flinfo->fn_extra;
	const RepDays *rep;

	if (owner == NULL)
	{
		/* (looked up once per query) */
		owner = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(Oid));
		*owner = tracking_totals_owner();
		fcinfo->flinfo->fn_extra = owner;
	}
	rep = totals_rep_days(*owner, text_to_cstring(PG_GETARG_TEXT_PP(0)));

	if (rep == NULL)
		PG_RETURN_NULL();
	PG_RETURN_DATEADT(rep_day(rep, PG_GETARG_TIMESTAMPTZ(1)));
}

/* Returns the last closed day, DATEVAL_NOBEGIN when none is (tracked sources). */
DateADT
totals_closed_through(Oid owner)
{
	cached_rows_refresh();
	if (!closed_through_known)
	{
		TriggerOwnerCall call;

		owner_call_begin(owner, &call);
		closed_through_read();
		owner_call_end(&call);
	}
	return closed_through_cached;
}

/* Folds sign * qty, and sign rows, into the delta of (rep, kind, day, tracking) (tracked sources). */
void
totals_fold(Oid owner, int32 tracking_id, const char *rep_id, const char *kind, DateADT day,
			Numeric qty, int sign)
{
	pending_add(pending_here(owner), rep_id, kind, day, tracking_id, qty, sign, 1);
}

/* Writes the deltas of the current (sub)transaction level that are not written yet. */
void
totals_write_level(void)
{
	if (pending != NULL && pending->nest_level == GetCurrentTransactionNestLevel())
		pending_write(pending);
}

PG_FUNCTION_INFO_V1(totals_written);

/*
 * Writes the deltas this transaction has folded and not yet written, so
 * that quota.rebuild() and quota.close_period() see every total.
 */
Datum
totals_written(PG_FUNCTION_ARGS)
{
	totals_write_level();
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(cached_rows_changed);

/* Trigger of quota.rep and quota.period_close: makes every session forget its cached rows. */
Datum
cached_rows_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = trigger_call_data(fcinfo, "quota.cached_rows_changed()", "the extension's tables");

	trigger_check_fired(TRIGGER_FIRED_AFTER(trigdata->tg_event),
						"quota.cached_rows_changed()", "AFTER ... FOR EACH ROW or FOR EACH STATEMENT");
	CacheInvalidateRelcache(trigdata->tg_relation);
	return PointerGetDatum(NULL);
}
