/*
 * tracked_rows.c
 *	  The rows of tracked tables, as the totals count them: the triggers
 *	  that capture each row, the rows that cannot be counted
 *	  (quota.unmatched) and the changes of closed days
 *	  (quota.late_change), the scans that read the rows already in a
 *	  table, and the reps created later that count the rows that waited
 *	  for them.
 *
 * The row triggers fold each row that satisfies the filter, evaluated
 * with the writer's rights, into the deltas of live_totals.c, as those of
 * quota.activity, under the tracking's own id; a statement trigger writes
 * them.  The filter is the WHEN clause of a tracking's triggers of deletes
 * and updates; inserts go through one trigger for all the trackings of a
 * table, which evaluates their filters from a session's cache.  A source's writes never fail because of what is
 * in the row: a row without a rep, a time or a qty, or whose rep does
 * not exist yet, is kept in quota.unmatched, and a row written, changed
 * or deleted on a closed day leaves the day's figures alone and is kept
 * in quota.late_change.
 *
 * Rows already in a table (when it is tracked, or a partition attached)
 * and rows about to leave it (a partition detached or dropped, a
 * TRUNCATE) are read by a scan that evaluates the filter as the table's
 * owner, in a security-restricted operation, as ANALYZE evaluates index
 * expressions.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/executor.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "rewrite/rewriteManip.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "quota_ext.h"


/* The first key of the advisory locks that order rows waiting for a rep and its creation. */
#define WAITING_REP_LOCK_CLASS 0x71756f74

/* Where a relation that fires a tracking's triggers holds what it counts. */
typedef struct TrackedColumns
{
	int32		tracking_id;	/* key: the tracking and the relation */
	Oid			relid;
	Oid			source;			/* the table tracked (the root of relid) */
	Oid			totals_owner;	/* who writes the totals */
	char	   *kind;
	AttrNumber	rep;
	AttrNumber	occurred;
	AttrNumber	qty;			/* InvalidAttrNumber: each row counts 1 */
	Oid			rep_output;		/* output function of the rep column's type */
	Oid			qty_type;
	bool		occurred_is_date;
	int			nkeys;			/* columns of the primary key, 0 without one */
	AttrNumber	keys[INDEX_MAX_KEYS];
	Oid			key_outputs[INDEX_MAX_KEYS];
} TrackedColumns;

/* A row of a tracked source, as the totals see it. */
typedef struct TrackedRow
{
	char	   *rep_id;			/* NULL when the row names none */
	bool		has_time;
	TimestampTz occurred_at;	/* a timestamptz column */
	DateADT		occurred_on;	/* a date column */
	Numeric		qty;			/* NULL when the row has none */
} TrackedRow;

/* What a scan does with each row that satisfies the filter. */
typedef void (*TrackedRowSink) (const TrackedColumns *cols, TupleTableSlot *slot,
								const TrackedRow *row, void *arg);

/* The column lists quota.tracked_rows() returns. */
#define TRACKED_ROWS_COLUMNS 9

/*
 * The trackings whose inserted rows a leaf of a tracked table counts
 * through its quota_track_insert, with their filters prepared for one
 * writer: those of the new side of their update triggers, the Vars of the
 * new row made those of the outer tuple, as PostgreSQL makes a WHEN
 * clause's.
 */
typedef struct InsertFilters
{
	Oid			relid;			/* key: the leaf and the user whose rights evaluate the filters */
	Oid			userid;
	int			ntrackings;
	int32	   *tracking_ids;
	ExprState **filters;		/* an element NULL: the tracking counts every row */
	ExprContext *econtext;
} InsertFilters;

/*
 * The session's caches of TrackedColumns and InsertFilters, forgotten when
 * a relation or quota.tracking changes, and the filters when a function
 * (its definition or its rights) or a role's membership does; not while
 * filters are being evaluated, which may change them.
 */
static HTAB *tracked_columns_cache = NULL;
static HTAB *insert_filters_cache = NULL;
static MemoryContext tracked_columns_context = NULL;
static bool tracked_columns_stale = false;
static bool insert_filters_stale = false;
static int	insert_filters_evaluating = 0;
static Oid	tracking_relid = InvalidOid;	/* quota.tracking, when the cache was filled */

static SPIPlanPtr tracking_plan = NULL;
static SPIPlanPtr unmatched_insert_plan = NULL;
static SPIPlanPtr unmatched_delete_plan = NULL;
static SPIPlanPtr unmatched_keyless_delete_plan = NULL;
static SPIPlanPtr late_change_plan = NULL;
static SPIPlanPtr waiting_rows_plan = NULL;
static SPIPlanPtr rep_counted_plan = NULL;

/* Notes that a relation whose columns the session caches, or quota.tracking, may have changed. */
static void
tracked_columns_invalidated(Datum arg, Oid relid)
{
	HASH_SEQ_STATUS scan;
	TrackedColumns *cols;
	InsertFilters *filters;

	if (tracked_columns_cache == NULL || tracked_columns_stale)
		return;
	if (relid == InvalidOid || relid == tracking_relid)
	{
		tracked_columns_stale = true;
		return;
	}
	hash_seq_init(&scan, tracked_columns_cache);
	while ((cols = hash_seq_search(&scan)) != NULL)
	{
		if (cols->relid == relid)
		{
			tracked_columns_stale = true;
			hash_seq_term(&scan);
			return;
		}
	}
	hash_seq_init(&scan, insert_filters_cache);
	while ((filters = hash_seq_search(&scan)) != NULL)
	{
		if (filters->relid == relid)
		{
			tracked_columns_stale = true;
			hash_seq_term(&scan);
			return;
		}
	}
}

/* Notes that a function or a role's membership changed, which the prepared filters may depend on. */
static void
insert_filters_invalidated(Datum arg, int cacheid, uint32 hashvalue)
{
	insert_filters_stale = true;
}

/* Makes the caches of tracked relations ready for a look-up, empty when something they hold changed. */
static void
tracked_caches_ready(void)
{
	HASHCTL		ctl;

	if (tracked_columns_context == NULL)
	{
		tracked_columns_context = AllocSetContextCreate(TopMemoryContext, "quota tracked columns",
														ALLOCSET_SMALL_SIZES);
		CacheRegisterRelcacheCallback(tracked_columns_invalidated, (Datum) 0);
		CacheRegisterSyscacheCallback(PROCOID, insert_filters_invalidated, (Datum) 0);
		CacheRegisterSyscacheCallback(AUTHMEMROLEMEM, insert_filters_invalidated, (Datum) 0);
	}
	AcceptInvalidationMessages();
	if (insert_filters_evaluating > 0 ||
		(tracked_columns_cache != NULL && !tracked_columns_stale && !insert_filters_stale))
		return;
	MemoryContextReset(tracked_columns_context);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = offsetof(TrackedColumns, source);
	ctl.entrysize = sizeof(TrackedColumns);
	ctl.hcxt = tracked_columns_context;
	tracked_columns_cache = hash_create("quota tracked columns", 16, &ctl,
										HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	ctl.keysize = offsetof(InsertFilters, ntrackings);
	ctl.entrysize = sizeof(InsertFilters);
	insert_filters_cache = hash_create("quota insert filters", 16, &ctl,
									   HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	tracking_relid = quota_table_oid(QUOTA_TRACKING);
	tracked_columns_stale = false;
	insert_filters_stale = false;
}

/* Returns the attribute number of a tracked column in a relation, by name. */
static AttrNumber
tracked_column_number(Oid relid, const char *name)
{
	AttrNumber	attnum = get_attnum(relid, name);

	if (attnum == InvalidAttrNumber)
		elog(ERROR, "tracked column \"%s\" is missing from relation %u", name, relid);
	return attnum;
}

/*
 * Returns where a relation holds the columns a tracking counts, read from
 * quota.tracking (as the owner of the totals) on first use.
 */
static const TrackedColumns *
tracked_columns(int32 tracking_id, Relation rel)
{
	struct
	{
		int32		tracking_id;
		Oid			relid;
	}			key;
	TrackedColumns *cols;
	bool		found;
	TriggerOwnerCall call;
	Oid			argtypes[1] = {INT4OID};
	Datum		args[1];
	MemoryContext caller_context;
	Relation	index;
	Oid			index_oid;
	bool		isnull;
	bool		typisvarlena;
	int			i;

	tracked_caches_ready();
	memset(&key, 0, sizeof(key));
	key.tracking_id = tracking_id;
	key.relid = RelationGetRelid(rel);
	cols = hash_search(tracked_columns_cache, &key, HASH_FIND, NULL);
	if (cols != NULL)
		return cols;

	owner_call_begin(tracking_totals_owner(), &call);
	args[0] = Int32GetDatum(tracking_id);
	if (SPI_execute_plan(kept_plan(&tracking_plan,
								   "SELECT source::pg_catalog.oid, kind, rep_column, occurred_at_column, qty_column "
								   "FROM quota.tracking WHERE tracking_id OPERATOR(pg_catalog.=) $1",
								   1, argtypes),
						 args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read quota.tracking");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("tracking %d of table \"%s\" does not exist", tracking_id,
						RelationGetRelationName(rel)),
				 errhint("Its triggers were left behind: drop them, or track the table again with quota.track(); "
						 "to load a dump with --data-only, call quota.begin_restore() first.")));

	caller_context = MemoryContextSwitchTo(tracked_columns_context);
	cols = hash_search(tracked_columns_cache, &key, HASH_ENTER, &found);
	cols->source = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	cols->totals_owner = tracking_totals_owner();
	cols->kind = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	cols->rep = tracked_column_number(key.relid, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3));
	cols->occurred = tracked_column_number(key.relid, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4));
	SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 5, &isnull);
	cols->qty = isnull ? InvalidAttrNumber :
		tracked_column_number(key.relid, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 5));
	MemoryContextSwitchTo(caller_context);
	owner_call_end(&call);

	getTypeOutputInfo(TupleDescAttr(RelationGetDescr(rel), cols->rep - 1)->atttypid,
					  &cols->rep_output, &typisvarlena);
	cols->occurred_is_date = getBaseType(TupleDescAttr(RelationGetDescr(rel), cols->occurred - 1)->atttypid) == DATEOID;
	cols->qty_type = cols->qty == InvalidAttrNumber ? InvalidOid :
		getBaseType(TupleDescAttr(RelationGetDescr(rel), cols->qty - 1)->atttypid);

	cols->nkeys = 0;
	index_oid = RelationGetPrimaryKeyIndex(rel);
	if (OidIsValid(index_oid))
	{
		index = index_open(index_oid, AccessShareLock);
		cols->nkeys = index->rd_index->indnkeyatts;
		for (i = 0; i < cols->nkeys; i++)
		{
			cols->keys[i] = index->rd_index->indkey.values[i];
			getTypeOutputInfo(TupleDescAttr(RelationGetDescr(rel), cols->keys[i] - 1)->atttypid,
							  &cols->key_outputs[i], &typisvarlena);
		}
		index_close(index, AccessShareLock);
	}
	return cols;
}

/* Reads the rep, time and qty of a row of a tracked relation (with the writer's rights: the output function of the rep's type runs). */
static void
tracked_row_read(const TrackedColumns *cols, TupleTableSlot *slot, TrackedRow *row)
{
	static Numeric one = NULL;
	bool		isnull;
	Datum		value;

	value = slot_getattr(slot, cols->rep, &isnull);
	row->rep_id = isnull ? NULL : OidOutputFunctionCall(cols->rep_output, value);
	value = slot_getattr(slot, cols->occurred, &isnull);
	row->has_time = !isnull;
	if (!isnull && cols->occurred_is_date)
		row->occurred_on = DatumGetDateADT(value);
	else if (!isnull)
		row->occurred_at = DatumGetTimestampTz(value);
	if (cols->qty == InvalidAttrNumber)
	{
		row->qty = exact_constant(&one, "1");
		return;
	}
	value = slot_getattr(slot, cols->qty, &isnull);
	if (isnull)
		row->qty = NULL;
	else if (cols->qty_type == INT2OID)
		row->qty = DatumGetNumeric(DirectFunctionCall1(int2_numeric, value));
	else if (cols->qty_type == INT4OID)
		row->qty = DatumGetNumeric(DirectFunctionCall1(int4_numeric, value));
	else if (cols->qty_type == INT8OID)
		row->qty = DatumGetNumeric(DirectFunctionCall1(int8_numeric, value));
	else
		row->qty = DatumGetNumeric(value);
}

/* Returns why a row cannot be counted whatever the reps are, or NULL when it can be. */
static const char *
tracked_row_problem(const TrackedRow *row, bool occurred_is_date)
{
	if (row->rep_id == NULL)
		return "rep is null";
	if (!row->has_time)
		return "time is null";
	if (occurred_is_date ? DATE_NOT_FINITE(row->occurred_on) : TIMESTAMP_NOT_FINITE(row->occurred_at))
		return "time is not finite";
	if (row->qty == NULL)
		return "qty is null";
	switch (amount_problem(row->qty))
	{
		case AMOUNT_NAN:
		case AMOUNT_INFINITE:
			return "qty is not finite";
		default:
			return NULL;
	}
}

/* Appends a field of a record's text, quoted as record_out quotes it. */
static void
record_field_appended(StringInfo buf, const char *value)
{
	const char *p;
	bool		quoted = value[0] == '\0';

	for (p = value; *p != '\0' && !quoted; p++)
		quoted = *p == '"' || *p == '\\' || *p == '(' || *p == ')' || *p == ',' || isspace((unsigned char) *p);
	if (!quoted)
	{
		appendStringInfoString(buf, value);
		return;
	}
	appendStringInfoChar(buf, '"');
	for (p = value; *p != '\0'; p++)
	{
		if (*p == '"' || *p == '\\')
			appendStringInfoChar(buf, *p);
		appendStringInfoChar(buf, *p);
	}
	appendStringInfoChar(buf, '"');
}

/* Returns the text of a row's primary key (a record's text, ("a,b",1), for several columns), or NULL without one. */
static char *
tracked_row_key(const TrackedColumns *cols, TupleTableSlot *slot)
{
	StringInfoData key;
	int			i;

	if (cols->nkeys == 0)
		return NULL;
	initStringInfo(&key);
	if (cols->nkeys > 1)
		appendStringInfoChar(&key, '(');
	for (i = 0; i < cols->nkeys; i++)
	{
		bool		isnull;
		Datum		value = slot_getattr(slot, cols->keys[i], &isnull);

		if (i > 0)
			appendStringInfoChar(&key, ',');
		if (!isnull && cols->nkeys == 1)
			appendStringInfoString(&key, OidOutputFunctionCall(cols->key_outputs[i], value));
		else if (!isnull)
			record_field_appended(&key, OidOutputFunctionCall(cols->key_outputs[i], value));
	}
	if (cols->nkeys > 1)
		appendStringInfoChar(&key, ')');
	return key.data;
}

/* Takes the lock that orders rows waiting for a rep and the rep's creation, until the transaction ends. */
static void
waiting_rep_locked(const char *rep_id, LOCKMODE mode)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, WAITING_REP_LOCK_CLASS,
						 hash_bytes((const unsigned char *) rep_id, strlen(rep_id)), 2);
	(void) LockAcquire(&tag, mode, false, false);
}

/* Returns a Datum of text, or a NULL marked in nulls. */
static Datum
text_or_null(const char *str, char *null)
{
	*null = str == NULL ? 'n' : ' ';
	return str == NULL ? (Datum) 0 : CStringGetTextDatum(str);
}

/*
 * Keeps a row that cannot be counted in quota.unmatched (sign +1), or
 * forgets one such row equal to it (sign -1), as the owner of the totals.
 */
static void
unmatched_noted(const TrackedColumns *cols, TupleTableSlot *slot, const TrackedRow *row,
				const char *reason, int sign)
{
	Oid			argtypes[8] = {INT4OID, OIDOID, TEXTOID, TEXTOID, TIMESTAMPTZOID, DATEOID, NUMERICOID, TEXTOID};
	Datum		args[8];
	char		nulls[8] = "        ";
	TriggerOwnerCall call;

	args[0] = Int32GetDatum(cols->tracking_id);
	args[1] = ObjectIdGetDatum(cols->source);
	args[2] = text_or_null(tracked_row_key(cols, slot), &nulls[2]);
	args[3] = text_or_null(row->rep_id, &nulls[3]);
	args[4] = TimestampTzGetDatum(row->occurred_at);
	nulls[4] = row->has_time && !cols->occurred_is_date ? ' ' : 'n';
	args[5] = DateADTGetDatum(row->occurred_on);
	nulls[5] = row->has_time && cols->occurred_is_date ? ' ' : 'n';
	args[6] = NumericGetDatum(row->qty);
	nulls[6] = row->qty == NULL ? 'n' : ' ';
	args[7] = CStringGetTextDatum(reason);

	owner_call_begin(tracking_totals_owner(), &call);
	if (sign > 0)
	{
		if (SPI_execute_plan(kept_plan(&unmatched_insert_plan,
									   "INSERT INTO quota.unmatched (tracking_id, source, row_key, rep_id, "
									   "occurred_at, occurred_on, qty, reason) "
									   "VALUES ($1, $2::pg_catalog.regclass, $3, $4, $5, $6, $7, $8)",
									   8, argtypes),
							 args, nulls, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not insert into quota.unmatched");
	}
	else if (nulls[2] == ' ' ?
			 /* (by the key, which the index finds) */
			 SPI_execute_plan(kept_plan(&unmatched_delete_plan,
										"DELETE FROM quota.unmatched WHERE ctid OPERATOR(pg_catalog.=) "
										"(SELECT u.ctid FROM quota.unmatched u "
										"WHERE u.tracking_id OPERATOR(pg_catalog.=) $1 AND u.row_key OPERATOR(pg_catalog.=) $3 "
										"AND u.rep_id IS NOT DISTINCT FROM $4 "
										"AND u.occurred_at IS NOT DISTINCT FROM $5 AND u.occurred_on IS NOT DISTINCT FROM $6 "
										"AND u.qty IS NOT DISTINCT FROM $7 LIMIT 1)",
										8, argtypes),
							  args, nulls, false, 0) != SPI_OK_DELETE :
			 /* (a table without a primary key: one row of the same values) */
			 SPI_execute_plan(kept_plan(&unmatched_keyless_delete_plan,
										"DELETE FROM quota.unmatched WHERE ctid OPERATOR(pg_catalog.=) "
										"(SELECT u.ctid FROM quota.unmatched u "
										"WHERE u.tracking_id OPERATOR(pg_catalog.=) $1 AND u.row_key IS NULL "
										"AND u.rep_id IS NOT DISTINCT FROM $4 "
										"AND u.occurred_at IS NOT DISTINCT FROM $5 AND u.occurred_on IS NOT DISTINCT FROM $6 "
										"AND u.qty IS NOT DISTINCT FROM $7 LIMIT 1)",
										8, argtypes),
							  args, nulls, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not delete from quota.unmatched");
	owner_call_end(&call);
}

/* Keeps a change of a closed day in quota.late_change instead of counting it, as the owner of the totals. */
static void
late_change_noted(int32 tracking_id, Oid source, const char *kind, const char *row_key,
				  const char *rep_id, DateADT day, Numeric qty, int sign)
{
	Oid			argtypes[8] = {INT4OID, OIDOID, TEXTOID, TEXTOID, TEXTOID, DATEOID, NUMERICOID, INT4OID};
	Datum		args[8];
	char		nulls[8] = "        ";
	TriggerOwnerCall call;

	args[0] = Int32GetDatum(tracking_id);
	args[1] = ObjectIdGetDatum(source);
	args[2] = text_or_null(row_key, &nulls[2]);
	args[3] = CStringGetTextDatum(rep_id);
	args[4] = CStringGetTextDatum(kind);
	args[5] = DateADTGetDatum(day);
	args[6] = NumericGetDatum(sign > 0 ? qty : exact_negated(qty));
	args[7] = Int32GetDatum(sign);
	owner_call_begin(tracking_totals_owner(), &call);
	if (SPI_execute_plan(kept_plan(&late_change_plan,
								   "INSERT INTO quota.late_change (tracking_id, source, row_key, rep_id, kind, day, qty_change, rows_change) "
								   "VALUES ($1, $2::pg_catalog.regclass, $3, $4, $5, $6, $7, $8)",
								   8, argtypes),
						 args, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not insert into quota.late_change");
	owner_call_end(&call);
}

/*
 * Counts a row of a tracked relation with the sign given: into the deltas
 * of its rep and local day, into quota.late_change when that day is
 * closed, or into quota.unmatched when it cannot be counted; returns
 * whether it went into the deltas.  A row whose rep does not exist waits
 * under a lock that the rep's creation takes too, so that a rep created
 * meanwhile finds it.
 */
static bool
tracked_row_counted(const TrackedColumns *cols, TupleTableSlot *slot, const TrackedRow *row, int sign)
{
	Oid			owner = cols->totals_owner;
	const char *problem = tracked_row_problem(row, cols->occurred_is_date);
	const RepDays *rep = NULL;
	DateADT		day;

	if (problem == NULL)
	{
		rep = totals_rep_days(owner, row->rep_id);
		if (rep == NULL)
		{
			waiting_rep_locked(row->rep_id, ShareLock);
			rep = totals_rep_days(owner, row->rep_id);
			if (rep == NULL)
				problem = "unknown rep";
		}
	}
	if (problem != NULL)
	{
		unmatched_noted(cols, slot, row, problem, sign);
		return false;
	}
	day = cols->occurred_is_date ? row->occurred_on : rep_day(rep, row->occurred_at);
	if (day <= totals_closed_through(owner))
	{
		late_change_noted(cols->tracking_id, cols->source, cols->kind, tracked_row_key(cols, slot),
						  row->rep_id, day, row->qty, sign);
		return false;
	}
	totals_fold(owner, cols->tracking_id, row->rep_id, cols->kind, day, row->qty, sign);
	return true;
}

/* Returns the tracking a trigger of a tracked source serves, from its first argument. */
static int32
trigger_tracking_id(TriggerData *trigdata, const char *function_name, int nargs)
{
	Trigger    *trigger = trigdata->tg_trigger;

	if (trigger->tgnargs != nargs)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s is attached by quota.track() only", function_name)));
	return pg_strtoint32(trigger->tgargs[0]);
}

PG_FUNCTION_INFO_V1(tracked_row_changed);

/*
 * Row trigger of a tracked source (its WHEN clause is the filter): counts
 * the inserted row, or takes back the deleted one, or one side of an
 * update (the second argument says which).
 */
Datum
tracked_row_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = trigger_call_data(fcinfo, "quota.tracked_row_changed()", "tracked tables by quota.track()");
	const char *side;
	const TrackedColumns *cols;
	TupleTableSlot *slot;
	TrackedRow	row;

	trigger_check_fired(TRIGGER_FIRED_AFTER(trigdata->tg_event) && TRIGGER_FIRED_FOR_ROW(trigdata->tg_event),
						"quota.tracked_row_changed()", "AFTER ... FOR EACH ROW");
	if (quota_restoring)
		return PointerGetDatum(NULL);	/* quota.end_restore() counts the rows */
	cols = tracked_columns(trigger_tracking_id(trigdata, "quota.tracked_row_changed()", 2),
						   trigdata->tg_relation);
	side = trigdata->tg_trigger->tgargs[1];
	slot = strcmp(side, "new") == 0 ? trigdata->tg_newslot : trigdata->tg_trigslot;
	tracked_row_read(cols, slot, &row);
	(void) tracked_row_counted(cols, slot, &row,
							   strcmp(side, "insert") == 0 || strcmp(side, "new") == 0 ? +1 : -1);
	return PointerGetDatum(NULL);
}

/*
 * Prepares the filter of a tracking's trigger over the new row (its WHEN
 * clause, with the row as the outer tuple, as a trigger's WHEN is
 * evaluated), in the current memory context; NULL when it has none.
 */
static ExprState *
filter_prepared(const Trigger *trigger)
{
	Node	   *node;

	if (trigger->tgqual == NULL)
		return NULL;
	node = stringToNode(trigger->tgqual);
	ChangeVarNodes(node, PRS2_NEW_VARNO, OUTER_VAR, 0);
	return ExecInitQual((List *) expression_planner((Expr *) make_ands_implicit((Expr *) node)), NULL);
}

/*
 * Returns the trackings whose inserted rows a leaf of a tracked table
 * counts through its quota_track_insert, with their filters prepared for
 * the current user, read from the leaf's triggers on first use.
 */
static InsertFilters *
insert_filters(Relation rel)
{
	Oid			row_function = tracking_function_oid("tracked_row_changed");
	struct
	{
		Oid			relid;
		Oid			userid;
	}			key;
	InsertFilters *filters;
	MemoryContext context;
	MemoryContext caller_context;
	int32	   *tracking_ids;
	ExprState **quals;
	ExprContext *econtext;
	int			n = 0;
	int			i;

	tracked_caches_ready();
	memset(&key, 0, sizeof(key));
	key.relid = RelationGetRelid(rel);
	key.userid = GetUserId();
	filters = hash_search(insert_filters_cache, &key, HASH_FIND, NULL);
	if (filters != NULL)
		return filters;

	/* (prepared apart, and kept once whole: an error leaves nothing behind) */
	context = AllocSetContextCreate(CurrentMemoryContext, "quota insert filters", ALLOCSET_SMALL_SIZES);
	caller_context = MemoryContextSwitchTo(context);
	tracking_ids = palloc(sizeof(int32) * rel->trigdesc->numtriggers);
	quals = palloc(sizeof(ExprState *) * rel->trigdesc->numtriggers);
	for (i = 0; i < rel->trigdesc->numtriggers; i++)
	{
		Trigger    *trigger = &rel->trigdesc->triggers[i];
		int32		tracking_id;

		if (trigger->tgfoid != row_function || trigger->tgnargs != 2 || strcmp(trigger->tgargs[1], "new") != 0)
			continue;
		tracking_id = pg_strtoint32(trigger->tgargs[0]);
		if (tracking_own_insert_trigger(rel, tracking_id) != NULL)
			continue;			/* made before 0.11: its own trigger counts its inserts */
		tracking_ids[n] = tracking_id;
		quals[n++] = filter_prepared(trigger);
	}
	econtext = CreateStandaloneExprContext();
	MemoryContextSwitchTo(caller_context);

	MemoryContextSetParent(context, tracked_columns_context);
	filters = hash_search(insert_filters_cache, &key, HASH_ENTER, NULL);
	filters->ntrackings = n;
	filters->tracking_ids = tracking_ids;
	filters->filters = quals;
	filters->econtext = econtext;
	return filters;
}

PG_FUNCTION_INFO_V1(tracked_row_inserted);

/*
 * Row trigger of the inserts into a tracked table, one for all its
 * trackings: counts the row for each tracking whose filter it satisfies.
 * The filters are evaluated with the rights of the writer, as a WHEN
 * clause is (when the statement's rows have been written, not as each
 * is: a filter that reads the table sees them all).
 */
Datum
tracked_row_inserted(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = trigger_call_data(fcinfo, "quota.tracked_row_inserted()", "tracked tables by quota.track()");
	TupleTableSlot *slot = trigdata->tg_trigslot;
	InsertFilters *volatile filters;
	int32	   *counted;
	volatile int ncounted = 0;
	int			i;

	trigger_check_fired(TRIGGER_FIRED_AFTER(trigdata->tg_event) && TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) &&
						TRIGGER_FIRED_BY_INSERT(trigdata->tg_event),
						"quota.tracked_row_inserted()", "AFTER INSERT ... FOR EACH ROW");
	if (quota_restoring)
		return PointerGetDatum(NULL);	/* quota.end_restore() counts the rows */

	/* which trackings count the row, before any is counted (which may refill the caches) */
	filters = insert_filters(trigdata->tg_relation);
	counted = palloc(sizeof(int32) * filters->ntrackings);
	insert_filters_evaluating++;
	PG_TRY();
	{
		filters->econtext->ecxt_outertuple = slot;
		for (i = 0; i < filters->ntrackings; i++)
			if (filters->filters[i] == NULL || ExecQual(filters->filters[i], filters->econtext))
				counted[ncounted++] = filters->tracking_ids[i];
		ResetExprContext(filters->econtext);
	}
	PG_FINALLY();
	{
		insert_filters_evaluating--;
	}
	PG_END_TRY();

	for (i = 0; i < ncounted; i++)
	{
		const TrackedColumns *cols = tracked_columns(counted[i], trigdata->tg_relation);
		TrackedRow	row;

		tracked_row_read(cols, slot, &row);
		(void) tracked_row_counted(cols, slot, &row, +1);
	}
	return PointerGetDatum(NULL);
}

PG_FUNCTION_INFO_V1(tracked_rows_written);

/* Statement trigger of a tracked source: writes the deltas its rows folded. */
Datum
tracked_rows_written(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = trigger_call_data(fcinfo, "quota.tracked_rows_written()", "tracked tables by quota.track()");

	trigger_check_fired(TRIGGER_FIRED_AFTER(trigdata->tg_event) && !TRIGGER_FIRED_FOR_ROW(trigdata->tg_event),
						"quota.tracked_rows_written()", "AFTER ... FOR EACH STATEMENT");
	totals_write_level();
	return PointerGetDatum(NULL);
}

/*
 * Reads the rows of a leaf of a tracked table that satisfy the tracking's
 * filter, as the leaf's owner in a security-restricted operation, and
 * hands each to sink; with rep_only,
 * the rows of that rep only.  With latest, it reads every row committed
 * (the caller holds a lock that keeps writers out, so that none is missed
 * under REPEATABLE READ), else those of the transaction's snapshot.
 */
static void
tracked_rows_scanned(int32 tracking_id, Oid leaf, const char *rep_only, bool latest,
					 TrackedRowSink sink, void *arg)
{
	Relation	rel = table_open(leaf, NoLock);
	const TrackedColumns *cols = tracked_columns(tracking_id, rel);
	Trigger    *filter_trigger = tracking_filter_trigger(rel, tracking_id);
	Oid			caller;
	int			caller_security;
	int			guc_level;
	EState	   *estate;
	ExprContext *econtext;
	ExprState  *qual;
	TupleTableSlot *slot;
	TableScanDesc scan;

	if (filter_trigger == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("table \"%s\" lacks the triggers of tracking %d", RelationGetRelationName(rel), tracking_id),
				 errhint("Track the table again: quota.untrack() and quota.track().")));

	GetUserIdAndSecContext(&caller, &caller_security);
	SetUserIdAndSecContext(rel->rd_rel->relowner,
						   caller_security | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
	guc_level = NewGUCNestLevel();

	estate = CreateExecutorState();
	econtext = GetPerTupleExprContext(estate);
	qual = filter_prepared(filter_trigger);
	slot = table_slot_create(rel, NULL);
	/* a live scan sees what committed before its locks; a read, what its statement sees */
	PushActiveSnapshot(latest ? GetLatestSnapshot() : GetActiveSnapshot());
	scan = table_beginscan(rel, GetActiveSnapshot(), 0, NULL);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		MemoryContext caller_context;

		CHECK_FOR_INTERRUPTS();
		econtext->ecxt_outertuple = slot;
		if (qual == NULL || ExecQual(qual, econtext))
		{
			TrackedRow	row;

			caller_context = MemoryContextSwitchTo(econtext->ecxt_per_tuple_memory);
			tracked_row_read(cols, slot, &row);
			if (rep_only == NULL || (row.rep_id != NULL && strcmp(row.rep_id, rep_only) == 0))
				sink(cols, slot, &row, arg);
			MemoryContextSwitchTo(caller_context);
		}
		ResetExprContext(econtext);
	}
	table_endscan(scan);
	PopActiveSnapshot();
	ExecDropSingleTupleTableSlot(slot);
	FreeExecutorState(estate);

	AtEOXact_GUC(false, guc_level);
	SetUserIdAndSecContext(caller, caller_security);
	table_close(rel, NoLock);
}

/* What row_counted_sink counts with, and how many rows went into the totals. */
typedef struct RowsCounted
{
	int			sign;
	int64		counted;
} RowsCounted;

/* Sink of a scan: counts each row with the sign given, as the triggers would. */
static void
row_counted_sink(const TrackedColumns *cols, TupleTableSlot *slot, const TrackedRow *row, void *arg)
{
	RowsCounted *rows = arg;

	if (tracked_row_counted(cols, slot, row, rows->sign))
		rows->counted++;
}

/*
 * Counts (sign +1) or takes back (sign -1) the rows of every leaf of a
 * relation for a tracking, as its triggers would; returns how many went
 * into the totals (not those unmatched or of closed days).
 */
int64
tracking_rows_counted(int32 tracking_id, Oid relid, int sign)
{
	ListCell   *cell;
	RowsCounted rows = {sign, 0};

	foreach(cell, tracking_leaves(relid, NoLock))
		tracked_rows_scanned(tracking_id, lfirst_oid(cell), NULL, true, row_counted_sink, &rows);
	totals_write_level();
	return rows.counted;
}

PG_FUNCTION_INFO_V1(tracked_rows_truncated);

/* Statement trigger BEFORE TRUNCATE of a leaf of a tracked source: takes back its rows. */
Datum
tracked_rows_truncated(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = trigger_call_data(fcinfo, "quota.tracked_rows_truncated()", "tracked tables by quota.track()");

	trigger_check_fired(TRIGGER_FIRED_BEFORE(trigdata->tg_event) && TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event),
						"quota.tracked_rows_truncated()", "BEFORE TRUNCATE");
	if (quota_restoring)
		return PointerGetDatum(NULL);
	(void) tracking_rows_counted(trigger_tracking_id(trigdata, "quota.tracked_rows_truncated()", 1),
								 RelationGetRelid(trigdata->tg_relation), -1);
	return PointerGetDatum(NULL);
}

/* Sink of quota.tracked_rows(): one row of the result for each row read. */
static void
row_listed_sink(const TrackedColumns *cols, TupleTableSlot *slot, const TrackedRow *row, void *arg)
{
	ReturnSetInfo *rsinfo = arg;
	Datum		values[TRACKED_ROWS_COLUMNS];
	bool		nulls[TRACKED_ROWS_COLUMNS];
	const char *problem = tracked_row_problem(row, cols->occurred_is_date);
	const RepDays *rep = NULL;
	char	   *key;

	memset(nulls, false, sizeof(nulls));
	if (problem == NULL && (rep = totals_rep_days(cols->totals_owner, row->rep_id)) == NULL)
		problem = "unknown rep";
	values[0] = Int32GetDatum(cols->tracking_id);
	key = problem != NULL ? tracked_row_key(cols, slot) : NULL;
	nulls[1] = key == NULL;
	values[1] = key == NULL ? (Datum) 0 : CStringGetTextDatum(key);
	nulls[2] = row->rep_id == NULL;
	values[2] = nulls[2] ? (Datum) 0 : CStringGetTextDatum(row->rep_id);
	values[3] = CStringGetTextDatum(cols->kind);
	nulls[4] = !row->has_time || cols->occurred_is_date;
	values[4] = TimestampTzGetDatum(row->occurred_at);
	nulls[5] = !row->has_time || !cols->occurred_is_date;
	values[5] = DateADTGetDatum(row->occurred_on);
	nulls[6] = problem != NULL;
	values[6] = problem != NULL ? (Datum) 0 :
		DateADTGetDatum(cols->occurred_is_date ? row->occurred_on : rep_day(rep, row->occurred_at));
	nulls[7] = row->qty == NULL;
	values[7] = NumericGetDatum(row->qty);
	nulls[8] = problem == NULL;
	values[8] = problem == NULL ? (Datum) 0 : CStringGetTextDatum(problem);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

PG_FUNCTION_INFO_V1(tracked_rows);

/*
 * Every row the trackings count now (of one tracking, or of one rep, if
 * given), read from the sources: the day it counts on, or why it cannot
 * be counted.  quota.rebuild() and quota.verify() recount from it.
 */
Datum
tracked_rows(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const char *rep_only = PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1));
	TriggerOwnerCall call;
	List	   *trackings = NIL;
	List	   *sources = NIL;
	ListCell   *tracking_cell;
	ListCell   *source_cell;
	MemoryContext caller_context = CurrentMemoryContext;
	uint64		i;

	InitMaterializedSRF(fcinfo, 0);
	owner_call_begin(tracking_totals_owner(), &call);
	if (SPI_execute_with_args("SELECT tracking_id, source::pg_catalog.oid FROM quota.tracking "
							  "WHERE $1 IS NULL OR tracking_id OPERATOR(pg_catalog.=) $1 ORDER BY tracking_id",
							  1, (Oid[]) {INT4OID},
							  (Datum[]) {PG_ARGISNULL(0) ? (Datum) 0 : PG_GETARG_DATUM(0)},
							  PG_ARGISNULL(0) ? "n" : " ", false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read quota.tracking");
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		MemoryContext spi_context = MemoryContextSwitchTo(caller_context);

		trackings = lappend_int(trackings, DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull)));
		sources = lappend_oid(sources, DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &isnull)));
		MemoryContextSwitchTo(spi_context);
	}
	owner_call_end(&call);

	forboth(tracking_cell, trackings, source_cell, sources)
	{
		ListCell   *leaf;

		if (pg_class_aclcheck(lfirst_oid(source_cell), GetUserId(), ACL_SELECT) != ACLCHECK_OK)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied for table %s", get_rel_name(lfirst_oid(source_cell))),
					 errdetail("Recounting tracking %d reads the table.", lfirst_int(tracking_cell)),
					 errhint("Recount as a role that may read every tracked table.")));

		foreach(leaf, tracking_leaves(lfirst_oid(source_cell), AccessShareLock))
			tracked_rows_scanned(lfirst_int(tracking_cell), lfirst_oid(leaf), rep_only, false,
								 row_listed_sink, rsinfo);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(rep_tracked_rows);

/*
 * Trigger of quota.rep: a rep created (or given a new id) counts the rows
 * of tracked sources that waited for it; a rep whose rows tracked sources
 * count cannot be deleted or given another id.
 */
Datum
rep_tracked_rows(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = trigger_call_data(fcinfo, "quota.rep_tracked_rows()", "quota.rep");
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	TriggerEvent event = trigdata->tg_event;
	int			rep_attnum = SPI_fnumber(desc, "rep_id");
	int			zone_attnum = SPI_fnumber(desc, "time_zone");
	char	   *old_rep = NULL;
	char	   *new_rep = NULL;
	TriggerOwnerCall call;
	Oid			owner = trigdata->tg_relation->rd_rel->relowner;
	uint64		i;

	trigger_check_fired(TRIGGER_FIRED_AFTER(event) && TRIGGER_FIRED_FOR_ROW(event),
						"quota.rep_tracked_rows()", "AFTER ... FOR EACH ROW");
	if (quota_restoring)
		return PointerGetDatum(NULL);
	if (!TRIGGER_FIRED_BY_INSERT(event))
		old_rep = SPI_getvalue(trigdata->tg_trigtuple, desc, rep_attnum);
	if (!TRIGGER_FIRED_BY_DELETE(event))
		new_rep = SPI_getvalue(TRIGGER_FIRED_BY_UPDATE(event) ? trigdata->tg_newtuple : trigdata->tg_trigtuple,
							   desc, rep_attnum);
	if (old_rep != NULL && new_rep != NULL && strcmp(old_rep, new_rep) == 0)
		return PointerGetDatum(NULL);

	owner_call_begin(owner, &call);
	if (old_rep != NULL)
	{
		if (SPI_execute_plan(kept_plan(&rep_counted_plan,
									   "SELECT 1 FROM quota.daily_total WHERE rep_id OPERATOR(pg_catalog.=) $1 "
									   "AND tracking_id OPERATOR(pg_catalog.<>) 0 GROUP BY tracking_id "
									   "HAVING pg_catalog.sum(rows) OPERATOR(pg_catalog.<>) 0 LIMIT 1",
									   1, (Oid[]) {TEXTOID}),
							 (Datum[]) {CStringGetTextDatum(old_rep)}, NULL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read quota.daily_total");
		if (SPI_processed > 0)
			ereport(ERROR,
					(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
					 errmsg("rep \"%s\" has rows counted from tracked sources", old_rep),
					 errdetail("The totals of tracked tables (quota.sources) count rows of this rep."),
					 errhint("Set active = false to keep the rep and its history, or move the rows to another rep in their table first.")));
	}
	if (new_rep != NULL)
	{
		pg_tz	   *zone = NULL;
		DateADT		closed;
		SPITupleTable *waiting;

		waiting_rep_locked(new_rep, ExclusiveLock);
		/* (with the latest snapshot: rows that waited while this took the lock are found) */
		if (SPI_execute_snapshot(kept_plan(&waiting_rows_plan,
										   "DELETE FROM quota.unmatched u USING quota.tracking t "
										   "WHERE u.rep_id OPERATOR(pg_catalog.=) $1 AND u.reason OPERATOR(pg_catalog.=) 'unknown rep' "
										   "AND t.tracking_id OPERATOR(pg_catalog.=) u.tracking_id "
										   "RETURNING u.tracking_id, u.source::pg_catalog.oid, t.kind, u.row_key, "
										   "u.occurred_at, u.occurred_on, u.qty",
										   1, (Oid[]) {TEXTOID}),
								 (Datum[]) {CStringGetTextDatum(new_rep)}, NULL, GetLatestSnapshot(),
								 InvalidSnapshot, false, false, 0) != SPI_OK_DELETE_RETURNING)
			elog(ERROR, "could not delete from quota.unmatched");
		waiting = SPI_tuptable;
		/* (a rep new or renamed has no changes of time zone: quota.rep_zone_change refers to its old id) */
		if (SPI_processed > 0)
			zone = time_zone_lookup(SPI_getvalue(TRIGGER_FIRED_BY_UPDATE(event) ? trigdata->tg_newtuple : trigdata->tg_trigtuple,
												 desc, zone_attnum));
		closed = totals_closed_through(owner);
		for (i = 0; i < SPI_processed; i++)
		{
			HeapTuple	tuple = waiting->vals[i];
			bool		isnull;
			int32		tracking_id = DatumGetInt32(SPI_getbinval(tuple, waiting->tupdesc, 1, &isnull));
			Oid			source = DatumGetObjectId(SPI_getbinval(tuple, waiting->tupdesc, 2, &isnull));
			char	   *kind = SPI_getvalue(tuple, waiting->tupdesc, 3);
			char	   *row_key = SPI_getvalue(tuple, waiting->tupdesc, 4);
			Datum		at = SPI_getbinval(tuple, waiting->tupdesc, 5, &isnull);
			DateADT		day = isnull ? DatumGetDateADT(SPI_getbinval(tuple, waiting->tupdesc, 6, &isnull)) :
				local_date(DatumGetTimestampTz(at), zone);
			Numeric		qty = DatumGetNumeric(SPI_getbinval(tuple, waiting->tupdesc, 7, &isnull));

			if (day <= closed)
				late_change_noted(tracking_id, source, kind, row_key, new_rep, day, qty, +1);
			else
				totals_fold(owner, tracking_id, new_rep, kind, day, qty, +1);
		}
		totals_write_level();
	}
	owner_call_end(&call);
	return PointerGetDatum(NULL);
}

