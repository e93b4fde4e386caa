/*
 * quota_ext.h
 *	  Shared declarations of quota_ext: the quota value, period units,
 *	  calendar arithmetic, time zones, exact arithmetic, amounts, what the
 *	  C triggers share and the extension's settings.  The stored form of
 *	  numeric is in numeric_form.h.
 */
#ifndef QUOTA_EXT_H
#define QUOTA_EXT_H

#include "commands/trigger.h"
#include "datatype/timestamp.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "nodes/pg_list.h"
#include "storage/lockdefs.h"
#include "pgtime.h"
#include "utils/date.h"
#include "utils/numeric.h"

/* The period units a quota can be counted over, shortest first. */
typedef enum PeriodUnit
{
	PERIOD_DAY,
	PERIOD_WEEK,
	PERIOD_MONTH,
	PERIOD_QUARTER,
	PERIOD_HALF,
	PERIOD_YEAR
} PeriodUnit;

#define PERIOD_UNIT_COUNT (PERIOD_YEAR + 1)
#define PERIOD_UNIT_LIST "day, week, month, quarter, half, year"

/*
 * A quota: a non-negative exact amount per period unit.  The amount is a
 * complete numeric varlena stored inline after the header, trimmed of
 * trailing fractional zeros so that equal quotas are equal bytes.
 */
typedef struct Quota
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		unit;			/* a PeriodUnit */
	uint8		pad[3];			/* keeps the amount 4-byte aligned */
	/* the amount, a numeric varlena, follows */
} Quota;

#define QUOTA_AMOUNT(q) ((Numeric) ((char *) (q) + sizeof(Quota)))
#define DatumGetQuotaP(d) ((Quota *) PG_DETOAST_DATUM(d))
#define PG_GETARG_QUOTA_P(n) DatumGetQuotaP(PG_GETARG_DATUM(n))
#define PG_RETURN_QUOTA_P(q) PG_RETURN_POINTER(q)

/* Largest amount digits: 15 before the decimal point and 4 after it. */
#define QUOTA_MAX_INTEGER_DIGITS 15
#define QUOTA_MAX_SCALE 4

/* Settings (quota_ext.c). */
extern int	quota_fiscal_year_start;	/* month 1-12 */
extern int	quota_week_start;	/* day of week, 0 = sunday ... 6 = saturday */
extern int	quota_future_tolerance; /* seconds */
extern int	quota_proration;	/* a Proration */
extern int	quota_ramp_partial_period;	/* a RampPartialPeriod */
extern bool quota_restoring;	/* quota.begin_restore() set it for the database */

/* How targets are spread over the days of a period (quota.proration). */
typedef enum Proration
{
	PRORATE_CALENDAR_DAYS,		/* every day weighs the same */
	PRORATE_BUSINESS_DAYS		/* Monday to Friday, less holidays */
} Proration;

/* What a ramp does with a period it starts in the middle of. */
typedef enum RampPartialPeriod
{
	RAMP_PRORATE,				/* the period is step 1, from the start day */
	RAMP_ZERO_FROM_16TH			/* a start on or after day 16 makes it step 0 */
} RampPartialPeriod;

/* Reports bad input text (PostgreSQL 15 has no soft-error path). */
#define input_error(fcinfo, ...) ereport(ERROR, __VA_ARGS__)

/* Exact arithmetic (exact.c): the numeric helpers every file shares. */
extern Numeric exact_from_cstring(const char *str);
extern Numeric exact_constant(Numeric *slot, const char *text);
extern Numeric exact_zero(void);
extern Numeric exact_from_int64(int64 value);
extern char *exact_text(Numeric num);
extern int	exact_cmp(Numeric a, Numeric b);
extern bool exact_datums_equal(Datum x, Datum y);
extern bool exact_is_zero(Numeric num);
extern Numeric exact_trimmed(Numeric num);
extern Numeric exact_copy(Numeric num);
extern Numeric exact_plus(Numeric left, Numeric right);
extern Numeric exact_minus(Numeric left, Numeric right);
extern Numeric exact_negated(Numeric num);
extern Numeric exact_times(Numeric left, Numeric right);
extern Numeric exact_rounded(Numeric num, int scale);
extern Numeric exact_excess(Numeric minuend, Numeric subtrahend);
extern Numeric exact_quotient(Numeric dividend, Numeric divisor);

/*
 * Amounts (amount.c): the non-negative numbers of the quota and attainment
 * types, read from text, checked, sent and received.
 */

/* What keeps a number from being an amount, if anything. */
typedef enum AmountProblem
{
	AMOUNT_FITS,
	AMOUNT_NAN,
	AMOUNT_INFINITE,
	AMOUNT_NEGATIVE,
	AMOUNT_TOO_LARGE,			/* for a quota: too many integer digits */
	AMOUNT_TOO_PRECISE			/* for a quota: too many fractional digits */
} AmountProblem;

/* An amount as amount_text_read finds it in text. */
typedef struct AmountText
{
	char	   *written;		/* the amount as written, for numeric_in */
	int			integer_digits; /* digits before the point, less leading zeros */
	int			fraction_digits;	/* digits after the point, less trailing zeros */
} AmountText;

extern const char *skip_blanks(const char *p);
extern char *amount_text_read(const char **p, const char *role, AmountText *amount);
extern AmountProblem amount_problem(Numeric num);
extern AmountProblem quota_amount_problem(Numeric num);
extern const char *amount_problem_detail(AmountProblem problem);
extern Numeric amount_recv(StringInfo buf, const char *type_name, const char *role,
						   AmountProblem (*problem_of) (Numeric num));
extern void amount_send(StringInfo buf, Numeric amount);
extern int	header_byte_recv(StringInfo buf, const char *type_name, const char *what);

/* The extension's tables that its C code looks up (trigger.c). */
typedef enum QuotaTable
{
	QUOTA_ACTIVITY,
	QUOTA_ACTIVITY_CREDIT,
	QUOTA_ASSIGNMENT,
	QUOTA_REP,
	QUOTA_PERIOD_CLOSE,
	QUOTA_DAILY_TOTAL,
	QUOTA_TRACKING,
	QUOTA_REP_ZONE_CHANGE,
	QUOTA_MONTH_TOTAL
} QuotaTable;

#define QUOTA_TABLE_COUNT (QUOTA_MONTH_TOTAL + 1)

/* The caller's rights, kept while a trigger runs as its table's owner. */
typedef struct TriggerOwnerCall
{
	Oid			caller;
	int			caller_security;
} TriggerOwnerCall;

/* What the C triggers share (trigger.c). */
extern Oid	quota_table_oid(QuotaTable table);
extern TriggerData *trigger_call_data(FunctionCallInfo fcinfo, const char *function_name,
									  const char *attached_to);
extern void trigger_check_fired(bool fired_rightly, const char *function_name,
								const char *fired_as);
extern void trigger_check_table(TriggerData *trigdata, const char *function_name,
								const char *keeps, const QuotaTable *tables, int ntables);
extern void owner_call_begin(Oid owner, TriggerOwnerCall *call);
extern void owner_call_end(const TriggerOwnerCall *call);
extern SPIPlanPtr kept_plan(SPIPlanPtr *plan, const char *query, int nargs, Oid *argtypes);
extern int	execute_latest(const char *query, int nargs, Oid *argtypes, Datum *args, const char *nulls,
						   bool read_only);
extern bool trigger_must_fire_always(Oid function);
extern void triggers_checked_always(Oid relid);

/* One total being folded: its key and the changes of its quantity and rows. */
typedef struct TotalDelta
{
	const char *rep_id;			/* key: interned rep, interned kind, day, tracking */
	const char *kind;
	DateADT		day;			/* of quota.month_total: the first of the month */
	int32		tracking_id;	/* 0 for quota.activity and its credits */
	Numeric		qty;			/* the change */
	int64		rows;			/* the change of the number of rows counted */
} TotalDelta;

/* Deltas added to the rows of the totals that hold them (total_rows.c). */
extern int	totals_added_in_place(QuotaTable which, TotalDelta **deltas, int n, int32 slot);

/* The deltas of the live totals, for tracked sources (live_totals.c). */
typedef struct RepDays RepDays;
extern const RepDays *totals_rep_days(Oid owner, const char *rep_id);
extern DateADT rep_day(const RepDays *rep, TimestampTz at);
extern DateADT totals_closed_through(Oid owner);
extern void totals_fold(Oid owner, int32 tracking_id, const char *rep_id, const char *kind,
						DateADT day, Numeric qty, int sign);
extern void totals_write_level(void);

/* Tracked tables (tracking.c, tracked_rows.c), also for the event triggers of tracking_ddl.c. */
extern bool tracking_triggers_dropping;
extern Oid	tracking_totals_owner(void);
extern Oid	tracking_function_oid(const char *name);
extern List *tracked_sources(void);
extern Oid	tracking_root_of(Oid relid);
extern List *tracking_leaves(Oid relid, LOCKMODE lockmode);
extern int64 tracking_rows_counted(int32 tracking_id, Oid relid, int sign);
extern void tracking_truncate_trigger_created(Oid leaf, int32 tracking_id);
extern void tracking_truncate_triggers_dropped(Oid relid, int32 tracking_id);
extern void tracking_rows_forgotten(int32 tracking_id);
extern Trigger *tracking_own_insert_trigger(Relation rel, int32 tracking_id);
extern Trigger *tracking_filter_trigger(Relation rel, int32 tracking_id);
extern Trigger *tracking_inserts_trigger(Relation rel);

/* quota.c */
extern Quota *quota_make(PeriodUnit unit, Numeric amount);

/* period.c */
extern const char *period_unit_name(PeriodUnit unit);
extern bool period_unit_lookup(const char *chars, size_t length, PeriodUnit *unit);
extern PeriodUnit period_unit_from_text(text *name);
extern DateADT period_start_of(PeriodUnit unit, DateADT day);

/* Filters on the start of periods reach quota.periods() (period_filter.c). */
extern void period_filter_install(void);
extern DateADT period_end_after(PeriodUnit unit, DateADT start);
extern int	month_index_of(DateADT day);
extern pg_tz *time_zone_lookup(const char *name);
extern DateADT local_date(TimestampTz at, pg_tz *zone);
extern Timestamp local_timestamp(TimestampTz at, pg_tz *zone);
extern bool date_range_bounds(Datum range_datum, DateADT *start, DateADT *end);

#endif							/* QUOTA_EXT_H */
