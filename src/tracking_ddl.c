/*
 * tracking_ddl.c
 *	  Keeps tracked tables and their trackings in step through DDL: the
 *	  event triggers of quota_ext.
 *
 * Before a command: the rows of a partition about to be detached or
 * dropped (by DROP TABLE, or with its schema or owner) are taken back from
 * the totals (closed days keep their figures:
 * the removal is a late change), a trigger of a tracking cannot be dropped
 * but by quota.untrack(), and a renamed column is renamed in the tracking.
 * A tracked column cannot change type (ddl_command_start) nor be dropped
 * (sql_drop, which also sees a column dropped with its domain).  After a
 * command: the triggers that keep the totals must still be enabled ALWAYS
 * (on any table, the extension's too); a partition attached brings its rows,
 * and each new partition gets the TRUNCATE trigger of every tracking (row
 * triggers are cloned by PostgreSQL, statement triggers are not); the
 * insert trigger of a tracking created by a restore recounts the table.
 * When a tracked table is dropped, its trackings go with it, with a
 * notice.
 */
#include "postgres.h"

#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/partition.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_type.h"
#include "commands/event_trigger.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/acl.h"

#include "quota_ext.h"

/* A tracking of a table, as the checks of DDL need it. */
typedef struct TableTracking
{
	int32		tracking_id;
	char	   *kind;
	char	   *columns[3];		/* rep, occurred_at, qty (NULL: none) */
} TableTracking;

static const char *const tracked_column_roles[3] = {"rep", "occurred_at", "qty"};

/* Returns the name of a table qualified with its schema, quoted where need be. */
static char *
table_name(Oid relid)
{
	return quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), get_rel_name(relid));
}

/* Returns the trackings of a table (the root of a partition tree), read as the owner of the totals. */
static List *
trackings_of(Oid source)
{
	MemoryContext caller_context = CurrentMemoryContext;
	TriggerOwnerCall call;
	List	   *trackings = NIL;
	uint64		i;

	if (!OidIsValid(quota_table_oid(QUOTA_TRACKING)))
		return NIL;				/* (the extension is being created or dropped) */
	owner_call_begin(tracking_totals_owner(), &call);
	if (SPI_execute_with_args("SELECT tracking_id, kind, rep_column, occurred_at_column, qty_column "
							  "FROM quota.tracking WHERE source OPERATOR(pg_catalog.=) $1::pg_catalog.regclass "
							  "ORDER BY tracking_id",
							  1, (Oid[]) {OIDOID}, (Datum[]) {ObjectIdGetDatum(source)}, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read quota.tracking");
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		MemoryContext spi_context = MemoryContextSwitchTo(caller_context);
		TableTracking *tracking = palloc0(sizeof(TableTracking));
		bool		isnull;
		int			c;

		tracking->tracking_id = DatumGetInt32(SPI_getbinval(tuple, desc, 1, &isnull));
		tracking->kind = SPI_getvalue(tuple, desc, 2);
		for (c = 0; c < 3; c++)
			tracking->columns[c] = SPI_getvalue(tuple, desc, 3 + c);
		trackings = lappend(trackings, tracking);
		MemoryContextSwitchTo(spi_context);
	}
	owner_call_end(&call);
	return trackings;
}

/* Returns the OID of the table a name list of a command names, or InvalidOid when there is none. */
static Oid
named_table(RangeVar *name)
{
	return name != NULL ? RangeVarGetRelid(name, NoLock, true) : InvalidOid;
}

/*
 * Takes back from the totals the rows of a partition of a tracked table
 * that is about to leave it (detached, or dropped); a detached one loses
 * the TRUNCATE triggers of the trackings too (its row triggers, clones, go
 * with the detach).
 */
static void
partition_rows_leaving(Oid relid, bool detached)
{
	ListCell   *cell;
	List	   *trackings;

	if (!OidIsValid(relid) || !get_rel_relispartition(relid))
		return;
	trackings = trackings_of(tracking_root_of(relid));
	if (trackings == NIL)
		return;
	/* (the lock the command takes next: no row changes in between) */
	(void) tracking_leaves(relid, AccessExclusiveLock);
	foreach(cell, trackings)
	{
		int32		tracking_id = ((TableTracking *) lfirst(cell))->tracking_id;

		(void) tracking_rows_counted(tracking_id, relid, -1);
		if (detached)
			tracking_truncate_triggers_dropped(relid, tracking_id);
	}
}

/*
 * Takes back the rows of the partitions of tracked tables that a DROP
 * SCHEMA (of the schemas given) or DROP OWNED (of the roles given) is
 * about to drop with other objects; the tracked tables themselves, if
 * dropped, lose their trackings at sql_drop.
 */
static void
partitions_dropped_with(List *schemas, List *owners)
{
	ListCell   *source;

	if (!OidIsValid(quota_table_oid(QUOTA_TRACKING)))
		return;
	foreach(source, tracked_sources())
	{
		List	   *dropped = NIL;
		ListCell   *cell;

		foreach(cell, find_all_inheritors(lfirst_oid(source), NoLock, NULL))
		{
			Oid			relid = lfirst_oid(cell);
			HeapTuple	tuple;
			Form_pg_class form;

			if (relid == lfirst_oid(source) || !(tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid))))
				continue;
			form = (Form_pg_class) GETSTRUCT(tuple);
			if (list_member_oid(schemas, form->relnamespace) || list_member_oid(owners, form->relowner))
				dropped = lappend_oid(dropped, relid);
			ReleaseSysCache(tuple);
		}
		/* (the topmost of those dropped: their leaves are dropped with them) */
		foreach(cell, dropped)
		{
			if (!list_member_oid(dropped, get_partition_parent(lfirst_oid(cell), true)))
				partition_rows_leaving(lfirst_oid(cell), false);
		}
	}
}

/* Refuses to drop a trigger of a tracking but through quota.untrack(). */
static void
tracking_trigger_kept(Oid relid, const char *trigger_name)
{
	Relation	rel;
	Trigger    *inserts;
	int			i;
	Oid			functions[3];

	if (!OidIsValid(relid) || tracking_triggers_dropping)
		return;
	functions[0] = tracking_function_oid("tracked_row_changed");
	functions[1] = tracking_function_oid("tracked_rows_written");
	functions[2] = tracking_function_oid("tracked_rows_truncated");
	rel = table_open(relid, AccessShareLock);
	for (i = 0; rel->trigdesc != NULL && i < rel->trigdesc->numtriggers; i++)
	{
		Trigger    *trigger = &rel->trigdesc->triggers[i];

		if (strcmp(trigger->tgname, trigger_name) == 0 && trigger->tgnargs >= 1 &&
			(trigger->tgfoid == functions[0] || trigger->tgfoid == functions[1] || trigger->tgfoid == functions[2]))
			ereport(ERROR,
					(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
					 errmsg("cannot drop trigger \"%s\" on table %s", trigger_name, table_name(relid)),
					 errdetail("It counts the rows of the table for tracking %s.", trigger->tgargs[0]),
					 errhint("Use quota.untrack() to stop tracking the table.")));
	}
	inserts = tracking_inserts_trigger(rel);
	if (inserts != NULL && strcmp(inserts->tgname, trigger_name) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
				 errmsg("cannot drop trigger \"%s\" on table %s", trigger_name, table_name(relid)),
				 errdetail("It counts the rows inserted into the table for each of its trackings."),
				 errhint("Use quota.untrack() to stop tracking the table.")));
	table_close(rel, AccessShareLock);
}

/*
 * Refuses to change the type of a tracked column, even to the same type
 * (USING rewrites the values, and a rewrite fires no row trigger).
 */
static void
tracked_column_kept(Oid relid, const char *column)
{
	Oid			root = tracking_root_of(relid);
	ListCell   *cell;

	foreach(cell, trackings_of(root))
	{
		TableTracking *tracking = lfirst(cell);
		int			c;

		for (c = 0; c < 3; c++)
			if (tracking->columns[c] != NULL && strcmp(tracking->columns[c], column) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("cannot change the type of column \"%s\" of table %s", column, table_name(root)),
						 errdetail("Tracking %d counts it as the %s of kind \"%s\"; a new type or USING would change what it counted without a trigger seeing it.",
								   tracking->tracking_id, tracked_column_roles[c], tracking->kind),
						 errhint("Run quota.untrack('%s', '%s') first, and track the table again after the change.",
								 table_name(root), tracking->kind)));
	}
}

/* Renames a column in the trackings of a table whose column is being renamed. */
static void
tracked_column_renamed(Oid relid, const char *old_name, const char *new_name)
{
	TriggerOwnerCall call;

	if (!OidIsValid(relid) || trackings_of(relid) == NIL)
		return;
	owner_call_begin(tracking_totals_owner(), &call);
	if (SPI_execute_with_args("UPDATE quota.tracking SET "
							  "rep_column = CASE WHEN rep_column OPERATOR(pg_catalog.=) $2 THEN $3 ELSE rep_column END, "
							  "occurred_at_column = CASE WHEN occurred_at_column OPERATOR(pg_catalog.=) $2 THEN $3 ELSE occurred_at_column END, "
							  "qty_column = CASE WHEN qty_column OPERATOR(pg_catalog.=) $2 THEN $3 ELSE qty_column END "
							  "WHERE source OPERATOR(pg_catalog.=) $1::pg_catalog.regclass",
							  3, (Oid[]) {OIDOID, NAMEOID, NAMEOID},
							  (Datum[]) {ObjectIdGetDatum(relid), DirectFunctionCall1(namein, CStringGetDatum(old_name)),
							  DirectFunctionCall1(namein, CStringGetDatum(new_name))},
							  NULL, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "could not update quota.tracking");
	owner_call_end(&call);
}

PG_FUNCTION_INFO_V1(tracked_ddl_started);

/* Event trigger at ddl_command_start: what must happen before DDL on a tracked table. */
Datum
tracked_ddl_started(PG_FUNCTION_ARGS)
{
	EventTriggerData *data;
	Node	   *command;
	ListCell   *cell;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("quota.tracked_ddl_started() was not called by the event trigger manager")));
	data = (EventTriggerData *) fcinfo->context;
	command = data->parsetree;
	if (IsA(command, DropStmt) && ((DropStmt *) command)->removeType == OBJECT_SCHEMA)
	{
		List	   *schemas = NIL;

		foreach(cell, ((DropStmt *) command)->objects)
			schemas = lappend_oid(schemas, get_namespace_oid(strVal(lfirst(cell)), true));
		partitions_dropped_with(schemas, NIL);
	}
	else if (IsA(command, DropOwnedStmt))
	{
		List	   *owners = NIL;

		foreach(cell, ((DropOwnedStmt *) command)->roles)
			owners = lappend_oid(owners, get_rolespec_oid(lfirst(cell), true));
		partitions_dropped_with(NIL, owners);
	}
	else if (IsA(command, DropStmt))
	{
		DropStmt   *drop = (DropStmt *) command;

		foreach(cell, drop->objects)
		{
			List	   *names = lfirst(cell);

			if (drop->removeType == OBJECT_TABLE)
				partition_rows_leaving(named_table(makeRangeVarFromNameList(names)), false);
			else if (drop->removeType == OBJECT_TRIGGER && list_length(names) >= 2)
				tracking_trigger_kept(named_table(makeRangeVarFromNameList(list_truncate(list_copy(names), list_length(names) - 1))),
									  strVal(llast(names)));
		}
	}
	else if (IsA(command, AlterTableStmt))
	{
		Oid			relid = named_table(((AlterTableStmt *) command)->relation);

		foreach(cell, ((AlterTableStmt *) command)->cmds)
		{
			AlterTableCmd *cmd = lfirst(cell);

			if (cmd->subtype == AT_DetachPartition)
				partition_rows_leaving(named_table(((PartitionCmd *) cmd->def)->name), true);
			else if (cmd->subtype == AT_AlterColumnType && OidIsValid(relid))
				tracked_column_kept(relid, cmd->name);
		}
	}
	else if (IsA(command, RenameStmt))
	{
		RenameStmt *rename = (RenameStmt *) command;

		if (rename->renameType == OBJECT_COLUMN && rename->relation != NULL)
			tracked_column_renamed(named_table(rename->relation), rename->subname, rename->newname);
	}
	PG_RETURN_VOID();
}

/* Returns whether an ALTER TABLE enables or disables triggers. */
static bool
trigger_states_altered(AlterTableStmt *stmt)
{
	ListCell   *cell;

	foreach(cell, stmt->cmds)
	{
		switch (((AlterTableCmd *) lfirst(cell))->subtype)
		{
			case AT_EnableTrig:
			case AT_EnableAlwaysTrig:
			case AT_EnableReplicaTrig:
			case AT_EnableTrigAll:
			case AT_EnableTrigUser:
			case AT_DisableTrig:
			case AT_DisableTrigAll:
			case AT_DisableTrigUser:
				return true;
			default:
				break;
		}
	}
	return false;
}

/* Gives a new leaf (or the leaves of a new partition) of a tracked table the TRUNCATE trigger of each tracking. */
static void
partition_joined(Oid relid, List *trackings, bool count_rows)
{
	ListCell   *cell;

	foreach(cell, trackings)
	{
		TableTracking *tracking = lfirst(cell);
		ListCell   *leaf;

		foreach(leaf, tracking_leaves(relid, AccessExclusiveLock))
			tracking_truncate_trigger_created(lfirst_oid(leaf), tracking->tracking_id);
		CommandCounterIncrement();
		if (count_rows)
			(void) tracking_rows_counted(tracking->tracking_id, relid, +1);
	}
}

/* Recounts a tracking, as the owner of the totals. */
static void
tracking_recounted(int32 tracking_id)
{
	TriggerOwnerCall call;

	owner_call_begin(tracking_totals_owner(), &call);
	if (SPI_execute_with_args("SELECT quota.tracking_rebuilt($1, NULL) FROM quota.tracking "
							  "WHERE tracking_id OPERATOR(pg_catalog.=) $1",
							  1, (Oid[]) {INT4OID}, (Datum[]) {Int32GetDatum(tracking_id)},
							  NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not recount tracking %d", tracking_id);
	owner_call_end(&call);
}

/*
 * Recounts the trackings of a table whose triggers a restore has just made
 * whole: a tracking counts inserted rows once it has the trigger of its
 * filter and the one of the inserts (its own, before 0.11, or the
 * table's), whichever a restore makes last (pg_restore -j may make them in
 * any order).
 */
static void
restored_trackings_recounted(CreateTrigStmt *stmt)
{
	Oid			function = LookupFuncName(stmt->funcname, 0, NULL, true);
	bool		inserts = OidIsValid(function) && function == tracking_function_oid("tracked_row_inserted");
	bool		row = OidIsValid(function) && function == tracking_function_oid("tracked_row_changed") &&
		list_length(stmt->args) == 2;
	Oid			relid;
	Relation	rel;
	List	   *recounted = NIL;
	ListCell   *cell;

	if (!inserts && !row)
		return;
	relid = named_table(stmt->relation);
	rel = table_open(relid, AccessShareLock);
	if (inserts)
	{
		foreach(cell, trackings_of(relid))
		{
			int32		tracking_id = ((TableTracking *) lfirst(cell))->tracking_id;

			if (tracking_filter_trigger(rel, tracking_id) != NULL)
				recounted = lappend_int(recounted, tracking_id);
		}
	}
	else
	{
		const char *side = strVal(lsecond(stmt->args));

		if (strcmp(side, "insert") == 0 || (strcmp(side, "new") == 0 && tracking_inserts_trigger(rel) != NULL))
			recounted = list_make1_int(pg_strtoint32(strVal(linitial(stmt->args))));
	}
	table_close(rel, AccessShareLock);
	foreach(cell, recounted)
		tracking_recounted(lfirst_int(cell));
}

PG_FUNCTION_INFO_V1(tracked_ddl_ended);

/* Event trigger at ddl_command_end: what must hold after DDL on a tracked table. */
Datum
tracked_ddl_ended(PG_FUNCTION_ARGS)
{
	EventTriggerData *data;
	Node	   *command;
	Oid			relid;
	List	   *trackings;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("quota.tracked_ddl_ended() was not called by the event trigger manager")));
	data = (EventTriggerData *) fcinfo->context;
	command = data->parsetree;
	if (IsA(command, CreateTrigStmt))
	{
		if (OidIsValid(quota_table_oid(QUOTA_TRACKING)))
			restored_trackings_recounted((CreateTrigStmt *) command);
		PG_RETURN_VOID();
	}
	if (IsA(command, CreateStmt))
		relid = ((CreateStmt *) command)->partbound != NULL ? named_table(((CreateStmt *) command)->relation) : InvalidOid;
	else if (IsA(command, AlterTableStmt))
		relid = named_table(((AlterTableStmt *) command)->relation);
	else
		PG_RETURN_VOID();
	if (!OidIsValid(relid))
		PG_RETURN_VOID();
	if (IsA(command, AlterTableStmt) && trigger_states_altered((AlterTableStmt *) command))
		triggers_checked_always(relid);
	trackings = trackings_of(tracking_root_of(relid));
	if (trackings == NIL)
		PG_RETURN_VOID();

	if (IsA(command, CreateStmt))
		partition_joined(relid, trackings, false);
	else
	{
		ListCell   *cell;

		foreach(cell, ((AlterTableStmt *) command)->cmds)
		{
			AlterTableCmd *cmd = lfirst(cell);

			if (cmd->subtype == AT_AttachPartition)
				partition_joined(named_table(((PartitionCmd *) cmd->def)->name), trackings, true);
		}
	}
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(tracked_table_dropped);

/*
 * Event trigger at sql_drop: refuses a command that dropped a tracked
 * column; the trackings of a dropped table go with it, and their totals.
 */
Datum
tracked_table_dropped(PG_FUNCTION_ARGS)
{
	TriggerOwnerCall call;
	SPITupleTable *dropped;
	uint64		ndropped;
	uint64		i;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("quota.tracked_table_dropped() was not called by the event trigger manager")));
	if (!OidIsValid(quota_table_oid(QUOTA_TRACKING)))
		PG_RETURN_VOID();
	totals_write_level();
	owner_call_begin(tracking_totals_owner(), &call);
	/* a tracked column dropped with something else (DROP DOMAIN ... CASCADE, say) */
	if (SPI_execute("SELECT d.address_names[3], t.tracking_id, t.kind, t.source::pg_catalog.oid, "
					"CASE d.address_names[3] WHEN t.rep_column THEN 'rep' WHEN t.occurred_at_column THEN 'occurred_at' "
					"ELSE 'qty' END "
					"FROM pg_catalog.pg_event_trigger_dropped_objects() d JOIN quota.tracking t "
					"ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass "
					"AND d.objid OPERATOR(pg_catalog.=) t.source::pg_catalog.oid AND d.objsubid OPERATOR(pg_catalog.<>) 0 "
					"WHERE d.address_names[3] OPERATOR(pg_catalog.=) ANY "
					"(ARRAY[t.rep_column, t.occurred_at_column, t.qty_column]::pg_catalog.text[]) LIMIT 1",
					false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read quota.tracking");
	if (SPI_processed > 0)
	{
		bool		isnull;
		char	   *table = table_name(DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4,
																	 &isnull)));
		char	   *kind = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3);

		ereport(ERROR,
				(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
				 errmsg("cannot drop column \"%s\" of table %s",
						SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1), table),
				 errdetail("Tracking %s counts it as the %s of kind \"%s\".",
						   SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2),
						   SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 5), kind),
				 errhint("Run quota.untrack('%s', '%s') first.", table, kind)));
	}
	if (execute_latest("DELETE FROM quota.tracking t USING pg_catalog.pg_event_trigger_dropped_objects() d "
					   "WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass "
					   "AND d.objid OPERATOR(pg_catalog.=) t.source::pg_catalog.oid AND d.objsubid OPERATOR(pg_catalog.=) 0 "
					   "RETURNING t.tracking_id, t.kind, d.object_identity",
					   0, NULL, NULL, NULL, false) != SPI_OK_DELETE_RETURNING)
		elog(ERROR, "could not delete from quota.tracking");
	dropped = SPI_tuptable;
	ndropped = SPI_processed;
	for (i = 0; i < ndropped; i++)
	{
		bool		isnull;

		tracking_rows_forgotten(DatumGetInt32(SPI_getbinval(dropped->vals[i], dropped->tupdesc, 1, &isnull)));
	}
	for (i = 0; i < ndropped; i++)
		ereport(NOTICE,
				(errmsg("table %s is no longer tracked",
						SPI_getvalue(dropped->vals[i], dropped->tupdesc, 3)),
				 errdetail("Tracking %s (kind \"%s\") and its totals were removed with the table.",
						   SPI_getvalue(dropped->vals[i], dropped->tupdesc, 1),
						   SPI_getvalue(dropped->vals[i], dropped->tupdesc, 2))));
	owner_call_end(&call);
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(tracked_sources_locked);

/*
 * Locks every tracked table and its partitions against writers until the
 * transaction ends (quota.close_period() and quota.rebuild() wait for the
 * writers in flight).
 */
Datum
tracked_sources_locked(PG_FUNCTION_ARGS)
{
	ListCell   *cell;

	foreach(cell, tracked_sources())
		(void) tracking_leaves(lfirst_oid(cell), ShareRowExclusiveLock);
	PG_RETURN_VOID();
}
