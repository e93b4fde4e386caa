/*
 * total_rows.c
 *	  Adds deltas to the rows of quota.daily_total and quota.month_total
 *	  that already hold them, in place, without planning or starting an
 *	  executor for the upsert.
 *
 * A backend writes only the rows of its own slot, so the row of a total
 * it adds to is, nearly always, one it wrote itself in an earlier
 * transaction.  Such a row is found through the primary key with a dirty
 * snapshot and updated with heap_update(): what INSERT ... ON CONFLICT DO
 * UPDATE does, less the executor.  Where the session last wrote each row
 * is remembered, so that the next change reads it there without opening
 * or descending the index: a hint only, used when the row found there is
 * live, holds the same key and nobody else is writing it.  Whatever is not
 * that simple is left to the upsert of live_totals.c, untouched: a total
 * without a row yet, a row another transaction is inserting, updating or
 * deleting, and every table whose shape asks for more than an update of
 * two columns (its own triggers, check constraints, an index other than
 * plain columns, a table access method other than heap).
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/index.h"
#include "catalog/pg_am.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/executor.h"
#include "storage/bufmgr.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "quota_ext.h"

/* The columns of the primary key of both tables of totals. */
#define TOTAL_KEY_COLUMNS 5

/*
 * The most deltas a batch adds in place.  A statement of an app writes a
 * few totals, nearly all with rows; a bulk load's batch writes many, most
 * of them new, which one upsert writes more cheaply than a look for each
 * before it.
 */
#define IN_PLACE_MAX 64

/* How many rows of the totals the session remembers where it wrote; then it forgets them all. */
#define KNOWN_ROWS_MAX 16384

/* What a table of totals allows to be added in place, learned once per version of its relcache entry. */
typedef struct InPlaceTable
{
	Oid			relid;			/* InvalidOid: not learned yet */
	bool		usable;			/* whether in place is allowed at all */
	Oid			pkey;
	AttrNumber	key_columns[TOTAL_KEY_COLUMNS];
	RegProcedure key_equal[TOTAL_KEY_COLUMNS];
	Oid			key_collation[TOTAL_KEY_COLUMNS];
	AttrNumber	qty;
	AttrNumber	rows;			/* InvalidAttrNumber: the table has none */
} InPlaceTable;

/* Where the session last wrote the row of a total, by a hash of its table and key. */
typedef struct KnownRow
{
	uint64		key;
	ItemPointerData tid;
} KnownRow;

/*
 * The rows of a table of totals one batch adds to: the table, with a dirty
 * snapshot, and its primary key with a scan of it, opened only when a row
 * is not where the session last wrote it (an app's statement, whose rows
 * are known, opens neither).
 */
typedef struct TotalsLook
{
	Relation	rel;
	SnapshotData dirty;
	BlockNumber nblocks;
	TupleTableSlot *found;
	Relation	pkey;			/* NULL until a row is looked up */
	IndexScanDesc scan;
} TotalsLook;

static InPlaceTable in_place_daily;
static InPlaceTable in_place_month;
static bool in_place_callback_registered = false;
static HTAB *known_rows = NULL;
static bool known_rows_stale = false;

/* Forgets what was learned of a table of totals that changed, and where its rows were. */
static void
in_place_invalidated(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == in_place_daily.relid || relid == in_place_month.relid)
		known_rows_stale = true;
	if (relid == InvalidOid || relid == in_place_daily.relid)
		in_place_daily.relid = InvalidOid;
	if (relid == InvalidOid || relid == in_place_month.relid)
		in_place_month.relid = InvalidOid;
}

/* Returns the hash that KnownRow is keyed by: of the table and the key of a row in the slot. */
static uint64
known_row_key(bool daily, const TotalDelta *delta, int32 slot)
{
	uint64		key = hash_bytes_extended((const unsigned char *) delta->rep_id, strlen(delta->rep_id), daily);

	key = hash_combine64(key, hash_bytes_extended((const unsigned char *) delta->kind, strlen(delta->kind), 0));
	key = hash_combine64(key, ((uint64) (uint32) delta->day << 32) | (uint32) delta->tracking_id);
	return hash_combine64(key, (uint32) slot);
}

/* Notes where the row of a key was written, forgetting every row once there are too many. */
static void
known_row_written(uint64 key, ItemPointer tid)
{
	KnownRow   *known;

	if (known_rows != NULL && (known_rows_stale || hash_get_num_entries(known_rows) >= KNOWN_ROWS_MAX))
	{
		hash_destroy(known_rows);
		known_rows = NULL;
	}
	if (known_rows == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(uint64);
		ctl.entrysize = sizeof(KnownRow);
		ctl.hcxt = TopMemoryContext;
		known_rows = hash_create("quota known rows of totals", 1024, &ctl,
								 HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		known_rows_stale = false;
	}
	known = hash_search(known_rows, &key, HASH_ENTER, NULL);
	known->tid = *tid;
}

/* Whether a row of the totals holds the key of a delta in the slot. */
static bool
row_holds_key(const InPlaceTable *table, TupleTableSlot *row, const TotalDelta *delta, int32 slot)
{
	bool		isnull;
	text	   *rep_id = DatumGetTextPP(slot_getattr(row, table->key_columns[0], &isnull));
	text	   *kind = DatumGetTextPP(slot_getattr(row, table->key_columns[1], &isnull));

	return VARSIZE_ANY_EXHDR(rep_id) == strlen(delta->rep_id) &&
		memcmp(VARDATA_ANY(rep_id), delta->rep_id, VARSIZE_ANY_EXHDR(rep_id)) == 0 &&
		VARSIZE_ANY_EXHDR(kind) == strlen(delta->kind) &&
		memcmp(VARDATA_ANY(kind), delta->kind, VARSIZE_ANY_EXHDR(kind)) == 0 &&
		DatumGetDateADT(slot_getattr(row, table->key_columns[2], &isnull)) == delta->day &&
		DatumGetInt32(slot_getattr(row, table->key_columns[3], &isnull)) == delta->tracking_id &&
		DatumGetInt32(slot_getattr(row, table->key_columns[4], &isnull)) == slot;
}

/* Returns whether an index of the totals is one whose entries a plain insertion keeps, without covering what in place changes. */
static bool
index_is_plain(Relation index, const InPlaceTable *table)
{
	Form_pg_index form = index->rd_index;
	int			i;

	if (index->rd_rel->relam != BTREE_AM_OID ||
		RelationGetIndexExpressions(index) != NIL || RelationGetIndexPredicate(index) != NIL ||
		form->indisexclusion || !form->indimmediate ||
		(form->indisunique && form->indexrelid != table->pkey))
		return false;
	for (i = 0; i < form->indnatts; i++)
		if (form->indkey.values[i] == table->qty || form->indkey.values[i] == table->rows)
			return false;
	return true;
}

/*
 * Learns whether rows of a table of totals may be added to in place: a
 * heap table without triggers, check constraints or generated columns,
 * whose primary key is (rep_id, kind, day_column, tracking_id, slot) and
 * whose indexes are plain btrees of columns other than qty and rows.
 */
static void
in_place_learn(InPlaceTable *table, Relation rel, const char *day_column, bool with_rows)
{
	static const char *const key_names[TOTAL_KEY_COLUMNS] = {"rep_id", "kind", NULL, "tracking_id", "slot"};
	static const Oid key_types[TOTAL_KEY_COLUMNS] = {TEXTOID, TEXTOID, DATEOID, INT4OID, INT4OID};
	TupleDesc	desc = RelationGetDescr(rel);
	Relation	pkey;
	List	   *indexes;
	ListCell   *lc;
	int			i;

	if (!in_place_callback_registered)
	{
		CacheRegisterRelcacheCallback(in_place_invalidated, (Datum) 0);
		in_place_callback_registered = true;
	}
	table->relid = RelationGetRelid(rel);
	table->usable = false;
	table->pkey = RelationGetPrimaryKeyIndex(rel);
	table->qty = get_attnum(table->relid, "qty");
	table->rows = with_rows ? get_attnum(table->relid, "rows") : InvalidAttrNumber;
	if (rel->rd_rel->relkind != RELKIND_RELATION || rel->rd_rel->relam != HEAP_TABLE_AM_OID ||
		rel->trigdesc != NULL || !OidIsValid(table->pkey) ||
		(desc->constr != NULL && (desc->constr->num_check > 0 || desc->constr->has_generated_stored)) ||
		table->qty == InvalidAttrNumber || TupleDescAttr(desc, table->qty - 1)->atttypid != NUMERICOID ||
		(with_rows && (table->rows == InvalidAttrNumber ||
					   TupleDescAttr(desc, table->rows - 1)->atttypid != INT8OID)))
		return;

	pkey = index_open(table->pkey, AccessShareLock);
	if (pkey->rd_index->indnatts != TOTAL_KEY_COLUMNS)
	{
		index_close(pkey, AccessShareLock);
		return;
	}
	for (i = 0; i < TOTAL_KEY_COLUMNS; i++)
	{
		const char *name = key_names[i] != NULL ? key_names[i] : day_column;
		Oid			equal = get_opfamily_member(pkey->rd_opfamily[i], key_types[i], key_types[i],
												BTEqualStrategyNumber);

		if (pkey->rd_index->indkey.values[i] != get_attnum(table->relid, name) ||
			pkey->rd_opcintype[i] != key_types[i] || !OidIsValid(equal))
		{
			index_close(pkey, AccessShareLock);
			return;
		}
		table->key_columns[i] = pkey->rd_index->indkey.values[i];
		table->key_equal[i] = get_opcode(equal);
		table->key_collation[i] = pkey->rd_indcollation[i];
	}
	index_close(pkey, AccessShareLock);

	indexes = RelationGetIndexList(rel);
	foreach(lc, indexes)
	{
		Relation	index = index_open(lfirst_oid(lc), AccessShareLock);
		bool		plain = index_is_plain(index, table);

		index_close(index, AccessShareLock);
		if (!plain)
			return;
	}
	list_free(indexes);
	table->usable = true;
}

/* Inserts the index entries of a new version that is not heap-only (its page had no room). */
static void
new_version_indexed(Relation rel, HeapTuple tuple)
{
	List	   *indexes = RelationGetIndexList(rel);
	TupleTableSlot *slot = MakeSingleTupleTableSlot(RelationGetDescr(rel), &TTSOpsHeapTuple);
	ListCell   *lc;

	ExecStoreHeapTuple(tuple, slot, false);
	foreach(lc, indexes)
	{
		Relation	index = index_open(lfirst_oid(lc), RowExclusiveLock);
		IndexInfo  *info = BuildIndexInfo(index);
		Datum		values[INDEX_MAX_KEYS];
		bool		isnull[INDEX_MAX_KEYS];

		if (info->ii_ReadyForInserts)
		{
			FormIndexDatum(info, slot, NULL, values, isnull);
			index_insert(index, values, isnull, &tuple->t_self, rel,
						 index->rd_index->indisunique ? UNIQUE_CHECK_YES : UNIQUE_CHECK_NO,
						 true, info);
		}
		index_close(index, RowExclusiveLock);
	}
	ExecDropSingleTupleTableSlot(slot);
	list_free(indexes);
}

/*
 * Finds the row of a delta's total in the slot, into look->found: where
 * the session last wrote it, else through the primary key.  Returns false
 * when there is none, or another transaction is writing it.
 */
static bool
total_row_found(const InPlaceTable *table, TotalsLook *look, const TotalDelta *delta, int32 slot,
				uint64 known_key)
{
	KnownRow   *known = known_rows == NULL || known_rows_stale ? NULL :
		hash_search(known_rows, &known_key, HASH_FIND, NULL);
	Datum		key[TOTAL_KEY_COLUMNS];
	ScanKeyData scankeys[TOTAL_KEY_COLUMNS];
	int			i;

	if (known != NULL && ItemPointerGetBlockNumber(&known->tid) < look->nblocks &&
		table_tuple_fetch_row_version(look->rel, &known->tid, &look->dirty, look->found))
	{
		if (!TransactionIdIsValid(look->dirty.xmin) && !TransactionIdIsValid(look->dirty.xmax) &&
			row_holds_key(table, look->found, delta, slot))
			return true;
		ExecClearTuple(look->found);
	}

	if (look->scan == NULL)
	{
		look->pkey = index_open(table->pkey, RowExclusiveLock);
		look->scan = index_beginscan(look->rel, look->pkey, &look->dirty, TOTAL_KEY_COLUMNS, 0);
	}
	key[0] = CStringGetTextDatum(delta->rep_id);
	key[1] = CStringGetTextDatum(delta->kind);
	key[2] = DateADTGetDatum(delta->day);
	key[3] = Int32GetDatum(delta->tracking_id);
	key[4] = Int32GetDatum(slot);
	for (i = 0; i < TOTAL_KEY_COLUMNS; i++)
		ScanKeyEntryInitialize(&scankeys[i], 0, i + 1, BTEqualStrategyNumber, InvalidOid,
							   table->key_collation[i], table->key_equal[i], key[i]);
	index_rescan(look->scan, scankeys, TOTAL_KEY_COLUMNS, NULL, 0);
	if (!index_getnext_slot(look->scan, ForwardScanDirection, look->found))
		return false;
	/* (inserted or deleted by a transaction in progress: the upsert waits for it) */
	if (TransactionIdIsValid(look->dirty.xmin) || TransactionIdIsValid(look->dirty.xmax))
	{
		ExecClearTuple(look->found);
		return false;
	}
	return true;
}

/*
 * Adds one delta to its row in the slot, if the row exists and no other
 * transaction is writing it; returns whether it did (if not, nothing was
 * written).
 */
static bool
total_row_added(const InPlaceTable *table, TotalsLook *look, const TotalDelta *delta, int32 slot)
{
	Relation	rel = look->rel;
	TupleTableSlot *found = look->found;
	TupleDesc	desc = RelationGetDescr(rel);
	uint64		known_key = known_row_key(table == &in_place_daily, delta, slot);
	Datum	   *values;
	bool	   *nulls;
	HeapTuple	old;
	HeapTuple	new;
	TM_FailureData failure;
	LockTupleMode lockmode;
	TM_Result	result;

	if (!total_row_found(table, look, delta, slot, known_key))
		return false;
	values = palloc(sizeof(Datum) * desc->natts);
	nulls = palloc(sizeof(bool) * desc->natts);
	old = ExecFetchSlotHeapTuple(found, false, NULL);
	heap_deform_tuple(old, desc, values, nulls);
	values[table->qty - 1] = NumericGetDatum(exact_plus(DatumGetNumeric(values[table->qty - 1]),
														delta->qty));
	if (table->rows != InvalidAttrNumber)
		values[table->rows - 1] = Int64GetDatum(DatumGetInt64(values[table->rows - 1]) + delta->rows);
	new = heap_form_tuple(desc, values, nulls);
	result = heap_update(rel, &old->t_self, new, GetCurrentCommandId(true), InvalidSnapshot, true,
						 &failure, &lockmode);
	ExecClearTuple(found);
	if (result == TM_Updated || result == TM_Deleted)
		return false;
	if (result != TM_Ok)
		elog(ERROR, "unexpected heap_update status %u on \"%s\"", result, RelationGetRelationName(rel));
	if (!HeapTupleIsHeapOnly(new))
		new_version_indexed(rel, new);
	known_row_written(known_key, &new->t_self);
	return true;
}

/*
 * Adds the deltas, in their order, to the rows of a table of totals
 * (quota.daily_total, or quota.month_total whose deltas' days are the
 * first of their months) in the slot that hold them; returns how many
 * deltas are left for the upsert, moved to the front of the array in
 * their order.
 */
int
totals_added_in_place(QuotaTable which, TotalDelta **deltas, int n, int32 slot)
{
	bool		daily = which == QUOTA_DAILY_TOTAL;
	InPlaceTable *table = daily ? &in_place_daily : &in_place_month;
	Relation	rel;
	TotalsLook	look;
	int			left = 0;
	int			i;

	if (n == 0 || n > IN_PLACE_MAX)
		return n;
	/*
	 * (What was learned cannot go stale while the lock is held: the DDL
	 * that changes it conflicts with the lock, or waits for its holders.)
	 */
	rel = table_open(quota_table_oid(which), RowExclusiveLock);
	if (table->relid != RelationGetRelid(rel))
		in_place_learn(table, rel, daily ? "day" : "month", daily);
	if (!table->usable)
	{
		table_close(rel, NoLock);
		return n;
	}

	/* (so that rows written earlier in this command are seen, as by a new statement) */
	CommandCounterIncrement();
	look.rel = rel;
	InitDirtySnapshot(look.dirty);
	look.nblocks = RelationGetNumberOfBlocks(rel);
	look.found = table_slot_create(rel, NULL);
	look.pkey = NULL;
	look.scan = NULL;
	for (i = 0; i < n; i++)
		if (!total_row_added(table, &look, deltas[i], slot))
			deltas[left++] = deltas[i];
	if (look.scan != NULL)
	{
		index_endscan(look.scan);
		index_close(look.pkey, NoLock);
	}
	ExecDropSingleTupleTableSlot(look.found);
	table_close(rel, NoLock);
	CommandCounterIncrement();
	return left;
}
