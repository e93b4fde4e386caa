-- Calendar periods: every unit, weeks starting on monday (the default) or
-- sunday, fiscal years starting in January, April, October and December,
-- 29 February, moments in time zones, daylight saving, periods() and
-- elapsed().  Every expected value is written out by hand; "ok" compares the
-- function's answer with it.
SET datestyle = 'ISO, YMD';

-- Each unit, for Friday 2026-11-27.
SELECT unit, quota.period_start(unit, '2026-11-27'::date) AS start,
       quota.period_end(unit, '2026-11-27'::date) AS "end",
       quota.period(unit, '2026-11-27'::date) AS period,
       quota.period(unit, '2026-11-27'::date) = expected AS ok
FROM (VALUES ('day', '[2026-11-27,2026-11-28)'::daterange),
             ('week', '[2026-11-23,2026-11-30)'),
             ('month', '[2026-11-01,2026-12-01)'),
             ('quarter', '[2026-10-01,2027-01-01)'),
             ('half', '[2026-07-01,2027-01-01)'),
             ('year', '[2026-01-01,2027-01-01)'),
             ('MONTH', '[2026-11-01,2026-12-01)')) AS t(unit, expected);

-- Those used the defaults (the settings exist once the library is loaded):
-- weeks start on monday, the fiscal year in January.
SHOW quota.week_start;
SHOW quota.fiscal_year_start;

-- Period bounds: the start is in the period, the end is not.
SELECT day, unit, quota.period(unit, day) AS period, quota.period(unit, day) = expected AS ok
FROM (VALUES ('2026-11-23'::date, 'week', '[2026-11-23,2026-11-30)'::daterange),
             ('2026-11-29', 'week', '[2026-11-23,2026-11-30)'),
             ('2026-11-30', 'week', '[2026-11-30,2026-12-07)'),
             ('2026-11-01', 'month', '[2026-11-01,2026-12-01)'),
             ('2026-11-30', 'month', '[2026-11-01,2026-12-01)'),
             ('2026-12-01', 'month', '[2026-12-01,2027-01-01)')) AS t(day, unit, expected);

-- Across the year boundary: Thursday 2026-12-31 and Friday 2027-01-01.
SELECT day, unit, quota.period(unit, day) AS period, quota.period(unit, day) = expected AS ok
FROM (VALUES ('2026-12-31'::date, 'day', '[2026-12-31,2027-01-01)'::daterange),
             ('2026-12-31', 'week', '[2026-12-28,2027-01-04)'),
             ('2026-12-31', 'month', '[2026-12-01,2027-01-01)'),
             ('2026-12-31', 'quarter', '[2026-10-01,2027-01-01)'),
             ('2026-12-31', 'half', '[2026-07-01,2027-01-01)'),
             ('2026-12-31', 'year', '[2026-01-01,2027-01-01)'),
             ('2027-01-01', 'day', '[2027-01-01,2027-01-02)'),
             ('2027-01-01', 'week', '[2026-12-28,2027-01-04)'),
             ('2027-01-01', 'month', '[2027-01-01,2027-02-01)'),
             ('2027-01-01', 'quarter', '[2027-01-01,2027-04-01)'),
             ('2027-01-01', 'half', '[2027-01-01,2027-07-01)'),
             ('2027-01-01', 'year', '[2027-01-01,2028-01-01)')) AS t(day, unit, expected);

-- 29 February 2028, a Tuesday in a leap year.
SELECT unit, quota.period(unit, '2028-02-29'::date) AS period,
       quota.period(unit, '2028-02-29'::date) = expected AS ok
FROM (VALUES ('day', '[2028-02-29,2028-03-01)'::daterange),
             ('week', '[2028-02-28,2028-03-06)'),
             ('month', '[2028-02-01,2028-03-01)'),
             ('quarter', '[2028-01-01,2028-04-01)'),
             ('half', '[2028-01-01,2028-07-01)'),
             ('year', '[2028-01-01,2029-01-01)')) AS t(unit, expected);

-- Weeks starting on sunday.
SET quota.week_start = sunday;
SELECT day, quota.period('week', day) AS period, quota.period('week', day) = expected AS ok
FROM (VALUES ('2026-11-27'::date, '[2026-11-22,2026-11-29)'::daterange),
             ('2026-11-28', '[2026-11-22,2026-11-29)'),
             ('2026-11-29', '[2026-11-29,2026-12-06)'),
             ('2027-01-01', '[2026-12-27,2027-01-03)'),
             ('2028-02-29', '[2028-02-27,2028-03-05)')) AS t(day, expected);
RESET quota.week_start;

-- Fiscal year starting in January (the default), for dates in January-March.
SET quota.fiscal_year_start = 1;
SELECT day, unit, quota.period(unit, day) AS period, quota.period(unit, day) = expected AS ok
FROM (VALUES ('2026-03-01'::date, 'quarter', '[2026-01-01,2026-04-01)'::daterange),
             ('2026-03-01', 'half', '[2026-01-01,2026-07-01)'),
             ('2026-03-01', 'year', '[2026-01-01,2027-01-01)'),
             ('2026-04-01', 'quarter', '[2026-04-01,2026-07-01)')) AS t(day, unit, expected);
RESET quota.fiscal_year_start;

-- Fiscal year starting in April: quarters Apr-Jun, Jul-Sep, Oct-Dec, Jan-Mar.
SET quota.fiscal_year_start = 4;
SELECT day, unit, quota.period(unit, day) AS period, quota.period(unit, day) = expected AS ok
FROM (VALUES ('2026-05-15'::date, 'quarter', '[2026-04-01,2026-07-01)'::daterange),
             ('2026-08-15', 'quarter', '[2026-07-01,2026-10-01)'),
             ('2026-11-27', 'quarter', '[2026-10-01,2027-01-01)'),
             ('2027-02-15', 'quarter', '[2027-01-01,2027-04-01)'),
             ('2026-04-01', 'half', '[2026-04-01,2026-10-01)'),
             ('2026-11-27', 'half', '[2026-10-01,2027-04-01)'),
             ('2027-02-15', 'half', '[2026-10-01,2027-04-01)'),
             ('2026-03-31', 'year', '[2025-04-01,2026-04-01)'),
             ('2026-04-01', 'year', '[2026-04-01,2027-04-01)'),
             ('2027-02-15', 'year', '[2026-04-01,2027-04-01)'),
             ('2028-02-29', 'quarter', '[2028-01-01,2028-04-01)'),
             ('2028-02-29', 'year', '[2027-04-01,2028-04-01)'),
             ('2027-02-15', 'month', '[2027-02-01,2027-03-01)'),
             ('2027-02-15', 'week', '[2027-02-15,2027-02-22)')) AS t(day, unit, expected);
RESET quota.fiscal_year_start;

-- Fiscal year starting in October, also before 2000 and before the Christian
-- era (year 1 BC follows 2 BC).
SET quota.fiscal_year_start = 10;
SELECT day, unit, quota.period(unit, day) AS period, quota.period(unit, day) = expected AS ok
FROM (VALUES ('2026-11-27'::date, 'year', '[2026-10-01,2027-10-01)'::daterange),
             ('2026-03-01', 'year', '[2025-10-01,2026-10-01)'),
             ('2026-09-30', 'year', '[2025-10-01,2026-10-01)'),
             ('2026-10-01', 'year', '[2026-10-01,2027-10-01)'),
             ('2026-03-01', 'quarter', '[2026-01-01,2026-04-01)'),
             ('2026-09-30', 'quarter', '[2026-07-01,2026-10-01)'),
             ('2026-11-27', 'quarter', '[2026-10-01,2027-01-01)'),
             ('2026-03-01', 'half', '[2025-10-01,2026-04-01)'),
             ('2026-05-01', 'half', '[2026-04-01,2026-10-01)'),
             ('2026-11-27', 'half', '[2026-10-01,2027-04-01)'),
             ('1999-02-10', 'year', '[1998-10-01,1999-10-01)'),
             ('0001-02-10 BC', 'year', '[0002-10-01 BC,0001-10-01 BC)'),
             ('0001-02-10 BC', 'half', '[0002-10-01 BC,0001-04-01 BC)')) AS t(day, unit, expected);
RESET quota.fiscal_year_start;

-- Fiscal year starting in December: the month before January wraps back.
SET quota.fiscal_year_start = 12;
SELECT day, unit, quota.period(unit, day) AS period, quota.period(unit, day) = expected AS ok
FROM (VALUES ('2026-11-27'::date, 'year', '[2025-12-01,2026-12-01)'::daterange),
             ('2026-12-01', 'year', '[2026-12-01,2027-12-01)'),
             ('2027-01-15', 'quarter', '[2026-12-01,2027-03-01)'),
             ('2027-02-28', 'half', '[2026-12-01,2027-06-01)')) AS t(day, unit, expected);
RESET quota.fiscal_year_start;

-- A moment belongs to the period of its local date in the rep's zone,
-- whatever the session's time zone: 2026-10-31 22:30 UTC is 00:30 on
-- 1 November in Helsinki (UTC+2 after daylight saving ended).
SET TimeZone = 'Asia/Tokyo';
SELECT zone, quota.period_start('day', '2026-10-31 22:30+00'::timestamptz, zone) AS day,
       quota.period_start('month', '2026-10-31 22:30+00'::timestamptz, zone) AS month_start,
       quota.period_end('month', '2026-10-31 22:30+00'::timestamptz, zone) AS month_end,
       quota.period('month', '2026-10-31 22:30+00'::timestamptz, zone) AS month,
       quota.period('month', '2026-10-31 22:30+00'::timestamptz, zone) = expected AS ok
FROM (VALUES ('Europe/Helsinki', '[2026-11-01,2026-12-01)'::daterange),
             ('UTC', '[2026-10-01,2026-11-01)'),
             ('America/Los_Angeles', '[2026-10-01,2026-11-01)')) AS t(zone, expected);
-- 05:00 UTC on New Year's day is still 2026 in Los Angeles.
SELECT unit, quota.period(unit, '2027-01-01 05:00+00'::timestamptz, 'America/Los_Angeles') AS period,
       quota.period(unit, '2027-01-01 05:00+00'::timestamptz, 'America/Los_Angeles') = expected AS ok
FROM (VALUES ('day', '[2026-12-31,2027-01-01)'::daterange),
             ('week', '[2026-12-28,2027-01-04)'),
             ('year', '[2026-01-01,2027-01-01)')) AS t(unit, expected);
RESET TimeZone;

-- periods(): every whole period that meets a range, in order, across years.
SELECT * FROM quota.periods('day', '[2026-12-30,2027-01-02)') WITH ORDINALITY;
SELECT * FROM quota.periods('week', '[2026-12-25,2027-01-08)') WITH ORDINALITY;
SELECT * FROM quota.periods('month', '[2026-11-15,2027-02-02)') WITH ORDINALITY;
SELECT * FROM quota.periods('quarter', '[2026-11-15,2027-05-01)') WITH ORDINALITY;
SELECT * FROM quota.periods('half', '[2026-06-30,2027-01-02)') WITH ORDINALITY;
SELECT * FROM quota.periods('year', '[2026-12-31,2028-01-01)') WITH ORDINALITY;
-- An inclusive upper bound, and a range that is exactly one period.
SELECT * FROM quota.periods('month', '[2026-11-01,2026-11-30]');
SELECT * FROM quota.periods('month', '[2026-11-01,2026-12-01)');
-- With sunday weeks and a fiscal year starting in April.
SET quota.week_start = sunday;
SELECT * FROM quota.periods('week', '[2026-12-25,2027-01-08)');
RESET quota.week_start;
SET quota.fiscal_year_start = 4;
SELECT * FROM quota.periods('year', '[2026-03-01,2026-05-01)');
SELECT * FROM quota.periods('quarter', '[2026-12-15,2027-04-15)');
RESET quota.fiscal_year_start;
-- Empty ranges meet no period.
SELECT count(*) FROM quota.periods('month', 'empty');
SELECT count(*) FROM quota.periods('month', '[2026-11-01,2026-11-01)');

-- elapsed(): measured on the wall clock, every calendar day weighing the same.
-- A rep hired on 16 November, on the 23rd at local midnight: 7/15.
SELECT quota.elapsed('[2026-11-16,2026-12-01)', '2026-11-23 00:00 Europe/Helsinki', 'Europe/Helsinki');
-- Before the window 0, at its start 0, at its end 1, after it 1.
SELECT local_time, quota.elapsed('[2026-11-16,2026-12-01)', at, 'Europe/Helsinki') AS elapsed
FROM (VALUES ('2026-11-01 12:00', '2026-11-01 12:00 Europe/Helsinki'::timestamptz),
             ('2026-11-16 00:00', '2026-11-16 00:00 Europe/Helsinki'),
             ('2026-12-01 00:00', '2026-12-01 00:00 Europe/Helsinki'),
             ('2027-01-01 00:00', '2027-01-01 00:00 Europe/Helsinki')) AS t(local_time, at);
-- Helsinki's 25-hour day (2026-10-25) and 23-hour day (2026-03-29): local
-- noon is half of the day, 18:00 three quarters.
SELECT quota.elapsed('[2026-10-25,2026-10-26)', '2026-10-25 12:00 Europe/Helsinki', 'Europe/Helsinki') = 0.5 AS noon_long_day,
       quota.elapsed('[2026-10-25,2026-10-26)', '2026-10-25 18:00 Europe/Helsinki', 'Europe/Helsinki') = 0.75 AS evening_long_day,
       quota.elapsed('[2026-03-29,2026-03-30)', '2026-03-29 12:00 Europe/Helsinki', 'Europe/Helsinki') = 0.5 AS noon_short_day;
-- The same moment in two zones; and one microsecond into a day.
SELECT quota.elapsed('[2026-11-01,2026-11-02)', '2026-11-01 06:00+00', 'UTC') AS utc,
       quota.elapsed('[2026-11-01,2026-11-02)', '2026-11-01 06:00+00', 'Europe/Helsinki') AS helsinki,
       quota.elapsed('[2026-11-01,2026-11-02)', '2026-11-01 00:00:00.000001+00', 'UTC') AS one_microsecond;

-- A zone may be days from UTC: a POSIX zone's offset reaches 167 hours.
-- In XXX+30 (30 hours behind UTC) 01:00 UTC on 3 November is 19:00 on 1
-- November, 19/24 of that day; in XXX-150 (150 hours ahead) 12:00 UTC on 4
-- November is 18:00 on 10 November, 18/24; in XXX+167 the 8th at 12:00 UTC
-- is 13:00 on the 1st, 13/24; a window that ended a week before (in UTC)
-- has elapsed in every zone, one that starts more than a week after has
-- not begun.
SELECT round(quota.elapsed('[2026-11-01,2026-11-02)', '2026-11-03 01:00+00', 'XXX+30'), 6) AS behind_30_hours,
       quota.elapsed('[2026-11-10,2026-11-11)', '2026-11-04 12:00+00', 'XXX-150') AS ahead_150_hours,
       round(quota.elapsed('[2026-11-01,2026-11-02)', '2026-11-08 12:00+00', 'XXX+167'), 6) AS behind_167_hours,
       quota.elapsed('[2026-11-01,2026-11-02)', '2026-11-09 00:00+00', 'XXX+167') AS week_after,
       quota.elapsed('[2026-11-10,2026-11-11)', '2026-11-02 23:59+00', 'XXX-167') AS week_before;

-- time_zone_valid()
SELECT quota.time_zone_valid('Europe/Helsinki'), quota.time_zone_valid('UTC');

-- Bad inputs, each followed by its SQLSTATE.
SELECT quota.period_start('fortnight', '2026-11-27'::date);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT quota.period('fortnight', '2026-11-27 12:00+00'::timestamptz, 'UTC');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT * FROM quota.periods('fortnight', '[2026-11-01,2026-12-01)');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT quota.period('month', '2026-11-27 12:00+00'::timestamptz, 'Mars/Olympus');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT quota.elapsed('[2026-11-01,2026-12-01)', '2026-11-27 12:00+00', 'Mars/Olympus');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT quota.time_zone_valid('Mars/Olympus');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT quota.period_start('month', 'infinity'::date);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT quota.period_start('month', '-infinity'::timestamptz, 'UTC');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT * FROM quota.periods('month', '[2026-01-01,)');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT * FROM quota.periods('month', '(,2026-01-01)');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT * FROM quota.periods('month', '[-infinity,2026-01-01)');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT quota.elapsed('[2026-11-01,)', '2026-11-27 12:00+00', 'UTC');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT quota.elapsed('empty', '2026-11-27 12:00+00', 'UTC');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Periods beyond the last supported date.
SELECT quota.period_end('year', '5874897-12-31'::date);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET quota.week_start = funday;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET quota.fiscal_year_start = 13;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET quota.fiscal_year_start = 0;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- The failed SETs left the defaults in place.
SHOW quota.week_start;
SHOW quota.fiscal_year_start;

-- Filters on the start of the periods of quota.periods() narrow the range
-- the function is given (src/period_filter.c), and the rows are those of
-- the whole range: the period starting on a day, after or before one, a
-- start that is no period's (none), filters that contradict (none, no
-- error), and the bound on either side.
SELECT lower(p) FROM quota.periods('month', '[2020-01-01,2027-01-01)') p WHERE lower(p) = '2026-11-01';
SELECT lower(p) FROM quota.periods('month', '[2020-01-01,2027-01-01)') p WHERE lower(p) >= '2026-10-01';
SELECT lower(p) FROM quota.periods('month', '[2020-01-01,2027-01-01)') p WHERE lower(p) > '2026-10-15';
SELECT lower(p) FROM quota.periods('month', '[2020-01-01,2027-01-01)') p WHERE lower(p) < '2020-03-01';
SELECT lower(p) FROM quota.periods('month', '[2020-01-01,2027-01-01)') p WHERE lower(p) <= '2020-03-01';
SELECT lower(p) FROM quota.periods('month', '[2020-01-01,2027-01-01)') p WHERE lower(p) BETWEEN '2026-11-15' AND '2026-12-31';
SELECT lower(p) FROM quota.periods('month', '[2020-01-01,2027-01-01)') p WHERE '2026-11-01' = lower(p);
SELECT lower(p) FROM quota.periods('month', '[2020-01-01,2027-01-01)') p WHERE lower(p) >= '2026-12-01' AND lower(p) < '2026-01-01';
SELECT p FROM quota.periods('week', '[2026-11-01,2026-12-01)') p WHERE lower(p) = '2026-11-09';
SELECT p FROM quota.periods('week', '[2026-11-01,2026-12-01)') p WHERE lower(p) = '2026-11-10';
SELECT lower(p) FROM quota.periods('month', '[2026-10-15,2027-01-01)') p WHERE lower(p) = date '2026-12-01' - 61;
-- The function is given the range narrowed to the starts allowed.
SELECT public.plan_function_calls($q$SELECT lower(p) FROM quota.periods('month', '[2020-01-01,2027-01-01)') p
                               WHERE lower(p) = '2026-11-01'$q$);
SELECT public.plan_function_calls($q$SELECT lower(p) FROM quota.periods('month', '[2020-01-01,2027-01-01)') p
                               WHERE lower(p) > now()::date$q$);
-- A bound that depends on the row, or on nothing stable, narrows nothing.
SELECT public.plan_function_calls($q$SELECT lower(p) FROM quota.periods('month', '[2020-01-01,2027-01-01)') p
                               WHERE lower(p) = upper(p) - 30$q$);
SELECT public.plan_function_calls($q$SELECT lower(p) FROM quota.periods('month', '[2020-01-01,2027-01-01)') p
                               WHERE lower(p) > '2026-01-01'::date + (random() * 0)::int$q$);
-- A period that starts before the range is still found by its start, and
-- one that starts before a bound although the range meets it only after.
SELECT lower(p) FROM quota.periods('month', '[2026-10-15,2027-01-01)') p WHERE lower(p) <= '2026-10-01';
SELECT lower(p) FROM quota.periods('quarter', '[2026-08-15,2027-01-01)') p WHERE lower(p) < '2026-07-02';
-- Infinite bounds narrow nothing on their side (they have no period).
SELECT lower(p) FROM quota.periods('month', '[2026-10-15,2027-01-01)') p WHERE lower(p) <= 'infinity';
SELECT lower(p) FROM quota.periods('month', '[2026-10-15,2027-01-01)') p WHERE lower(p) > '-infinity' AND lower(p) < 'infinity';
-- A start within a date range (<@, or the range @> it) narrows both sides;
-- an unbounded side narrows nothing there, and an empty range keeps none.
SELECT lower(p) FROM quota.periods('month', '[2020-01-01,2027-01-01)') p WHERE lower(p) <@ daterange('2026-10-01', '2026-12-01');
SELECT lower(p) FROM quota.periods('month', '[2020-01-01,2027-01-01)') p WHERE daterange('2026-10-15', NULL) @> lower(p);
SELECT lower(p) FROM quota.periods('quarter', '[2020-01-01,2027-01-01)') p WHERE lower(p) <@ daterange(NULL, '2020-04-01', '[]');
SELECT lower(p) FROM quota.periods('month', '[2020-01-01,2027-01-01)') p WHERE lower(p) <@ 'empty'::daterange;
SELECT public.plan_function_calls($q$SELECT lower(p) FROM quota.periods('month', '[2020-01-01,2027-01-01)') p
                               WHERE lower(p) <@ daterange('2026-10-01', '2026-12-01')$q$);
-- A bound of another type (a timestamp, compared across types) narrows
-- nothing: the rows are those of the same bound as a date.
SELECT lower(p) FROM quota.periods('month', '[2026-01-01,2027-01-01)') p WHERE lower(p) = timestamptz '2026-10-01';
SELECT lower(p) FROM quota.periods('month', '[2026-01-01,2027-01-01)') p WHERE lower(p) >= timestamp '2026-11-01' AND lower(p) < timestamp '2026-12-01 12:00';
SELECT public.plan_function_calls($q$SELECT lower(p) FROM quota.periods('month', '[2026-01-01,2027-01-01)') p
                               WHERE lower(p) >= timestamp '2026-11-01'$q$);
