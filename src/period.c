/*
 * period.c
 *	  Period units, calendar periods (fiscal quarters, halves and years,
 *	  configurable weeks), time zones and date ranges of periods.  How
 *	  targets are spread over the days of a period is in proration.c.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/rangetypes.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "quota_ext.h"

static const char *const period_unit_names[PERIOD_UNIT_COUNT] = {
	"day", "week", "month", "quarter", "half", "year"
};

/* Returns the canonical name of a period unit. */
const char *
period_unit_name(PeriodUnit unit)
{
	Assert(unit >= PERIOD_DAY && unit <= PERIOD_YEAR);
	return period_unit_names[unit];
}

/* Finds the unit named by length characters (case-insensitively); false when there is none. */
bool
period_unit_lookup(const char *chars, size_t length, PeriodUnit *unit)
{
	for (int i = 0; i < PERIOD_UNIT_COUNT; i++)
	{
		if (strlen(period_unit_names[i]) == length &&
			pg_strncasecmp(chars, period_unit_names[i], length) == 0)
		{
			*unit = (PeriodUnit) i;
			return true;
		}
	}
	return false;
}

/* Reads a unit given as SQL text, with an error that lists the units. */
PeriodUnit
period_unit_from_text(text *name)
{
	PeriodUnit	unit;

	/* read in place: a unit is read for every row of a report */
	if (!period_unit_lookup(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name), &unit))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown period unit \"%s\"", text_to_cstring(name)),
				 errhint("Valid units are: " PERIOD_UNIT_LIST ".")));
	return unit;
}

/* Finds a time zone by name, with an error when it is unknown. */
pg_tz *
time_zone_lookup(const char *name)
{
	/* the zone found last: a report reads one rep's zone for each row */
	static char last_name[TZ_STRLEN_MAX + 1];
	static pg_tz *last_zone = NULL;
	pg_tz	   *zone;

	if (last_zone != NULL && strcmp(name, last_name) == 0)
		return last_zone;
	zone = pg_tzset(name);

	if (zone == NULL || !pg_tz_acceptable(zone))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone \"%s\" not recognized", name),
				 errhint("Use a name from pg_timezone_names, such as \"Europe/Helsinki\" or \"UTC\".")));
	if (strlen(name) <= TZ_STRLEN_MAX)
	{
		strlcpy(last_name, name, sizeof(last_name));
		last_zone = zone;
	}
	return zone;
}

/* Splits a moment into the fields of the wall clock of a zone. */
static void
local_clock(TimestampTz at, pg_tz *zone, struct pg_tm *tm, fsec_t *fsec)
{
	int			tz;

	if (TIMESTAMP_NOT_FINITE(at) ||
		timestamp2tm(at, &tz, tm, fsec, NULL, zone) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range"),
				 errdetail("Periods are defined for finite moments only.")));
}

/* Returns the calendar date of a moment on the wall clock of a zone. */
DateADT
local_date(TimestampTz at, pg_tz *zone)
{
	struct pg_tm tm;
	fsec_t		fsec;

	local_clock(at, zone, &tm, &fsec);
	return date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) - POSTGRES_EPOCH_JDATE;
}

/* Returns the wall-clock time of a moment in a zone, as a timestamp. */
Timestamp
local_timestamp(TimestampTz at, pg_tz *zone)
{
	struct pg_tm tm;
	fsec_t		fsec;
	Timestamp	result;

	local_clock(at, zone, &tm, &fsec);
	if (tm2timestamp(&tm, fsec, NULL, &result) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range"),
				 errdetail("The wall-clock time of that moment lies beyond the supported timestamps.")));
	return result;
}

/* Returns the calendar date of a moment on the wall clock of a named zone. */
static DateADT
local_date_in_zone(TimestampTz at, text *zone_name)
{
	return local_date(at, time_zone_lookup(text_to_cstring(zone_name)));
}


/*
 * Calendar periods.
 *
 * Months are numbered consecutively across years ("month indexes": year * 12
 * + month - 1) so that months, quarters, halves and years are all runs of
 * whole months counted from the fiscal year's first month.
 */

/* Rejects an infinite date, for which no period is defined. */
static void
check_finite_date(DateADT day)
{
	if (DATE_NOT_FINITE(day))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("date out of range"),
				 errdetail("Periods are defined for finite dates only.")));
}

/* Raises the error for a period that reaches beyond the supported dates. */
static void period_out_of_range(PeriodUnit unit) pg_attribute_noreturn();

static void
period_out_of_range(PeriodUnit unit)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("date out of range"),
			 errdetail("A bound of that %s lies outside the supported dates.",
					   period_unit_name(unit))));
}

/* Returns a period bound, or an error when it lies outside the supported dates. */
static DateADT
check_period_bound(int64 day, PeriodUnit unit)
{
	if (day < -POSTGRES_EPOCH_JDATE ||
		day >= (int64) DATE_END_JULIAN - POSTGRES_EPOCH_JDATE)
		period_out_of_range(unit);
	return (DateADT) day;
}

/* Integer division rounded toward minus infinity (divisor positive). */
static int
floor_div(int dividend, int divisor)
{
	int			quotient = dividend / divisor;

	if (dividend % divisor < 0)
		quotient--;
	return quotient;
}

/* Returns the month index of the month that contains a day. */
int
month_index_of(DateADT day)
{
	int			year;
	int			month;
	int			mday;

	j2date(day + POSTGRES_EPOCH_JDATE, &year, &month, &mday);
	return year * 12 + month - 1;
}

/* Returns the first day of the month with a month index. */
static DateADT
first_day_of_month_index(int index, PeriodUnit unit)
{
	int			year = floor_div(index, 12);
	int			month = index - year * 12 + 1;

	if (!IS_VALID_JULIAN(year, month, 1))
		period_out_of_range(unit);
	return check_period_bound((int64) date2j(year, month, 1) - POSTGRES_EPOCH_JDATE,
							  unit);
}

/* Returns how many months a month-based unit spans. */
static int
months_in_unit(PeriodUnit unit)
{
	switch (unit)
	{
		case PERIOD_MONTH:
			return 1;
		case PERIOD_QUARTER:
			return 3;
		case PERIOD_HALF:
			return 6;
		case PERIOD_YEAR:
			return 12;
		default:
			elog(ERROR, "period unit %d is not counted in months", (int) unit);
			return 0;			/* keep the compiler quiet */
	}
}

/*
 * Returns the first day of the period of a unit that contains a day: weeks
 * start on quota.week_start; quarters, halves and years are counted from the
 * month quota.fiscal_year_start.
 */
DateADT
period_start_of(PeriodUnit unit, DateADT day)
{
	check_finite_date(day);
	switch (unit)
	{
		case PERIOD_DAY:
			return day;
		case PERIOD_WEEK:
			{
				int			weekday = j2day(day + POSTGRES_EPOCH_JDATE);
				int			days_since_start = (weekday - quota_week_start + 7) % 7;

				return check_period_bound((int64) day - days_since_start, unit);
			}
		case PERIOD_MONTH:
		case PERIOD_QUARTER:
		case PERIOD_HALF:
		case PERIOD_YEAR:
			{
				int			length = months_in_unit(unit);
				int			fiscal_offset = quota_fiscal_year_start - 1;
				int			index = month_index_of(day);
				int			start_index = fiscal_offset +
					floor_div(index - fiscal_offset, length) * length;

				return first_day_of_month_index(start_index, unit);
			}
	}
	elog(ERROR, "unknown period unit %d", (int) unit);
	return 0;					/* keep the compiler quiet */
}

/* Returns the exclusive end of the period of a unit that starts on a day. */
DateADT
period_end_after(PeriodUnit unit, DateADT start)
{
	check_finite_date(start);
	switch (unit)
	{
		case PERIOD_DAY:
			return check_period_bound((int64) start + 1, unit);
		case PERIOD_WEEK:
			return check_period_bound((int64) start + 7, unit);
		case PERIOD_MONTH:
		case PERIOD_QUARTER:
		case PERIOD_HALF:
		case PERIOD_YEAR:
			return first_day_of_month_index(month_index_of(start) + months_in_unit(unit),
											unit);
	}
	elog(ERROR, "unknown period unit %d", (int) unit);
	return 0;					/* keep the compiler quiet */
}

/* Finds the period of a named unit that contains a day, as [start, end). */
static void
period_containing(text *unit_name, DateADT day, DateADT *start, DateADT *end)
{
	PeriodUnit	unit = period_unit_from_text(unit_name);

	*start = period_start_of(unit, day);
	*end = period_end_after(unit, *start);
}


/*
 * Date ranges.
 */

/*
 * Reads a daterange as [start, end); returns false when it is empty and
 * raises an error when a bound is missing or infinite.
 */
bool
date_range_bounds(Datum range_datum, DateADT *start, DateADT *end)
{
	RangeType  *range = DatumGetRangeTypeP(range_datum);
	TypeCacheEntry *typcache = lookup_type_cache(RangeTypeGetOid(range),
												 TYPECACHE_RANGE_INFO);
	RangeBound	lower;
	RangeBound	upper;
	bool		empty;

	range_deserialize(typcache, range, &lower, &upper, &empty);
	if (empty)
		return false;
	if (lower.infinite || upper.infinite ||
		DATE_NOT_FINITE(DatumGetDateADT(lower.val)) ||
		DATE_NOT_FINITE(DatumGetDateADT(upper.val)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("date range must be bounded"),
				 errdetail("Periods, targets and elapsed time are computed over a finite range of dates."),
				 errhint("Give the range a finite start and end, such as '[2026-01-01,2027-01-01)'.")));

	/* a daterange is kept as [start, end), but do not rely on it */
	*start = DatumGetDateADT(lower.val) + (lower.inclusive ? 0 : 1);
	*end = DatumGetDateADT(upper.val) + (upper.inclusive ? 1 : 0);
	return true;
}

/* Builds the daterange [start, end). */
static Datum
date_range_datum(DateADT start, DateADT end)
{
	TypeCacheEntry *typcache = lookup_type_cache(DATERANGEOID,
												 TYPECACHE_RANGE_INFO);
	RangeBound	lower;
	RangeBound	upper;

	lower.val = DateADTGetDatum(start);
	lower.infinite = false;
	lower.inclusive = true;
	lower.lower = true;
	upper.val = DateADTGetDatum(end);
	upper.infinite = false;
	upper.inclusive = false;
	upper.lower = false;
	return RangeTypePGetDatum(make_range(typcache, &lower, &upper, false));
}


/*
 * SQL-callable functions.
 */

PG_FUNCTION_INFO_V1(period_start_day);
/* quota.period_start(unit, day): the first day of the period containing day. */
Datum
period_start_day(PG_FUNCTION_ARGS)
{
	DateADT		start;
	DateADT		end;

	period_containing(PG_GETARG_TEXT_PP(0), PG_GETARG_DATEADT(1), &start, &end);
	PG_RETURN_DATEADT(start);
}

PG_FUNCTION_INFO_V1(period_end_day);
/* quota.period_end(unit, day): the day after the period containing day. */
Datum
period_end_day(PG_FUNCTION_ARGS)
{
	DateADT		start;
	DateADT		end;

	period_containing(PG_GETARG_TEXT_PP(0), PG_GETARG_DATEADT(1), &start, &end);
	PG_RETURN_DATEADT(end);
}

PG_FUNCTION_INFO_V1(period_of_day);
/* quota.period(unit, day): the period containing day, as a daterange. */
Datum
period_of_day(PG_FUNCTION_ARGS)
{
	DateADT		start;
	DateADT		end;

	period_containing(PG_GETARG_TEXT_PP(0), PG_GETARG_DATEADT(1), &start, &end);
	PG_RETURN_DATUM(date_range_datum(start, end));
}

PG_FUNCTION_INFO_V1(period_start_at);
/* quota.period_start(unit, at, time_zone): first day of the period at a moment. */
Datum
period_start_at(PG_FUNCTION_ARGS)
{
	DateADT		start;
	DateADT		end;

	period_containing(PG_GETARG_TEXT_PP(0),
					  local_date_in_zone(PG_GETARG_TIMESTAMPTZ(1), PG_GETARG_TEXT_PP(2)),
					  &start, &end);
	PG_RETURN_DATEADT(start);
}

PG_FUNCTION_INFO_V1(period_end_at);
/* quota.period_end(unit, at, time_zone): day after the period at a moment. */
Datum
period_end_at(PG_FUNCTION_ARGS)
{
	DateADT		start;
	DateADT		end;

	period_containing(PG_GETARG_TEXT_PP(0),
					  local_date_in_zone(PG_GETARG_TIMESTAMPTZ(1), PG_GETARG_TEXT_PP(2)),
					  &start, &end);
	PG_RETURN_DATEADT(end);
}

PG_FUNCTION_INFO_V1(period_of_at);
/* quota.period(unit, at, time_zone): the period at a moment, as a daterange. */
Datum
period_of_at(PG_FUNCTION_ARGS)
{
	DateADT		start;
	DateADT		end;

	period_containing(PG_GETARG_TEXT_PP(0),
					  local_date_in_zone(PG_GETARG_TIMESTAMPTZ(1), PG_GETARG_TEXT_PP(2)),
					  &start, &end);
	PG_RETURN_DATUM(date_range_datum(start, end));
}

PG_FUNCTION_INFO_V1(periods_during);
/* quota.periods(unit, during): every period of a unit that meets a range. */
Datum
periods_during(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	PeriodUnit	unit = period_unit_from_text(PG_GETARG_TEXT_PP(0));
	DateADT		range_start;
	DateADT		range_end;

	/* one call fills the rows in, with no state kept between calls */
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	if (date_range_bounds(PG_GETARG_DATUM(1), &range_start, &range_end))
	{
		for (DateADT start = period_start_of(unit, range_start); start < range_end;)
		{
			DateADT		end = period_end_after(unit, start);
			Datum		period = date_range_datum(start, end);
			bool		isnull = false;

			CHECK_FOR_INTERRUPTS();
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &period, &isnull);
			start = end;
		}
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(time_zone_valid);
/* quota.time_zone_valid(time_zone): true, or an error naming the unknown zone. */
Datum
time_zone_valid(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(time_zone_lookup(text_to_cstring(PG_GETARG_TEXT_PP(0))) != NULL);
}
