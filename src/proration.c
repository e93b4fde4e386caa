/*
 * proration.c
 *	  How the amount of a quota is spread over the days of its periods:
 *	  targets over any range of dates and the elapsed part of a window, by
 *	  calendar days or business days (quota.proration), following a seasonal
 *	  distribution over the months of a period and the factors of a ramp.
 *
 * Each day d of a period p weighs w(d) * r(d): w(d) is 1 for a day that
 * counts (every day, or Monday to Friday less holidays), or with a seasonal
 * distribution the month's percentage shared among the counting days of
 * the month; r(d) is the ramp factor of the day (1 without a ramp).  The
 * target over a range R is amount * sum over p of w*r(p within R) / w(p),
 * kept as an exact fraction and divided once.  Days are counted, never
 * visited one by one: weekdays by arithmetic on whole weeks, holidays by
 * binary search, in pieces within which every counted day weighs the same
 * (a month of a distribution, a step of a ramp); without distribution or
 * ramp the sum stays in integers.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "quota_ext.h"

/* Most months a period has (a year). */
#define MAX_PERIOD_MONTHS 12

/* The weight of each day of a quota's periods. */
typedef struct Schedule
{
	PeriodUnit	unit;			/* the periods of the quota */
	bool		business_days;	/* weekends and holidays weigh nothing */
	DateADT    *holidays;		/* sorted */
	int			nholidays;
	Numeric    *season;			/* percentage of each month of a period, or NULL */
	int			nseason;
	bool		ramped;
	DateADT		ramp_start;		/* days before it weigh nothing */
	DateADT    *ramp_bounds;	/* step k covers [ramp_bounds[k-1], ramp_bounds[k]) */
	Numeric    *ramp;			/* the factor of each step */
	int			nramp;
} Schedule;

/* An exact fraction being summed. */
typedef struct Fraction
{
	Numeric		numerator;
	Numeric		denominator;
} Fraction;

/* Starts a fraction at 0. */
static void
fraction_init(Fraction *sum)
{
	sum->numerator = exact_zero();
	sum->denominator = exact_from_int64(1);
}

/* Adds numerator / denominator to a fraction, exactly. */
static void
fraction_add(Fraction *sum, Numeric numerator, Numeric denominator)
{
	if (exact_cmp(sum->denominator, denominator) == 0)
		sum->numerator = exact_plus(sum->numerator, numerator);
	else
	{
		sum->numerator = exact_plus(exact_times(sum->numerator, denominator),
									  exact_times(numerator, sum->denominator));
		sum->denominator = exact_times(sum->denominator, denominator);
	}
}

/* Greatest common divisor of two non-negative integers. */
static int64
int64_gcd(int64 a, int64 b)
{
	while (b != 0)
	{
		int64		remainder = a % b;

		a = b;
		b = remainder;
	}
	return a;
}

/* Orders dates, for sorting holidays. */
static int
date_order(const void *a, const void *b)
{
	DateADT		x = *(const DateADT *) a;
	DateADT		y = *(const DateADT *) b;

	return (x > y) - (x < y);
}

/* How many days of [from, to) count: all by calendar days, else the weekdays that are not holidays. */
static int64
days_counted(const Schedule *schedule, DateADT from, DateADT to)
{
	int64		days = (int64) to - from;
	int64		counted;
	int			weekday;
	int			low = 0;
	int			high = schedule->nholidays;
	int			i;

	if (!schedule->business_days || days <= 0)
		return Max(days, 0);

	/* whole weeks have five weekdays; then the days left over, one by one */
	counted = days / 7 * 5;
	weekday = j2day(from + POSTGRES_EPOCH_JDATE);	/* 0 is Sunday */
	for (i = 0; i < days % 7; i++)
		if ((weekday + i) % 7 != 0 && (weekday + i) % 7 != 6)
			counted++;

	/* less the holidays on weekdays, found from the first on or after from */
	while (low < high)
	{
		int			middle = (low + high) / 2;

		if (schedule->holidays[middle] < from)
			low = middle + 1;
		else
			high = middle;
	}
	for (i = low; i < schedule->nholidays && schedule->holidays[i] < to; i++)
	{
		int			holiday_weekday = j2day(schedule->holidays[i] + POSTGRES_EPOCH_JDATE);

		if (holiday_weekday != 0 && holiday_weekday != 6)
			counted--;
	}
	return counted;
}

/* The ramp step of a day: 0 before the ramp counts, k in step k, nramp + 1 after the last. */
static int
ramp_step_of(const Schedule *schedule, DateADT day)
{
	int			step;

	if (!schedule->ramped)
		return 1;
	if (day < schedule->ramp_start || day < schedule->ramp_bounds[0])
		return 0;
	for (step = 1; step <= schedule->nramp; step++)
		if (day < schedule->ramp_bounds[step])
			return step;
	return schedule->nramp + 1;
}

/* The factor of a ramp step: 0 before the ramp, 1 after its last step. */
static Numeric
ramp_factor(const Schedule *schedule, int step)
{
	if (!schedule->ramped)
		return exact_from_int64(1);
	if (step == 0)
		return exact_zero();
	if (step > schedule->nramp)
		return exact_from_int64(1);
	return schedule->ramp[step - 1];
}

/*
 * The first day after day (and at most to) on which the weight of days may
 * change: the next month with a distribution, the next ramp step with a
 * ramp.
 */
static DateADT
weight_changes_after(const Schedule *schedule, DateADT day, DateADT to)
{
	DateADT		next = to;
	int			i;

	if (schedule->season)
		next = Min(next, period_end_after(PERIOD_MONTH, period_start_of(PERIOD_MONTH, day)));
	if (schedule->ramped)
	{
		if (day < schedule->ramp_start)
			next = Min(next, schedule->ramp_start);
		for (i = 0; i <= schedule->nramp; i++)
		{
			if (schedule->ramp_bounds[i] > day)
			{
				next = Min(next, schedule->ramp_bounds[i]);
				break;
			}
		}
	}
	return next;
}

/*
 * Adds to *share the part of the period [start, end) owed on its days
 * [from, to): their weight over the weight of the whole period, summed over
 * the pieces of [from, to) in which every counted day weighs the same.  A
 * period whose days all weigh nothing owes nothing.
 */
static void
period_share(const Schedule *schedule, DateADT start, DateADT end,
			 DateADT from, DateADT to, Fraction *share)
{
	int64		counted[MAX_PERIOD_MONTHS] = {0};	/* counted days per month */
	int			first_month = month_index_of(start);
	Numeric		season_total = exact_zero();
	DateADT		piece_start;
	DateADT		piece_end;

	if (schedule->season)
	{
		int			month = 0;
		DateADT		month_start;

		for (month_start = start; month_start < end && month < schedule->nseason; month++)
		{
			DateADT		month_end = period_end_after(PERIOD_MONTH, month_start);

			counted[month] = days_counted(schedule, month_start, month_end);
			if (counted[month] > 0)
				season_total = exact_plus(season_total, schedule->season[month]);
			month_start = month_end;
		}
		if (exact_is_zero(season_total))
			return;
	}
	else
	{
		counted[0] = days_counted(schedule, start, end);
		if (counted[0] == 0)
			return;
	}

	for (piece_start = from; piece_start < to; piece_start = piece_end)
	{
		int			month = schedule->season ? month_index_of(piece_start) - first_month : 0;
		int64		days;
		Numeric		owed;
		Numeric		of;

		piece_end = weight_changes_after(schedule, piece_start, to);
		days = days_counted(schedule, piece_start, piece_end);
		if (days == 0 || counted[month] == 0)
			continue;
		owed = exact_times(ramp_factor(schedule, ramp_step_of(schedule, piece_start)),
							 exact_from_int64(days));
		of = exact_from_int64(counted[month]);
		if (schedule->season)
		{
			owed = exact_times(owed, schedule->season[month]);
			of = exact_times(of, season_total);
		}
		if (!exact_is_zero(owed))
			fraction_add(share, owed, of);
	}
}

/* The part of the amount owed on the days [from, to), summed over the periods they meet. */
static Fraction
schedule_share(const Schedule *schedule, DateADT from, DateADT to)
{
	Fraction	share;
	DateADT		start;

	fraction_init(&share);
	if (from >= to)
		return share;
	for (start = period_start_of(schedule->unit, from); start < to;)
	{
		DateADT		end = period_end_after(schedule->unit, start);

		CHECK_FOR_INTERRUPTS();
		period_share(schedule, start, end, Max(start, from), Min(end, to), &share);
		start = end;
	}
	return share;
}

/* Whether days weigh other than the same: business days, a distribution or a ramp. */
static bool
schedule_weighted(const Schedule *schedule)
{
	return schedule->business_days || schedule->season != NULL || schedule->ramped;
}

/* The schedule of the settings alone: calendar or business days, no holidays. */
static void
schedule_plain(Schedule *schedule, PeriodUnit unit)
{
	memset(schedule, 0, sizeof(Schedule));
	schedule->unit = unit;
	schedule->business_days = (quota_proration == PRORATE_BUSINESS_DAYS);
}

/* Reads the elements of a one-dimensional array argument without NULLs; returns how many. */
static int
array_elements(ArrayType *array, Oid element_type, const char *what, Datum **elements)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;
	bool	   *nulls;
	int			n;
	int			i;

	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array", what)));
	get_typlenbyvalalign(element_type, &typlen, &typbyval, &typalign);
	deconstruct_array(array, element_type, typlen, typbyval, typalign, elements, &nulls, &n);
	for (i = 0; i < n; i++)
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not contain NULL", what),
					 errdetail("Element %d is NULL.", i + 1)));
	return n;
}

/* Reads the holidays: sorted, for bsearch. */
static void
schedule_read_holidays(Schedule *schedule, ArrayType *holidays)
{
	Datum	   *elements;
	int			i;

	schedule->nholidays = array_elements(holidays, DATEOID, "holidays", &elements);
	schedule->holidays = palloc(sizeof(DateADT) * Max(schedule->nholidays, 1));
	for (i = 0; i < schedule->nholidays; i++)
		schedule->holidays[i] = DatumGetDateADT(elements[i]);
	qsort(schedule->holidays, schedule->nholidays, sizeof(DateADT), date_order);
	if (schedule->nholidays > 1)
	{
		int			kept = 1;

		for (i = 1; i < schedule->nholidays; i++)
			if (schedule->holidays[i] != schedule->holidays[kept - 1])
				schedule->holidays[kept++] = schedule->holidays[i];
		schedule->nholidays = kept;
	}
}

/* Reads a seasonal distribution: a percentage for each month of the quota's period, totalling 100. */
static void
schedule_read_season(Schedule *schedule, ArrayType *season)
{
	Datum	   *elements;
	Numeric		total = exact_zero();
	int			months;
	int			i;

	if (schedule->unit < PERIOD_QUARTER)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a seasonal distribution cannot spread a quota per %s",
						period_unit_name(schedule->unit)),
				 errhint("Distributions spread a quarterly, half-yearly or yearly quota over its months.")));
	months = (schedule->unit == PERIOD_QUARTER) ? 3 : (schedule->unit == PERIOD_HALF) ? 6 : 12;
	schedule->nseason = array_elements(season, NUMERICOID, "season", &elements);
	if (schedule->nseason != months)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a distribution of a quota per %s needs %d percentages, not %d",
						period_unit_name(schedule->unit), months, schedule->nseason),
				 errdetail("Every month of the period needs its percentage; a missing month is not taken as 0."),
				 errhint("Give one percentage per month, in order from the period's first month, totalling 100.")));
	schedule->season = palloc(sizeof(Numeric) * months);
	for (i = 0; i < months; i++)
	{
		Numeric		percent = DatumGetNumeric(elements[i]);

		if (amount_problem(percent) != AMOUNT_FITS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("percentage %s of month %d is not valid", exact_text(percent), i + 1),
					 errdetail("%s", amount_problem_detail(amount_problem(percent)))));
		schedule->season[i] = percent;
		total = exact_plus(total, percent);
	}
	if (exact_cmp(total, exact_from_int64(100)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the percentages of a distribution total %s, not 100", exact_text(total)),
				 errhint("Make the monthly percentages add up to exactly 100.")));
}

/*
 * Reads a ramp: factors of its steps, periods of ramp_unit counted from the
 * period of ramp_start.  A start in the middle of a period makes that period
 * step 1 from the start day (quota.ramp_partial_period = prorate), or, on
 * or after its 16th day, step 0 with factor 0 (zero_from_16th).
 */
static void
schedule_read_ramp(Schedule *schedule, DateADT ramp_start, ArrayType *ramp, text *ramp_unit_name)
{
	PeriodUnit	ramp_unit = period_unit_from_text(ramp_unit_name);
	Datum	   *elements;
	DateADT		first;
	int			i;

	if (DATE_NOT_FINITE(ramp_start))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a ramp must start on a finite date")));
	schedule->nramp = array_elements(ramp, NUMERICOID, "ramp", &elements);
	if (schedule->nramp == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a ramp needs at least one step"),
				 errhint("Give the factor of each period since the start, such as '{0.25,0.5,0.75}'.")));
	schedule->ramp = palloc(sizeof(Numeric) * schedule->nramp);
	for (i = 0; i < schedule->nramp; i++)
	{
		Numeric		factor = DatumGetNumeric(elements[i]);

		if (amount_problem(factor) != AMOUNT_FITS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("factor %s of ramp step %d is not valid", exact_text(factor), i + 1),
					 errdetail("%s", amount_problem_detail(amount_problem(factor)))));
		schedule->ramp[i] = factor;
	}

	first = period_start_of(ramp_unit, ramp_start);
	if (first != ramp_start && quota_ramp_partial_period == RAMP_ZERO_FROM_16TH &&
		ramp_start - first >= 15)
		first = period_end_after(ramp_unit, first);
	schedule->ramp_bounds = palloc(sizeof(DateADT) * (schedule->nramp + 1));
	schedule->ramp_bounds[0] = first;
	for (i = 1; i <= schedule->nramp; i++)
		schedule->ramp_bounds[i] = period_end_after(ramp_unit, schedule->ramp_bounds[i - 1]);
	schedule->ramp_start = ramp_start;
	schedule->ramped = true;
}

/*
 * Reads a schedule from the arguments of the extended target_for and
 * elapsed, starting at argument first: holidays, season, ramp_start, ramp,
 * ramp_unit (each may be NULL: none).
 */
static void
schedule_read(Schedule *schedule, PeriodUnit unit, FunctionCallInfo fcinfo, int first)
{
	schedule_plain(schedule, unit);
	if (schedule->business_days && !PG_ARGISNULL(first))
		schedule_read_holidays(schedule, PG_GETARG_ARRAYTYPE_P(first));
	if (!PG_ARGISNULL(first + 1))
		schedule_read_season(schedule, PG_GETARG_ARRAYTYPE_P(first + 1));
	if (!PG_ARGISNULL(first + 3))
	{
		if (PG_ARGISNULL(first + 2))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("a ramp needs a start date"),
					 errhint("Give ramp_start, the day the rep started.")));
		schedule_read_ramp(schedule, PG_GETARG_DATEADT(first + 2),
						   PG_GETARG_ARRAYTYPE_P(first + 3),
						   PG_ARGISNULL(first + 4) ? cstring_to_text("month") : PG_GETARG_TEXT_PP(first + 4));
	}
}

/*
 * The share of the amount owed on [from, to) when only the counting of days
 * matters (no distribution, no ramp): sum of counted(p within the range) /
 * counted(p) over the periods p, kept as a reduced fraction of integers.
 * Returns false if the fraction would overflow (business days over many
 * periods); by calendar days only the first and the last period can be
 * partial, so the denominator stays below 366 * 365 and it never does.
 */
static bool
counted_share(const Schedule *schedule, DateADT from, DateADT to,
			  int64 *numerator, int64 *denominator)
{
	int64		share_numerator = 0;
	int64		share_denominator = 1;
	DateADT		start;

	for (start = (from < to) ? period_start_of(schedule->unit, from) : to; start < to;)
	{
		DateADT		end = period_end_after(schedule->unit, start);
		int64		period_days = days_counted(schedule, start, end);
		int64		overlap_days = days_counted(schedule, Max(start, from), Min(end, to));

		CHECK_FOR_INTERRUPTS();
		if (period_days > 0 && overlap_days > 0)
		{
			int64		common = int64_gcd(share_denominator, period_days);
			int64		scaled_old;
			int64		scaled_new;
			int64		divisor;

			if (pg_mul_s64_overflow(share_numerator, period_days / common, &scaled_old) ||
				pg_mul_s64_overflow(overlap_days, share_denominator / common, &scaled_new) ||
				pg_add_s64_overflow(scaled_old, scaled_new, &share_numerator) ||
				pg_mul_s64_overflow(share_denominator / common, period_days, &share_denominator))
				return false;
			divisor = int64_gcd(share_numerator, share_denominator);
			share_numerator /= divisor;
			share_denominator /= divisor;
		}
		start = end;
	}
	*numerator = share_numerator;
	*denominator = share_denominator;
	return true;
}

/* The target of a quota over a date range on a schedule. */
static Numeric
scheduled_target(Quota *target, const Schedule *schedule, Datum range)
{
	DateADT		from = 0;
	DateADT		to = 0;
	Fraction	share;

	if (!date_range_bounds(range, &from, &to))
		from = to;
	if (schedule->season == NULL && !schedule->ramped)
	{
		int64		numerator;
		int64		denominator;

		if (counted_share(schedule, from, to, &numerator, &denominator))
		{
			/* whole periods (the share in lowest terms is an integer): no division */
			if (denominator == 1)
				return exact_trimmed(numerator == 1 ? QUOTA_AMOUNT(target)
									 : exact_times(QUOTA_AMOUNT(target), exact_from_int64(numerator)));
			return exact_quotient(exact_times(QUOTA_AMOUNT(target), exact_from_int64(numerator)),
									exact_from_int64(denominator));
		}
	}
	share = schedule_share(schedule, from, to);
	return exact_quotient(exact_times(QUOTA_AMOUNT(target), share.numerator),
							share.denominator);
}

/*
 * The elapsed part of a window at a moment on the wall clock of a zone: the
 * weight of its days before that moment (the current day counted by the
 * time of day) over the weight of the window; by calendar time when the
 * window weighs nothing.
 */
static Numeric
scheduled_elapsed(const Schedule *schedule, Datum window, TimestampTz at, text *zone_name)
{
	DateADT		window_start;
	DateADT		window_end;
	pg_tz	   *zone;
	Timestamp	local;
	int64		local_day;
	int64		day_usecs;

	if (!date_range_bounds(window, &window_start, &window_end))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("date range must not be empty"),
				 errdetail("The elapsed fraction is measured over a window of at least one day."),
				 errhint("Give the window a start before its end, such as '[2026-11-01,2026-12-01)'.")));

	zone = time_zone_lookup(text_to_cstring(zone_name));

	/*
	 * No zone's clock is a week or more from UTC's (a POSIX zone's offset is
	 * below 168 hours), so a moment a week past the window's end in UTC (or
	 * before its start) is past it (before it) on every wall clock: no need
	 * to read the zone's.
	 */
	if (!TIMESTAMP_NOT_FINITE(at))
	{
		int64		utc_day = at / USECS_PER_DAY - (at % USECS_PER_DAY < 0 ? 1 : 0);

		if (utc_day >= (int64) window_end + 7)
			return exact_from_int64(1);
		if (utc_day < (int64) window_start - 7)
			return exact_from_int64(0);
	}

	local = local_timestamp(at, zone);
	local_day = local / USECS_PER_DAY;
	if (local % USECS_PER_DAY < 0)
		local_day--;
	if (local_day < window_start)
		return exact_from_int64(0);
	if (local_day >= window_end)
		return exact_from_int64(1);
	day_usecs = local - local_day * USECS_PER_DAY;

	if (schedule->business_days && schedule->season == NULL && !schedule->ramped &&
		(schedule->unit == PERIOD_DAY ||
		 period_end_after(schedule->unit, period_start_of(schedule->unit, window_start)) >= window_end))
	{
		/* Within one period, every business day weighs the same: count them. */
		int64		whole = days_counted(schedule, window_start, window_end);

		if (whole > 0)
		{
			int64		before = days_counted(schedule, window_start, (DateADT) local_day);
			int64		today = days_counted(schedule, (DateADT) local_day, (DateADT) local_day + 1);

			return exact_quotient(exact_from_int64(before * USECS_PER_DAY + today * day_usecs),
									exact_times(exact_from_int64(whole),
												  exact_from_int64(USECS_PER_DAY)));
		}
	}
	else if (schedule_weighted(schedule))
	{
		Fraction	whole = schedule_share(schedule, window_start, window_end);

		if (!exact_is_zero(whole.numerator))
		{
			Fraction	before = schedule_share(schedule, window_start, (DateADT) local_day);
			Fraction	today = schedule_share(schedule, (DateADT) local_day, (DateADT) local_day + 1);
			Numeric		usecs_per_day = exact_from_int64(USECS_PER_DAY);

			/*
			 * (before + today * day_usecs / USECS_PER_DAY) / whole, over one
			 * denominator.
			 */
			Numeric		numerator =
				exact_times(exact_plus(exact_times(exact_times(before.numerator, today.denominator),
														 usecs_per_day),
										   exact_times(exact_times(today.numerator, before.denominator),
														 exact_from_int64(day_usecs))),
							  whole.denominator);
			Numeric		denominator =
				exact_times(exact_times(exact_times(before.denominator, today.denominator),
											usecs_per_day),
							  whole.numerator);

			return exact_quotient(numerator, denominator);
		}
	}
	return exact_quotient(exact_from_int64(local - (int64) window_start * USECS_PER_DAY),
							exact_times(exact_from_int64((int64) window_end - window_start),
										  exact_from_int64(USECS_PER_DAY)));
}

PG_FUNCTION_INFO_V1(quota_target_for);
/* quota.target_for(target, during): the exact target of a quota over a range, per quota.proration. */
Datum
quota_target_for(PG_FUNCTION_ARGS)
{
	Quota	   *target = PG_GETARG_QUOTA_P(0);
	Schedule	schedule;

	schedule_plain(&schedule, (PeriodUnit) target->unit);
	PG_RETURN_NUMERIC(scheduled_target(target, &schedule, PG_GETARG_DATUM(1)));
}

PG_FUNCTION_INFO_V1(quota_target_for_schedule);
/* quota.target_for(target, during, holidays, season, ramp_start, ramp, ramp_unit): the target on a schedule. */
Datum
quota_target_for_schedule(PG_FUNCTION_ARGS)
{
	Quota	   *target;
	Schedule	schedule;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	target = PG_GETARG_QUOTA_P(0);
	schedule_read(&schedule, (PeriodUnit) target->unit, fcinfo, 2);
	PG_RETURN_NUMERIC(scheduled_target(target, &schedule, PG_GETARG_DATUM(1)));
}

PG_FUNCTION_INFO_V1(elapsed_fraction);
/* quota.elapsed(during, at, time_zone): the elapsed part of a window, 0 to 1, per quota.proration. */
Datum
elapsed_fraction(PG_FUNCTION_ARGS)
{
	Schedule	schedule;

	/* a window's periods are its days: each day weighs by itself */
	schedule_plain(&schedule, PERIOD_DAY);
	PG_RETURN_NUMERIC(scheduled_elapsed(&schedule, PG_GETARG_DATUM(0),
										PG_GETARG_TIMESTAMPTZ(1), PG_GETARG_TEXT_PP(2)));
}

PG_FUNCTION_INFO_V1(elapsed_fraction_schedule);
/* quota.elapsed(during, at, time_zone, target, holidays, season, ramp_start, ramp, ramp_unit): on a schedule. */
Datum
elapsed_fraction_schedule(PG_FUNCTION_ARGS)
{
	Quota	   *target;
	Schedule	schedule;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	target = PG_GETARG_QUOTA_P(3);
	schedule_read(&schedule, (PeriodUnit) target->unit, fcinfo, 4);
	PG_RETURN_NUMERIC(scheduled_elapsed(&schedule, PG_GETARG_DATUM(0),
										PG_GETARG_TIMESTAMPTZ(1), PG_GETARG_TEXT_PP(2)));
}
