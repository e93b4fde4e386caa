/*
 * tracking.c
 *	  Tables users already have, counted as activity: quota.track() and
 *	  quota.untrack(), the filter and the triggers a tracking is made of.
 *
 * A tracking counts the rows of one table (a partitioned table covers its
 * partitions) that satisfy a filter, as one kind of activity of the rep
 * named by a column, on the day of a time column in the rep's time zone.
 * quota.track() puts the filter in the WHEN clause of the row triggers of
 * deletes and of both sides of an update, so that PostgreSQL evaluates it
 * with the rights of the user whose statement fires them, keeps it right
 * when columns are renamed, clones it to every partition and dumps it with
 * the table.  Inserts, the rows apps write one at a time, go through one
 * row trigger per table for all its trackings, which evaluates each
 * filter (that of the update trigger over the new row) from a session's
 * cache with the same rights: PostgreSQL reads and prepares a WHEN clause
 * again at every statement, which cost a single-row insert more than
 * counting it.  A tracking made before 0.11 keeps an insert trigger of its
 * own, with the filter as its WHEN clause.  What the triggers do with the
 * rows is in tracked_rows.c; DDL on tracked tables is kept in step by the
 * event triggers of tracking_ddl.c.
 */
#include "postgres.h"

#include "access/table.h"
#include "catalog/dependency.h"
#include "catalog/partition.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "parser/parse_expr.h"
#include "parser/parse_func.h"
#include "parser/parse_relation.h"
#include "parser/parser.h"
#include "rewrite/rewriteManip.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/ruleutils.h"
#include "utils/syscache.h"

#include "quota_ext.h"


/* Set while quota.untrack() drops the triggers it made. */
bool		tracking_triggers_dropping = false;

/* Returns the owner of the extension's tables, who writes the totals. */
Oid
tracking_totals_owner(void)
{
	Oid			relid = quota_table_oid(QUOTA_TRACKING);
	HeapTuple	tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	Oid			owner;

	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	owner = ((Form_pg_class) GETSTRUCT(tuple))->relowner;
	ReleaseSysCache(tuple);
	return owner;
}

/* Returns the OID of one of the trigger functions of tracked sources, or InvalidOid where this version of the extension has none. */
Oid
tracking_function_oid(const char *name)
{
	return LookupFuncName(list_make2(makeString("quota"), makeString(pstrdup(name))), 0, NULL, true);
}

/* Returns the tables tracked, in the order of their OIDs, read as the owner of the totals. */
List *
tracked_sources(void)
{
	MemoryContext caller_context = CurrentMemoryContext;
	TriggerOwnerCall call;
	List	   *sources = NIL;
	uint64		i;

	owner_call_begin(tracking_totals_owner(), &call);
	if (SPI_execute("SELECT DISTINCT source::pg_catalog.oid FROM quota.tracking ORDER BY 1", false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read quota.tracking");
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		MemoryContext spi_context = MemoryContextSwitchTo(caller_context);

		sources = lappend_oid(sources, DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull)));
		MemoryContextSwitchTo(spi_context);
	}
	owner_call_end(&call);
	return sources;
}

/* Returns the root of a partition tree a relation belongs to (itself when it is none's partition). */
Oid
tracking_root_of(Oid relid)
{
	if (get_rel_relispartition(relid))
	{
		List	   *ancestors = get_partition_ancestors(relid);

		return llast_oid(ancestors);
	}
	return relid;
}

/* Returns the leaves of a table tracked (its partitions that hold rows, or itself), locking it and them. */
List *
tracking_leaves(Oid relid, LOCKMODE lockmode)
{
	List	   *leaves = NIL;
	ListCell   *cell;

	if (lockmode != NoLock)
		LockRelationOid(relid, lockmode);
	foreach(cell, find_all_inheritors(relid, lockmode, NULL))
	{
		if (get_rel_relkind(lfirst_oid(cell)) == RELKIND_RELATION)
			leaves = lappend_oid(leaves, lfirst_oid(cell));
	}
	return leaves;
}

/* Returns the row trigger of a tracking on a relation with the arguments given, or NULL when it has none. */
static Trigger *
tracking_row_trigger(Relation rel, int32 tracking_id, const char *side)
{
	Oid			row_function = tracking_function_oid("tracked_row_changed");
	int			i;

	for (i = 0; rel->trigdesc != NULL && i < rel->trigdesc->numtriggers; i++)
	{
		Trigger    *trigger = &rel->trigdesc->triggers[i];

		if (trigger->tgfoid == row_function && trigger->tgnargs == 2 &&
			pg_strtoint32(trigger->tgargs[0]) == tracking_id && strcmp(trigger->tgargs[1], side) == 0)
			return trigger;
	}
	return NULL;
}

/*
 * Returns the insert trigger of its own that a tracking made before 0.11
 * has on a relation (the table or a leaf), or NULL: a tracking without one
 * counts its inserts through the table's quota_track_insert.
 */
Trigger *
tracking_own_insert_trigger(Relation rel, int32 tracking_id)
{
	return tracking_row_trigger(rel, tracking_id, "insert");
}

/*
 * Returns the trigger of a tracking on a relation whose WHEN clause is the
 * filter over the new row (its own insert trigger, else that of the new
 * side of an update), or NULL when it has none.
 */
Trigger *
tracking_filter_trigger(Relation rel, int32 tracking_id)
{
	Trigger    *trigger = tracking_own_insert_trigger(rel, tracking_id);

	return trigger != NULL ? trigger : tracking_row_trigger(rel, tracking_id, "new");
}

/* Returns the trigger through which a relation counts the rows inserted for its trackings, or NULL when it has none. */
Trigger *
tracking_inserts_trigger(Relation rel)
{
	Oid			insert_function = tracking_function_oid("tracked_row_inserted");
	int			i;

	for (i = 0; OidIsValid(insert_function) && rel->trigdesc != NULL && i < rel->trigdesc->numtriggers; i++)
		if (rel->trigdesc->triggers[i].tgfoid == insert_function)
			return &rel->trigdesc->triggers[i];
	return NULL;
}

/* Returns the filter of a tracking as it reads now (renamed columns by their new names), or NULL without one. */
static char *
tracking_filter_text(int32 tracking_id, Oid source)
{
	Relation	rel;
	Trigger    *trigger;
	char	   *filter = NULL;

	if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(source)))
		return NULL;
	rel = table_open(source, AccessShareLock);
	trigger = tracking_filter_trigger(rel, tracking_id);
	if (trigger != NULL && trigger->tgqual != NULL)
	{
		Node	   *node = stringToNode(trigger->tgqual);

		ChangeVarNodes(node, PRS2_NEW_VARNO, 1, 0);
		filter = deparse_expression(node, deparse_context_for(RelationGetRelationName(rel), source),
									false, false);
	}
	table_close(rel, AccessShareLock);
	return filter;
}

PG_FUNCTION_INFO_V1(tracked_filter);

/* The filter of a tracking as it reads now, or NULL without one. */
Datum
tracked_filter(PG_FUNCTION_ARGS)
{
	char	   *filter = tracking_filter_text(PG_GETARG_INT32(0), PG_GETARG_OID(1));

	if (filter == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(filter));
}

/* How quota.track() names the columns of a filter: as those of the row a trigger sees. */
typedef struct FilterColumns
{
	const char *relname;		/* the table, which a column may be qualified with */
	const char *row;			/* "new" or "old", or NULL to leave the names alone */
} FilterColumns;

/* Checks a filter's column references and qualifies them with the row they are of; refuses subqueries. */
static bool
filter_columns_named(Node *node, void *context)
{
	FilterColumns *names = context;

	if (node == NULL)
		return false;
	if (IsA(node, SubLink))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("the filter of quota.track() cannot hold a subquery"),
				 errhint("Filter on the columns of the row itself, such as direction = 'outbound'.")));
	if (IsA(node, ColumnRef))
	{
		ColumnRef  *ref = (ColumnRef *) node;
		int			nfields = list_length(ref->fields);

		if (IsA(llast(ref->fields), A_Star) ||
			(nfields == 2 && strcmp(strVal(linitial(ref->fields)), names->relname) != 0) || nfields > 2)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("the filter of quota.track() may name only columns of table \"%s\"", names->relname),
					 errhint("Name each column alone, such as direction = 'outbound'.")));
		if (names->row != NULL)
			ref->fields = list_make2(makeString(pstrdup(names->row)), llast(ref->fields));
		return false;
	}
	return raw_expression_tree_walker(node, filter_columns_named, context);
}

/*
 * Error context of a filter being parsed: its positions are in the text
 * quota.track() parsed, not in the caller's statement.
 */
static void
filter_error_context(void *arg)
{
	int			position = geterrposition();

	if (position > 0)
	{
		errposition(0);
		internalerrposition(position);
		internalerrquery((const char *) arg);
	}
	errcontext("filter of quota.track()");
}

/* Parses a filter into a raw boolean expression over the columns of rel; query gets the text parsed. */
static Node *
filter_parsed(const char *filter, Relation rel, char **query)
{
	List	   *statements;
	SelectStmt *select;
	Node	   *expr;
	ParseState *pstate;
	ParseNamespaceItem *nsitem;
	Node	   *checked;
	FilterColumns names = {RelationGetRelationName(rel), NULL};
	ErrorContextCallback context;

	*query = psprintf("SELECT (%s)", filter);
	context.callback = filter_error_context;
	context.arg = *query;
	context.previous = error_context_stack;
	error_context_stack = &context;
	statements = raw_parser(*query, RAW_PARSE_DEFAULT);
	select = list_length(statements) == 1 && IsA(linitial_node(RawStmt, statements)->stmt, SelectStmt) ?
		(SelectStmt *) linitial_node(RawStmt, statements)->stmt : NULL;
	if (select == NULL || list_length(select->targetList) != 1 || select->op != SETOP_NONE ||
		select->fromClause != NIL || select->whereClause != NULL || select->groupClause != NIL ||
		select->havingClause != NULL || select->windowClause != NIL || select->distinctClause != NIL ||
		select->sortClause != NIL || select->limitCount != NULL || select->limitOffset != NULL ||
		select->lockingClause != NIL || select->withClause != NULL || select->valuesLists != NIL ||
		select->intoClause != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("the filter of quota.track() must be one boolean expression"),
				 errdetail("The filter given is \"%s\".", filter),
				 errhint("Write a condition on the table's columns, such as direction = 'outbound'.")));
	expr = ((ResTarget *) linitial(select->targetList))->val;
	(void) filter_columns_named(expr, &names);

	pstate = make_parsestate(NULL);
	pstate->p_sourcetext = *query;
	nsitem = addRangeTableEntryForRelation(pstate, rel, AccessShareLock, NULL, false, true);
	addNSItemToQuery(pstate, nsitem, true, true, true);
	checked = transformExpr(pstate, copyObject(expr), EXPR_KIND_WHERE);
	if (exprType(checked) != BOOLOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("the filter of quota.track() must be a boolean expression"),
				 errdetail("The filter \"%s\" is of type %s.", filter, format_type_be(exprType(checked))),
				 errhint("Write a condition on the table's columns, such as direction = 'outbound'.")));
	free_parsestate(pstate);
	error_context_stack = context.previous;
	return expr;
}

/* Returns the filter with its columns named as those of the row a trigger sees ("new" or "old"). */
static Node *
filter_of_row(Node *filter, Relation rel, const char *row)
{
	Node	   *copy;
	FilterColumns names = {RelationGetRelationName(rel), row};

	if (filter == NULL)
		return NULL;
	copy = copyObject(filter);
	(void) filter_columns_named(copy, &names);
	return copy;
}

/* Drops triggers of trackings, which the event triggers of tracking_ddl.c let only quota_ext drop. */
static void
tracking_triggers_dropped(ObjectAddresses *triggers)
{
	tracking_triggers_dropping = true;
	PG_TRY();
	{
		performMultipleDeletions(triggers, DROP_RESTRICT, PERFORM_DELETION_INTERNAL);
	}
	PG_FINALLY();
	{
		tracking_triggers_dropping = false;
	}
	PG_END_TRY();
}

/* Creates a trigger of tracked tables on a relation, enabled ALWAYS (so that replicas count too). */
static void
trigger_created(Oid relid, char *name, const char *function, List *args, bool row,
				int16 timing, int16 events, Node *when, const char *query)
{
	CreateTrigStmt *stmt = makeNode(CreateTrigStmt);

	stmt->trigname = name;
	stmt->relation = makeRangeVar(get_namespace_name(get_rel_namespace(relid)), get_rel_name(relid), -1);
	stmt->funcname = list_make2(makeString("quota"), makeString(pstrdup(function)));
	stmt->args = args;
	stmt->row = row;
	stmt->timing = timing;
	stmt->events = events;
	stmt->whenClause = when;
	(void) CreateTriggerFiringOn(stmt, query, relid, InvalidOid, InvalidOid, InvalidOid, InvalidOid,
								 InvalidOid, NULL, false, false, TRIGGER_FIRES_ALWAYS);
}

/* Creates one trigger of a tracking on a relation; row names the side of the row its function counts. */
static void
tracking_trigger_created(Oid relid, int32 tracking_id, const char *suffix, const char *function,
						 const char *row, int16 timing, int16 events, Node *when, const char *query)
{
	char	   *id = psprintf("%d", tracking_id);

	trigger_created(relid, psprintf("quota_track_%d_%s", tracking_id, suffix), function,
					row != NULL ? list_make2(makeString(id), makeString(pstrdup(row))) : list_make1(makeString(id)),
					row != NULL, timing, events, when, query);
}

/* Gives a tracked table the row trigger that counts its inserts for all its trackings, unless it has it. */
static void
inserts_trigger_created(Relation rel)
{
	if (tracking_inserts_trigger(rel) == NULL)
		trigger_created(RelationGetRelid(rel), pstrdup("quota_track_insert"), "tracked_row_inserted", NIL, true,
						TRIGGER_TYPE_AFTER, TRIGGER_TYPE_INSERT, NULL, NULL);
}

/*
 * Creates the BEFORE TRUNCATE trigger of a tracking on a leaf of its table
 * (statement triggers are not cloned), unless the leaf has it.
 */
void
tracking_truncate_trigger_created(Oid leaf, int32 tracking_id)
{
	if (OidIsValid(get_trigger_oid(leaf, psprintf("quota_track_%d_truncate", tracking_id), true)))
		return;
	tracking_trigger_created(leaf, tracking_id, "truncate", "tracked_rows_truncated", NULL,
							 TRIGGER_TYPE_BEFORE, TRIGGER_TYPE_TRUNCATE, NULL, NULL);
}

/* Drops the BEFORE TRUNCATE triggers of a tracking from the leaves of a partition leaving its table. */
void
tracking_truncate_triggers_dropped(Oid relid, int32 tracking_id)
{
	ObjectAddresses *triggers = new_object_addresses();
	char	   *name = psprintf("quota_track_%d_truncate", tracking_id);
	ListCell   *cell;

	foreach(cell, tracking_leaves(relid, NoLock))
	{
		Oid			trigger = get_trigger_oid(lfirst_oid(cell), name, true);
		ObjectAddress address;

		if (!OidIsValid(trigger))
			continue;
		ObjectAddressSet(address, TriggerRelationId, trigger);
		add_exact_object_address(&address, triggers);
	}
	tracking_triggers_dropped(triggers);
}

/* Returns the attribute number of a column quota.track() was given, checking its type. */
static AttrNumber
track_column(Relation rel, const char *role, const char *name, const Oid *types, int ntypes,
			 const char *types_named)
{
	AttrNumber	attnum = get_attnum(RelationGetRelid(rel), name);
	Oid			type;
	int			i;

	if (attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of table \"%s\" does not exist", name, RelationGetRelationName(rel)),
				 errhint("Give quota.track() as %s the name of a column of the table.", role)));
	if (ntypes == 0)
		return attnum;
	type = getBaseType(TupleDescAttr(RelationGetDescr(rel), attnum - 1)->atttypid);
	for (i = 0; i < ntypes; i++)
		if (type == types[i])
			return attnum;
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("column \"%s\" of table \"%s\" is of type %s", name, RelationGetRelationName(rel),
					format_type_be(type)),
			 errdetail("The %s of quota.track() must be of type %s.", role, types_named),
			 errhint("Track a column of that type, or add one (a generated column can convert).")));
	return InvalidAttrNumber;	/* not reached */
}

/* Refuses a table quota.track() cannot track, or that the caller may not. */
static void
track_check_table(Relation rel)
{
	const char *name = RelationGetRelationName(rel);
	Oid			activity = quota_table_oid(QUOTA_ACTIVITY);

	if (rel->rd_rel->relkind != RELKIND_RELATION && rel->rd_rel->relkind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a table", name),
				 errdetail("quota.track() counts the rows of tables and partitioned tables; views and foreign tables have no triggers that see every row."),
				 errhint("Track the table the rows are written to.")));
	if (rel->rd_rel->relpersistence == RELPERSISTENCE_TEMP)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("cannot track temporary table \"%s\"", name),
				 errdetail("Its rows are gone when the session ends, and the totals would keep them."),
				 errhint("Track a permanent table.")));
	if (rel->rd_rel->relispartition)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("cannot track partition \"%s\"", name),
				 errhint("Track the partitioned table \"%s\": that covers every partition.",
						 get_rel_name(tracking_root_of(RelationGetRelid(rel))))));
	if (RelationGetNamespace(rel) == get_rel_namespace(activity))
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("cannot track \"quota.%s\", a table of the extension", name),
				 errhint("quota.activity is counted already; track tables of your own.")));
	if (!pg_class_ownercheck(RelationGetRelid(rel), GetUserId()))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("must be owner of table \"%s\" to track it", name)));
	if (pg_class_aclcheck(activity, GetUserId(), ACL_INSERT) != ACLCHECK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to track table \"%s\"", name),
				 errdetail("Tracking a table records activity: it takes the right to insert into quota.activity."),
				 errhint("Ask the owner of the extension to GRANT INSERT ON quota.activity to you.")));
}

PG_FUNCTION_INFO_V1(track);

/*
 * quota.track(source, kind, rep, occurred_at, qty, filter): counts the rows
 * of source (those satisfying filter) from now on, and those already
 * there at once; returns how many rows it counted.
 */
Datum
track(PG_FUNCTION_ARGS)
{
	static const Oid time_types[] = {TIMESTAMPTZOID, DATEOID};
	static const Oid qty_types[] = {INT2OID, INT4OID, INT8OID, NUMERICOID};
	Oid			source;
	char	   *kind;
	char	   *rep_column;
	char	   *occurred_column;
	char	   *qty_column;
	char	   *filter_text;
	char	   *tracked_by = GetUserNameFromId(GetUserId(), false);
	Relation	rel;
	Node	   *filter = NULL;
	char	   *query = NULL;
	TriggerOwnerCall call;
	int32		tracking_id;
	bool		isnull;
	char	   *filter_now;
	ListCell   *cell;
	uint64		i;
	int64		counted;

	for (i = 0; i < 4; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("the %s of quota.track() must not be NULL",
							(const char *[]) {"source", "kind", "rep", "occurred_at"}[i]),
					 errhint("Give the table, the kind, and the names of its rep and time columns.")));
	source = PG_GETARG_OID(0);
	kind = text_to_cstring(PG_GETARG_TEXT_PP(1));
	rep_column = text_to_cstring(PG_GETARG_TEXT_PP(2));
	occurred_column = text_to_cstring(PG_GETARG_TEXT_PP(3));
	qty_column = PG_ARGISNULL(4) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(4));
	filter_text = PG_ARGISNULL(5) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(5));

	/* (the lock CREATE TRIGGER takes: writers wait until the rows there are counted) */
	rel = table_open(source, ShareRowExclusiveLock);
	track_check_table(rel);
	(void) track_column(rel, "rep", rep_column, NULL, 0, NULL);
	(void) track_column(rel, "occurred_at", occurred_column, time_types, lengthof(time_types),
						"timestamptz or date");
	if (qty_column != NULL)
		(void) track_column(rel, "qty", qty_column, qty_types, lengthof(qty_types),
							"numeric, smallint, integer or bigint");
	if (filter_text != NULL)
		filter = filter_parsed(filter_text, rel, &query);

	owner_call_begin(tracking_totals_owner(), &call);
	if (SPI_execute_with_args("SELECT 1 FROM quota.activity_kind WHERE kind OPERATOR(pg_catalog.=) $1",
							  1, (Oid[]) {TEXTOID}, (Datum[]) {CStringGetTextDatum(kind)}, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read quota.activity_kind");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("kind \"%s\" does not exist", kind),
				 errhint("Give a kind of quota.activity_kind, or add one there first.")));
	if (SPI_execute_with_args("INSERT INTO quota.tracking (source, kind, rep_column, occurred_at_column, qty_column, "
							  "rep_type, occurred_at_type, qty_type, tracked_by) "
							  "SELECT $1::pg_catalog.regclass, $2, $3, $4, $5, "
							  "r.atttypid::pg_catalog.regtype, o.atttypid::pg_catalog.regtype, "
							  "q.atttypid::pg_catalog.regtype, $6 "
							  "FROM pg_catalog.pg_attribute r, pg_catalog.pg_attribute o "
							  "LEFT JOIN pg_catalog.pg_attribute q ON q.attrelid OPERATOR(pg_catalog.=) $1 "
							  "AND q.attname OPERATOR(pg_catalog.=) $5 "
							  "WHERE r.attrelid OPERATOR(pg_catalog.=) $1 AND r.attname OPERATOR(pg_catalog.=) $3 "
							  "AND o.attrelid OPERATOR(pg_catalog.=) $1 AND o.attname OPERATOR(pg_catalog.=) $4 "
							  "RETURNING tracking_id",
							  6, (Oid[]) {OIDOID, TEXTOID, NAMEOID, NAMEOID, NAMEOID, TEXTOID},
							  /* (names as whole NAMEDATALEN bytes, as a name argument is copied) */
							  (Datum[]) {ObjectIdGetDatum(source), CStringGetTextDatum(kind),
								  DirectFunctionCall1(namein, CStringGetDatum(rep_column)),
								  DirectFunctionCall1(namein, CStringGetDatum(occurred_column)),
								  DirectFunctionCall1(namein, CStringGetDatum(qty_column != NULL ? qty_column : "")),
							  CStringGetTextDatum(tracked_by)},
							  qty_column != NULL ? "      " : "    n ", false, 1) != SPI_OK_INSERT_RETURNING)
		elog(ERROR, "could not insert into quota.tracking");
	tracking_id = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));

	/* (as the owner of the trigger functions, which nobody else may attach) */
	if (OidIsValid(tracking_function_oid("tracked_row_inserted")))
		inserts_trigger_created(rel);
	else						/* (an extension older than 0.11: an insert trigger per tracking, as it made them) */
		tracking_trigger_created(source, tracking_id, "insert", "tracked_row_changed", "insert",
								 TRIGGER_TYPE_AFTER, TRIGGER_TYPE_INSERT, filter_of_row(filter, rel, "new"), query);
	tracking_trigger_created(source, tracking_id, "delete", "tracked_row_changed", "delete",
							 TRIGGER_TYPE_AFTER, TRIGGER_TYPE_DELETE, filter_of_row(filter, rel, "old"), query);
	tracking_trigger_created(source, tracking_id, "update_from", "tracked_row_changed", "old",
							 TRIGGER_TYPE_AFTER, TRIGGER_TYPE_UPDATE, filter_of_row(filter, rel, "old"), query);
	tracking_trigger_created(source, tracking_id, "update_to", "tracked_row_changed", "new",
							 TRIGGER_TYPE_AFTER, TRIGGER_TYPE_UPDATE, filter_of_row(filter, rel, "new"), query);
	tracking_trigger_created(source, tracking_id, "written", "tracked_rows_written", NULL, TRIGGER_TYPE_AFTER,
							 TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE, NULL, NULL);
	foreach(cell, tracking_leaves(source, ShareRowExclusiveLock))
		tracking_truncate_trigger_created(lfirst_oid(cell), tracking_id);
	CommandCounterIncrement();

	/* the same kind and filter twice would count each row twice */
	filter_now = tracking_filter_text(tracking_id, source);
	/* (the latest snapshot: a tracking committed while this waited for the table is seen) */
	if (execute_latest("SELECT tracking_id FROM quota.tracking WHERE source OPERATOR(pg_catalog.=) $1::pg_catalog.regclass "
					   "AND kind OPERATOR(pg_catalog.=) $2 AND tracking_id OPERATOR(pg_catalog.<>) $3 "
					   "AND quota.tracked_filter(tracking_id, source::pg_catalog.oid) IS NOT DISTINCT FROM $4",
					   4, (Oid[]) {OIDOID, TEXTOID, INT4OID, TEXTOID},
					   (Datum[]) {ObjectIdGetDatum(source), CStringGetTextDatum(kind),
					   Int32GetDatum(tracking_id), filter_now != NULL ? CStringGetTextDatum(filter_now) : (Datum) 0},
					   filter_now != NULL ? "    " : "   n", true) != SPI_OK_SELECT)
		elog(ERROR, "could not read quota.tracking");
	if (SPI_processed > 0)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("table \"%s\" is tracked already as kind \"%s\" with the same filter",
						RelationGetRelationName(rel), kind),
				 errdetail("Tracking %d counts the same rows.",
						   DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull))),
				 errhint("See quota.sources; untrack it first to change how the rows count.")));
	owner_call_end(&call);

	counted = tracking_rows_counted(tracking_id, source, +1);
	table_close(rel, NoLock);
	PG_RETURN_INT64(counted);
}

/* Deletes the totals, unmatched rows and late changes of a tracking being removed (SPI connected, as the owner). */
void
tracking_rows_forgotten(int32 tracking_id)
{
	static const char *const deletes[] = {
		"DELETE FROM quota.daily_total WHERE tracking_id OPERATOR(pg_catalog.=) $1",
		"DELETE FROM quota.unmatched WHERE tracking_id OPERATOR(pg_catalog.=) $1",
		"DELETE FROM quota.late_change WHERE tracking_id OPERATOR(pg_catalog.=) $1"
	};
	int			i;

	for (i = 0; i < (int) lengthof(deletes); i++)
		if (execute_latest(deletes[i], 1, (Oid[]) {INT4OID}, (Datum[]) {Int32GetDatum(tracking_id)},
						   NULL, false) != SPI_OK_DELETE)
			elog(ERROR, "could not delete the rows of tracking %d", tracking_id);
	/* (the month totals exist from 0.6 on) */
	if (quota_table_oid(QUOTA_MONTH_TOTAL) != InvalidOid &&
		execute_latest("DELETE FROM quota.month_total WHERE tracking_id OPERATOR(pg_catalog.=) $1",
					   1, (Oid[]) {INT4OID}, (Datum[]) {Int32GetDatum(tracking_id)},
					   NULL, false) != SPI_OK_DELETE)
		elog(ERROR, "could not delete the rows of tracking %d", tracking_id);
}

PG_FUNCTION_INFO_V1(untrack);

/*
 * quota.untrack(source, kind): stops counting a table (as one kind, or at
 * all) and removes its totals, waiting rows and late changes; returns how
 * many trackings it removed.
 */
Datum
untrack(PG_FUNCTION_ARGS)
{
	Oid			source = PG_GETARG_OID(0);
	char	   *kind = PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1));
	Relation	rel;
	TriggerOwnerCall call;
	List	   *trackings = NIL;
	bool		last_tracking;
	Oid			functions[4];
	ObjectAddresses *triggers = new_object_addresses();
	ListCell   *cell;
	MemoryContext caller_context = CurrentMemoryContext;
	uint64		i;

	rel = table_open(source, ShareRowExclusiveLock);
	if (!pg_class_ownercheck(source, GetUserId()))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("must be owner of table \"%s\" to untrack it", RelationGetRelationName(rel))));

	/* what this transaction folded from the table is written first, then removed */
	totals_write_level();
	owner_call_begin(tracking_totals_owner(), &call);
	/* (with the latest snapshot: the rows writers committed while this waited for the table go too) */
	if (execute_latest("DELETE FROM quota.tracking WHERE source OPERATOR(pg_catalog.=) $1::pg_catalog.regclass "
					   "AND ($2 IS NULL OR kind OPERATOR(pg_catalog.=) $2) RETURNING tracking_id",
					   2, (Oid[]) {OIDOID, TEXTOID},
					   (Datum[]) {ObjectIdGetDatum(source), kind != NULL ? CStringGetTextDatum(kind) : (Datum) 0},
					   kind != NULL ? "  " : " n", false) != SPI_OK_DELETE_RETURNING)
		elog(ERROR, "could not delete from quota.tracking");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg(kind != NULL ? "table \"%s\" is not tracked as kind \"%s\"" : "table \"%s\" is not tracked",
						RelationGetRelationName(rel), kind),
				 errhint("quota.sources lists what is tracked.")));
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		MemoryContext spi_context = MemoryContextSwitchTo(caller_context);

		trackings = lappend_int(trackings, DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull)));
		MemoryContextSwitchTo(spi_context);
	}
	foreach(cell, trackings)
		tracking_rows_forgotten(lfirst_int(cell));
	if (execute_latest("SELECT 1 FROM quota.tracking WHERE source OPERATOR(pg_catalog.=) $1::pg_catalog.regclass LIMIT 1",
					   1, (Oid[]) {OIDOID}, (Datum[]) {ObjectIdGetDatum(source)}, NULL, true) != SPI_OK_SELECT)
		elog(ERROR, "could not read quota.tracking");
	last_tracking = SPI_processed == 0;

	/*
	 * The triggers: those of the trackings on the table (their clones go
	 * with them) and on each leaf, and with the table's last tracking the
	 * one of its inserts.
	 */
	functions[0] = tracking_function_oid("tracked_row_changed");
	functions[1] = tracking_function_oid("tracked_rows_written");
	functions[2] = tracking_function_oid("tracked_rows_truncated");
	functions[3] = tracking_function_oid("tracked_row_inserted");
	foreach(cell, find_all_inheritors(source, ShareRowExclusiveLock, NULL))
	{
		Relation	member = table_open(lfirst_oid(cell), NoLock);
		int			t;

		for (t = 0; member->trigdesc != NULL && t < member->trigdesc->numtriggers; t++)
		{
			Trigger    *trigger = &member->trigdesc->triggers[t];
			ObjectAddress address;

			if (trigger->tgisclone)
				continue;
			if (((trigger->tgfoid == functions[0] || trigger->tgfoid == functions[1] ||
				  trigger->tgfoid == functions[2]) &&
				 trigger->tgnargs >= 1 && list_member_int(trackings, pg_strtoint32(trigger->tgargs[0]))) ||
				(last_tracking && trigger->tgfoid == functions[3]))
			{
				ObjectAddressSet(address, TriggerRelationId, trigger->tgoid);
				add_exact_object_address(&address, triggers);
			}
		}
		table_close(member, NoLock);
	}
	tracking_triggers_dropped(triggers);
	owner_call_end(&call);
	table_close(rel, NoLock);
	PG_RETURN_INT32(list_length(trackings));
}


PG_FUNCTION_INFO_V1(tracking_inserts_merged);

/*
 * Part of the update to 0.11: each tracked table counts its inserts
 * through one trigger for all its trackings, instead of the insert trigger
 * of each (their filters stay in their update triggers); returns how many
 * tables it changed.
 */
Datum
tracking_inserts_merged(PG_FUNCTION_ARGS)
{
	Oid			row_function = tracking_function_oid("tracked_row_changed");
	List	   *sources = tracked_sources();
	TriggerOwnerCall call;
	ListCell   *cell;
	int32		merged = 0;

	owner_call_begin(tracking_totals_owner(), &call);
	foreach(cell, sources)
	{
		/* (the lock of quota.track(): writers wait, and none is counted twice or missed) */
		Relation	rel = table_open(lfirst_oid(cell), ShareRowExclusiveLock);
		ObjectAddresses *triggers = new_object_addresses();
		int			t;

		for (t = 0; rel->trigdesc != NULL && t < rel->trigdesc->numtriggers; t++)
		{
			Trigger    *trigger = &rel->trigdesc->triggers[t];
			ObjectAddress address;

			if (trigger->tgfoid == row_function && !trigger->tgisclone && trigger->tgnargs == 2 &&
				strcmp(trigger->tgargs[1], "insert") == 0)
			{
				ObjectAddressSet(address, TriggerRelationId, trigger->tgoid);
				add_exact_object_address(&address, triggers);
			}
		}
		tracking_triggers_dropped(triggers);
		CommandCounterIncrement();
		inserts_trigger_created(rel);
		merged++;
		table_close(rel, NoLock);
	}
	owner_call_end(&call);
	PG_RETURN_INT32(merged);
}
