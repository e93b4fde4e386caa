/*
 * history.c
 *	  Keeps the history of quota assignments: every insert, update and
 *	  delete of quota.assignment (and the rows a TRUNCATE removes) becomes a
 *	  row of quota.assignment_history saying who changed what, when.
 *
 * The trigger notes the role that made the change, then writes as the owner
 * of the history table, as the checks of a foreign key do: roles that may
 * change assignments need no privilege on the history, which stays
 * read-only to them.  Its two INSERTs are plans kept for the session; the
 * row plan takes arguments of the table's row type, so both are made anew
 * for another quota.assignment (DROP and CREATE EXTENSION in one session)
 * and after any change of the table (a relcache invalidation).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/rel.h"

#include "quota_ext.h"

/* The kept plans, the quota.assignment they were made for, and whether it has changed since. */
static Oid	history_plans_relid = InvalidOid;
static bool history_plans_stale = false;
static bool history_callback_registered = false;
static SPIPlanPtr history_truncate_plan = NULL;
static SPIPlanPtr history_row_plan = NULL;

/* Notes that the table the kept plans were made for has changed. */
static void
history_relation_invalidated(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == history_plans_relid)
		history_plans_stale = true;
}

/* Forgets the kept plans unless they were made for this quota.assignment as it is. */
static void
history_plans_for(Relation assignment)
{
	if (!history_callback_registered)
	{
		CacheRegisterRelcacheCallback(history_relation_invalidated, (Datum) 0);
		history_callback_registered = true;
	}
	if (history_plans_relid == RelationGetRelid(assignment) && !history_plans_stale)
		return;
	if (history_truncate_plan != NULL)
		SPI_freeplan(history_truncate_plan);
	if (history_row_plan != NULL)
		SPI_freeplan(history_row_plan);
	history_truncate_plan = NULL;
	history_row_plan = NULL;
	history_plans_relid = RelationGetRelid(assignment);
	history_plans_stale = false;
}

PG_FUNCTION_INFO_V1(assignment_history);

/* Row and statement trigger on quota.assignment: writes its changes to quota.assignment_history. */
Datum
assignment_history(PG_FUNCTION_ARGS)
{
	static const QuotaTable history_tables[] = {QUOTA_ASSIGNMENT};
	TriggerData *trigdata = trigger_call_data(fcinfo, "quota.assignment_history()",
											  "quota.assignment");
	TriggerEvent event = trigdata->tg_event;
	Relation	assignment = trigdata->tg_relation;
	TriggerOwnerCall call;
	Datum		changed_by;

	trigger_check_table(trigdata, "quota.assignment_history()", "the history of quota.assignment",
						history_tables, lengthof(history_tables));
	trigger_check_fired(TRIGGER_FIRED_BY_TRUNCATE(event) ?
						TRIGGER_FIRED_BEFORE(event) :
						(TRIGGER_FIRED_AFTER(event) && TRIGGER_FIRED_FOR_ROW(event)),
						"quota.assignment_history()", "AFTER ... FOR EACH ROW, or BEFORE TRUNCATE");

	/* The history belongs to the table's owner, like the checks of a foreign key. */
	owner_call_begin(trigdata->tg_relation->rd_rel->relowner, &call);
	/* A whole name, NAMEDATALEN bytes, as the plans' name argument is copied. */
	changed_by = DirectFunctionCall1(namein, CStringGetDatum(GetUserNameFromId(call.caller, false)));
	history_plans_for(assignment);

	if (TRIGGER_FIRED_BY_TRUNCATE(event))
	{
		Oid			argtypes[1] = {NAMEOID};
		Datum		args[1] = {changed_by};

		/* Before a TRUNCATE the rows are still there: keep each as removed. */
		if (SPI_execute_plan(kept_plan(&history_truncate_plan,
									   "INSERT INTO quota.assignment_history "
									   "(assignment_id, rep_id, team_id, kind, operation, changed_by, old_row) "
									   "SELECT a.assignment_id, a.rep_id, a.team_id, a.kind, 'TRUNCATE', $1, pg_catalog.to_jsonb(a) "
									   "FROM quota.assignment a ORDER BY a.assignment_id",
									   1, argtypes),
							 args, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not write quota.assignment_history");
	}
	else
	{
		Oid			row_type = assignment->rd_rel->reltype;
		Oid			argtypes[5] = {TEXTOID, NAMEOID, row_type, row_type, row_type};
		Datum		args[5];
		char		nulls[5] = {' ', ' ', 'n', 'n', ' '};
		HeapTuple	old_row = NULL;
		HeapTuple	new_row = NULL;

		if (TRIGGER_FIRED_BY_INSERT(event))
		{
			args[0] = CStringGetTextDatum("INSERT");
			new_row = trigdata->tg_trigtuple;
		}
		else if (TRIGGER_FIRED_BY_UPDATE(event))
		{
			args[0] = CStringGetTextDatum("UPDATE");
			old_row = trigdata->tg_trigtuple;
			new_row = trigdata->tg_newtuple;
		}
		else
		{
			args[0] = CStringGetTextDatum("DELETE");
			old_row = trigdata->tg_trigtuple;
		}
		args[1] = changed_by;
		if (old_row != NULL)
		{
			args[2] = heap_copy_tuple_as_datum(old_row, RelationGetDescr(assignment));
			nulls[2] = ' ';
		}
		if (new_row != NULL)
		{
			args[3] = heap_copy_tuple_as_datum(new_row, RelationGetDescr(assignment));
			nulls[3] = ' ';
		}

		/*
		 * The keys of the row after the change, or before a delete.  Rows
		 * inserted before the identity sequence has ever given an id are
		 * restored (by pg_dump's COPY, which sets the sequence after the
		 * rows), and so is their history, from the dump.
		 */
		args[4] = (new_row != NULL) ? args[3] : args[2];
		if (SPI_execute_plan(kept_plan(&history_row_plan,
									   "INSERT INTO quota.assignment_history "
									   "(assignment_id, rep_id, team_id, kind, operation, changed_by, old_row, new_row) "
									   "SELECT ($5).assignment_id, ($5).rep_id, ($5).team_id, ($5).kind, $1, $2, "
									   "pg_catalog.to_jsonb($3), pg_catalog.to_jsonb($4) "
									   "WHERE $1 OPERATOR(pg_catalog.<>) 'INSERT' "
									   "OR pg_catalog.pg_sequence_last_value('quota.assignment_assignment_id_seq'::pg_catalog.regclass) IS NOT NULL",
									   5, argtypes),
							 args, nulls, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not write quota.assignment_history");
	}

	owner_call_end(&call);
	return PointerGetDatum(NULL);
}
