-- Calendar periods and time zones (src/period.c).
-- Weeks start on quota.week_start; quarters, halves and years start at the
-- month quota.fiscal_year_start.  Functions that read these settings or the
-- time zone database are STABLE.

CREATE FUNCTION quota.period_start(unit text, day date) RETURNS date
	AS 'MODULE_PATHNAME', 'period_start_day'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.period_start(text, date) IS
	'Returns the first day of the period of the unit (day, week, month, quarter, half, year) that contains the day.';

CREATE FUNCTION quota.period_end(unit text, day date) RETURNS date
	AS 'MODULE_PATHNAME', 'period_end_day'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.period_end(text, date) IS
	'Returns the exclusive end (the first day after) of the period of the unit that contains the day.';

CREATE FUNCTION quota.period(unit text, day date) RETURNS daterange
	AS 'MODULE_PATHNAME', 'period_of_day'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.period(text, date) IS
	'Returns the period of the unit that contains the day, as a daterange [start, end).';

CREATE FUNCTION quota.period_start(unit text, at timestamptz, time_zone text) RETURNS date
	AS 'MODULE_PATHNAME', 'period_start_at'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.period_start(text, timestamptz, text) IS
	'Returns the first day of the period of the unit that contains the moment, read on the wall clock of the time zone.';

CREATE FUNCTION quota.period_end(unit text, at timestamptz, time_zone text) RETURNS date
	AS 'MODULE_PATHNAME', 'period_end_at'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.period_end(text, timestamptz, text) IS
	'Returns the exclusive end of the period of the unit that contains the moment, read on the wall clock of the time zone.';

CREATE FUNCTION quota.period(unit text, at timestamptz, time_zone text) RETURNS daterange
	AS 'MODULE_PATHNAME', 'period_of_at'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.period(text, timestamptz, text) IS
	'Returns the period of the unit that contains the moment, read on the wall clock of the time zone, as a daterange.';

-- A filter on the start of the periods of quota.periods() narrows the range
-- the function is given, and one on period_start of team progress and the
-- scoreboard their argument period_starts (src/period_filter.c): their
-- support function has the library loaded, with the planner hook that does
-- it, before a plan is made.
CREATE FUNCTION quota.periods_support(internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'periods_support'
	LANGUAGE C STRICT;
COMMENT ON FUNCTION quota.periods_support(internal) IS
	'Planner support function of quota.periods(), quota.team_progress_as_of(timestamptz, daterange) and quota.scoreboard_as_of(timestamptz, text, daterange): loads the library whose planner hook narrows the periods they make to the starts a query filters on.';

CREATE FUNCTION quota.periods(unit text, during daterange) RETURNS SETOF daterange
	AS 'MODULE_PATHNAME', 'periods_during'
	LANGUAGE C STABLE STRICT PARALLEL SAFE
	ROWS 12  -- a year of months: what a quota typically spans, for the planner
	SUPPORT quota.periods_support;
COMMENT ON FUNCTION quota.periods(text, daterange) IS
	'Returns every whole period of the unit that meets the bounded date range, in order; none for an empty range.';

CREATE FUNCTION quota.time_zone_valid(time_zone text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'time_zone_valid'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.time_zone_valid(text) IS
	'Returns true when the time zone is known; raises an error with a hint otherwise (for CHECK constraints).';
