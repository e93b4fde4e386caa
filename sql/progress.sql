-- progress: quota.progress_as_of over three reps in three time zones.
-- Every figure is derived by hand in the comments; as_of is 2026-11-15 12:00 UTC.
BEGIN;
SET LOCAL datestyle = 'ISO, YMD';
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES
    ('ada', 'Ada', 'UTC'),
    ('ben', 'Ben', 'Asia/Tokyo'),
    ('cy',  'Cy',  'America/New_York');
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES
    ('ada', 'call',  '100/month', '[2026-10-01,)'),
    ('ben', 'call',  '100/month', '[2026-10-01,)'),
    ('cy',  'call',  '200/month', '[2026-10-16,)'),   -- hired on the 16th
    ('ada', 'email', '50/week',   '[2026-10-26,)'),
    ('ben', 'email', '0/month',   '[2026-10-01,)');   -- no quota: not ranked
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES
    ('ada', 'call',  '2026-10-10 12:00+00', 100),
    ('ada', 'call',  '2026-11-03 09:00+00', 40),
    ('ada', 'call',  '2026-11-15 11:00+00', 10),  -- as_of's day, before as_of: counts
    ('ada', 'call',  '2026-11-15 13:00+00', 7),   -- as_of's day, after as_of: not yet
    ('ada', 'email', '2026-10-27 10:00+00', 60),
    ('ben', 'call',  '2026-10-05 02:00+00', 80),
    ('ben', 'call',  '2026-10-31 16:30+00', 20),  -- 01:30 on 1 November in Tokyo
    ('cy',  'call',  '2026-10-20 15:00+00', 103),
    ('cy',  'call',  '2026-11-01 03:30+00', 5);   -- 23:30 on 31 October in New York (EDT)

-- October calls, all periods ended (elapsed 1):
--   ada: 100 / 100 = 1.0000, met; rank 2.
--   ben: 80 / 100 = 0.8000, missed, shortfall 20, shortfall rank 1; rank 3.
--   cy:  target 200 * 16/31 = 103.2258..., actual 103 + 5 = 108,
--        108 / (3200/31) = 3348/3200 = 1.04625 -> 1.0463, surplus 4.7742 -> 4.77; rank 1.
-- November calls at 2026-11-15 12:00 UTC, month of 30 days:
--   ada (UTC, 12:00 on the 15th): elapsed 14.5/30 = 0.48333, actual 40 + 10 = 50,
--        expected 48.33, pace 50/48.333 = 1.0345, projected 103.45, on_track; rank 1.
--   ben (Tokyo, 21:00 on the 15th): elapsed 14.875/30 = 0.49583, actual 20,
--        expected 49.58, pace 0.4034, projected 40.34, behind; rank 2.
--   cy (New York EST, 07:00 on the 15th): elapsed (14 + 7/24)/30 = 0.47639, actual 0,
--        expected 200 * 0.47639 = 95.28, pace 0, projected 0, behind; rank 3.
--   shortfalls 50, 80, 200: cy 1, ben 2, ada 3.
SELECT rep_id, period_start, period_end, target, actual, attainment, shortfall, surplus, met,
       elapsed, expected_to_date, projected, pace, status, attainment_rank, shortfall_rank
  FROM quota.progress_as_of('2026-11-15 12:00+00')
 WHERE kind = 'call'
 ORDER BY period_start, rep_id;

-- ada's emails, 50 a week from Monday 26 October: 60 in the first week (met,
-- 1.2000), none in the second (missed); the third week [9 Nov, 16 Nov) is at
-- 6.5 of 7 days: elapsed 0.9286, expected 46.43, behind.  The week containing
-- as_of is the last row.  ben's 0/month: attainment NULL, met, not ranked.
SELECT rep_id, period_unit, period_start, period_end, target, actual, attainment, met,
       elapsed, expected_to_date, status, attainment_rank, shortfall_rank
  FROM quota.progress_as_of('2026-11-15 12:00+00')
 WHERE kind = 'email'
 ORDER BY rep_id, period_start;

-- The day before cy's quota starts, the period containing as_of already meets
-- the assignment: cy's October is reported with nothing elapsed (on track).
SELECT period_start, target, actual, elapsed, expected_to_date, projected, pace, status
  FROM quota.progress_as_of('2026-10-15 12:00+00') WHERE rep_id = 'cy';

-- On cy's first day, at 06:00 in New York, 6 of 16 * 24 hours have elapsed:
-- elapsed 0.0156, and nothing done yet is still behind.
SELECT target, actual, elapsed, expected_to_date, projected, pace, status
  FROM quota.progress_as_of('2026-10-16 10:00+00') WHERE rep_id = 'cy';

-- At the very start of cy's quota, elapsed is 0: pace and projection are
-- undefined (NULL) and the rep is on track.
SELECT target, actual, elapsed, expected_to_date, projected, pace, status
  FROM quota.progress_as_of('2026-10-16 04:00+00') WHERE rep_id = 'cy';

-- Filters on kind and period_start reach the computation: periods are
-- filtered as they are generated, and assignments by kind as they are read,
-- before any total is summed.
CREATE FUNCTION pg_temp.plan_of(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN plan;
END
$$;
SELECT plan ~ 'Function Scan on periods p\s+Filter: \(lower\(period\) = ''2026-10-01''::date\)' AS periods_filtered_as_generated,
       plan ~ 'on assignment a\s+(Recheck Cond|Filter|Index Cond): \(kind = ''call''::text\)' AS assignments_filtered_by_kind
  FROM pg_temp.plan_of($q$SELECT rep_id, attainment FROM quota.progress_as_of('2026-11-15 12:00+00')
                          WHERE kind = 'call' AND period_start = '2026-10-01'$q$) AS plan;

-- Equal attainments share a rank exactly, whatever their fractions: 1 demo
-- of 1.5 and 2 of 3 are both 2/3 (as decimals, 1/1.5 and 2/3.00 come out
-- with different last digits), so both rank 1 and the next ranks 3.
INSERT INTO quota.rep (rep_id, name) VALUES ('dee', 'Dee'), ('eve', 'Eve'), ('fay', 'Fay');
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES
    ('dee', 'demo', '1.5/month', '[2026-10-01,2026-11-01)'),
    ('eve', 'demo', '3/month',   '[2026-10-01,2026-11-01)'),
    ('fay', 'demo', '3/month',   '[2026-10-01,2026-11-01)');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES
    ('dee', 'demo', '2026-10-07 12:00+00', 1),
    ('eve', 'demo', '2026-10-07 12:00+00', 2),
    ('fay', 'demo', '2026-10-07 12:00+00', 1);
SELECT rep_id, target, actual, attainment, attainment_rank
  FROM quota.progress_as_of('2026-11-15 12:00+00')
 WHERE kind = 'demo' ORDER BY attainment_rank, rep_id;

-- Without the ranks, which need every peer, a filter on rep_id reaches the
-- computation as well: ada's rows are those of the ranked function (October
-- 100 / 100 met; November at as_of elapsed 0.4833, 50 done, pace 1.0345; her
-- emails as above), and the assignments are read for ada only.
SELECT kind, period_start, target, actual, attainment, met, elapsed, pace, status
  FROM quota.progress_unranked_as_of('2026-11-15 12:00+00')
 WHERE rep_id = 'ada' ORDER BY kind, period_start;
SELECT (SELECT count(*) FROM (SELECT rep_id, team_id, kind, period_unit, period_start, period_end, target, actual,
                                     attainment, shortfall, surplus, met, elapsed, expected_to_date, projected, pace, status
                                FROM quota.progress_as_of('2026-11-15 12:00+00')
                              EXCEPT ALL
                              SELECT * FROM quota.progress_unranked_as_of('2026-11-15 12:00+00')) AS x) AS only_ranked,
       (SELECT count(*) FROM (SELECT * FROM quota.progress_unranked_as_of('2026-11-15 12:00+00')
                              EXCEPT ALL
                              SELECT rep_id, team_id, kind, period_unit, period_start, period_end, target, actual,
                                     attainment, shortfall, surplus, met, elapsed, expected_to_date, projected, pace, status
                                FROM quota.progress_as_of('2026-11-15 12:00+00')) AS x) AS only_unranked,
       (SELECT count(*) FROM quota.progress_unranked_as_of('2026-11-15 12:00+00')) AS rows;
SELECT plan ~ 'on assignment a\s+(Recheck Cond|Filter|Index Cond): \(rep_id = ''ada''::text\)' AS unranked_assignments_of_ada_only,
       plan ~ 'Scan[^\n]* on rep r(_1)?\s+(Recheck Cond|Filter|Index Cond): \(rep_id = ''ada''::text\)' AS unranked_rep_ada_only
  FROM pg_temp.plan_of($q$SELECT attainment FROM quota.progress_unranked_as_of('2026-11-15 12:00+00')
                          WHERE rep_id = 'ada' AND period_start = '2026-10-01'$q$) AS plan;
SELECT plan ~ 'on assignment a\s+(Recheck Cond|Filter|Index Cond): \(rep_id = ''ada''::text\)' AS ranked_assignments_of_ada_only
  FROM pg_temp.plan_of($q$SELECT attainment FROM quota.progress_as_of('2026-11-15 12:00+00')
                          WHERE rep_id = 'ada' AND period_start = '2026-10-01'$q$) AS plan;

-- A month that has ended and that one assignment covers whole counts its
-- month total, every rep's read at once: ada's, ben's and the demos'
-- October, not cy's (hired on the 16th), nor any November as of the 15th,
-- nor ada's weeks, which quota.rep_actual reads row by row.  A month total
-- is the sum of its rows: ada's October is 100 in quota.activity and 5 in
-- a tracked table, two rows of quota.month_total.  As of midnight UTC on 1
-- December, November has ended for ada (UTC: 40 + 10 + 7 = 57) and ben
-- (Tokyo: 20), not for cy (New York, 30 November: the 5 at 03:30 UTC on 1
-- November were October's, so 0).
CREATE SCHEMA pr;
CREATE TABLE pr.calls (call_id integer PRIMARY KEY, owner text, at timestamptz);
INSERT INTO pr.calls VALUES (1, 'ada', '2026-10-20 09:00+00'), (2, 'ada', '2026-10-21 09:00+00'),
    (3, 'ada', '2026-10-22 09:00+00'), (4, 'ada', '2026-10-23 09:00+00'), (5, 'ada', '2026-10-24 09:00+00');
SELECT quota.track('pr.calls', 'call', 'owner', 'at') AS counted;
SELECT (SELECT count(*) FROM quota.month_total WHERE rep_id = 'ada' AND kind = 'call' AND month = '2026-10-01') AS month_rows,
       (SELECT actual FROM quota.progress_exact_as_of('2026-11-15 12:00+00')
         WHERE rep_id = 'ada' AND kind = 'call' AND period_start = '2026-10-01') AS october;
SELECT rep_id, actual, ended
  FROM quota.progress_exact_as_of('2026-12-01 00:00+00')
 WHERE kind = 'call' AND period_start = '2026-11-01' ORDER BY rep_id;
-- At 10:30 UTC on 30 November it is 00:30 on 1 December in Kiritimati
-- (UTC+14), the zone furthest ahead: kit's November has ended, and its
-- month total counts (3), while ada's has not.
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('kit', 'Kit', 'Pacific/Kiritimati');
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES ('kit', 'call', '10/month', '[2026-10-01,)');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES ('kit', 'call', '2026-11-10 00:00+00', 3);
SELECT rep_id, actual, ended
  FROM quota.progress_exact_as_of('2026-11-30 10:30+00')
 WHERE rep_id IN ('ada', 'kit') AND kind = 'call' AND period_start = '2026-11-01' ORDER BY rep_id;
-- Each row's actual, however read, is what quota.rep_actual gives for the
-- parts of the period the rep's assignments cover.
SELECT m.as_of AT TIME ZONE 'UTC' AS as_of_utc, count(*) AS rows, count(*) FILTER (WHERE e.actual IS DISTINCT FROM x.actual) AS differing
  FROM (VALUES (timestamptz '2026-11-15 12:00+00'), ('2026-11-30 10:30+00'), ('2026-12-01 00:00+00'),
               ('2026-12-01 10:00+00')) AS m(as_of)
 CROSS JOIN LATERAL quota.progress_exact_as_of(m.as_of) AS e
 CROSS JOIN LATERAL (SELECT sum(act.qty)
                       FROM quota.assignment a
                       JOIN quota.rep r ON r.rep_id = a.rep_id
                      CROSS JOIN LATERAL quota.rep_actual(a.rep_id, r.time_zone, a.kind,
                                                          a.valid * daterange(e.period_start, e.period_end), m.as_of) AS act
                      WHERE a.rep_id = e.rep_id AND a.kind = e.kind AND quota.unit(a.target) = e.period_unit
                        AND a.valid && daterange(e.period_start, e.period_end)) AS x(actual)
 GROUP BY m.as_of ORDER BY m.as_of;
-- A filter on period_start reaches quota.month_total: it reads that month.
SELECT plan ~ 'on month_total m\s+(Recheck Cond|Filter|Index Cond): [^\n]*month = ''2026-10-01''::date' AS month_totals_of_october_only
  FROM pg_temp.plan_of($q$SELECT actual FROM quota.progress_as_of('2026-11-15 12:00+00')
                          WHERE period_start = '2026-10-01'$q$) AS plan;

-- The view is progress as of now.
SELECT count(*) = (SELECT count(*) FROM quota.progress_as_of(now())) AS same_rows
  FROM quota.progress;
ROLLBACK;
