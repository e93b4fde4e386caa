/*
 * quota_ext.c
 *	  Module entry point and the quota.* settings.
 */
#include "postgres.h"

#include <limits.h>

#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/guc.h"

#include "quota_ext.h"

PG_MODULE_MAGIC;

int			quota_fiscal_year_start = 1;
int			quota_week_start = 1;
int			quota_future_tolerance = 3600;
int			quota_proration = PRORATE_CALENDAR_DAYS;
int			quota_ramp_partial_period = RAMP_PRORATE;
bool		quota_restoring = false;
static double quota_score_cap = 1.5;

static const struct config_enum_entry proration_options[] = {
	{"calendar_days", PRORATE_CALENDAR_DAYS, false},
	{"business_days", PRORATE_BUSINESS_DAYS, false},
	{NULL, 0, false}
};

static const struct config_enum_entry ramp_partial_period_options[] = {
	{"prorate", RAMP_PRORATE, false},
	{"zero_from_16th", RAMP_ZERO_FROM_16TH, false},
	{NULL, 0, false}
};

static const struct config_enum_entry week_day_options[] = {
	{"sunday", 0, false},
	{"monday", 1, false},
	{"tuesday", 2, false},
	{"wednesday", 3, false},
	{"thursday", 4, false},
	{"friday", 5, false},
	{"saturday", 6, false},
	{NULL, 0, false}
};

void		_PG_init(void);

/* Defines the quota.* settings and installs the planner hook when the library is loaded. */
void
_PG_init(void)
{
	DefineCustomIntVariable("quota.fiscal_year_start",
							"Month (1-12) in which the fiscal year starts.",
							"Quarters, halves and years are counted from this month.",
							&quota_fiscal_year_start,
							1, 1, 12,
							PGC_USERSET, 0,
							NULL, NULL, NULL);

	DefineCustomEnumVariable("quota.week_start",
							 "Day on which weeks start.",
							 NULL,
							 &quota_week_start,
							 1, week_day_options,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);

	DefineCustomIntVariable("quota.future_tolerance",
							"How far in the future an activity may be recorded.",
							"Activity whose occurred_at lies further ahead than this is rejected.",
							&quota_future_tolerance,
							3600, 0, INT_MAX,
							PGC_USERSET, GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomRealVariable("quota.score_cap",
							 "Highest attainment a kind can contribute to a weighted score.",
							 "Caps each kind so that overdoing one kind cannot hide missing another.",
							 &quota_score_cap,
							 1.5, 0.0, 1000.0,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);

	DefineCustomEnumVariable("quota.proration",
							 "Days over which targets are prorated and time elapses.",
							 "calendar_days: every day weighs the same; business_days: Monday to Friday less the holidays of quota.holiday.",
							 &quota_proration,
							 PRORATE_CALENDAR_DAYS, proration_options,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);

	DefineCustomEnumVariable("quota.ramp_partial_period",
							 "What a ramp does with the period a rep starts in.",
							 "prorate: that period is the ramp's first step, from the start day; zero_from_16th: a start on or after its 16th day gives it factor 0 and the first step is the next period.",
							 &quota_ramp_partial_period,
							 RAMP_PRORATE, ramp_partial_period_options,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);

	DefineCustomBoolVariable("quota.restoring",
							 "Whether the sessions of a restore are loading the extension's tables.",
							 "Set for the database by quota.begin_restore() and reset by quota.end_restore(): the triggers that keep the totals leave the rows to quota.end_restore().",
							 &quota_restoring,
							 false,
							 PGC_SUSET, 0,
							 NULL, NULL, NULL);

	MarkGUCPrefixReserved("quota");
	period_filter_install();
}

PG_FUNCTION_INFO_V1(proration);

/* Returns the setting quota.proration; calling it loads the library, and so the setting. */
Datum
proration(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(proration_options[quota_proration].name));
}

PG_FUNCTION_INFO_V1(score_cap);

/* Returns the setting quota.score_cap as a numeric; calling it loads the library, and so the setting. */
Datum
score_cap(PG_FUNCTION_ARGS)
{
	return DirectFunctionCall1(float8_numeric, Float8GetDatum(quota_score_cap));
}
