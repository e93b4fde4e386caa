/*
 * history.c
 *	  Keeps the history of quota assignments: every insert, update and
 *	  delete of quota.assignment (and the rows a TRUNCATE removes) becomes a
 *	  row of quota.assignment_history saying who changed what, when.
 *
 * The trigger notes the role that made the change, then writes as the owner
 * of the history table, as the checks of a foreign key do: roles that may
 * change assignments need no privilege on the history, which stays
 * read-only to them.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "quota_ext.h"

PG_FUNCTION_INFO_V1(assignment_history);

/* Row and statement trigger on quota.assignment: writes its changes to quota.assignment_history. */
Datum
assignment_history(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TriggerEvent event;
	Relation	assignment;
	Oid			row_type;
	Datum		changed_by;
	Oid			caller;
	int			caller_security;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("quota.assignment_history() was not called by the trigger manager"),
				 errhint("It is attached to quota.assignment by the extension; do not call it directly.")));
	event = trigdata->tg_event;
	assignment = trigdata->tg_relation;
	if (RelationGetRelid(assignment) !=
		get_relname_relid("assignment", get_namespace_oid("quota", false)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("quota.assignment_history() keeps the history of quota.assignment only"),
				 errdetail("It was fired by a trigger on \"%s\".", RelationGetRelationName(assignment))));
	if (TRIGGER_FIRED_BY_TRUNCATE(event) ?
		!TRIGGER_FIRED_BEFORE(event) :
		!(TRIGGER_FIRED_AFTER(event) && TRIGGER_FIRED_FOR_ROW(event)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("quota.assignment_history() must be fired AFTER ... FOR EACH ROW, or BEFORE TRUNCATE")));

	row_type = assignment->rd_rel->reltype;
	GetUserIdAndSecContext(&caller, &caller_security);
	changed_by = CStringGetDatum(GetUserNameFromId(caller, false));

	/* The history belongs to the table's owner, like the checks of a foreign key. */
	SetUserIdAndSecContext(assignment->rd_rel->relowner,
						   caller_security | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	if (TRIGGER_FIRED_BY_TRUNCATE(event))
	{
		Oid			argtypes[1] = {NAMEOID};
		Datum		args[1] = {changed_by};

		/* Before a TRUNCATE the rows are still there: keep each as removed. */
		if (SPI_execute_with_args("INSERT INTO quota.assignment_history "
								  "(assignment_id, rep_id, team_id, kind, operation, changed_by, old_row) "
								  "SELECT a.assignment_id, a.rep_id, a.team_id, a.kind, 'TRUNCATE', $1, pg_catalog.to_jsonb(a) "
								  "FROM quota.assignment a ORDER BY a.assignment_id",
								  1, argtypes, args, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not write quota.assignment_history");
	}
	else
	{
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
		if (SPI_execute_with_args("INSERT INTO quota.assignment_history "
								  "(assignment_id, rep_id, team_id, kind, operation, changed_by, old_row, new_row) "
								  "SELECT ($5).assignment_id, ($5).rep_id, ($5).team_id, ($5).kind, $1, $2, "
								  "pg_catalog.to_jsonb($3), pg_catalog.to_jsonb($4) "
								  "WHERE $1 OPERATOR(pg_catalog.<>) 'INSERT' "
								  "OR pg_catalog.pg_sequence_last_value('quota.assignment_assignment_id_seq'::pg_catalog.regclass) IS NOT NULL",
								  5, argtypes, args, nulls, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not write quota.assignment_history");
	}

	SPI_finish();
	SetUserIdAndSecContext(caller, caller_security);
	return PointerGetDatum(NULL);
}
