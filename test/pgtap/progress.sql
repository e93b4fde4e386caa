-- quota.progress_as_of at fixed moments, every figure worked out by hand from
-- the formulas of the domain (target prorated by calendar days, elapsed on
-- the rep's wall clock, attainment, shortfall, pace, projection, status and
-- ranks).  Each scenario uses its own kind so that ranks stay independent.
BEGIN;
SELECT plan(22);

INSERT INTO quota.team (team_id, name) VALUES ('advisors', 'Financial advisors'), ('inside', 'Inside sales');
INSERT INTO quota.rep (rep_id, name, team_id, time_zone) VALUES
    ('p_lena',  'Lena, hired 16 November', 'advisors', 'Europe/Helsinki'),
    ('p_maya',  'Maya, weekly quota',      'advisors', 'Europe/Stockholm'),
    ('p_stat1', 'Status 1', 'inside', 'UTC'),
    ('p_stat2', 'Status 2', 'inside', 'UTC'),
    ('p_stat3', 'Status 3', 'inside', 'UTC'),
    ('p_stat4', 'Status 4', 'inside', 'UTC'),
    ('p_r1', 'Rank 1', 'inside', 'UTC'),
    ('p_r2', 'Rank 2', 'inside', 'UTC'),
    ('p_r3', 'Rank 3', 'inside', 'UTC'),
    ('p_r4', 'Rank 4, no quota', 'inside', 'UTC'),
    ('p_cut', 'Cut within a day', 'inside', 'UTC'),
    ('p_tokyo', 'Rep in Tokyo', 'inside', 'Asia/Tokyo'),
    ('p_part', 'Quota over part of a month', 'inside', 'UTC');

-- 1. The domain example.  Lena (Helsinki, EET +02 in November) is hired on
-- 16 November with 120 calls/month and makes 5 calls a day from the 16th to
-- the 22nd: 35.  A call on the 10th (before her quota) and one on the 23rd
-- at 08:00 (after the moment of the report) do not count.
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES ('p_lena', 'call', '120/month', '[2026-11-16,)');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty)
SELECT 'p_lena', 'call', (d + time '11:00') AT TIME ZONE 'Europe/Helsinki', 5
  FROM generate_series(date '2026-11-16', date '2026-11-22', interval '1 day') AS d;
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES
    ('p_lena', 'call', '2026-11-10 11:00 Europe/Helsinki', 9),
    ('p_lena', 'call', '2026-11-23 08:00 Europe/Helsinki', 6);

-- At local midnight of 23 November:
--   target    = 120 * 15/30 (16-30 Nov of a 30-day month)  = 60.00
--   actual    = 5 * 7                                      = 35
--   attainment= 35 / 60 = 0.58333                          -> 0.5833
--   shortfall = max(60 - 35, 0) = 25.00; surplus = 0.00; met = false
--   elapsed   = 7 days (16..22) / 15 days = 0.46667         -> 0.4667
--   expected  = 60 * 7/15                                   = 28.00
--   projected = 35 / (7/15) = 75.00; pace = 35 / 28         = 1.2500
--   status    = on_track (75 >= 60); alone in its kind: ranks 1 and 1
SELECT results_eq(
    $$SELECT team_id, period_unit, period_start, period_end, target, actual, attainment, shortfall, surplus, met,
             elapsed, expected_to_date, projected, pace, status, attainment_rank, shortfall_rank
        FROM quota.progress_as_of('2026-11-23 00:00 Europe/Helsinki') WHERE rep_id = 'p_lena'$$,
    $$VALUES ('advisors', 'month', '2026-11-01'::date, '2026-12-01'::date, 60.00, 35::numeric, 0.5833, 25.00, 0.00, false,
              0.4667, 28.00, 75.00, 1.2500, 'on_track', 1, 1)$$,
    'domain example: hired 16 Nov on 120/month, 35 done at local midnight of 23 Nov');

-- At 12:00 Helsinki on the 23rd the 08:00 call counts: 35 + 6 = 41;
-- elapsed = 7.5 / 15 = 0.5000; expected = 60 * 0.5 = 30.00;
-- projected = 41 / 0.5 = 82.00; pace = 41 / 30 = 1.36667 -> 1.3667.
SELECT results_eq(
    $$SELECT actual, elapsed, expected_to_date, projected, pace, status
        FROM quota.progress_as_of('2026-11-23 12:00 Europe/Helsinki') WHERE rep_id = 'p_lena'$$,
    $$VALUES (41::numeric, 0.5000, 30.00, 82.00, 1.3667, 'on_track')$$,
    'domain example at noon of the 23rd: the call of that morning counts');

-- Before the first period of the quota (October) there is nothing to report.
SELECT is_empty(
    $$SELECT * FROM quota.progress_as_of('2026-10-15 12:00 Europe/Helsinki') WHERE rep_id = 'p_lena'$$,
    'no progress rows before the first period of an assignment');

-- 2. A weekly quota of 250 seen over November (Sunday 1st to Monday 30th):
-- weeks start on Monday, so November meets 1 day of the week of 26 Oct,
-- 4 whole weeks (2-29 Nov) and 1 day of the week of 30 Nov:
-- 250 * (1/7 + 4 + 1/7) = 250 * 30/7 = 7500/7 = 1071.428571... -> 1071.43.
SELECT is(round(quota.target_for('250/week', '[2026-11-01,2026-12-01)'), 2), 1071.43,
          'a weekly quota of 250 over November is 250 * 30/7 = 1071.43');

-- Maya (Stockholm, CET +01) has 250 social contacts a week from Monday 2
-- November.  Week of 2 Nov: 130 + 130 = 260.  Week of 9 Nov: 100 on the
-- 10th; 50 on the 11th at 13:00 come after the report (12:00 on the 11th);
-- 77 on Sunday 1 Nov come before the quota.
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES ('p_maya', 'social_contact', '250/week', '[2026-11-02,)');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES
    ('p_maya', 'social_contact', '2026-11-01 10:00 Europe/Stockholm', 77),
    ('p_maya', 'social_contact', '2026-11-03 10:00 Europe/Stockholm', 130),
    ('p_maya', 'social_contact', '2026-11-06 10:00 Europe/Stockholm', 130),
    ('p_maya', 'social_contact', '2026-11-10 10:00 Europe/Stockholm', 100),
    ('p_maya', 'social_contact', '2026-11-11 13:00 Europe/Stockholm', 50);
-- Week of 2 Nov (ended): target 250.00, actual 260, attainment 260/250 = 1.0400,
--   shortfall 0.00, surplus 10.00, met, elapsed 1, expected 250.00,
--   projected 260.00, pace 260/250 = 1.0400, status met, rank 1, no shortfall rank.
-- Week of 9 Nov at Wednesday 11th 12:00: actual 100, attainment 0.4000,
--   shortfall 150.00, elapsed 2.5/7 = 0.357142... -> 0.3571,
--   expected 250 * 2.5/7 = 89.2857... -> 89.29, projected 100 * 7/2.5 = 280.00,
--   pace 100 / (250 * 2.5/7) = 700/625 = 1.1200, on_track (280 >= 250), ranks 1 and 1.
SELECT results_eq(
    $$SELECT period_unit, period_start, period_end, target, actual, attainment, shortfall, surplus, met,
             elapsed, expected_to_date, projected, pace, status, attainment_rank, shortfall_rank
        FROM quota.progress_as_of('2026-11-11 12:00 Europe/Stockholm') WHERE rep_id = 'p_maya' ORDER BY period_start$$,
    $$VALUES ('week', '2026-11-02'::date, '2026-11-09'::date, 250.00, 260::numeric, 1.0400, 0.00, 10.00, true,
              1.0000, 250.00, 260.00, 1.0400, 'met', 1, NULL::integer),
             ('week', '2026-11-09'::date, '2026-11-16'::date, 250.00, 100::numeric, 0.4000, 150.00, 0.00, false,
              0.3571, 89.29, 280.00, 1.1200, 'on_track', 1, 1)$$,
    'weekly quota of 250: a week met and a week on track');

-- 3. Statuses, at 16 November 00:00 UTC, of 10 meetings/month from 1 October
-- (p_stat1, p_stat2), from 1 November (p_stat3) and from 20 November (p_stat4).
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES
    ('p_stat1', 'meeting', '10/month', '[2026-10-01,)'),
    ('p_stat2', 'meeting', '10/month', '[2026-10-01,)'),
    ('p_stat3', 'meeting', '10/month', '[2026-11-01,)'),
    ('p_stat4', 'meeting', '10/month', '[2026-11-20,)');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES
    ('p_stat1', 'meeting', '2026-10-12 10:00+00', 6),
    ('p_stat1', 'meeting', '2026-11-03 10:00+00', 4),
    ('p_stat2', 'meeting', '2026-10-12 10:00+00', 12),
    ('p_stat2', 'meeting', '2026-11-03 10:00+00', 5),
    ('p_stat3', 'meeting', '2026-11-03 10:00+00', 10);
-- October (ended, elapsed 1):
--   p_stat1: 6 < 10 -> missed; attainment 0.6000, shortfall 4.00
--   p_stat2: 12 >= 10 -> met; attainment 1.2000, surplus 2.00
--   attainment ranks: p_stat2 (1.2) 1, p_stat1 (0.6) 2; shortfall rank: p_stat1 1 only.
SELECT results_eq(
    $$SELECT rep_id, target, actual, attainment, shortfall, surplus, met, elapsed, status, attainment_rank, shortfall_rank
        FROM quota.progress_as_of('2026-11-16 00:00+00')
       WHERE kind = 'meeting' AND period_start = '2026-10-01' ORDER BY rep_id$$,
    $$VALUES ('p_stat1', 10.00, 6::numeric, 0.6000, 4.00, 0.00, false, 1.0000, 'missed', 2, 1),
             ('p_stat2', 10.00, 12::numeric, 1.2000, 0.00, 2.00, true, 1.0000, 'met', 1, NULL::integer)$$,
    'an ended period is met or missed');
-- November at 16 Nov 00:00 UTC, elapsed 15/30 = 0.5000 for a whole month:
--   p_stat1: 4; expected 5.00; projected 4/0.5 = 8.00 < 10 -> behind; pace 4/5 = 0.8000
--   p_stat2: 5; expected 5.00; projected 10.00 >= 10 -> on_track (the boundary); pace 1.0000
--   p_stat3: 10 >= 10 -> met before the month ends; projected 20.00; pace 2.0000
--   p_stat4: window [20 Nov, 1 Dec) = 11 days: target 10 * 11/30 = 3.6667 -> 3.67;
--            elapsed 0 (not started): expected 0.00, projected and pace NULL, on_track
--   attainment: p_stat3 1.0, p_stat2 0.5, p_stat1 0.4, p_stat4 0/3.67 = 0 -> ranks 1, 2, 3, 4
--   shortfall:  p_stat1 6, p_stat2 5, p_stat4 3.67 -> ranks 1, 2, 3; p_stat3 met: NULL
SELECT results_eq(
    $$SELECT rep_id, target, actual, attainment, shortfall, met, elapsed, expected_to_date, projected, pace, status,
             attainment_rank, shortfall_rank
        FROM quota.progress_as_of('2026-11-16 00:00+00')
       WHERE kind = 'meeting' AND period_start = '2026-11-01' ORDER BY rep_id$$,
    $$VALUES ('p_stat1', 10.00, 4::numeric, 0.4000, 6.00, false, 0.5000, 5.00, 8.00, 0.8000, 'behind', 3, 1),
             ('p_stat2', 10.00, 5::numeric, 0.5000, 5.00, false, 0.5000, 5.00, 10.00, 1.0000, 'on_track', 2, 2),
             ('p_stat3', 10.00, 10::numeric, 1.0000, 0.00, true, 0.5000, 5.00, 20.00, 2.0000, 'met', 1, NULL::integer),
             ('p_stat4', 3.67, 0::numeric, 0.0000, 3.67, false, 0.0000, 0.00, NULL, NULL, 'on_track', 4, 3)$$,
    'an open period is met, on track or behind; nothing elapsed means on track with no pace');

-- 4. Ranks in October (ended) for demos:
--   p_r1 10/month, 8 done: attainment 0.8000, shortfall 2.00
--   p_r3 20/month, 16 done: attainment 0.8000 (a tie with p_r1), shortfall 4.00
--   p_r2 10/month, 5 done: attainment 0.5000, shortfall 5.00
--   p_r4 0/month, 3 done: no quota -> attainment NULL, not ranked; 3 >= 0 -> met, surplus 3.00
--   attainment ranks: p_r1 and p_r3 share 1, p_r2 is 3 (rank() semantics)
--   shortfall ranks: p_r2 (5) 1, p_r3 (4) 2, p_r1 (2) 3
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES
    ('p_r1', 'demo', '10/month', '[2026-10-01,2026-11-01)'),
    ('p_r2', 'demo', '10/month', '[2026-10-01,2026-11-01)'),
    ('p_r3', 'demo', '20/month', '[2026-10-01,2026-11-01)'),
    ('p_r4', 'demo', '0/month',  '[2026-10-01,2026-11-01)');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES
    ('p_r1', 'demo', '2026-10-07 10:00+00', 8),
    ('p_r2', 'demo', '2026-10-07 10:00+00', 5),
    ('p_r3', 'demo', '2026-10-07 10:00+00', 10),
    ('p_r3', 'demo', '2026-10-21 10:00+00', 6),
    ('p_r4', 'demo', '2026-10-07 10:00+00', 3);
SELECT results_eq(
    $$SELECT rep_id, target, actual, attainment, shortfall, surplus, met, status, attainment_rank, shortfall_rank
        FROM quota.progress_as_of('2026-11-16 00:00+00') WHERE kind = 'demo' ORDER BY rep_id$$,
    $$VALUES ('p_r1', 10.00, 8::numeric, 0.8000, 2.00, 0.00, false, 'missed', 1, 3),
             ('p_r2', 10.00, 5::numeric, 0.5000, 5.00, 0.00, false, 'missed', 3, 1),
             ('p_r3', 20.00, 16::numeric, 0.8000, 4.00, 0.00, false, 'missed', 1, 2),
             ('p_r4', 0.00, 3::numeric, NULL, 0.00, 3.00, true, 'met', NULL::integer, NULL::integer)$$,
    'ties share a rank and the next rank is 3; no quota means no attainment and no rank');
SELECT results_eq(
    $$SELECT rep_id FROM quota.progress_as_of('2026-11-16 00:00+00')
       WHERE kind = 'demo' AND shortfall_rank IS NOT NULL ORDER BY shortfall_rank$$,
    $$VALUES ('p_r2'), ('p_r3'), ('p_r1')$$,
    'the shortfall ranking puts the largest shortfall first');

-- 5. The moment of the report cuts within a day.  p_cut (UTC), 100 emails/month
-- from 1 November: 3 on the 10th; on the 16th 2 at 08:00, 4 at 12:00, 8 at 18:00.
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES ('p_cut', 'email', '100/month', '[2026-11-01,)');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES
    ('p_cut', 'email', '2026-11-10 09:00+00', 3),
    ('p_cut', 'email', '2026-11-16 08:00+00', 2),
    ('p_cut', 'email', '2026-11-16 12:00+00', 4),
    ('p_cut', 'email', '2026-11-16 18:00+00', 8);
-- at 16 Nov 12:00: 3 + 2 = 5 (the 12:00 row is not before the moment);
-- elapsed = 15.5 / 30 = 0.51667 -> 0.5167
SELECT results_eq(
    $$SELECT actual, elapsed FROM quota.progress_as_of('2026-11-16 12:00+00') WHERE rep_id = 'p_cut'$$,
    $$VALUES (5::numeric, 0.5167)$$,
    'activity at or after the moment on the same day is not counted (3 + 2 = 5)');
SELECT is((SELECT actual FROM quota.progress_as_of('2026-11-16 12:00:00.000001+00') WHERE rep_id = 'p_cut'), 9::numeric,
          'one microsecond later the 12:00 row counts (3 + 2 + 4 = 9)');
SELECT is((SELECT actual FROM quota.progress_as_of('2026-11-17 00:00+00') WHERE rep_id = 'p_cut'), 17::numeric,
          'at the next midnight the whole day counts (3 + 2 + 4 + 8 = 17)');

-- 6. A rep whose midnight is not UTC's: p_tokyo (+09), 30 opportunities/month
-- from 1 October.  UTC -> Tokyo: 31 Oct 14:00 -> 31 Oct 23:00 (1);
-- 31 Oct 16:30 -> 1 Nov 01:30 (2); 15 Nov 14:30 -> 15 Nov 23:30 (4);
-- 15 Nov 15:30 -> 16 Nov 00:30 (8).
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES ('p_tokyo', 'opportunity', '30/month', '[2026-10-01,)');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES
    ('p_tokyo', 'opportunity', '2026-10-31 14:00+00', 1),
    ('p_tokyo', 'opportunity', '2026-10-31 16:30+00', 2),
    ('p_tokyo', 'opportunity', '2026-11-15 14:30+00', 4),
    ('p_tokyo', 'opportunity', '2026-11-15 15:30+00', 8);
-- At 15 Nov 15:00 UTC = 16 Nov 00:00 Tokyo:
--   October: actual 1 -> missed, attainment 1/30 = 0.0333, elapsed 1, expected 30.00,
--            projected 1/1 = 1.00, pace 1/30 = 0.0333
--   November: actual 2 + 4 = 6; elapsed 15/30 = 0.5000 (in UTC it would be
--   14.625/30); expected 15.00; projected 12.00; pace 6/15 = 0.4000; behind
SELECT results_eq(
    $$SELECT period_start, target, actual, attainment, elapsed, expected_to_date, projected, pace, status
        FROM quota.progress_as_of('2026-11-15 15:00+00') WHERE rep_id = 'p_tokyo' ORDER BY period_start$$,
    $$VALUES ('2026-10-01'::date, 30.00, 1::numeric, 0.0333, 1.0000, 30.00, 1.00, 0.0333, 'missed'),
             ('2026-11-01'::date, 30.00, 6::numeric, 0.2000, 0.5000, 15.00, 12.00, 0.4000, 'behind')$$,
    'a Tokyo rep''s days and elapsed time follow Tokyo''s midnight');
-- 45 minutes later (16 Nov 00:45 Tokyo) the 00:30 row of the new local day counts: 6 + 8 = 14
SELECT is((SELECT actual FROM quota.progress_as_of('2026-11-15 15:45+00') WHERE rep_id = 'p_tokyo' AND period_start = '2026-11-01'),
          14::numeric, 'activity of the rep''s current local day before the moment counts (6 + 8 = 14)');

-- 7. A quota valid over part of a period: p_part (UTC), 100 units/month valid
-- [11 Oct, 21 Oct) = 10 days of a 31-day month.  Units: 50 on 5 Oct (before),
-- 7 on 11 Oct 00:00, 3 on 20 Oct 23:59, 40 on 21 Oct 00:00 (after).
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES ('p_part', 'units_sold', '100/month', '[2026-10-11,2026-10-21)');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES
    ('p_part', 'units_sold', '2026-10-05 10:00+00', 50),
    ('p_part', 'units_sold', '2026-10-11 00:00+00', 7),
    ('p_part', 'units_sold', '2026-10-20 23:59+00', 3),
    ('p_part', 'units_sold', '2026-10-21 00:00+00', 40);
-- After the window: target 100 * 10/31 = 32.258... -> 32.26; actual 7 + 3 = 10;
--   attainment 10 / (1000/31) = 0.3100; shortfall 22.258... -> 22.26; elapsed 1;
--   expected 32.26; projected 10.00; pace 0.3100; missed
SELECT results_eq(
    $$SELECT period_start, period_end, target, actual, attainment, shortfall, elapsed, expected_to_date, projected, pace, status
        FROM quota.progress_as_of('2026-11-16 00:00+00') WHERE rep_id = 'p_part'$$,
    $$VALUES ('2026-10-01'::date, '2026-11-01'::date, 32.26, 10::numeric, 0.3100, 22.26, 1.0000, 32.26, 10.00, 0.3100, 'missed')$$,
    'a quota over part of a month: prorated target, only the window''s activity');
-- At 16 Oct 00:00, halfway through the window: elapsed 5/10 = 0.5000;
--   actual 7 (the 20 Oct row is later); expected (1000/31) * 0.5 = 16.129 -> 16.13;
--   projected 7 / 0.5 = 14.00; pace 7 / (500/31) = 217/500 = 0.4340;
--   behind (14 < 32.26)
SELECT results_eq(
    $$SELECT target, actual, elapsed, expected_to_date, projected, pace, status
        FROM quota.progress_as_of('2026-10-16 00:00+00') WHERE rep_id = 'p_part'$$,
    $$VALUES (32.26, 7::numeric, 0.5000, 16.13, 14.00, 0.4340, 'behind')$$,
    'elapsed time is measured over the window of the quota, not the whole month');

-- 8. Elapsed time runs on the rep's wall clock, also on a daylight-saving
-- day.  Helsinki leaves summer time on Sunday 25 October 2026 (04:00 EEST ->
-- 03:00 EET), a day of 25 hours.  p_dst has 4 statements of work per day on
-- that day only and delivers 1 at 09:00.  At 12:00 local time (10:00+00):
--   wall clock: 12 h of a 24 h day -> elapsed 0.5000 (13 of 25 real hours would be 0.52)
--   target 4.00; expected 4 * 0.5 = 2.00; projected 1 / 0.5 = 2.00; pace 1/2 = 0.5000;
--   behind (2 < 4)
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('p_dst', 'Rep in Helsinki on the day clocks go back', 'Europe/Helsinki');
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES ('p_dst', 'statement_of_work', '4/day', '[2026-10-25,2026-10-26)');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES ('p_dst', 'statement_of_work', '2026-10-25 09:00 Europe/Helsinki', 1);
SELECT results_eq(
    $$SELECT period_unit, period_start, period_end, target, actual, elapsed, expected_to_date, projected, pace, status
        FROM quota.progress_as_of('2026-10-25 10:00+00') WHERE rep_id = 'p_dst'$$,
    $$VALUES ('day', '2026-10-25'::date, '2026-10-26'::date, 4.00, 1::numeric, 0.5000, 2.00, 2.00, 0.5000, 'behind')$$,
    'elapsed follows the wall clock on a 25-hour day');

-- 9. quota.progress is quota.progress_as_of(now()).
SELECT cmp_ok((SELECT count(*)::int FROM quota.progress), '>=', 10,
              'quota.progress has rows for the assignments above (the next test is not vacuous)');
SELECT bag_eq('SELECT * FROM quota.progress', 'SELECT * FROM quota.progress_as_of(now())',
              'quota.progress equals quota.progress_as_of(now())');

-- Totals behind the figures are sound.
SELECT is_empty('SELECT * FROM quota.verify()', 'verify() is empty');

-- The figures follow later changes of activity at once (live totals):
-- p_r2 gets 5 more demos in October: 10 of 10 -> met, attainment 1.0000, rank 1;
-- p_r1 and p_r3 (0.8) now share rank 2.
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES ('p_r2', 'demo', '2026-10-30 10:00+00', 5);
SELECT results_eq(
    $$SELECT rep_id, actual, attainment, met, attainment_rank FROM quota.progress_as_of('2026-11-16 00:00+00')
       WHERE kind = 'demo' AND rep_id <> 'p_r4' ORDER BY rep_id$$,
    $$VALUES ('p_r1', 8::numeric, 0.8000, false, 2), ('p_r2', 10::numeric, 1.0000, true, 1), ('p_r3', 16::numeric, 0.8000, false, 2)$$,
    'progress follows new activity at once');

-- The session's time zone does not change any figure.
CREATE TEMP TABLE progress_utc AS SELECT * FROM quota.progress_as_of('2026-11-16 00:00+00');
SET LOCAL TimeZone = 'America/Los_Angeles';
SELECT bag_eq('SELECT * FROM quota.progress_as_of(''2026-11-16 00:00+00'')', 'SELECT * FROM progress_utc',
              'progress does not depend on the session''s time zone');

SELECT * FROM finish();
ROLLBACK;
