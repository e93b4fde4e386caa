/*
 * period.c
 *	  Period units, calendar periods (fiscal quarters, halves and years,
 *	  configurable weeks), time zones and proration of targets.
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/datetime.h"

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

/* Finds the unit named (case-insensitively); false when there is none. */
bool
period_unit_lookup(const char *name, PeriodUnit *unit)
{
	int			i;

	for (i = 0; i < PERIOD_UNIT_COUNT; i++)
	{
		if (pg_strcasecmp(name, period_unit_names[i]) == 0)
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
	char	   *str = text_to_cstring(name);
	PeriodUnit	unit;

	if (!period_unit_lookup(str, &unit))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown period unit \"%s\"", str),
				 errhint("Valid units are: " PERIOD_UNIT_LIST ".")));
	pfree(str);
	return unit;
}

/* Finds a time zone by name, with an error when it is unknown. */
pg_tz *
time_zone_lookup(const char *name)
{
	pg_tz	   *zone = pg_tzset(name);

	if (zone == NULL || !pg_tz_acceptable(zone))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone \"%s\" not recognized", name),
				 errhint("Use a name from pg_timezone_names, such as \"Europe/Helsinki\" or \"UTC\".")));
	return zone;
}

/* Returns the calendar date of a moment on the wall clock of a zone. */
DateADT
local_date(TimestampTz at, pg_tz *zone)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;

	if (TIMESTAMP_NOT_FINITE(at) ||
		timestamp2tm(at, &tz, &tm, &fsec, NULL, zone) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range"),
				 errdetail("Periods are defined for finite moments only.")));
	return date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) - POSTGRES_EPOCH_JDATE;
}
