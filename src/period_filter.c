/*
 * period_filter.c
 *	  Lets filters on the start of periods reach the functions that make them.
 *
 * The progress views generate, for each assignment, every period from its
 * first through the one containing as_of, and a query for one month then
 * keeps one of them: the cost would follow the history, not the rows
 * returned.  When a query filters the periods of quota.periods(unit,
 * during) by their start (lower(period) = X, >, >=, <, <=, with X not
 * depending on any row, or <@ such a range), the planner narrows the range
 * given to the function to the days the periods with those starts can
 * meet, so it generates only the periods that can pass.  The filter itself
 * stays: every period it keeps is still generated, and every period that
 * passes it still meets the range, so the rows are those of the unnarrowed
 * call.
 *
 * Team progress and the scoreboard run as whole functions (so that reading
 * them whole starts no JIT compilation), which a filter cannot enter: they
 * take the starts of the periods to report as an argument, period_starts,
 * and a filter on their column period_start narrows that argument.  Their
 * ranks compare rows of one period, so the rows they keep are unchanged.
 *
 * The planner learns that these functions can be narrowed from their
 * support function, which also loads this library before the plan is made.
 */
#include "postgres.h"

#include "access/stratnum.h"
#include "catalog/namespace.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_operator.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/supportnodes.h"
#include "optimizer/clauses.h"
#include "optimizer/optimizer.h"
#include "optimizer/paths.h"
#include "parser/parse_func.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "quota_ext.h"

static set_rel_pathlist_hook_type next_set_rel_pathlist_hook = NULL;

/* How the period starts of a function's rows are narrowed. */
typedef enum StartsNarrowed
{
	NARROWED_NOT,				/* they are not */
	NARROWED_PERIODS_RANGE,		/* quota.periods(unit, during): during */
	NARROWED_STARTS_ARGUMENT	/* by its argument period_starts */
} StartsNarrowed;

/* One side of the period starts a scan's filters allow. */
typedef struct StartBound
{
	Expr	   *day;			/* a date expression; NULL: not bounded */
	bool		inclusive;		/* whether that day itself is allowed */
} StartBound;

/*
 * Says how a function's rows can be narrowed by their period starts: those
 * of quota.periods(unit, during), the lower bounds of its result column 1,
 * through its range; those of a function of schema quota with an argument
 * period_starts daterange and a result column period_start date, through
 * that argument.  Sets the argument (0-based) and the result column.
 */
static StartsNarrowed
starts_narrowed(Oid funcid, int *argument, AttrNumber *column)
{
	HeapTuple	proc;
	Form_pg_proc form;
	Oid		   *types;
	char	  **names;
	char	   *modes;
	int			count;
	int			inputs = 0;
	AttrNumber	outputs = 0;
	StartsNarrowed narrowed = NARROWED_NOT;

	if (get_func_namespace(funcid) != get_namespace_oid("quota", true))
		return NARROWED_NOT;
	proc = SearchSysCache1(PROCOID, ObjectIdGetDatum(funcid));
	if (!HeapTupleIsValid(proc))
		return NARROWED_NOT;
	form = (Form_pg_proc) GETSTRUCT(proc);
	if (strcmp(NameStr(form->proname), "periods") == 0 && form->pronargs == 2)
	{
		*argument = 1;
		*column = 1;
		narrowed = NARROWED_PERIODS_RANGE;
	}
	else
	{
		bool		has_argument = false;
		bool		has_column = false;

		count = get_func_arg_info(proc, &types, &names, &modes);
		for (int i = 0; names != NULL && i < count; i++)
		{
			char		mode = modes != NULL ? modes[i] : PROARGMODE_IN;

			if (mode != PROARGMODE_OUT && mode != PROARGMODE_TABLE)
			{
				if (strcmp(names[i], "period_starts") == 0 && types[i] == DATERANGEOID)
				{
					*argument = inputs;
					has_argument = true;
				}
				inputs++;
			}
			if (mode == PROARGMODE_OUT || mode == PROARGMODE_INOUT || mode == PROARGMODE_TABLE)
			{
				outputs++;
				if (strcmp(names[i], "period_start") == 0 && types[i] == DATEOID)
				{
					*column = outputs;
					has_column = true;
				}
			}
		}
		if (has_argument && has_column)
			narrowed = NARROWED_STARTS_ARGUMENT;
	}
	ReleaseSysCache(proc);
	return narrowed;
}

/*
 * Whether an expression is the period start of the function scan rti:
 * its column, or lower() of it when the column is the period.
 */
static bool
is_period_start(Node *node, Index rti, AttrNumber column, bool lower_of_column)
{
	Var		   *var = (Var *) node;

	if (lower_of_column)
	{
		FuncExpr   *func = (FuncExpr *) node;

		if (!IsA(node, FuncExpr) || func->funcid != F_LOWER_ANYRANGE || list_length(func->args) != 1)
			return false;
		var = (Var *) linitial(func->args);
	}
	return IsA(var, Var) && var->varno == (int) rti && var->varattno == column && var->varlevelsup == 0;
}

/* Returns a call of a one-argument function of a date range (lower, upper) returning a date. */
static Expr *
range_bound(Oid lower_or_upper, Expr *range)
{
	return (Expr *) makeFuncExpr(lower_or_upper, DATEOID, list_make1(range),
								 InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
}

/* Sets one side of the starts allowed, unless an earlier filter did. */
static void
bound_set(StartBound *side, Expr *day, bool inclusive)
{
	if (side->day != NULL)
		return;
	side->day = day;
	side->inclusive = inclusive;
}

/*
 * Reads the filters of a function scan on its period starts into the
 * days the starts can have: from first through last.  A filter counts
 * when it compares the start with one date for the whole scan (no Vars,
 * nothing volatile, no subplans, and a date, not a timestamp compared
 * across types), by =, <, <=, >, >= or <@ a date range.
 */
static void
start_bounds(List *restrictinfo, Index rti, AttrNumber column, bool lower_of_column,
			 StartBound *first, StartBound *last)
{
	Oid			date_family = lookup_type_cache(DATEOID, TYPECACHE_BTREE_OPFAMILY)->btree_opf;
	ListCell   *cell;

	foreach(cell, restrictinfo)
	{
		RestrictInfo *rinfo = lfirst_node(RestrictInfo, cell);
		OpExpr	   *op = (OpExpr *) rinfo->clause;
		Oid			opno;
		Expr	   *bound;

		if (!IsA(op, OpExpr) || list_length(op->args) != 2)
			continue;
		if (is_period_start(linitial(op->args), rti, column, lower_of_column))
		{
			opno = op->opno;
			bound = lsecond(op->args);
		}
		else if (is_period_start(lsecond(op->args), rti, column, lower_of_column))
		{
			opno = get_commutator(op->opno);
			bound = linitial(op->args);
		}
		else
			continue;
		if (contain_var_clause((Node *) bound) || contain_volatile_functions((Node *) bound) ||
			contain_subplans((Node *) bound))
			continue;
		if (opno == OID_RANGE_ELEM_CONTAINED_OP && exprType((Node *) bound) == DATERANGEOID)
		{
			/* a date range is [lower, upper); either is NULL when unbounded */
			bound_set(first, range_bound(F_LOWER_ANYRANGE, bound), true);
			bound_set(last, range_bound(F_UPPER_ANYRANGE, bound), false);
			continue;
		}
		if (exprType((Node *) bound) != DATEOID || !OidIsValid(opno))
			continue;
		switch (get_op_opfamily_strategy(opno, date_family))
		{
			case BTEqualStrategyNumber:
				bound_set(first, bound, true);
				bound_set(last, bound, true);
				break;
			case BTGreaterEqualStrategyNumber:
				bound_set(first, bound, true);
				break;
			case BTGreaterStrategyNumber:
				bound_set(first, bound, false);
				break;
			case BTLessEqualStrategyNumber:
				bound_set(last, bound, true);
				break;
			case BTLessStrategyNumber:
				bound_set(last, bound, false);
				break;
		}
	}
}

/* Returns a date expression moved by a day (F_DATE_PLI: the day after, F_DATE_MII: the day before). */
static Expr *
day_moved(Oid date_plus_or_minus, Expr *day)
{
	return (Expr *) makeFuncExpr(date_plus_or_minus, DATEOID,
								 list_make2(day, makeConst(INT4OID, -1, InvalidOid, sizeof(int32),
														   Int32GetDatum(1), false, true)),
								 InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
}

/*
 * Returns CASE WHEN isfinite(day) THEN quota.period_end(unit, day) END, as
 * an expression: the end of the period containing the day, or no bound for
 * an infinite day (which has no period).
 */
static Expr *
period_end_of(Expr *unit, Expr *day)
{
	Oid			argtypes[2] = {TEXTOID, DATEOID};
	Oid			funcid = LookupFuncName(list_make2(makeString("quota"), makeString("period_end")),
										2, argtypes, false);
	CaseWhen   *when = makeNode(CaseWhen);
	CaseExpr   *period_end = makeNode(CaseExpr);

	when->expr = (Expr *) makeFuncExpr(F_ISFINITE_DATE, BOOLOID, list_make1(day),
									   InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
	when->result = (Expr *) makeFuncExpr(funcid, DATEOID, list_make2(unit, day),
										 InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
	when->location = -1;
	period_end->casetype = DATEOID;
	period_end->args = list_make1(when);
	period_end->defresult = (Expr *) makeNullConst(DATEOID, -1, InvalidOid);
	period_end->location = -1;
	return (Expr *) period_end;
}

/*
 * Returns range * daterange(first, end, bounds), as an expression; first
 * or end is NULL for no bound on that side.  The bounds are folded where
 * they are constants (a filter's date, isfinite() of it), so that a row
 * pays for what depends on it alone.
 */
static Expr *
range_narrowed(PlannerInfo *root, Expr *range, Expr *first, Expr *end, const char *bounds)
{
	Expr	   *none = (Expr *) makeNullConst(DATEOID, -1, InvalidOid);
	Node	   *days = (Node *) makeFuncExpr(F_DATERANGE_DATE_DATE_TEXT, DATERANGEOID,
											 list_make3(first != NULL ? first : none, end != NULL ? end : none,
														makeConst(TEXTOID, -1, DEFAULT_COLLATION_OID, -1,
																  CStringGetTextDatum(bounds), false, false)),
											 InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);

	return (Expr *) makeFuncExpr(F_RANGE_INTERSECT, DATERANGEOID,
								 list_make2(range, eval_const_expressions(root, days)),
								 InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
}

/*
 * Planner hook: narrows the range of a scan of quota.periods(), or the
 * argument period_starts of a function that has one, to the period starts
 * the filters on the scan allow.  Each side is narrowed on its own, so
 * filters that contradict each other give an empty range, not an error.
 */
static void
periods_filtered(PlannerInfo *root, RelOptInfo *rel, Index rti, RangeTblEntry *rte)
{
	RangeTblFunction *rtfunc;
	FuncExpr   *func;
	StartsNarrowed narrowed;
	int			argument = 0;
	AttrNumber	column = 0;
	StartBound	first = {NULL, true};
	StartBound	last = {NULL, true};
	Expr	   *range;

	if (next_set_rel_pathlist_hook != NULL)
		next_set_rel_pathlist_hook(root, rel, rti, rte);
	if (rte->rtekind != RTE_FUNCTION || list_length(rte->functions) != 1 || rte->funcordinality ||
		rel->baserestrictinfo == NIL)
		return;
	rtfunc = linitial_node(RangeTblFunction, rte->functions);
	func = (FuncExpr *) rtfunc->funcexpr;
	if (!IsA(func, FuncExpr))
		return;
	narrowed = starts_narrowed(func->funcid, &argument, &column);
	if (narrowed == NARROWED_NOT || argument >= list_length(func->args))
		return;
	start_bounds(rel->baserestrictinfo, rti, column, narrowed == NARROWED_PERIODS_RANGE, &first, &last);
	if (first.day == NULL && last.day == NULL)
		return;
	range = list_nth(func->args, argument);
	if (narrowed == NARROWED_PERIODS_RANGE)
	{
		/*
		 * A period that starts on or after first lies after it, so it meets
		 * during * [first, ); one that starts on or before last ends by the
		 * end of the period containing last, so it meets during * [, that
		 * end); one that starts on a day (one equality gave first and last)
		 * meets during * [that day, the end of its period).
		 */
		Expr	   *unit = linitial(func->args);

		if (first.day != NULL && first.day == last.day)
			range = range_narrowed(root, range, first.day, period_end_of(unit, first.day), "[)");
		else
		{
			if (first.day != NULL)
				range = range_narrowed(root, range, first.inclusive ? first.day : day_moved(F_DATE_PLI, first.day),
									   NULL, "[)");
			if (last.day != NULL)
				range = range_narrowed(root, range, NULL,
									   period_end_of(unit, last.inclusive ? last.day : day_moved(F_DATE_MII, last.day)),
									   "[)");
		}
	}
	else if (first.day != NULL && first.day == last.day)
		range = range_narrowed(root, range, first.day, first.day, "[]");
	else
	{
		if (first.day != NULL)
			range = range_narrowed(root, range, first.day, NULL, first.inclusive ? "[)" : "()");
		if (last.day != NULL)
			range = range_narrowed(root, range, NULL, last.day, last.inclusive ? "[]" : "[)");
	}
	func = copyObject(func);
	func->args = list_copy(func->args);
	list_nth_cell(func->args, argument)->ptr_value = range;
	rtfunc->funcexpr = (Node *) func;
}

/* Installs the planner hook (from _PG_init). */
void
period_filter_install(void)
{
	next_set_rel_pathlist_hook = set_rel_pathlist_hook;
	set_rel_pathlist_hook = periods_filtered;
}

PG_FUNCTION_INFO_V1(periods_support);
/* Support function of quota.periods(): its library is loaded when a query using it is planned. */
Datum
periods_support(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(NULL);
}
