-- plans: the plans of 0.2.  Effective-dated changes of quota
-- (quota.change_quota) and their append-only history, ramps for new hires,
-- seasonal distributions, business days and holidays, through
-- quota.target_for, quota.elapsed and the progress, team progress,
-- scoreboard and payout functions.  Every figure is derived by hand in the
-- comments, by the rule of domain.md on a schedule:
--
--   target of an assignment over R = sum over the periods p of its unit of
--       amount * weight(p ∩ R ∩ valid) / weight(p)
--
-- where a day weighs 1 (quota.proration = calendar_days), or 1 from Monday
-- to Friday unless it is a holiday (business_days); with a distribution, its
-- month's percentage shared among the counting days of the month; with a
-- ramp, times the factor of the ramp step it falls in (0 before ramp_start,
-- 1 after the last step).  Everyone is in UTC; nothing depends on today.
--
-- Errors show their message, detail and hint, then their SQLSTATE; the
-- PL/pgSQL context lines are left out.  Errors whose message would show a
-- generated key (which depends on the tests run before) are shown tersely,
-- and assignments are told apart by their order, not by their keys.
\set SHOW_CONTEXT never

-- A role that manages quotas and owns nothing: roles are created outside a
-- transaction, and dropped at the end.
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_plans_manager;
CREATE ROLE regress_plans_manager;
RESET client_min_messages;

BEGIN;
SET LOCAL datestyle = 'ISO, YMD';

--------------------------------------------------------------------------
-- 1. quota.change_quota(rep, kind, quota, from_day) and the history.
--
-- Raj has made 150 calls a month since 1 October; from 16 November he owes
-- 180 a month.  The change ends the old assignment on 15 November (valid
-- [2026-10-01,2026-11-16)) and starts a new one on the 16th with the old
-- one's end (none); it returns the new assignment's id.
INSERT INTO quota.team (team_id, name) VALUES ('pl_east', 'East');
INSERT INTO quota.rep (rep_id, name, team_id) VALUES ('raj', 'Raj', 'pl_east');
INSERT INTO quota.assignment (rep_id, kind, target, valid)
    VALUES ('raj', 'call', '150/month', '[2026-10-01,)');
SELECT quota.change_quota('raj', 'call', '180/month', '2026-11-16') AS changed \gset
SELECT target, valid, upper(valid) - 1 AS last_day, assignment_id = :changed AS returned
  FROM quota.assignment WHERE rep_id = 'raj' ORDER BY lower(valid);

-- Calls: 140 in October, 60 on 5 November (under the old quota), 50 on
-- 20 November (under the new one); as_of is 2026-11-23 00:00 UTC.
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES
    ('raj', 'call', '2026-10-10 10:00+00', 140),
    ('raj', 'call', '2026-11-05 10:00+00', 60),
    ('raj', 'call', '2026-11-20 10:00+00', 50);

-- October: 150, 140 done: attainment 0.9333, shortfall 10.00, missed.
-- November, ONE row, prorated across the change:
--   target 150 * 15/30 + 180 * 15/30 = 75 + 90 = 165.00; actual 60 + 50 = 110;
--   attainment 110/165 = 0.6667, shortfall 55.00.
--   elapsed: the old part [1 Nov, 16 Nov) is over (1), the new part
--   [16 Nov, 1 Dec) is at 7 of 15 days; weighted by their targets:
--   (75 * 1 + 90 * 7/15) / 165 = (75 + 42) / 165 = 117/165 = 0.70909 -> 0.7091;
--   expected 165 * 117/165 = 117.00; pace 110/117 = 0.94017 -> 0.9402;
--   projected 110 / (117/165) = 18150/117 = 155.128 -> 155.13 < 165: behind.
SELECT period_start, period_end, target, actual, attainment, shortfall, met,
       elapsed, expected_to_date, projected, pace, status
  FROM quota.progress_as_of('2026-11-23 00:00+00')
 WHERE rep_id = 'raj' ORDER BY period_start;

-- The team (Raj alone, no quota of its own) sums his November: one row,
-- target 165.00, actual 110; a team's period elapses on the team's clock
-- over the whole period: 22/30 = 0.7333, expected 165 * 22/30 = 121.00.
SELECT team_id, period_start, target, actual, members, elapsed, expected_to_date
  FROM quota.team_progress_as_of('2026-11-23 00:00+00')
 WHERE team_id = 'pl_east' AND period_start = '2026-11-01';

-- A pay plan on his calls from November (bands [0,0.5) 0, [0.5,1.0) 1.0,
-- [1.0,) 1.5; marginal, base 1,000): one November row on the exact
-- attainment of both parts, 110/165 = 2/3:
--   1,000 * (2/3 - 0.5) * 1.0 = 166.666... -> 166.67; not final.
INSERT INTO quota.tier_set (tier_set_id, measure) VALUES ('pl_std', 'attainment');
INSERT INTO quota.tier (tier_set_id, band, rate) VALUES
    ('pl_std', '[0,0.5)', 0), ('pl_std', '[0.5,1.0)', 1.0), ('pl_std', '[1.0,)', 1.5);
INSERT INTO quota.plan (rep_id, kind, tier_set_id, base, method, valid)
    VALUES ('raj', 'call', 'pl_std', 1000, 'marginal', '[2026-11-01,)');
SELECT period_start, period_end, measure, payout, final
  FROM quota.payout_as_of('2026-11-23 00:00+00') WHERE rep_id = 'raj';

-- A change on the day an assignment starts changes it in place (same id):
-- 200 a month from the 16th makes November 75 + 200 * 15/30 = 175.00.
SELECT quota.change_quota('raj', 'call', '200/month', '2026-11-16') = :changed AS same_assignment;
SELECT period_start, target FROM quota.progress_as_of('2026-11-23 00:00+00')
 WHERE rep_id = 'raj' AND period_start = '2026-11-01';

-- No assignment in force on the day: a new one runs until the next one
-- starts.  120 calls a month from 1 September runs to 30 September (the
-- next starts 1 October); 300 emails a month from 1 November has no end.
-- Then 130 calls from 16 September splits the September one, keeping its
-- end: September owes 120 * 15/30 + 130 * 15/30 = 60 + 65 = 125.00.
-- Each call returns the assignment holding the new quota (returned_by).
SELECT quota.change_quota('raj', 'call', '120/month', '2026-09-01') AS sep_1 \gset
SELECT quota.change_quota('raj', 'email', '300/month', '2026-11-01') AS emails \gset
SELECT quota.change_quota('raj', 'call', '130/month', '2026-09-16') AS sep_16 \gset
SELECT kind, target, valid,
       CASE assignment_id WHEN :sep_1 THEN 'Sep 1' WHEN :emails THEN 'emails'
                          WHEN :sep_16 THEN 'Sep 16' WHEN :changed THEN 'Nov 16' END AS returned_by
  FROM quota.assignment WHERE rep_id = 'raj' ORDER BY kind, lower(valid);
SELECT kind, period_start, target FROM quota.progress_as_of('2026-11-23 00:00+00')
 WHERE rep_id = 'raj' ORDER BY kind, period_start;

-- The history of these changes, in order; "assignment" numbers Raj's
-- assignments in the order they were made: 1 Oct 150, 2 Nov 180 (then 200),
-- 3 Sep 120, 4 emails, 5 Sep 130.
--    1 INSERT 1: 150/month [2026-10-01,)
--    2 UPDATE 1: ends 15 Nov, [2026-10-01,) -> [2026-10-01,2026-11-16)
--    3 INSERT 2: 180/month [2026-11-16,)
--    4 UPDATE 2: 180/month -> 200/month, same dates
--    5 INSERT 3: 120/month [2026-09-01,2026-10-01)
--    6 INSERT 4: emails 300/month [2026-11-01,)
--    7 UPDATE 3: [2026-09-01,2026-10-01) -> [2026-09-01,2026-09-16)
--    8 INSERT 5: 130/month [2026-09-16,2026-10-01)
-- all by the role running this test, which owns the extension.
SELECT row_number() OVER (ORDER BY h.history_id) AS n, h.operation,
       dense_rank() OVER (ORDER BY h.assignment_id) AS assignment, h.kind,
       h.old_row ->> 'target' AS old_target, h.old_row ->> 'valid' AS old_valid,
       h.new_row ->> 'target' AS new_target, h.new_row ->> 'valid' AS new_valid,
       h.changed_by = current_user AS by_me,
       (h.new_row ->> 'assignment_id')::bigint = h.assignment_id
           OR (h.new_row IS NULL AND (h.old_row ->> 'assignment_id')::bigint = h.assignment_id) AS row_matches
  FROM quota.assignment_history h
 WHERE h.rep_id = 'raj'
 ORDER BY h.history_id;

-- A manager who is no owner: may read, insert and update assignments and
-- run change_quota, and nothing more.  She changes Raj's calls to 210 a
-- month from 1 December (the 200 one now ends 30 November) and gives him a
-- demo quota directly; both are in the history under her name.
GRANT USAGE ON SCHEMA quota TO regress_plans_manager;
GRANT SELECT, INSERT, UPDATE ON quota.assignment TO regress_plans_manager;
GRANT EXECUTE ON FUNCTION quota.change_quota(text, text, quota.quota, date) TO regress_plans_manager;
SET ROLE regress_plans_manager;
SELECT quota.change_quota('raj', 'call', '210/month', '2026-12-01') AS dec_1 \gset
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES ('raj', 'demo', '10/month', '[2026-12-01,)');
-- She cannot write the history (42501): no privilege on it at all.
SAVEPOINT s;
INSERT INTO quota.assignment_history (assignment_id, kind, operation, changed_by)
    VALUES (1, 'call', 'INSERT', 'regress_plans_manager');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
UPDATE quota.assignment_history SET changed_by = 'someone' WHERE rep_id = 'raj';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
DELETE FROM quota.assignment_history WHERE rep_id = 'raj';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
RESET ROLE;

-- Her three rows: the 200 one ended (UPDATE, [2026-11-16,) ->
-- [2026-11-16,2026-12-01)), the 210 one (INSERT [2026-12-01,), the one
-- change_quota returned), the demos.
SELECT h.operation, h.kind, h.old_row ->> 'target' AS old_target, h.old_row ->> 'valid' AS old_valid,
       h.new_row ->> 'target' AS new_target, h.new_row ->> 'valid' AS new_valid, h.changed_by,
       h.assignment_id = :dec_1 AS returned
  FROM quota.assignment_history h
 WHERE h.rep_id = 'raj' AND h.changed_by <> current_user
 ORDER BY h.history_id;

-- A delete is kept with the row removed (new_row NULL); a TRUNCATE of
-- assignments keeps every row it removes: Raj's 6 (calls from September,
-- mid-September, October, mid-November and December, and demos).
DELETE FROM quota.assignment WHERE rep_id = 'raj' AND kind = 'email';
SELECT h.operation, h.kind, h.old_row ->> 'target' AS old_target, h.new_row IS NULL AS no_new_row, h.changed_by = current_user AS by_me
  FROM quota.assignment_history h
 WHERE h.rep_id = 'raj' AND h.operation = 'DELETE';
SAVEPOINT s;
TRUNCATE quota.assignment;
SELECT count(*) AS truncated, count(DISTINCT h.assignment_id) AS assignments, bool_and(h.new_row IS NULL) AS no_new_rows
  FROM quota.assignment_history h
 WHERE h.rep_id = 'raj' AND h.operation = 'TRUNCATE';
ROLLBACK TO SAVEPOINT s;

-- Not even the owner can change or remove history (42501, append-only).
UPDATE quota.assignment_history SET changed_by = 'someone' WHERE rep_id = 'raj';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
DELETE FROM quota.assignment_history WHERE rep_id = 'raj';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
TRUNCATE quota.assignment_history;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
-- Raj's history is as it was: 8 + 3 + the delete = 12 rows.
SELECT count(*) AS raj_history_rows FROM quota.assignment_history WHERE rep_id = 'raj';

-- Bad input: a NULL rep, kind, quota or day, or an infinite day (22004);
-- an unknown rep (23503).
SELECT quota.change_quota(NULL, 'call', '180/month', '2026-11-16');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
SELECT quota.change_quota('raj', NULL, '180/month', '2026-11-16');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
SELECT quota.change_quota('raj', 'call', NULL, '2026-11-16');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
SELECT quota.change_quota('raj', 'call', '180/month', NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
SELECT quota.change_quota('raj', 'call', '180/month', 'infinity');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
SELECT quota.change_quota('nobody', 'call', '180/month', '2026-11-16');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;

--------------------------------------------------------------------------
-- 2. Ramps.  new_hire: 25 %, 50 %, 75 % over the first three months, the
-- full quota after.  The steps are checked at commit; SET CONSTRAINTS ALL
-- IMMEDIATE checks them now (no error: complete).
INSERT INTO quota.ramp (ramp_id, description) VALUES ('new_hire', 'three months to the full quota');
INSERT INTO quota.ramp_step (ramp_id, step, factor) VALUES
    ('new_hire', 1, 0.25), ('new_hire', 2, 0.5), ('new_hire', 3, 0.75);
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT quota.ramp_factors('new_hire');

-- Nia starts on Monday 16 November, Ned on Sunday 15 November, each on
-- 100 calls a month on the ramp from their first day.  Nia made 5 calls on
-- 20 November (activity is never dated after the day this test was written:
-- it may not lie in the future).
INSERT INTO quota.rep (rep_id, name) VALUES ('nia', 'Nia'), ('ned', 'Ned');
INSERT INTO quota.assignment (rep_id, kind, target, valid, ramp_id, ramp_start) VALUES
    ('nia', 'call', '100/month', '[2026-11-16,)', 'new_hire', '2026-11-16'),
    ('ned', 'call', '100/month', '[2026-11-15,)', 'new_hire', '2026-11-15');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES ('nia', 'call', '2026-11-20 10:00+00', 5);

-- quota.ramp_partial_period = prorate (the default): the month of the start
-- is step 1 from the start day.
--   nia: Nov 0.25 * 100 * 15/30 = 12.50 (5 done: attainment 0.4000);
--        Dec 0.5 * 100 = 50.00; Jan 0.75 * 100 = 75.00; Feb 100.00; Mar 100.00
--   ned: Nov 0.25 * 100 * 16/30 = 13.333 -> 13.33; then 50.00, 75.00, 100.00, 100.00
SHOW quota.ramp_partial_period;
SELECT rep_id, period_start, target, actual, attainment
  FROM quota.progress_as_of('2027-03-15 00:00+00')
 WHERE rep_id IN ('nia', 'ned') ORDER BY rep_id DESC, period_start;

-- zero_from_16th: a start on or after the 16th makes that month owe nothing
-- and the ramp starts with the next month.
--   nia: Nov 0.00 (no quota: 5 done, attainment NULL, met);
--        Dec 0.25 * 100 = 25.00; Jan 50.00; Feb 75.00; Mar 100.00
--   ned started on the 15th: prorated as before, 13.33, 50.00, 75.00, 100.00, 100.00
SET LOCAL quota.ramp_partial_period = zero_from_16th;
SELECT rep_id, period_start, target, actual, attainment, met
  FROM quota.progress_as_of('2027-03-15 00:00+00')
 WHERE rep_id IN ('nia', 'ned') ORDER BY rep_id DESC, period_start;

-- The same through quota.target_for, with the ramp's factors given.
--   zero_from_16th (still set), start 16 Nov: Nov 0, Dec 25, Jan 50, Feb 75,
--     Mar 100; 16 Nov to 1 Apr in one range: 0 + 25 + 50 + 75 + 100 = 250
--   zero_from_16th, start 15 Nov: Nov 0.25 * 100 * 16/30 = 13.333...
SELECT during, ramp_start, target, target = expected AS ok
  FROM (VALUES
    ('[2026-11-01,2026-12-01)'::daterange, '2026-11-16'::date, 0::numeric),
    ('[2026-12-01,2027-01-01)', '2026-11-16', 25),
    ('[2027-01-01,2027-02-01)', '2026-11-16', 50),
    ('[2027-02-01,2027-03-01)', '2026-11-16', 75),
    ('[2027-03-01,2027-04-01)', '2026-11-16', 100),
    ('[2026-11-16,2027-04-01)', '2026-11-16', 250),
    ('[2026-11-01,2026-12-01)', '2026-11-15', 13.33333333333333333333)
  ) AS t(during, ramp_start, expected)
 CROSS JOIN LATERAL (SELECT quota.target_for('100/month', t.during, NULL, NULL,
                                             t.ramp_start, '{0.25,0.5,0.75}') AS target) AS f;
--   prorate, start 16 Nov: Nov 12.5, Dec 50, Jan 75, Feb 100;
--     16 Nov to 1 Mar in one range: 12.5 + 50 + 75 + 100 = 237.5
--   prorate, start 15 Nov: Nov 13.333...
--   a weekly ramp of one step at 50 %, 70/week from Wednesday 4 November:
--     the week [2 Nov, 9 Nov) owes 70 * 0.5 * 5/7 = 25, the next 70.
SET LOCAL quota.ramp_partial_period = prorate;
SELECT quota, during, ramp_start, ramp, ramp_unit, target, target = expected AS ok
  FROM (VALUES
    ('100/month', '[2026-11-01,2026-12-01)'::daterange, '2026-11-16'::date, '{0.25,0.5,0.75}'::numeric[], 'month', 12.5),
    ('100/month', '[2026-12-01,2027-01-01)', '2026-11-16', '{0.25,0.5,0.75}', 'month', 50),
    ('100/month', '[2027-01-01,2027-02-01)', '2026-11-16', '{0.25,0.5,0.75}', 'month', 75),
    ('100/month', '[2027-02-01,2027-03-01)', '2026-11-16', '{0.25,0.5,0.75}', 'month', 100),
    ('100/month', '[2026-11-16,2027-03-01)', '2026-11-16', '{0.25,0.5,0.75}', 'month', 237.5),
    ('100/month', '[2026-11-01,2026-12-01)', '2026-11-15', '{0.25,0.5,0.75}', 'month', 13.33333333333333333333),
    ('70/week', '[2026-11-02,2026-11-09)', '2026-11-04', '{0.5}', 'week', 25),
    ('70/week', '[2026-11-09,2026-11-16)', '2026-11-04', '{0.5}', 'week', 70)
  ) AS t(quota, during, ramp_start, ramp, ramp_unit, expected)
 CROSS JOIN LATERAL (SELECT quota.target_for(t.quota::quota.quota, t.during, NULL, NULL,
                                             t.ramp_start, t.ramp, t.ramp_unit) AS target) AS f;

-- A change during the ramp keeps it: 200 a month from 1 January is still
-- at step 3 in January (0.75 * 200 = 150.00) and full in February (200.00).
SELECT quota.change_quota('nia', 'call', '200/month', '2027-01-01') AS nia_jan \gset
SELECT target, valid, ramp_id, ramp_start, assignment_id = :nia_jan AS returned
  FROM quota.assignment WHERE rep_id = 'nia' ORDER BY lower(valid);
SELECT period_start, target FROM quota.progress_as_of('2027-02-15 00:00+00')
 WHERE rep_id = 'nia' AND period_start >= '2027-01-01' ORDER BY period_start;

-- Steps must run 1, 2, ... without a gap (23514 at commit, here at SET
-- CONSTRAINTS ALL IMMEDIATE): steps 1 and 3 name the missing step 2;
-- new_hire less its step 2 likewise; new_hire less all its steps has none.
SAVEPOINT s;
INSERT INTO quota.ramp (ramp_id) VALUES ('gappy');
INSERT INTO quota.ramp_step (ramp_id, step, factor) VALUES ('gappy', 1, 0.5), ('gappy', 3, 0.9);
SET CONSTRAINTS ALL IMMEDIATE;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
DELETE FROM quota.ramp_step WHERE ramp_id = 'new_hire' AND step = 2;
SET CONSTRAINTS ALL IMMEDIATE;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
DELETE FROM quota.ramp_step WHERE ramp_id = 'new_hire';
SET CONSTRAINTS ALL IMMEDIATE;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;

-- A new ramp without steps passes the commit (pg_dump restores ramps in a
-- transaction before their steps), but it cannot be used: its factors, and
-- so the progress of an assignment naming it, are an error (23514).
INSERT INTO quota.ramp (ramp_id) VALUES ('stepless');
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT quota.ramp_factors('stepless');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
INSERT INTO quota.ramp (ramp_id) VALUES ('stepless');
INSERT INTO quota.assignment (rep_id, kind, target, valid, ramp_id, ramp_start)
    VALUES ('ned', 'email', '100/month', '[2026-11-15,)', 'stepless', '2026-11-15');
SELECT rep_id, kind, target FROM quota.progress_as_of('2026-11-23 00:00+00') WHERE rep_id = 'ned';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;

-- An assignment names a ramp and its start together, the start finite
-- (23514, check constraint assignment_ramp_start).
\set VERBOSITY terse
INSERT INTO quota.assignment (rep_id, kind, target, valid, ramp_id)
    VALUES ('ned', 'email', '100/month', '[2026-11-15,)', 'new_hire');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
INSERT INTO quota.assignment (rep_id, kind, target, valid, ramp_start)
    VALUES ('ned', 'email', '100/month', '[2026-11-15,)', '2026-11-15');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
INSERT INTO quota.assignment (rep_id, kind, target, valid, ramp_id, ramp_start)
    VALUES ('ned', 'email', '100/month', '[2026-11-15,)', 'new_hire', 'infinity');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
\set VERBOSITY default

-- target_for: a ramp without its start (22004); a ramp without steps (22023).
SELECT quota.target_for('100/month', '[2026-11-01,2026-12-01)', NULL, NULL, NULL, '{0.5}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
SELECT quota.target_for('100/month', '[2026-11-01,2026-12-01)', NULL, NULL, '2026-11-16', '{}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;

--------------------------------------------------------------------------
-- 3. Seasonality.  retail spreads a yearly quota 5 % in each of months
-- 1-4 and 10 % in each of months 5-12: 4 * 5 + 8 * 10 = 100.  Months can
-- be entered one by one: the check runs at commit (here, now: no error).
INSERT INTO quota.distribution (distribution_id, description, period_unit)
    VALUES ('retail', 'quiet first four months', 'year');
INSERT INTO quota.distribution_month (distribution_id, month, percent)
SELECT 'retail', m, CASE WHEN m <= 4 THEN 5 ELSE 10 END FROM generate_series(1, 12) AS m;
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT quota.season('retail'), quota.check_distribution('retail');

-- 120,000 a year of revenue: each month owes 1,200 * its percentage:
-- Jan-Apr 6,000 each, May-Dec 12,000 each (months of 28 or 31 days alike);
-- the twelve total 4 * 6,000 + 8 * 12,000 = 120,000.  From 16 January:
-- January owes 6,000 * 16/31 = 3,096.774...; the first half of May
-- 12,000 * 15/31 = 5,806.451...
SELECT during, target, target = expected AS ok
  FROM (VALUES
    ('[2026-01-01,2026-02-01)'::daterange, 6000::numeric),
    ('[2026-02-01,2026-03-01)', 6000),
    ('[2026-04-01,2026-05-01)', 6000),
    ('[2026-05-01,2026-06-01)', 12000),
    ('[2026-12-01,2027-01-01)', 12000),
    ('[2026-01-01,2027-01-01)', 120000),
    ('[2026-01-16,2026-02-01)', 3096.77419354838709677419),
    ('[2026-05-01,2026-05-16)', 5806.45161290322580645161)
  ) AS t(during, expected)
 CROSS JOIN LATERAL (SELECT quota.target_for('120000/year', t.during, NULL, quota.season('retail')) AS target) AS f;

-- Sol holds the quota from 1 January, Tom from 16 January.  Revenue: Sol
-- 3,000 on 20 January and 3,000 on 10 May; Tom 6,000 on 20 January.
INSERT INTO quota.rep (rep_id, name) VALUES ('sol', 'Sol'), ('tom', 'Tom');
INSERT INTO quota.assignment (rep_id, kind, target, valid, distribution_id) VALUES
    ('sol', 'revenue', '120000/year', '[2026-01-01,)', 'retail'),
    ('tom', 'revenue', '120000/year', '[2026-01-16,)', 'retail');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES
    ('sol', 'revenue', '2026-01-20 10:00+00', 3000),
    ('sol', 'revenue', '2026-05-10 10:00+00', 3000),
    ('tom', 'revenue', '2026-01-20 10:00+00', 6000);

-- The monthly scoreboard at 1 June (revenue weighs 1, cap 1.5; months
-- January to June):
--   January: Sol 3,000 / 6,000 = 0.5000; Tom 6,000 / 3,096.77 = 1.9375,
--            capped at 1.5000, met: Tom 1, Sol 2
--   May:     Sol 3,000 / 12,000 = 0.2500; Tom 0 / 12,000 = 0.0000: Sol 1, Tom 2
SELECT rep_id, period_start, score, met_all, rank
  FROM quota.scoreboard_as_of('2026-06-01 00:00+00', 'month')
 WHERE rep_id IN ('sol', 'tom') AND period_start IN ('2026-01-01', '2026-05-01')
 ORDER BY period_start, rank;

-- Their year at noon on 16 May:
--   Sol: target 120,000.00, actual 6,000, attainment 0.0500, shortfall 114,000.00;
--        elapsed: Jan-Apr 20 % + May's 10 % * 15.5/31 = 20 % + 5 % = 0.2500,
--        expected 30,000.00, projected 6,000 / 0.25 = 24,000.00,
--        pace 6,000 / 30,000 = 0.2000: behind.
--   Tom: target 3,096.774... + 3 * 6,000 + 8 * 12,000 = 117,096.774... -> 117,096.77,
--        i.e. 120,000 * (80/31 + 95) % = 120,000 * 3025/3100;
--        actual 6,000: attainment 6,000 * 3100 / (120,000 * 3025) = 0.05124 -> 0.0512,
--        shortfall 111,096.77;
--        elapsed over his part of the year: (80/31 + 15 + 5) / (80/31 + 95)
--        = 700/3025 = 0.23140 -> 0.2314; expected 120,000 * 700/3100
--        = 27,096.774 -> 27,096.77; projected 6,000 * 3025/700 = 25,928.571
--        -> 25,928.57; pace 6,000 * 3100 / (120,000 * 700) = 0.22143 -> 0.2214: behind.
SELECT rep_id, period_unit, period_start, period_end, target, actual, attainment, shortfall,
       elapsed, expected_to_date, projected, pace, status
  FROM quota.progress_as_of('2026-05-16 12:00+00')
 WHERE rep_id IN ('sol', 'tom') ORDER BY rep_id;

-- A change to 240,000 a year from 1 July keeps the distribution (same
-- unit): 2026 owes 120,000 * (20 + 20) % + 240,000 * 60 % = 48,000 + 144,000
-- = 192,000.00.  A change to 30,000 a quarter from 1 October drops it
-- (a yearly distribution cannot spread a quarter): 2026 then owes
-- 48,000 + 240,000 * 30 % = 120,000.00 as a year, and Q4 30,000.00.
-- (as_of 31 December: no 2027 rows.)
SELECT quota.change_quota('sol', 'revenue', '240000/year', '2026-07-01') AS sol_jul \gset
SELECT period_unit, period_start, target FROM quota.progress_as_of('2026-12-31 12:00+00')
 WHERE rep_id = 'sol' ORDER BY period_start;
SELECT quota.change_quota('sol', 'revenue', '30000/quarter', '2026-10-01') AS sol_oct \gset
SELECT target, valid, distribution_id,
       CASE assignment_id WHEN :sol_jul THEN 'Jul 1' WHEN :sol_oct THEN 'Oct 1' END AS returned_by
  FROM quota.assignment WHERE rep_id = 'sol' ORDER BY lower(valid);
SELECT period_unit, period_start, target FROM quota.progress_as_of('2026-12-31 12:00+00')
 WHERE rep_id = 'sol' ORDER BY period_start, period_unit;

-- quota.fiscal_year_start = 4: month 1 of a year is April.  May is month 2
-- (5 %: 6,000, not 12,000), January month 10 (10 %: 12,000, not 6,000).
SELECT during,
       quota.target_for('120000/year', during, NULL, quota.season('retail')) AS january_year
  FROM unnest('{"[2026-05-01,2026-06-01)","[2027-01-01,2027-02-01)"}'::daterange[]) AS during;
SET LOCAL quota.fiscal_year_start = 4;
SELECT during,
       quota.target_for('120000/year', during, NULL, quota.season('retail')) AS april_year
  FROM unnest('{"[2026-05-01,2026-06-01)","[2027-01-01,2027-02-01)"}'::daterange[]) AS during;
SET LOCAL quota.fiscal_year_start = 1;

-- A distribution is complete at commit (23514, here at SET CONSTRAINTS ALL
-- IMMEDIATE): a missing month 12 is named (not taken as 0); percentages
-- totalling 99.5; a month beyond its period (month 4 of a quarter).
SAVEPOINT s;
INSERT INTO quota.distribution (distribution_id, period_unit) VALUES ('gap', 'year');
INSERT INTO quota.distribution_month (distribution_id, month, percent)
SELECT 'gap', m, CASE WHEN m <= 10 THEN 9 ELSE 10 END FROM generate_series(1, 11) AS m;
SET CONSTRAINTS ALL IMMEDIATE;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
INSERT INTO quota.distribution (distribution_id, period_unit) VALUES ('short', 'quarter');
INSERT INTO quota.distribution_month (distribution_id, month, percent)
    VALUES ('short', 1, 33), ('short', 2, 33), ('short', 3, 33.5);
SET CONSTRAINTS ALL IMMEDIATE;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
INSERT INTO quota.distribution (distribution_id, period_unit) VALUES ('long', 'quarter');
INSERT INTO quota.distribution_month (distribution_id, month, percent)
    VALUES ('long', 1, 30), ('long', 2, 30), ('long', 3, 30), ('long', 4, 10);
SET CONSTRAINTS ALL IMMEDIATE;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;

-- A new distribution without months passes the commit (pg_dump restores
-- distributions before their months), but its percentages are an error
-- naming every month (23514).
INSERT INTO quota.distribution (distribution_id, period_unit) VALUES ('empty', 'quarter');
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT quota.season('empty');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;

-- A distribution that changes its unit is checked against the assignments
-- naming it (23514 at commit): a quarterly one (30, 30, 40) of a
-- 300/quarter quota made yearly, its months made 9 % for months 1-10 and
-- 5 % for 11-12 (total 100), no longer fits the quarterly quota.
INSERT INTO quota.distribution (distribution_id, period_unit) VALUES ('q_ramp_up', 'quarter');
INSERT INTO quota.distribution_month (distribution_id, month, percent)
    VALUES ('q_ramp_up', 1, 30), ('q_ramp_up', 2, 30), ('q_ramp_up', 3, 40);
INSERT INTO quota.assignment (rep_id, kind, target, valid, distribution_id)
    VALUES ('tom', 'units_sold', '300/quarter', '[2026-01-01,)', 'q_ramp_up');
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
UPDATE quota.distribution SET period_unit = 'year' WHERE distribution_id = 'q_ramp_up';
UPDATE quota.distribution_month SET percent = 9 WHERE distribution_id = 'q_ramp_up';
INSERT INTO quota.distribution_month (distribution_id, month, percent)
SELECT 'q_ramp_up', m, CASE WHEN m <= 10 THEN 9 ELSE 5 END FROM generate_series(4, 12) AS m;
SET CONSTRAINTS ALL IMMEDIATE;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;

-- At once: a month 13 (check constraint, 23514); a quarterly distribution
-- named by a yearly assignment (23514).
INSERT INTO quota.distribution_month (distribution_id, month, percent) VALUES ('retail', 13, 0);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
INSERT INTO quota.distribution (distribution_id, period_unit) VALUES ('even_quarter', 'quarter');
INSERT INTO quota.distribution_month (distribution_id, month, percent)
    VALUES ('even_quarter', 1, 33.3), ('even_quarter', 2, 33.3), ('even_quarter', 3, 33.4);
INSERT INTO quota.assignment (rep_id, kind, target, valid, distribution_id)
    VALUES ('tom', 'units_sold', '1200/year', '[2026-01-01,)', 'even_quarter');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;

-- Percentages given to target_for directly (22023): 2 for a year, 12
-- totalling 99, a distribution of a monthly quota.
SELECT quota.target_for('120000/year', '[2026-01-01,2026-02-01)', NULL, '{50,50}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
SELECT quota.target_for('120000/year', '[2026-01-01,2026-02-01)', NULL, '{5,5,5,5,10,10,10,10,10,10,10,9}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
SELECT quota.target_for('100/month', '[2026-01-01,2026-02-01)', NULL, '{100}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;

--------------------------------------------------------------------------
-- 4. Business days.  November 2026 starts on a Sunday: its weekdays are
-- 2-6, 9-13, 16-20, 23-27 and 30, 21 in all; [1 Nov, 16 Nov) holds 10.
SET LOCAL quota.proration = business_days;
SELECT quota.proration();

-- 100 a month:
--   all November: 100 (21/21)
--   [1 Nov, 16 Nov): 100 * 10/21 = 47.619...
--   with a holiday on Wednesday 11 November: 100 * 9/20 = 45
--   with holidays on the 11th and the 12th: 100 * 8/19 = 42.105...
--   a holiday on Saturday 14 November changes nothing: 47.619...
-- 250 a week over Monday and Tuesday 2-3 November: 250 * 2/5 = 100.
SELECT quota, during, holidays, target, target = expected AS ok
  FROM (VALUES
    ('100/month', '[2026-11-01,2026-12-01)'::daterange, NULL::date[], 100::numeric),
    ('100/month', '[2026-11-01,2026-11-16)', NULL, 47.61904761904761904762),
    ('100/month', '[2026-11-01,2026-11-16)', '{2026-11-11}', 45),
    ('100/month', '[2026-11-01,2026-11-16)', '{2026-11-11,2026-11-12}', 42.10526315789473684211),
    ('100/month', '[2026-11-01,2026-11-16)', '{2026-11-14}', 47.61904761904761904762),
    ('250/week', '[2026-11-02,2026-11-04)', NULL, 100)
  ) AS t(quota, during, holidays, expected)
 CROSS JOIN LATERAL (SELECT quota.target_for(t.quota::quota.quota, t.during, t.holidays) AS target) AS f;

-- Business days with the other schedules.  January 2026 starts on a
-- Thursday: weekdays 1-2, 5-9, 12-16, 19-23, 26-30 = 22; [1 Jan, 16 Jan)
-- holds 11 (1-2, 5-9, 12-15).
--   retail's January (5 % of 120,000 = 6,000) over [1 Jan, 16 Jan):
--     6,000 * 11/22 = 3,000; with 1 January a holiday: 6,000 * 10/21 = 2,857.142...
--   new_hire's first month from 16 November: 16-20, 23-27, 30 = 11 of 21
--     weekdays at 25 % of 100: 25 * 11/21 = 13.095...
--   retail's year at the start of 16 January: half of January's weekdays
--     of its 5 %: 0.025
SELECT quota.target_for('120000/year', '[2026-01-01,2026-01-16)', NULL, quota.season('retail')) AS first_half_january,
       quota.target_for('120000/year', '[2026-01-01,2026-01-16)', '{2026-01-01}', quota.season('retail')) AS with_new_year,
       quota.target_for('100/month', '[2026-11-16,2026-12-01)', NULL, NULL, '2026-11-16', '{0.25,0.5,0.75}') AS ramped_november,
       quota.elapsed('[2026-01-01,2027-01-01)', '2026-01-16 00:00+00', 'UTC', '120000/year', NULL, quota.season('retail')) AS year_elapsed;

-- Elapsed part of November by business days:
--   Wednesday 4 November, 12:00: 2 days (2nd, 3rd) + half the 4th = 2.5/21 = 0.119047...
--   Saturday 7 November, 12:00: the 2nd to 6th = 5/21 = 0.238095... (a weekend day adds nothing)
--   Wednesday 11 November, 12:00, a holiday: the 2nd-6th, 9th, 10th = 7 of 20 = 0.35
SELECT round(quota.elapsed('[2026-11-01,2026-12-01)', '2026-11-04 12:00+00', 'UTC', '100/month', NULL), 6) AS wed_4th,
       round(quota.elapsed('[2026-11-01,2026-12-01)', '2026-11-04 12:00+00', 'UTC'), 6) AS wed_4th_plain,
       round(quota.elapsed('[2026-11-01,2026-12-01)', '2026-11-07 12:00+00', 'UTC', '100/month', NULL), 6) AS sat_7th,
       quota.elapsed('[2026-11-01,2026-12-01)', '2026-11-11 12:00+00', 'UTC', '100/month', '{2026-11-11}') AS wed_11th_holiday;

-- Teams: pl_emea with its sub-team pl_emea_north, and pl_amer.  Bea is in
-- pl_amer, Eli in pl_emea_north, Fin in no team.  Each owes 100 calls a
-- month from 1 November, and 100 demos a month over [1 Nov, 16 Nov).  Bea
-- made 15 calls on Tuesday 3 November.
INSERT INTO quota.team (team_id, name) VALUES ('pl_emea', 'EMEA'), ('pl_amer', 'Americas');
INSERT INTO quota.team (team_id, name, parent_id) VALUES ('pl_emea_north', 'EMEA North', 'pl_emea');
INSERT INTO quota.rep (rep_id, name, team_id) VALUES
    ('bea', 'Bea', 'pl_amer'), ('eli', 'Eli', 'pl_emea_north'), ('fin', 'Fin', NULL);
INSERT INTO quota.assignment (rep_id, kind, target, valid)
SELECT r, k, '100/month', v
  FROM unnest('{bea,eli,fin}'::text[]) AS r,
       (VALUES ('call', '[2026-11-01,)'::daterange), ('demo', '[2026-11-01,2026-11-16)')) AS kv(k, v);
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES ('bea', 'call', '2026-11-03 10:00+00', 15);

-- Bea's calls on Wednesday 4 November at 12:00, no holidays yet:
--   target 100.00, actual 15, elapsed 2.5/21 = 0.1190,
--   expected 100 * 2.5/21 = 11.904... -> 11.90, pace 15 / (250/21) = 1.2600,
--   projected 15 * 21/2.5 = 126.00 >= 100: on track.
-- By calendar days the same moment is 3.5 of 30 days: elapsed 0.1167,
--   expected 11.67, pace 15 * 30/350 = 1.2857, projected 15 * 30/3.5 = 128.57.
SELECT quota.proration(), target, actual, elapsed, expected_to_date, pace, projected, status
  FROM quota.progress_as_of('2026-11-04 12:00+00') WHERE rep_id = 'bea' AND kind = 'call';
SET LOCAL quota.proration = calendar_days;
SELECT quota.proration(), target, actual, elapsed, expected_to_date, pace, projected, status
  FROM quota.progress_as_of('2026-11-04 12:00+00') WHERE rep_id = 'bea' AND kind = 'call';
SET LOCAL quota.proration = business_days;

-- Holidays: 11 November for everyone, 12 November for pl_emea and so for
-- its sub-team pl_emea_north, not for pl_amer nor for reps without a team.
INSERT INTO quota.holiday (day, team_id, description) VALUES
    ('2026-11-11', NULL, 'Armistice Day'),
    ('2026-11-12', 'pl_emea', 'EMEA offsite');
SELECT t AS team_id, quota.holidays(t)
  FROM unnest(ARRAY['pl_emea', 'pl_emea_north', 'pl_amer', NULL]) AS t;

-- The demos over [1 Nov, 16 Nov), at noon on Wednesday 11 November:
--   Bea, Fin (holiday on the 11th): target 100 * 9/20 = 45.00;
--     elapsed 7 of the part's 9 days = 0.7778, expected 35.00
--   Eli (the 11th and 12th): target 100 * 8/19 = 42.105 -> 42.11;
--     elapsed 7 of 8 = 0.8750, expected 100 * 7/19 = 36.84
-- Bea's calls: November has 20 business days for her now: elapsed 7/20 =
--   0.3500, expected 35.00; 15 done: pace 15/35 = 0.4286, projected
--   15/0.35 = 42.86: behind.
SELECT rep_id, kind, target, actual, elapsed, expected_to_date, pace, projected, status
  FROM quota.progress_as_of('2026-11-11 12:00+00')
 WHERE rep_id IN ('bea', 'eli', 'fin') AND (kind = 'demo' OR rep_id = 'bea')
 ORDER BY kind, rep_id;

-- Back to calendar days: 15 of 30 days, 50.00 each, holidays or not.
RESET quota.proration;
SHOW quota.proration;
SELECT rep_id, target FROM quota.progress_as_of('2026-11-11 12:00+00')
 WHERE rep_id IN ('bea', 'eli', 'fin') AND kind = 'demo' ORDER BY rep_id;
ROLLBACK;

--------------------------------------------------------------------------
-- 5. The deferred checks at a real COMMIT: a ramp missing step 2 and a
-- distribution missing month 12 fail the commit (23514) and leave nothing.
BEGIN;
INSERT INTO quota.ramp (ramp_id) VALUES ('gappy');
INSERT INTO quota.ramp_step (ramp_id, step, factor) VALUES ('gappy', 1, 0.5), ('gappy', 3, 0.9);
COMMIT;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
BEGIN;
INSERT INTO quota.distribution (distribution_id, period_unit) VALUES ('gap', 'year');
INSERT INTO quota.distribution_month (distribution_id, month, percent)
SELECT 'gap', m, CASE WHEN m <= 10 THEN 9 ELSE 10 END FROM generate_series(1, 11) AS m;
COMMIT;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT (SELECT count(*) FROM quota.ramp WHERE ramp_id = 'gappy') AS ramps,
       (SELECT count(*) FROM quota.distribution WHERE distribution_id = 'gap') AS distributions;

--------------------------------------------------------------------------
-- 6. Bugs found in review, each shown fixed.
BEGIN;
SET LOCAL datestyle = 'ISO, YMD';
-- (a) By business days the whole week's target is due once Friday is over,
-- but the week has not ended: on Saturday 21 November 12:00 Wes, on
-- 250/week from Monday 16 November with 100 calls, has elapsed 1.0000 and is
-- behind (not missed), and his payout is not final; on Monday 23 November the
-- week has ended: missed, final.  (Before the fix: missed and final on
-- Saturday, and a Sunday call then changed a "final" payout.)
INSERT INTO quota.rep (rep_id, name) VALUES ('wes', 'Wes');
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES ('wes', 'call', '250/week', '[2026-11-16,)');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES ('wes', 'call', '2026-11-17 10:00+00', 100);
INSERT INTO quota.tier_set VALUES ('flat', NULL, 'attainment');
INSERT INTO quota.tier (tier_set_id, band, rate) VALUES ('flat', '[0,)', 1);
INSERT INTO quota.plan (rep_id, kind, tier_set_id, base, method, valid)
VALUES ('wes', 'call', 'flat', 1000, 'marginal', '[2026-11-16,)');
SET LOCAL quota.proration = business_days;
SELECT period_start, elapsed, status FROM quota.progress_as_of('2026-11-21 12:00+00') WHERE rep_id = 'wes';
SELECT period_start, payout, final FROM quota.payout_as_of('2026-11-21 12:00+00') WHERE rep_id = 'wes';
SELECT period_start, elapsed, status FROM quota.progress_as_of('2026-11-23 00:00+00')
 WHERE rep_id = 'wes' AND period_start = '2026-11-16';
SELECT period_start, payout, final FROM quota.payout_as_of('2026-11-23 00:00+00')
 WHERE rep_id = 'wes' AND period_start = '2026-11-16';
-- (b) An assignment inserted with an id of its own (OVERRIDING SYSTEM VALUE)
-- is kept in the history like any other: only rows inserted before the
-- identity has ever given an id (a restore) are taken as restored.
INSERT INTO quota.assignment (assignment_id, rep_id, kind, target, valid) OVERRIDING SYSTEM VALUE
VALUES (1000000, 'wes', 'email', '999/month', '[2026-01-01,)');
SELECT operation, rep_id, kind, new_row ->> 'target' AS new_target
  FROM quota.assignment_history WHERE assignment_id = 1000000;
ROLLBACK;

DROP ROLE regress_plans_manager;

-- The role that made a change is stored as a whole name: NAMEDATALEN bytes,
-- zeros after the role's own (they once held whatever memory followed the
-- role's name when the trigger read it).  Read from the table's page.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pageinspect;
RESET client_min_messages;
SELECT count(*) > 0 AS names_read,
       count(*) FILTER (WHERE ltrim(substring(t.attrs[8] FROM position('\x00'::bytea IN t.attrs[8])),
                                    '\x00'::bytea) <> '') AS names_followed_by_other_bytes
  FROM pg_attribute a,
       generate_series(0, pg_relation_size('quota.assignment_history') / current_setting('block_size')::int - 1) AS b(block),
       heap_page_items(get_raw_page('quota.assignment_history', b.block::int)) AS p,
       LATERAL tuple_data_split('quota.assignment_history'::regclass, p.t_data, p.t_infomask, p.t_infomask2, p.t_bits) AS t(attrs)
 WHERE a.attrelid = 'quota.assignment_history'::regclass AND a.attname = 'changed_by' AND a.attnum = 8
   AND p.lp_flags = 1;
DROP EXTENSION pageinspect;
