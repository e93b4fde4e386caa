/*
 * period_filter.c
 *	  Lets filters on the start of periods reach quota.periods().
 *
 * The progress views generate, for each assignment, every period from its
 * first through the one containing as_of, and a query for one month then
 * keeps one of them: the cost would follow the history, not the rows
 * returned.  When a query filters the periods of quota.periods(unit,
 * during) by their start (lower(period) = X, >, >=, <, <=, with X not
 * depending on any row), the planner narrows the range given to the
 * function to the days the periods with those starts can meet, so it
 * generates only the periods that can pass.  The filter itself stays: every period it keeps
 * is still generated, and every period that passes it still meets the
 * range, so the rows are those of the unnarrowed call.
 *
 * The planner learns that quota.periods() can be narrowed from its support
 * function, which also loads this library before the plan is made.
 */
#include "postgres.h"

#include "access/stratnum.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/supportnodes.h"
#include "optimizer/clauses.h"
#include "optimizer/optimizer.h"
#include "optimizer/paths.h"
#include "parser/parse_func.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

#include "quota_ext.h"

static set_rel_pathlist_hook_type next_set_rel_pathlist_hook = NULL;

/* Whether a function is quota.periods(text, daterange). */
static bool
is_periods_function(Oid funcid)
{
	char	   *name = get_func_name(funcid);

	return name != NULL && strcmp(name, "periods") == 0 &&
		get_func_nargs(funcid) == 2 &&
		get_func_namespace(funcid) == get_namespace_oid("quota", true);
}

/* Whether an expression is lower() of the range the function scan rti returns. */
static bool
is_period_start(Node *node, Index rti)
{
	FuncExpr   *func = (FuncExpr *) node;
	Var		   *var;

	if (!IsA(node, FuncExpr) || func->funcid != F_LOWER_ANYRANGE || list_length(func->args) != 1)
		return false;
	var = (Var *) linitial(func->args);
	return IsA(var, Var) && var->varno == (int) rti && var->varattno == 1 && var->varlevelsup == 0;
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

/* Returns range * daterange(first, end), as an expression. */
static Expr *
range_narrowed(Expr *range, Expr *first, Expr *end)
{
	Expr	   *days = (Expr *) makeFuncExpr(F_DATERANGE_DATE_DATE, DATERANGEOID, list_make2(first, end),
											 InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);

	return (Expr *) makeFuncExpr(F_RANGE_INTERSECT, DATERANGEOID, list_make2(range, days),
								 InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
}

/*
 * Reads the filters of a scan of quota.periods() on the start of its
 * periods into the days the starts can have, from *first through *last
 * (NULL: not bounded).
 */
static void
start_bounds(List *restrictinfo, Index rti, Expr **first, Expr **last)
{
	Oid			date_family = lookup_type_cache(DATEOID, TYPECACHE_BTREE_OPFAMILY)->btree_opf;
	ListCell   *cell;

	foreach(cell, restrictinfo)
	{
		RestrictInfo *rinfo = lfirst_node(RestrictInfo, cell);
		OpExpr	   *op = (OpExpr *) rinfo->clause;
		Oid			opno;
		Expr	   *bound;
		int			strategy;

		if (!IsA(op, OpExpr) || list_length(op->args) != 2)
			continue;
		if (is_period_start(linitial(op->args), rti))
		{
			opno = op->opno;
			bound = lsecond(op->args);
		}
		else if (is_period_start(lsecond(op->args), rti))
		{
			opno = get_commutator(op->opno);
			bound = linitial(op->args);
		}
		else
			continue;
		/* the bound must be one date for the whole scan (not a timestamp compared across types) */
		if (exprType((Node *) bound) != DATEOID || contain_var_clause((Node *) bound) ||
			contain_volatile_functions((Node *) bound) || contain_subplans((Node *) bound))
			continue;
		strategy = OidIsValid(opno) ? get_op_opfamily_strategy(opno, date_family) : 0;
		if ((strategy == BTEqualStrategyNumber || strategy == BTGreaterEqualStrategyNumber) && *first == NULL)
			*first = bound;
		else if (strategy == BTGreaterStrategyNumber && *first == NULL)
			*first = day_moved(F_DATE_PLI, bound);
		if ((strategy == BTEqualStrategyNumber || strategy == BTLessEqualStrategyNumber) && *last == NULL)
			*last = bound;
		else if (strategy == BTLessStrategyNumber && *last == NULL)
			*last = day_moved(F_DATE_MII, bound);
	}
}

/*
 * Planner hook: narrows the range of a scan of quota.periods() to the days
 * the filters on its periods' starts allow.
 */
static void
periods_filtered(PlannerInfo *root, RelOptInfo *rel, Index rti, RangeTblEntry *rte)
{
	RangeTblFunction *rtfunc;
	FuncExpr   *periods;
	Expr	   *first = NULL;
	Expr	   *last = NULL;
	Expr	   *narrowed;

	if (next_set_rel_pathlist_hook != NULL)
		next_set_rel_pathlist_hook(root, rel, rti, rte);
	if (rte->rtekind != RTE_FUNCTION || list_length(rte->functions) != 1 || rte->funcordinality ||
		rel->baserestrictinfo == NIL)
		return;
	rtfunc = linitial_node(RangeTblFunction, rte->functions);
	periods = (FuncExpr *) rtfunc->funcexpr;
	if (!IsA(periods, FuncExpr) || !is_periods_function(periods->funcid))
		return;
	start_bounds(rel->baserestrictinfo, rti, &first, &last);
	if (first == NULL && last == NULL)
		return;
	/*
	 * A period that starts on or after first lies after it, so it meets
	 * during * [first, ); one that starts on or before last ends by the end
	 * of the period containing last, so it meets during * [, that end).  The
	 * range is empty, not an error, when the filters contradict each other.
	 */
	narrowed = lsecond(periods->args);
	if (first != NULL)
		narrowed = range_narrowed(narrowed, first, (Expr *) makeNullConst(DATEOID, -1, InvalidOid));
	if (last != NULL)
		narrowed = range_narrowed(narrowed, (Expr *) makeNullConst(DATEOID, -1, InvalidOid),
								  period_end_of(linitial(periods->args), last));
	periods = copyObject(periods);
	periods->args = list_make2(linitial(periods->args), narrowed);
	rtfunc->funcexpr = (Node *) periods;
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
