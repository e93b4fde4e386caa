/*
 * trigger.c
 *	  What the extension's C triggers share: checking how they were called
 *	  and which table fired them, running as the owner of that table with a
 *	  connection to SPI, plans kept for the session, queries with the
 *	  latest snapshot, and the OIDs of the extension's tables, cached for
 *	  the session.
 *
 * The triggers that keep the totals, and what they read, fire whatever
 * session_replication_role is (ENABLE ALWAYS): rows applied by logical
 * replication or loaded by a session as replica count too.  DDL may not
 * change that (the event triggers check it), and quota.end_restore()
 * enables them ALWAYS again after a restore that disabled them.
 *
 * The OIDs are looked up by name in schema quota once and forgotten when
 * the catalog row of that name changes (a syscache invalidation of
 * pg_class by (relname, relnamespace), which DROP and CREATE send), or when
 * any schema changes, so that DROP EXTENSION and CREATE EXTENSION in one
 * session find the new tables.
 */
#include "postgres.h"

#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "quota_ext.h"

/* The names, in schema quota, of the tables of QuotaTable. */
static const char *const quota_table_names[QUOTA_TABLE_COUNT] = {
	[QUOTA_ACTIVITY] = "activity",
	[QUOTA_ACTIVITY_CREDIT] = "activity_credit",
	[QUOTA_ASSIGNMENT] = "assignment",
	[QUOTA_REP] = "rep",
	[QUOTA_PERIOD_CLOSE] = "period_close",
	[QUOTA_DAILY_TOTAL] = "daily_total",
	[QUOTA_TRACKING] = "tracking",
	[QUOTA_REP_ZONE_CHANGE] = "rep_zone_change",
	[QUOTA_MONTH_TOTAL] = "month_total"
};

/* The session's cache of their OIDs (InvalidOid for a table that does not exist). */
static bool quota_table_callbacks_registered = false;
static bool quota_table_known[QUOTA_TABLE_COUNT];
static Oid	quota_table_oids[QUOTA_TABLE_COUNT];
static uint32 quota_table_hashes[QUOTA_TABLE_COUNT];	/* of (name, schema) in RELNAMENSP */

/* Forgets the OIDs of the tables whose pg_class entry by name has changed (all, for hash 0). */
static void
quota_tables_invalidated(Datum arg, int cacheid, uint32 hashvalue)
{
	int			i;

	for (i = 0; i < QUOTA_TABLE_COUNT; i++)
		if (hashvalue == 0 || hashvalue == quota_table_hashes[i])
			quota_table_known[i] = false;
}

/* Forgets every OID when a schema changes (schema quota may have been dropped and made anew). */
static void
quota_schemas_invalidated(Datum arg, int cacheid, uint32 hashvalue)
{
	int			i;

	for (i = 0; i < QUOTA_TABLE_COUNT; i++)
		quota_table_known[i] = false;
}

/* Returns the OID of one of the extension's tables, or InvalidOid when it does not exist. */
Oid
quota_table_oid(QuotaTable table)
{
	Assert(table >= 0 && table < QUOTA_TABLE_COUNT);
	if (!quota_table_callbacks_registered)
	{
		CacheRegisterSyscacheCallback(RELNAMENSP, quota_tables_invalidated, (Datum) 0);
		CacheRegisterSyscacheCallback(NAMESPACEOID, quota_schemas_invalidated, (Datum) 0);
		quota_table_callbacks_registered = true;
	}
	if (!quota_table_known[table])
	{
		const char *name = quota_table_names[table];
		Oid			namespace_oid = get_namespace_oid("quota", false);

		/* Known before the look-up, so that an invalidation during it is not lost. */
		quota_table_hashes[table] = GetSysCacheHashValue2(RELNAMENSP,
														  PointerGetDatum(name),
														  ObjectIdGetDatum(namespace_oid));
		quota_table_known[table] = true;
		quota_table_oids[table] = get_relname_relid(name, namespace_oid);
	}
	return quota_table_oids[table];
}

/*
 * Returns the trigger data of a call, refusing a call that did not come
 * from the trigger manager; attached_to names, for the hint, what the
 * extension attaches the function to.
 */
TriggerData *
trigger_call_data(FunctionCallInfo fcinfo, const char *function_name, const char *attached_to)
{
	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s was not called by the trigger manager", function_name),
				 errhint("It is attached to %s by the extension; do not call it directly.",
						 attached_to)));
	return (TriggerData *) fcinfo->context;
}

/* Refuses a trigger fired otherwise than it must be (fired_as says how, as in "AFTER ... FOR EACH ROW"). */
void
trigger_check_fired(bool fired_rightly, const char *function_name, const char *fired_as)
{
	if (!fired_rightly)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s must be fired %s", function_name, fired_as)));
}

/*
 * Refuses a trigger fired by a table other than those given; keeps says
 * what the function keeps of them, as in "the history of quota.assignment".
 */
void
trigger_check_table(TriggerData *trigdata, const char *function_name, const char *keeps,
					const QuotaTable *tables, int ntables)
{
	Oid			relid = RelationGetRelid(trigdata->tg_relation);
	int			i;

	for (i = 0; i < ntables; i++)
		if (relid == quota_table_oid(tables[i]))
			return;
	ereport(ERROR,
			(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
			 errmsg("%s keeps %s only", function_name, keeps),
			 errdetail("It was fired by a trigger on \"%s\".",
					   RelationGetRelationName(trigdata->tg_relation))));
}

/*
 * Switches to the rights of the owner of the extension's tables (the owner
 * of the table that fired a trigger), as the checks of a foreign key do
 * (row-level security not forced), and connects to SPI; owner_call_end
 * undoes both.
 */
void
owner_call_begin(Oid owner, TriggerOwnerCall *call)
{
	GetUserIdAndSecContext(&call->caller, &call->caller_security);
	SetUserIdAndSecContext(owner,
						   call->caller_security | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
}

/* Disconnects from SPI and returns to the caller's rights. */
void
owner_call_end(const TriggerOwnerCall *call)
{
	SPI_finish();
	SetUserIdAndSecContext(call->caller, call->caller_security);
}

/*
 * Runs a query with the latest snapshot rather than the transaction's
 * (SPI connected): what others committed before the caller got its locks
 * is seen, also under REPEATABLE READ.  Returns SPI_execute_snapshot's
 * code.
 */
int
execute_latest(const char *query, int nargs, Oid *argtypes, Datum *args, const char *nulls,
			   bool read_only)
{
	SPIPlanPtr	plan = SPI_prepare(query, nargs, argtypes);

	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s", query, SPI_result_code_string(SPI_result));
	return SPI_execute_snapshot(plan, args, nulls, GetLatestSnapshot(), InvalidSnapshot, read_only, true, 0);
}

/* Returns a plan kept for the session, preparing it on first use. */
SPIPlanPtr
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

/* The functions, in schema quota, whose triggers fire ALWAYS. */
static const char *const always_trigger_functions[] = {
	"activity_totals", "cached_rows_changed", "rep_time_zone_changed", "rep_tracked_rows",
	"rep_zone_change_counted", "activity_kind_restored", "tracked_row_changed", "tracked_row_inserted",
	"tracked_rows_written", "tracked_rows_truncated"
};

/* Whether quota.always_triggers_enabled() is at work, one trigger at a time. */
static bool always_triggers_enabling = false;

/* Returns whether the triggers of a function must fire ALWAYS. */
bool
trigger_must_fire_always(Oid function)
{
	char	   *name;
	size_t		i;

	if (get_func_nargs(function) != 0 || get_func_namespace(function) != get_namespace_oid("quota", true))
		return false;
	name = get_func_name(function);
	for (i = 0; i < lengthof(always_trigger_functions); i++)
		if (strcmp(name, always_trigger_functions[i]) == 0)
			return true;
	return false;
}

/*
 * Refuses the end of a command that left a trigger that must fire ALWAYS,
 * on a table or its partitions, enabled otherwise.
 */
void
triggers_checked_always(Oid relid)
{
	ListCell   *cell;

	if (always_triggers_enabling)
		return;
	foreach(cell, find_all_inheritors(relid, AccessShareLock, NULL))
	{
		Relation	rel = table_open(lfirst_oid(cell), NoLock);
		int			i;

		for (i = 0; rel->trigdesc != NULL && i < rel->trigdesc->numtriggers; i++)
		{
			Trigger    *trigger = &rel->trigdesc->triggers[i];

			if (trigger->tgenabled != TRIGGER_FIRES_ALWAYS && trigger_must_fire_always(trigger->tgfoid))
				ereport(ERROR,
						(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						 errmsg("trigger \"%s\" on table %s must stay enabled ALWAYS",
								trigger->tgname,
								quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
														   RelationGetRelationName(rel))),
						 errdetail("The totals of quota_ext need it to fire in every session, replicas too; disabled, they would miss rows."),
						 errhint("To load a dump, call quota.begin_restore() before pg_restore "
								 "and quota.end_restore() after it; quota.untrack() stops tracking a table.")));
		}
		table_close(rel, NoLock);
	}
}

PG_FUNCTION_INFO_V1(always_triggers_enabled);

/*
 * quota.always_triggers_enabled(): enables ALWAYS again every trigger that
 * must fire ALWAYS and does not (as pg_restore --disable-triggers leaves
 * them); returns how many.
 */
Datum
always_triggers_enabled(PG_FUNCTION_ARGS)
{
	List	   *volatile commands = NIL;
	ListCell   *cell;
	uint64		i;
	int64		enabled;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute("SELECT t.tgrelid, t.tgname, t.tgfoid FROM pg_catalog.pg_trigger t "
					"WHERE t.tgenabled OPERATOR(pg_catalog.<>) 'A' ORDER BY t.tgrelid, t.tgname",
					true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the triggers");
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	row = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		Oid			relid = DatumGetObjectId(SPI_getbinval(row, desc, 1, &isnull));

		if (trigger_must_fire_always(DatumGetObjectId(SPI_getbinval(row, desc, 3, &isnull))))
			commands = lappend(commands,
							   psprintf("ALTER TABLE %s ENABLE ALWAYS TRIGGER %s",
										quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
																   get_rel_name(relid)),
										quote_identifier(SPI_getvalue(row, desc, 2))));
	}
	always_triggers_enabling = true;
	PG_TRY();
	{
		foreach(cell, commands)
			if (SPI_execute(lfirst(cell), false, 0) != SPI_OK_UTILITY)
				elog(ERROR, "could not run \"%s\"", (char *) lfirst(cell));
	}
	PG_FINALLY();
	{
		always_triggers_enabling = false;
	}
	PG_END_TRY();
	enabled = list_length(commands);
	SPI_finish();
	PG_RETURN_INT64(enabled);
}
