-- month_totals: quota.month_total, the totals per calendar month of the
-- rep's days written with the daily ones, and the actuals read from them.
-- Every figure is derived by hand in the comments.
BEGIN;
SET LOCAL datestyle = 'ISO, YMD';
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES
    ('mt_ada', 'Ada', 'UTC'),
    ('mt_ben', 'Ben', 'Asia/Tokyo');
-- One statement (one batch of deltas) and one single-row statement.
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES
    ('mt_ada', 'call', '2026-08-30 10:00+00', 3),
    ('mt_ada', 'call', '2026-08-31 23:30+00', 2),
    ('mt_ada', 'call', '2026-09-01 00:30+00', 5),
    ('mt_ada', 'call', '2026-09-15 12:00+00', 7),
    ('mt_ada', 'call', '2026-10-02 09:00+00', 11),
    ('mt_ada', 'call', '2026-10-20 09:00+00', 13),
    ('mt_ben', 'call', '2026-08-31 16:30+00', 4);   -- 01:30 on 1 September in Tokyo
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES
    ('mt_ada', 'call', '2026-11-03 10:00+00', 17);

-- August 3 + 2 = 5, September 5 + 7 = 12, October 11 + 13 = 24, November 17;
-- ben's row counts in his September.
SELECT rep_id, kind, month, sum(qty) AS qty
  FROM quota.month_total WHERE rep_id LIKE 'mt\_%'
 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

-- The actual of a range of days as of 1 December 00:00 UTC: whole months
-- from the month totals, the days around them from the daily totals.
--   [31 Aug, 21 Oct): 31 August 2, September 12, 1-20 October 11 + 13: 38
--   [1 Sep, 1 Nov): September and October, 12 + 24: 36
--   [10 Sep, 20 Sep): 15 September 7
--   [31 Aug, 1 Sep): 2
--   [3 Oct, 1 Dec): 20 October 13, November 17: 30
--   [10 Dec, 1 Jan): after as_of's day: 0
SELECT r.during, a.qty
  FROM (VALUES (daterange('2026-08-31', '2026-10-21')), (daterange('2026-09-01', '2026-11-01')),
               (daterange('2026-09-10', '2026-09-20')), (daterange('2026-08-31', '2026-09-01')),
               (daterange('2026-10-03', '2026-12-01')), (daterange('2026-12-10', '2027-01-01'))) AS r(during),
       quota.rep_actual('mt_ada', 'UTC', 'call', r.during, '2026-12-01 00:00+00') AS a;

-- As of 20 October 08:00 UTC, September to December counts through 20
-- October (September 12, 1-20 October 24) less the 13 done at 09:00 that
-- day, after as_of: 23.
SELECT qty FROM quota.rep_actual('mt_ada', 'UTC', 'call', daterange('2026-09-01', '2027-01-01'),
                                 '2026-10-20 08:00+00');

-- A quarterly quota from 15 August: the third quarter's part [15 Aug, 1 Oct)
-- is 47 of its 92 days, target 90 * 47 / 92 = 45.978 -> 45.98, actual 15 to
-- 31 August 5 and September 12: 17.  The fourth quarter as of 1 December:
-- October 24 and November 17: 41.
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES
    ('mt_ada', 'call', '90/quarter', '[2026-08-15,)');
SELECT period_start, period_end, target, actual
  FROM quota.progress_as_of('2026-12-01 00:00+00')
 WHERE rep_id = 'mt_ada' ORDER BY period_start;

-- Corrections move the month totals with the daily ones: 2 October's 11
-- moves to 30 September (September 23, October 13), November's 17 is
-- deleted (November 0).
UPDATE quota.activity SET occurred_at = '2026-09-30 09:00+00'
 WHERE rep_id = 'mt_ada' AND occurred_at = '2026-10-02 09:00+00';
DELETE FROM quota.activity WHERE rep_id = 'mt_ada' AND occurred_at = '2026-11-03 10:00+00';
SELECT rep_id, month, sum(qty) AS qty
  FROM quota.month_total WHERE rep_id LIKE 'mt\_%'
 GROUP BY 1, 2 ORDER BY 1, 2;

-- A tracked table counts in the month totals under its tracking, and
-- untracking it removes them: 2 + 6 meetings in October.
CREATE TABLE public.mt_meetings (owner text, held_at timestamptz, n numeric);
SELECT quota.track('public.mt_meetings', kind => 'meeting', rep => 'owner', occurred_at => 'held_at', qty => 'n') AS counted;
INSERT INTO public.mt_meetings VALUES ('mt_ada', '2026-10-05 10:00+00', 2), ('mt_ada', '2026-10-06 10:00+00', 6);
SELECT kind, month, tracking_id > 0 AS tracked, sum(qty) AS qty
  FROM quota.month_total WHERE rep_id = 'mt_ada' AND kind = 'meeting' GROUP BY 1, 2, 3;
SELECT quota.untrack('public.mt_meetings');
SELECT count(*) AS meeting_month_totals FROM quota.month_total WHERE kind = 'meeting' AND rep_id = 'mt_ada';

-- verify() finds a month total that disagrees with the recount, dated the
-- first of the month with the month's figures (ben's September: 0 written,
-- 4 counted), and a rebuild of the rep writes it again.
DELETE FROM quota.month_total WHERE rep_id = 'mt_ben';
SELECT * FROM quota.verify() WHERE rep_id LIKE 'mt\_%';
SELECT quota.rebuild('mt_ben') AS daily_totals;
SELECT * FROM quota.verify() WHERE rep_id LIKE 'mt\_%';
SELECT month, slot, qty FROM quota.month_total WHERE rep_id = 'mt_ben';

-- Grants made on quota.daily_total follow to quota.month_total, which
-- progress reads: a role granted the one reads the other.
CREATE ROLE regress_mt_reader;
GRANT SELECT ON quota.daily_total TO regress_mt_reader;
SELECT has_table_privilege('regress_mt_reader', 'quota.month_total', 'SELECT') AS granted,
       has_table_privilege('regress_mt_reader', 'quota.month_total', 'INSERT') AS insert_granted;
GRANT INSERT ON quota.daily_total TO regress_mt_reader WITH GRANT OPTION;
SELECT has_table_privilege('regress_mt_reader', 'quota.month_total', 'INSERT WITH GRANT OPTION') AS insert_grantable;
REVOKE ALL ON quota.daily_total FROM regress_mt_reader;
SELECT has_table_privilege('regress_mt_reader', 'quota.month_total', 'SELECT') AS still_granted;
ROLLBACK;
