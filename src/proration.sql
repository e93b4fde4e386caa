-- Proration (src/proration.c): the target a quota owes over a range of
-- days, and the fraction of it due at a moment.  Each day of a period weighs
-- 1 (quota.proration = calendar_days) or 1 on Monday to Friday less holidays
-- (business_days); on a schedule, a seasonal distribution shares a period
-- among its months by percentages and a ramp scales the days of each of its
-- steps by a factor (the tables are in schedule.sql).

CREATE FUNCTION quota.proration() RETURNS text
    AS 'MODULE_PATHNAME', 'proration'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.proration() IS 'The setting quota.proration: calendar_days (every day weighs the same) or business_days (Monday to Friday less holidays).';

CREATE FUNCTION quota.target_for(target quota.quota, during daterange) RETURNS numeric
	AS 'MODULE_PATHNAME', 'quota_target_for'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.target_for(quota.quota, daterange) IS
	'Returns the exact target of the quota over the bounded date range: for each period p of its unit, amount * days(p within the range) / days(p), summed, counting the days of quota.proration (calendar days, or Monday to Friday); 0 for an empty range.';

CREATE FUNCTION quota.elapsed(during daterange, at timestamptz, time_zone text) RETURNS numeric
	AS 'MODULE_PATHNAME', 'elapsed_fraction'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.elapsed(daterange, timestamptz, text) IS
	'Returns the fraction (0 to 1) of the date window elapsed at the moment, on the wall clock of the time zone: every calendar day weighing the same, or with quota.proration = business_days every day from Monday to Friday.';

CREATE FUNCTION quota.target_for(target quota.quota, during daterange, holidays date[],
                                 season numeric[] DEFAULT NULL, ramp_start date DEFAULT NULL,
                                 ramp numeric[] DEFAULT NULL, ramp_unit text DEFAULT 'month')
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'quota_target_for_schedule'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION quota.target_for(quota.quota, daterange, date[], numeric[], date, numeric[], text) IS
	'Returns the exact target of the quota over the bounded date range on a schedule: each period p owes amount * weight(p within the range) / weight(p), where a day weighs 1 (quota.proration = business_days: Monday to Friday, not in holidays), the season (percentages of each month of a quarter, half or year, totalling 100) shares the period among its months, and the ramp multiplies the days of step k (the k-th period of ramp_unit from ramp_start) by its k-th factor, 0 before ramp_start and 1 after the last step. NULL arguments are none; NULL for a NULL target or range.';

CREATE FUNCTION quota.elapsed(during daterange, at timestamptz, time_zone text, target quota.quota,
                              holidays date[], season numeric[] DEFAULT NULL, ramp_start date DEFAULT NULL,
                              ramp numeric[] DEFAULT NULL, ramp_unit text DEFAULT 'month')
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'elapsed_fraction_schedule'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION quota.elapsed(daterange, timestamptz, text, quota.quota, date[], numeric[], date, numeric[], text) IS
	'Returns the fraction (0 to 1) of the target of the window due at the moment, on the wall clock of the time zone: the weight of its days before that day plus the day''s weight times the part of it gone, over the weight of the window, with the weights of quota.target_for on the same schedule; by calendar time when the window weighs nothing. NULL for a NULL window, moment, zone or target.';
