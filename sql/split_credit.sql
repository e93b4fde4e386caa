-- split_credit: quota.activity_credit, one activity shared among reps by
-- percentage.  The shares of an activity total exactly 100 at commit; each
-- credit moves qty * share / 100 (exactly) from the activity's rep to the
-- rep credited, on the day of each rep's own time zone; totals, progress,
-- rankings, teams, the scoreboard and conversion count the shares.  Every
-- figure is derived by hand in the comments.
--
-- The cast (quota.rep):
--   raj  team north, UTC
--   maya team north, Asia/Tokyo (+09)
--   lee  team south, America/New_York (EST, -05, in November)
-- Teams north and south belong to the region emea.  Each rep owes revenue
-- 10000/month from 1 November 2026; emea owes 30000/month of its own.
--
-- The deal (activity 9100001, external_id deal): raj, revenue 20000 at
-- 2026-11-10 20:00+00, shared raj 60 / maya 40.  It is 10 November for raj
-- and 05:00 on 11 November for maya.
--
-- Activity ids are given (OVERRIDING SYSTEM VALUE) where an error message
-- names them, so that the messages do not depend on the tests run before.
-- Totals are shown summed over their slots; totals that sum to 0 are left
-- out (a slot may keep a 0 after its activity went away).
--
-- Errors show their message, detail and hint, then their SQLSTATE; the
-- PL/pgSQL context lines are left out.  All of it runs in one transaction
-- that is rolled back; the checks deferred to commit are run inside it with
-- SET CONSTRAINTS ALL IMMEDIATE, and once at a real COMMIT at the end.
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
SET TimeZone = 'UTC';
BEGIN;

--------------------------------------------------------------------------
-- 1. The table: dumped by pg_dump, every column commented, and its share
-- check deferred to commit (so shares can be entered one by one).
SELECT 'quota.activity_credit'::regclass = ANY (e.extconfig) AS dumped
  FROM pg_extension e WHERE e.extname = 'quota_ext';
SELECT a.attname AS column_without_comment
  FROM pg_attribute a
 WHERE a.attrelid = 'quota.activity_credit'::regclass AND a.attnum > 0 AND NOT a.attisdropped
   AND col_description(a.attrelid, a.attnum) IS NULL;
SELECT t.tgname, t.tgdeferrable AS deferrable, t.tginitdeferred AS initially_deferred
  FROM pg_trigger t
 WHERE t.tgrelid = 'quota.activity_credit'::regclass AND NOT t.tgisinternal
 ORDER BY t.tgname;

--------------------------------------------------------------------------
-- 2. The data.
INSERT INTO quota.team (team_id, name, parent_id) VALUES ('emea', 'EMEA', NULL);
INSERT INTO quota.team (team_id, name, parent_id) VALUES
    ('north', 'North', 'emea'),
    ('south', 'South', 'emea');
INSERT INTO quota.rep (rep_id, name, team_id, time_zone) VALUES
    ('raj',  'Raj',  'north', 'UTC'),
    ('maya', 'Maya', 'north', 'Asia/Tokyo'),
    ('lee',  'Lee',  'south', 'America/New_York');
INSERT INTO quota.assignment (rep_id, team_id, kind, target, valid) VALUES
    ('raj',  NULL,   'revenue', '10000/month', '[2026-11-01,)'),
    ('maya', NULL,   'revenue', '10000/month', '[2026-11-01,)'),
    ('lee',  NULL,   'revenue', '10000/month', '[2026-11-01,)'),
    (NULL,   'emea', 'revenue', '30000/month', '[2026-11-01,)');
INSERT INTO quota.activity (activity_id, rep_id, kind, occurred_at, qty, external_id) OVERRIDING SYSTEM VALUE VALUES
    (9100001, 'raj', 'revenue',     '2026-11-10 20:00+00', 20000, 'deal'),
    (9100002, 'lee', 'revenue',     '2026-11-12 15:00+00', 9000,  'lee-deal'),  -- 10:00 on 12 Nov in New York
    (9100003, 'raj', 'opportunity', '2026-11-09 09:00+00', 5,     'opp');       -- 18:00 on 9 Nov in Tokyo
-- Effort, never shared: raj 30 calls and 20 emails on 5 November; maya 10
-- and 10 on 6 November (12:00 and 13:00 in Tokyo).
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES
    ('raj',  'call',  '2026-11-05 12:00+00', 30),
    ('raj',  'email', '2026-11-05 13:00+00', 20),
    ('maya', 'call',  '2026-11-06 03:00+00', 10),
    ('maya', 'email', '2026-11-06 04:00+00', 10);

-- The deal's shares one by one: after the first statement they total 60,
-- which is allowed until the check runs.  The opportunity is shared 60/40
-- in one statement.  The check then passes (no error).
INSERT INTO quota.activity_credit (activity_id, rep_id, share) VALUES (9100001, 'raj', 60);
INSERT INTO quota.activity_credit (activity_id, rep_id, share) VALUES (9100001, 'maya', 40);
INSERT INTO quota.activity_credit (activity_id, rep_id, share) VALUES (9100003, 'raj', 60), (9100003, 'maya', 40);
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;

-- The extension fills in the activity's rep, kind and time and the qty:
--   deal: raj 20000 * 60 / 100 = 12000, maya 20000 * 40 / 100 = 8000
--   opp:  raj 5 * 60 / 100 = 3,          maya 5 * 40 / 100 = 2
SELECT a.external_id, c.rep_id, c.share, c.from_rep_id, c.kind, c.occurred_at, c.qty
  FROM quota.activity_credit c JOIN quota.activity a ON a.activity_id = c.activity_id
 WHERE a.rep_id IN ('raj', 'maya', 'lee')
 ORDER BY a.external_id, c.rep_id;

-- Daily totals per rep and local day:
--   raj  call 5 Nov 30, email 5 Nov 20
--   raj  opportunity 9 Nov: 5 - 3 (raj's share, from raj) + 3 (to raj) - 2 (maya's share, from raj) = 3
--   raj  revenue 10 Nov: 20000 - 12000 + 12000 - 8000 = 12000
--   maya call 6 Nov 10, email 6 Nov 10
--   maya opportunity 9 Nov (18:00 in Tokyo) 2
--   maya revenue 11 Nov (05:00 in Tokyo) 8000
--   lee  revenue 12 Nov 9000: no credits, all of it his
SELECT rep_id, kind, day, sum(qty) AS total
  FROM quota.daily_total WHERE rep_id IN ('raj', 'maya', 'lee')
 GROUP BY rep_id, kind, day HAVING sum(qty) <> 0 ORDER BY rep_id, kind, day;
-- They agree with a recount (no rows).
SELECT * FROM quota.verify();

-- Users cannot set what the extension keeps: the row is recomputed from
-- the activity (raj's share stays qty 12000, from raj, revenue, 20:00).
SAVEPOINT s;
UPDATE quota.activity_credit
   SET from_rep_id = 'lee', kind = 'call', occurred_at = '2026-11-01 00:00+00', qty = 1
 WHERE activity_id = 9100001 AND rep_id = 'raj';
SELECT rep_id, share, from_rep_id, kind, occurred_at, qty
  FROM quota.activity_credit WHERE activity_id = 9100001 AND rep_id = 'raj';
SELECT * FROM quota.verify();
ROLLBACK TO SAVEPOINT s;

--------------------------------------------------------------------------
-- 3. Progress, ranks, teams, scoreboard and conversion as of 2026-11-20
-- 12:00 UTC.  November has 30 days; the elapsed fraction is
--   raj  (UTC, 12:00 on the 20th):        19.5 / 30 = 0.65
--   maya (Tokyo, 21:00 on the 20th):      19.875 / 30 = 0.6625
--   lee  (New York, 07:00 on the 20th):   (19 + 7/24) / 30 = 0.6431
-- revenue, target 10000.00 each:
--   raj  12000: attainment 1.2000, surplus 2000.00, met; rank 1.
--   lee   9000: 0.9000, shortfall 1000.00; projected 9000 / 0.6431 = 13995
--         >= 10000: on_track; rank 2, shortfall rank 2.
--   maya  8000: 0.8000, shortfall 2000.00; projected 8000 / 0.6625 = 12075
--         >= 10000: on_track; rank 3, shortfall rank 1.
SELECT rep_id, team_id, period_start, target, actual, attainment, shortfall, surplus, met, status,
       attainment_rank, shortfall_rank
  FROM quota.progress_as_of('2026-11-20 12:00+00')
 WHERE kind = 'revenue' ORDER BY attainment_rank, rep_id;

-- Teams.  north has no quota of its own: the sum of its members, targets
-- 10000 + 10000 = 20000 and actuals 12000 + 8000 = 20000 (the deal once,
-- not 20000 for raj and 8000 more for maya): 1.0000, met.  south: lee only,
-- 9000 of 10000 = 0.9000.  emea has its own 30000 and counts every rep
-- below it: 12000 + 8000 + 9000 = 29000, 29000 / 30000 = 0.9667.
-- Ranks: north 1, emea 2, south 3; among emea's teams north 1, south 2.
SELECT team_id, parent_id, target, actual, attainment, met, members, attainment_rank, sibling_rank
  FROM quota.team_progress_as_of('2026-11-20 12:00+00')
 WHERE kind = 'revenue' ORDER BY attainment_rank;

-- The scoreboard: one kind each (weight 1), score = min(attainment, 1.5):
-- raj 1.2000 (met all, over-quota rank 1), lee 0.9000, maya 0.8000.
SELECT rep_id, team_id, period_start, period_end, kinds, score, met_all, rank, over_quota_rank
  FROM quota.scoreboard_as_of('2026-11-20 12:00+00') ORDER BY rank;

-- Conversion in November, outcomes over effort (calls + emails):
--   raj  effort 30 + 20 = 50: opportunity 3 (his 60 %), 3 / 50 = 0.0600;
--        revenue 12000, 12000 / 50 = 240.0000
--   maya effort 10 + 10 = 20: opportunity 2 (her 40 %), 2 / 20 = 0.1000;
--        revenue 8000, 8000 / 20 = 400.0000
--   lee  no effort: revenue 9000, no rate; no opportunity.
SELECT rep_id, team_id, period_start, effort, outcome_kind, outcomes, rate
  FROM quota.conversion_as_of('2026-11-20 12:00+00')
 WHERE outcome_kind IN ('opportunity', 'revenue') ORDER BY rep_id, outcome_kind;

--------------------------------------------------------------------------
-- 4. On the deal's own day, before and after it.  At 2026-11-10 19:30 UTC
-- it is 19:30 on the 10th for raj and 04:30 on the 11th for maya: the deal
-- (20:00 UTC, 05:00 in Tokyo) is on both reps' day but still to come, so
-- neither counts a share of it: raj 0, maya 0 (the totals of the day hold
-- the shares; rep_actual takes them back out).  Exactly at 20:00 it is not
-- yet before as_of: still 0.  At 20:30 (05:30 for maya) raj 12000, maya
-- 8000.  lee's deal is on the 12th: 0 throughout.
SELECT p.as_of, g.rep_id, g.actual, g.attainment
  FROM (VALUES (timestamptz '2026-11-10 19:30+00'), ('2026-11-10 20:00+00'), ('2026-11-10 20:30+00')) AS p(as_of),
       LATERAL quota.progress_as_of(p.as_of) AS g
 WHERE g.kind = 'revenue'
 ORDER BY p.as_of, g.rep_id;

-- Conversion reads as_of's day from the rows and their credits.  At 19:30
-- raj and maya have effort from earlier days and no revenue yet (0, rate
-- 0.0000); at 20:30 raj 12000 / 50 = 240.0000, maya 8000 / 20 = 400.0000.
-- lee has nothing before his day, so no row.
SELECT p.as_of, c.rep_id, c.effort, c.outcomes, c.rate
  FROM (VALUES (timestamptz '2026-11-10 19:30+00'), ('2026-11-10 20:30+00')) AS p(as_of),
       LATERAL quota.conversion_as_of(p.as_of) AS c
 WHERE c.outcome_kind = 'revenue'
 ORDER BY p.as_of, c.rep_id;

--------------------------------------------------------------------------
-- 5. Changing the activity changes its credits.

-- qty 20000 -> 30000: raj 30000 * 60 / 100 = 18000, maya 30000 * 40 / 100
-- = 12000.  raj 10 Nov: 30000 - 18000 + 18000 - 12000 = 18000; maya 11 Nov
-- 12000.  Attainment raj 1.8000 (rank 1), maya 1.2000 (rank 2, met), lee
-- 0.9000 (rank 3).
SAVEPOINT s;
UPDATE quota.activity SET qty = 30000 WHERE external_id = 'deal';
SELECT rep_id, share, from_rep_id, qty FROM quota.activity_credit WHERE activity_id = 9100001 ORDER BY rep_id;
SELECT rep_id, day, sum(qty) AS total
  FROM quota.daily_total WHERE rep_id IN ('raj', 'maya', 'lee') AND kind = 'revenue'
 GROUP BY rep_id, day HAVING sum(qty) <> 0 ORDER BY rep_id, day;
SELECT rep_id, actual, attainment, met, attainment_rank
  FROM quota.progress_as_of('2026-11-20 12:00+00') WHERE kind = 'revenue' ORDER BY attainment_rank;
SELECT * FROM quota.verify();
ROLLBACK TO SAVEPOINT s;

-- The deal moves to lee: from_rep_id follows, the shares stay raj 12000 and
-- maya 8000.  lee (New York) has it at 15:00 on 10 Nov: 20000 - 12000 -
-- 8000 = 0 there (left out); raj keeps 12000 on 10 Nov, though the activity
-- is no longer his, maya 8000 on 11 Nov; lee's own 9000 on 12 Nov.
UPDATE quota.activity SET rep_id = 'lee' WHERE external_id = 'deal';
SELECT rep_id, share, from_rep_id, qty FROM quota.activity_credit WHERE activity_id = 9100001 ORDER BY rep_id;
SELECT rep_id, day, sum(qty) AS total
  FROM quota.daily_total WHERE rep_id IN ('raj', 'maya', 'lee') AND kind = 'revenue'
 GROUP BY rep_id, day HAVING sum(qty) <> 0 ORDER BY rep_id, day;
SELECT * FROM quota.verify();
-- Progress and teams are as in section 3: raj 12000, lee 9000, maya 8000;
-- north 20000, south 9000.
SELECT rep_id, actual, attainment_rank
  FROM quota.progress_as_of('2026-11-20 12:00+00') WHERE kind = 'revenue' ORDER BY attainment_rank;
SELECT team_id, actual FROM quota.team_progress_as_of('2026-11-20 12:00+00') WHERE kind = 'revenue' ORDER BY team_id;
ROLLBACK TO SAVEPOINT s;

-- The deal moves a day later, to 2026-11-11 16:00+00, and becomes
-- new_customer in one statement: the credits follow (11 Nov 16:00 for raj,
-- 01:00 on 12 Nov for maya).  raj new_customer 11 Nov 12000, maya
-- new_customer 12 Nov 8000; no revenue of the deal is left anywhere.
UPDATE quota.activity SET occurred_at = '2026-11-11 16:00+00', kind = 'new_customer' WHERE external_id = 'deal';
SELECT rep_id, from_rep_id, kind, occurred_at, qty FROM quota.activity_credit WHERE activity_id = 9100001 ORDER BY rep_id;
SELECT rep_id, kind, day, sum(qty) AS total
  FROM quota.daily_total WHERE rep_id IN ('raj', 'maya', 'lee') AND kind IN ('revenue', 'new_customer')
 GROUP BY rep_id, kind, day HAVING sum(qty) <> 0 ORDER BY rep_id, kind, day;
SELECT * FROM quota.verify();
ROLLBACK TO SAVEPOINT s;

--------------------------------------------------------------------------
-- 6. Changing the shares.

-- 50/50 in one transaction, one share at a time (in between they total 90,
-- which the deferred check allows): raj 10000, maya 10000.  Attainment
-- 1.0000 both, met, sharing rank 1; lee 0.9000 rank 3.
UPDATE quota.activity_credit SET share = 50 WHERE activity_id = 9100001 AND rep_id = 'raj';
UPDATE quota.activity_credit SET share = 50 WHERE activity_id = 9100001 AND rep_id = 'maya';
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT rep_id, share, qty FROM quota.activity_credit WHERE activity_id = 9100001 ORDER BY rep_id;
SELECT rep_id, day, sum(qty) AS total
  FROM quota.daily_total WHERE rep_id IN ('raj', 'maya', 'lee') AND kind = 'revenue'
 GROUP BY rep_id, day HAVING sum(qty) <> 0 ORDER BY rep_id, day;
SELECT rep_id, actual, attainment, met, attainment_rank
  FROM quota.progress_as_of('2026-11-20 12:00+00') WHERE kind = 'revenue' ORDER BY attainment_rank, rep_id;
SELECT * FROM quota.verify();
ROLLBACK TO SAVEPOINT s;

-- maya's share moves to lee: lee 8000 on 10 Nov (15:00 in New York), maya
-- nothing left of the deal; raj 12000.  north now 12000, south 9000 + 8000
-- = 17000 (over its 10000), emea still 12000 + 17000 = 29000.
UPDATE quota.activity_credit SET rep_id = 'lee' WHERE activity_id = 9100001 AND rep_id = 'maya';
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT rep_id, day, sum(qty) AS total
  FROM quota.daily_total WHERE rep_id IN ('raj', 'maya', 'lee') AND kind = 'revenue'
 GROUP BY rep_id, day HAVING sum(qty) <> 0 ORDER BY rep_id, day;
SELECT team_id, target, actual FROM quota.team_progress_as_of('2026-11-20 12:00+00') WHERE kind = 'revenue' ORDER BY team_id;
SELECT * FROM quota.verify();
ROLLBACK TO SAVEPOINT s;

-- Shares set by an upsert: both rows exist, so both are updated: raj 55
-- (20000 * 55 / 100 = 11000), maya 45 (9000).
INSERT INTO quota.activity_credit AS c (activity_id, rep_id, share) VALUES (9100001, 'raj', 55), (9100001, 'maya', 45)
    ON CONFLICT (activity_id, rep_id) DO UPDATE SET share = excluded.share;
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT rep_id, share, qty FROM quota.activity_credit WHERE activity_id = 9100001 ORDER BY rep_id;
SELECT rep_id, day, sum(qty) AS total
  FROM quota.daily_total WHERE rep_id IN ('raj', 'maya', 'lee') AND kind = 'revenue'
 GROUP BY rep_id, day HAVING sum(qty) <> 0 ORDER BY rep_id, day;
SELECT * FROM quota.verify();
ROLLBACK TO SAVEPOINT s;

-- Deleting every share gives the deal back to raj in full: raj 20000 on
-- 10 Nov, maya none; the check lets an activity have no shares at all.
DELETE FROM quota.activity_credit WHERE activity_id = 9100001;
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT rep_id, day, sum(qty) AS total
  FROM quota.daily_total WHERE rep_id IN ('raj', 'maya', 'lee') AND kind = 'revenue'
 GROUP BY rep_id, day HAVING sum(qty) <> 0 ORDER BY rep_id, day;
SELECT * FROM quota.verify();
ROLLBACK TO SAVEPOINT s;

-- Exact decimals: 7 units sold by lee shared 12.5 / 87.5 are 7 * 12.5 / 100
-- = 0.875 for raj and 7 * 87.5 / 100 = 6.125 for lee, no rounding; lee
-- keeps 7 - 0.875 = 6.125.  The activity is lee's at 2026-11-13 15:00+00
-- (10:00 in New York): raj has 13 Nov, lee 13 Nov.
INSERT INTO quota.activity (activity_id, rep_id, kind, occurred_at, qty) OVERRIDING SYSTEM VALUE
VALUES (9100006, 'lee', 'units_sold', '2026-11-13 15:00+00', 7);
INSERT INTO quota.activity_credit (activity_id, rep_id, share) VALUES (9100006, 'raj', 12.5), (9100006, 'lee', 87.5);
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT rep_id, share, qty FROM quota.activity_credit WHERE activity_id = 9100006 ORDER BY rep_id;
SELECT rep_id, day, sum(qty) AS total
  FROM quota.daily_total WHERE rep_id IN ('raj', 'maya', 'lee') AND kind = 'units_sold'
 GROUP BY rep_id, day HAVING sum(qty) <> 0 ORDER BY rep_id, day;
SELECT * FROM quota.verify();
ROLLBACK TO SAVEPOINT s;

--------------------------------------------------------------------------
-- 7. Shares that do not total 100 fail when the check runs (23514), the
-- detail listing the shares: maya 40 -> 30 leaves 90; 40 -> 50 makes 110.
UPDATE quota.activity_credit SET share = 30 WHERE activity_id = 9100001 AND rep_id = 'maya';
SET CONSTRAINTS ALL IMMEDIATE;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
UPDATE quota.activity_credit SET share = 50 WHERE activity_id = 9100001 AND rep_id = 'maya';
SET CONSTRAINTS ALL IMMEDIATE;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
-- Deleting one share of two leaves 60.
DELETE FROM quota.activity_credit WHERE activity_id = 9100001 AND rep_id = 'maya';
SET CONSTRAINTS ALL IMMEDIATE;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;

-- A share is more than 0 and at most 100 (check constraint, 23514 at once).
INSERT INTO quota.activity_credit (activity_id, rep_id, share) VALUES (9100002, 'raj', 0);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
INSERT INTO quota.activity_credit (activity_id, rep_id, share) VALUES (9100002, 'raj', 120);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
UPDATE quota.activity_credit SET share = -40 WHERE activity_id = 9100001 AND rep_id = 'maya';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;

-- A rep or an activity that does not exist (23503); a rep credited twice
-- for one activity (23505).
INSERT INTO quota.activity_credit (activity_id, rep_id, share) VALUES (9100002, 'nobody', 100);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
INSERT INTO quota.activity_credit (activity_id, rep_id, share) VALUES (9199999, 'raj', 100);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
INSERT INTO quota.activity_credit (activity_id, rep_id, share) VALUES (9100001, 'maya', 10);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
-- Nothing failed left a trace: the totals are those of section 2 (no rows).
SELECT * FROM quota.verify();

--------------------------------------------------------------------------
-- 8. Deleting the activity deletes its credits, and the totals go back:
-- raj and maya have no revenue left; lee keeps 9000.
DELETE FROM quota.activity WHERE external_id = 'deal';
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT count(*) AS credits_left FROM quota.activity_credit WHERE activity_id = 9100001;
SELECT rep_id, day, sum(qty) AS total
  FROM quota.daily_total WHERE rep_id IN ('raj', 'maya', 'lee') AND kind = 'revenue'
 GROUP BY rep_id, day HAVING sum(qty) <> 0 ORDER BY rep_id, day;
-- raj 0 and maya 0 (0.0000, tied at rank 2), lee 9000 (0.9000, rank 1).
SELECT rep_id, actual, attainment, attainment_rank
  FROM quota.progress_as_of('2026-11-20 12:00+00') WHERE kind = 'revenue' ORDER BY attainment_rank, rep_id;
SELECT * FROM quota.verify();
ROLLBACK TO SAVEPOINT s;

--------------------------------------------------------------------------
-- 9. Recounting.  A snapshot of the live totals (summed over slots) ...
CREATE TEMP TABLE live_totals ON COMMIT DROP AS
SELECT rep_id, kind, day, sum(qty) AS total
  FROM quota.daily_total GROUP BY rep_id, kind, day HAVING sum(qty) <> 0;
-- ... is what quota.rebuild() writes back, one row per total in slot 0.
-- One rep at a time: raj has call, email, opportunity and revenue totals
-- (4), maya the same (4).
SELECT quota.rebuild('raj') AS raj_totals, quota.rebuild('maya') AS maya_totals;
SELECT rep_id, kind, day, slot, qty
  FROM quota.daily_total WHERE rep_id IN ('raj', 'maya') ORDER BY rep_id, kind, day;
SELECT quota.rebuild() > 0 AS rebuilt;
-- Same totals as before, both ways (no rows), and verify() agrees.
(SELECT rep_id, kind, day, sum(qty) FROM quota.daily_total GROUP BY 1, 2, 3 HAVING sum(qty) <> 0
 EXCEPT SELECT * FROM live_totals)
UNION ALL
(SELECT * FROM live_totals
 EXCEPT SELECT rep_id, kind, day, sum(qty) FROM quota.daily_total GROUP BY 1, 2, 3 HAVING sum(qty) <> 0);
SELECT * FROM quota.verify();

-- A rep's new time zone moves the totals of the shares credited to the rep
-- and of those credited away from the rep's activity: raj to Tokyo puts
-- the deal at 05:00 on 11 Nov for him, so raj revenue 11 Nov 12000 (and his
-- calls, emails and opportunity stay on 5 and 9 Nov: 21:00, 22:00, 18:00).
UPDATE quota.rep SET time_zone = 'Asia/Tokyo' WHERE rep_id = 'raj';
SELECT rep_id, kind, day, sum(qty) AS total
  FROM quota.daily_total WHERE rep_id IN ('raj', 'maya') GROUP BY rep_id, kind, day HAVING sum(qty) <> 0
 ORDER BY rep_id, kind, day;
SELECT * FROM quota.verify();
ROLLBACK TO SAVEPOINT s;

-- TRUNCATE quota.activity alone is refused (the credits refer to it) ...
TRUNCATE quota.activity;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
-- ... and with its credits empties the totals.
TRUNCATE quota.activity, quota.activity_credit;
SELECT count(*) AS totals_left FROM quota.daily_total WHERE qty <> 0;
SELECT * FROM quota.verify();
ROLLBACK TO SAVEPOINT s;
-- TRUNCATE of the credits alone recounts: the deal and the opportunity go
-- back to raj in full (revenue 20000 on 10 Nov, opportunity 5 on 9 Nov).
TRUNCATE quota.activity_credit;
SELECT rep_id, kind, day, sum(qty) AS total
  FROM quota.daily_total WHERE rep_id IN ('raj', 'maya', 'lee') AND kind IN ('revenue', 'opportunity')
 GROUP BY rep_id, kind, day HAVING sum(qty) <> 0 ORDER BY rep_id, kind, day;
SELECT * FROM quota.verify();
ROLLBACK TO SAVEPOINT s;

--------------------------------------------------------------------------
-- 10. Closed periods protect credits.  Before closing October:
--   oct-deal (9100004): raj, revenue 5000 at 2026-10-20 12:00+00, shared
--     raj 70 (3500) / maya 30 (1500, 21:00 on 20 Oct in Tokyo);
--   maya-nov (9100005): maya, opportunity 1 at 2026-10-31 16:00+00, which
--     is 01:00 on 1 November for maya but 31 October for raj.
INSERT INTO quota.activity (activity_id, rep_id, kind, occurred_at, qty, external_id) OVERRIDING SYSTEM VALUE VALUES
    (9100004, 'raj',  'revenue',     '2026-10-20 12:00+00', 5000, 'oct-deal'),
    (9100005, 'maya', 'opportunity', '2026-10-31 16:00+00', 1,    'maya-nov');
INSERT INTO quota.activity_credit (activity_id, rep_id, share) VALUES (9100004, 'raj', 70), (9100004, 'maya', 30);
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT quota.close_period('2026-10-31');
SAVEPOINT c;

-- A new share on a closed day is refused (23514), naming the first rep whose
-- day is closed: crediting raj with maya-nov would change raj's 31 October,
-- though the activity is in maya's November.
INSERT INTO quota.activity_credit (activity_id, rep_id, share) VALUES (9100005, 'raj', 100);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT c;
-- So is a new share of oct-deal (lee's part is first: 08:00 on 20 Oct in
-- New York).  Changing or deleting a share of oct-deal, or deleting
-- oct-deal (its shares would go with it), is refused too.
INSERT INTO quota.activity_credit (activity_id, rep_id, share) VALUES (9100004, 'lee', 10);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT c;
UPDATE quota.activity_credit SET share = 50 WHERE activity_id = 9100004 AND rep_id = 'maya';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT c;
DELETE FROM quota.activity_credit WHERE activity_id = 9100004 AND rep_id = 'raj';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT c;
DELETE FROM quota.activity WHERE external_id = 'oct-deal';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT c;
-- TRUNCATE of the credits would take oct-deal's shares from closed days.
TRUNCATE quota.activity_credit;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT c;
-- The November deal is open: 50/50 goes through (raj 10000 on 10 Nov, maya
-- 10000 on 11 Nov).  October stays as it was closed: raj 20 Oct 5000 -
-- 3500 + 3500 - 1500 = 3500, maya 20 Oct (21:00 in Tokyo) 1500.
UPDATE quota.activity_credit SET share = 50 WHERE activity_id = 9100001;
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT rep_id, day, sum(qty) AS total
  FROM quota.daily_total WHERE rep_id IN ('raj', 'maya', 'lee') AND kind = 'revenue'
 GROUP BY rep_id, day HAVING sum(qty) <> 0 ORDER BY rep_id, day;
SELECT * FROM quota.verify();
ROLLBACK;

--------------------------------------------------------------------------
-- 11. At a real COMMIT.  Shares of 50 and 40 fail the commit (23514) and
-- roll the whole transaction back: no rep, activity, credit or total of it
-- is left.
BEGIN;
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('raj', 'Raj', 'UTC'), ('maya', 'Maya', 'Asia/Tokyo');
INSERT INTO quota.activity (activity_id, rep_id, kind, occurred_at, qty, external_id) OVERRIDING SYSTEM VALUE
VALUES (9100009, 'raj', 'revenue', '2026-11-10 20:00+00', 20000, 'deal');
INSERT INTO quota.activity_credit (activity_id, rep_id, share) VALUES (9100009, 'raj', 50), (9100009, 'maya', 40);
COMMIT;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT (SELECT count(*) FROM quota.rep WHERE rep_id IN ('raj', 'maya')) AS reps,
       (SELECT count(*) FROM quota.activity WHERE activity_id = 9100009) AS activities,
       (SELECT count(*) FROM quota.activity_credit WHERE activity_id = 9100009) AS credits,
       (SELECT count(*) FROM quota.daily_total WHERE rep_id IN ('raj', 'maya')) AS totals;

--------------------------------------------------------------------------
-- 12. TRUNCATE of the credits looks for credit of closed periods only: with
-- October closed and an October call of raj's (never shared), the credits of
-- the open November deal (raj 60 / maya 40 of 20000) can be truncated, and
-- the deal goes back to raj in full (20000 on 10 Nov; maya nothing).  Before
-- the fix any closed activity refused it.
BEGIN;
SET LOCAL datestyle = 'ISO, YMD';
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('raj', 'Raj', 'UTC'), ('maya', 'Maya', 'Asia/Tokyo');
INSERT INTO quota.activity (activity_id, rep_id, kind, occurred_at, qty, external_id) OVERRIDING SYSTEM VALUE VALUES
    (9100010, 'raj', 'call',    '2026-10-05 09:00+00', 3,     'oct-call'),
    (9100011, 'raj', 'revenue', '2026-11-10 20:00+00', 20000, 'nov-deal');
INSERT INTO quota.activity_credit (activity_id, rep_id, share) VALUES (9100011, 'raj', 60), (9100011, 'maya', 40);
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT quota.close_period('2026-10-31');
TRUNCATE quota.activity_credit;
SELECT rep_id, kind, day, sum(qty) AS total FROM quota.daily_total
 GROUP BY rep_id, kind, day HAVING sum(qty) <> 0 ORDER BY rep_id, kind, day;
SELECT * FROM quota.verify();
ROLLBACK;
