-- target_for(): the exact target of a quota over a date range, by the domain
-- rule: for each period p of the quota's unit that meets the range R,
-- amount * days(p ∩ R) / days(p), summed, divided once at the end.  Every
-- expected value is written out by hand; "ok" compares the answer with it.
SET datestyle = 'ISO, YMD';

-- A full period is exactly the amount, whatever its length.
SELECT quota, during, quota.target_for(quota::quota.quota, during) AS target,
       quota.target_for(quota::quota.quota, during) = expected AS ok
FROM (VALUES ('150/month', '[2026-02-01,2026-03-01)'::daterange, 150::numeric),
             ('150/month', '[2026-01-01,2026-02-01)', 150),
             ('150/month', '[2026-11-01,2026-12-01)', 150),
             ('290/month', '[2028-02-01,2028-03-01)', 290),
             ('10/day', '[2026-11-27,2026-11-28)', 10),
             ('250/week', '[2026-11-23,2026-11-30)', 250),
             ('300/quarter', '[2026-10-01,2027-01-01)', 300),
             ('600/half', '[2026-01-01,2026-07-01)', 600),
             ('1200/year', '[2026-01-01,2027-01-01)', 1200),
             ('1200/year', '[2028-01-01,2029-01-01)', 1200)) AS t(quota, during, expected);

-- Parts of periods.
SELECT quota, during, quota.target_for(quota::quota.quota, during) AS target,
       quota.target_for(quota::quota.quota, during) = expected AS ok
FROM (VALUES
  -- hired on the 16th of a 30-day month: 15/30 of 120
  ('120/month', '[2026-11-16,2026-12-01)'::daterange, 60::numeric),
  -- 14 of the 29 days of February 2028: 290 * 14/29
  ('290/month', '[2028-02-01,2028-02-15)', 140),
  -- a weekly quota over a 30-day month: 250 * 30/7
  ('250/week', '[2026-11-01,2026-12-01)', 1071.42857142857142857143),
  -- a quarter of a monthly quota is the sum of its three months
  ('100/month', '[2026-10-01,2027-01-01)', 300),
  -- 30 days of a 92-day quarter: 300 * 30/92
  ('300/quarter', '[2026-11-01,2026-12-01)', 97.82608695652173913043),
  -- the first quarter (90 days) of the first half of 2026 (181 days)
  ('600/half', '[2026-01-01,2026-04-01)', 298.34254143646408839779),
  -- November (30 days) of 2026 (365 days)
  ('1200/year', '[2026-11-01,2026-12-01)', 98.63013698630136986301),
  -- 29 February 2028 alone: 1/366 of a year
  ('366/year', '[2028-02-29,2028-03-01)', 1),
  ('1000/year', '[2028-02-29,2028-03-01)', 2.73224043715846994536),
  -- a range over parts of two months: 15/30 of November + 15/31 of December
  ('120/month', '[2026-11-16,2026-12-16)', 118.06451612903225806452),
  -- a day quota over a month
  ('10/day', '[2026-11-01,2026-12-01)', 300),
  -- a fractional amount: 12.5 * 3/7
  ('12.5/week', '[2026-11-27,2026-11-30)', 5.35714285714285714286),
  -- ten years of months, and a whole year of weeks (365/7 weeks)
  ('150/month', '[2020-01-01,2030-01-01)', 18000),
  ('250/week', '[2026-01-01,2027-01-01)', 13035.71428571428571428571),
  -- a zero quota
  ('0/month', '[2026-11-16,2026-12-01)', 0)) AS t(quota, during, expected);

-- Round only at the end, for display.
SELECT round(quota.target_for('250/week', '[2026-11-01,2026-12-01)'), 2) = 1071.43 AS ok;
-- An inclusive upper bound counts its last day.
SELECT quota.target_for('120/month', '[2026-11-16,2026-11-30]') = 60 AS ok;

-- A weekly target is amount * days/7 wherever weeks start.
SET quota.week_start = sunday;
SELECT quota.target_for('250/week', '[2026-11-01,2026-12-01)') = 1071.42857142857142857143 AS ok,
       quota.target_for('250/week', '[2026-11-23,2026-11-30)') = 250 AS ok;
RESET quota.week_start;

-- Fiscal years decide which quarter, half or year a day falls in.
-- Starting in April, January-March 2027 is one whole quarter.
SET quota.fiscal_year_start = 4;
SELECT quota.target_for('400/quarter', '[2027-01-01,2027-04-01)') = 400 AS ok,
       quota.target_for('1200/year', '[2026-04-01,2027-04-01)') = 1200 AS ok,
       quota.target_for('600/half', '[2026-10-01,2027-04-01)') = 600 AS ok;
RESET quota.fiscal_year_start;
-- Starting in October, January-March 2026 is 90 of the 182 days of the half
-- October 2025 - March 2026 (296.7032967032967032967 = 600 * 90/182), while
-- with the January default it is 90 of 181 days.
SET quota.fiscal_year_start = 10;
SELECT quota.target_for('600/half', '[2026-01-01,2026-04-01)') AS target,
       quota.target_for('600/half', '[2026-01-01,2026-04-01)') = 296.7032967032967032967 AS ok;
SELECT quota.target_for('1200/year', '[2025-10-01,2026-10-01)') = 1200 AS ok;
RESET quota.fiscal_year_start;
SELECT quota.target_for('600/half', '[2026-01-01,2026-04-01)') = 298.34254143646408839779 AS ok;

-- Empty ranges owe nothing.
SELECT quota.target_for('150/month', 'empty') AS target;
SELECT quota.target_for('150/month', '[2026-11-01,2026-11-01)') AS target;

-- Unbounded ranges are refused.
SELECT quota.target_for('150/month', '[2026-11-01,)');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT quota.target_for('150/month', '[2026-11-01,infinity)');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
