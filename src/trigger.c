/*
 * trigger.c
 *	  What the extension's C triggers share: checking how they were called
 *	  and which table fired them, running as the owner of that table with a
 *	  connection to SPI, plans kept for the session, queries with the
 *	  latest snapshot, and the OIDs of the extension's tables, cached for
 *	  the session.
 *
 * The OIDs are looked up by name in schema quota once and forgotten when
 * the catalog row of that name changes (a syscache invalidation of
 * pg_class by (relname, relnamespace), which DROP and CREATE send), or when
 * any schema changes, so that DROP EXTENSION and CREATE EXTENSION in one
 * session find the new tables.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "miscadmin.h"
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
	[QUOTA_TRACKING] = "tracking"
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
