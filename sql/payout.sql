-- payout: tier sets and their bands (no overlap at once, no gap at commit),
-- quota.payout() by the marginal and the retroactive method, pay plans, and
-- the payouts of every plan and period.  Every figure is derived by hand in
-- the comments.
--
-- The two tier sets used throughout:
--   standard (attainment): [0,0.5) 0; [0.5,1.0) 1.0; [1.0,1.2) 1.5; [1.2,) 2.0
--   deal (amount):         [0,5000) 0.04; [5000,) 0.06
--
-- marginal    = base * sum over the bands of (the part of [0, measure) in the band) * rate
-- retroactive = base * measure * (the rate of the band that contains the measure)
--
-- Errors show their message, detail and hint, then their SQLSTATE; the
-- PL/pgSQL context lines are left out.
\set SHOW_CONTEXT never
BEGIN;
SET LOCAL datestyle = 'ISO, YMD';

--------------------------------------------------------------------------
-- 1. The objects: configuration tables go into pg_dump, functions are
-- declared as the style asks, everything is commented.
SELECT r AS relation, r = ANY (e.extconfig) AS dumped
  FROM pg_extension e,
       unnest(ARRAY['quota.tier_set', 'quota.tier', 'quota.plan', 'quota.plan_plan_id_seq']::regclass[]) AS r
 WHERE e.extname = 'quota_ext';

-- payout: SQL-standard body, STABLE (reads quota.tier), STRICT, PARALLEL
-- SAFE; payout_as_of likewise but not STRICT; none runs with its owner's
-- rights (the view reads through its caller's).
SELECT p.oid::regprocedure AS function, l.lanname AS language, p.prosqlbody IS NOT NULL AS sql_standard_body,
       p.provolatile AS volatility, p.proisstrict AS strict, p.proparallel AS parallel, p.prosecdef AS security_definer
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
 WHERE p.pronamespace = 'quota'::regnamespace
   AND p.proname IN ('payout', 'payout_as_of', 'payout_invalid', 'check_tiers', 'tier_bands_cover')
 ORDER BY p.proname;

-- Nothing without a comment (no rows).
SELECT c.oid::regclass AS relation, a.attname AS column_without_comment
  FROM pg_class c
  LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                          AND col_description(c.oid, a.attnum) IS NULL
 WHERE c.oid IN ('quota.tier_set'::regclass, 'quota.tier'::regclass, 'quota.plan'::regclass, 'quota.payouts'::regclass)
   AND (obj_description(c.oid, 'pg_class') IS NULL OR a.attname IS NOT NULL);
SELECT p.oid::regprocedure AS function_without_comment
  FROM pg_proc p
 WHERE p.pronamespace = 'quota'::regnamespace
   AND p.proname IN ('payout', 'payout_as_of', 'payout_invalid', 'check_tiers', 'tier_bands_cover')
   AND obj_description(p.oid, 'pg_proc') IS NULL;
SELECT t.tgrelid::regclass AS table, t.tgname AS trigger_without_comment
  FROM pg_trigger t
 WHERE t.tgrelid IN ('quota.tier_set'::regclass, 'quota.tier'::regclass, 'quota.plan'::regclass)
   AND NOT t.tgisinternal AND obj_description(t.oid, 'pg_trigger') IS NULL;

--------------------------------------------------------------------------
-- 2. Tier sets.  Bands can be entered one by one: the check that they
-- cover every measure runs at commit.  SET CONSTRAINTS ALL IMMEDIATE runs
-- it now, inside the transaction; no error: both sets are complete.
INSERT INTO quota.tier_set (tier_set_id, description, measure) VALUES
    ('standard', 'accelerators on attainment', 'attainment'),
    ('deal',     'commission on revenue',      'amount');
INSERT INTO quota.tier (tier_set_id, band, rate) VALUES ('standard', '[1.2,)', 2.0);
INSERT INTO quota.tier (tier_set_id, band, rate) VALUES ('standard', '[0,0.5)', 0);
INSERT INTO quota.tier (tier_set_id, band, rate) VALUES ('standard', '[1.0,1.2)', 1.5);
INSERT INTO quota.tier (tier_set_id, band, rate) VALUES ('standard', '[0.5,1.0)', 1.0);
INSERT INTO quota.tier (tier_set_id, band, rate) VALUES
    ('deal', '[0,5000)', 0.04),
    ('deal', '[5000,)',  0.06);
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT tier_set_id, band, rate FROM quota.tier ORDER BY tier_set_id, lower(band);

-- Overlaps are rejected at once (23P01), naming both bands: one that
-- straddles 1.0, one entered twice, one inside the unbounded last band.
-- (Each error is caught by a savepoint.)
SAVEPOINT s;
INSERT INTO quota.tier (tier_set_id, band, rate) VALUES ('standard', '[0.9,1.1)', 1.2);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
INSERT INTO quota.tier (tier_set_id, band, rate) VALUES ('standard', '[1.2,)', 3.0);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
INSERT INTO quota.tier (tier_set_id, band, rate) VALUES ('standard', '[2.0,3.0)', 2.5);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;

-- Bands are half-open [lower, upper), from 0 up; rates are 0 or more; a
-- tier set measures attainment or an amount (23514 each).
INSERT INTO quota.tier (tier_set_id, band, rate) VALUES ('deal', '[0,1]', 0.01);     -- upper bound included
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
INSERT INTO quota.tier (tier_set_id, band, rate) VALUES ('deal', '(,0)', 0.01);      -- no lower bound
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
INSERT INTO quota.tier (tier_set_id, band, rate) VALUES ('deal', 'empty', 0.01);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
INSERT INTO quota.tier (tier_set_id, band, rate) VALUES ('deal', '[-100,0)', 0.01);  -- below 0
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
UPDATE quota.tier SET rate = -0.01 WHERE tier_set_id = 'deal' AND band = '[5000,)';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
INSERT INTO quota.tier_set (tier_set_id, measure) VALUES ('pct', 'percent');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;

-- Gaps, a first band that does not start at 0, a last band bounded above
-- and a tier set left without bands: 23514 when the check runs, saying where.
INSERT INTO quota.tier_set (tier_set_id, measure) VALUES ('gappy', 'attainment');
INSERT INTO quota.tier (tier_set_id, band, rate) VALUES ('gappy', '[0,1.0)', 0.5), ('gappy', '[1.1,)', 1);
SET CONSTRAINTS ALL IMMEDIATE;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
INSERT INTO quota.tier_set (tier_set_id, measure) VALUES ('late', 'attainment');
INSERT INTO quota.tier (tier_set_id, band, rate) VALUES ('late', '[0.5,1.0)', 1), ('late', '[1.0,)', 2);
SET CONSTRAINTS ALL IMMEDIATE;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
INSERT INTO quota.tier_set (tier_set_id, measure) VALUES ('capped', 'attainment');
INSERT INTO quota.tier (tier_set_id, band, rate) VALUES ('capped', '[0,1.0)', 1), ('capped', '[1.0,2.0)', 2);
SET CONSTRAINTS ALL IMMEDIATE;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
DELETE FROM quota.tier WHERE tier_set_id = 'deal';                             -- the set stays, without bands
SET CONSTRAINTS ALL IMMEDIATE;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;

-- A new tier set without bands is not an error (pg_dump restores tier sets
-- before their bands, in another transaction), but nothing can be paid on it.
INSERT INTO quota.tier_set (tier_set_id, measure) VALUES ('bare', 'amount');
SET CONSTRAINTS ALL IMMEDIATE;
SELECT quota.payout(100, 1, 'bare', 'marginal');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;

-- Changing a complete set is checked too: deleting the band [1.0,1.2)
-- opens a gap between 1.0 and 1.2; narrowing [0.5,1.0) to [0.5,0.9) one
-- between 0.9 and 1.0.
DELETE FROM quota.tier WHERE tier_set_id = 'standard' AND band = '[1.0,1.2)';
SET CONSTRAINTS ALL IMMEDIATE;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
UPDATE quota.tier SET band = '[0.5,0.9)' WHERE tier_set_id = 'standard' AND band = '[0.5,1.0)';
SET CONSTRAINTS ALL IMMEDIATE;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;

-- Fine (no error): replacing all the bands of a set in one transaction,
-- moving a boundary ([0.5,1.0) and [1.0,1.2) become [0.5,0.9) and
-- [0.9,1.2); the band that shrinks goes first, as overlaps are refused at
-- once), and deleting a whole set with its bands (not checked: it is gone).
DELETE FROM quota.tier WHERE tier_set_id = 'deal';
INSERT INTO quota.tier (tier_set_id, band, rate) VALUES ('deal', '[0,)', 0.05);
UPDATE quota.tier SET band = '[0.5,0.9)' WHERE tier_set_id = 'standard' AND band = '[0.5,1.0)';
UPDATE quota.tier SET band = '[0.9,1.2)' WHERE tier_set_id = 'standard' AND band = '[1.0,1.2)';
SET CONSTRAINTS ALL IMMEDIATE;
DELETE FROM quota.tier_set WHERE tier_set_id = 'deal';
SELECT tier_set_id, band, rate FROM quota.tier ORDER BY tier_set_id, lower(band);
ROLLBACK TO SAVEPOINT s;
-- (Back to the two sets as first entered, and to checks at commit.)
SELECT tier_set_id, band, rate FROM quota.tier ORDER BY tier_set_id, lower(band);

-- quota.check_tiers() runs the check on demand.
SELECT quota.check_tiers('standard') AS standard, quota.check_tiers('deal') AS deal;

-- The trigger function refuses to run as any other trigger (39P01).
CREATE TABLE public.misused (tier_set_id text);
CREATE TRIGGER misused BEFORE INSERT ON public.misused FOR EACH ROW EXECUTE FUNCTION quota.tier_bands_cover();
INSERT INTO public.misused VALUES ('standard');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;

--------------------------------------------------------------------------
-- 3. quota.payout(measure, base, tiers, method), exact: results keep the
-- scale that numeric multiplication gives.
--
-- standard, base 10,000:
--   0:    nothing is earned: 0 either way
--   0.49: first band, rate 0: 0 either way
--   0.5:  marginal 0.5*0 + 0*1.0 = 0; retroactive 0.5 is in [0.5,1.0): 10,000 * 0.5 * 1.0 = 5,000
--   1.0:  marginal 0.5*0 + 0.5*1.0 = 0.5 -> 5,000;
--         retroactive 1.0 is in [1.0,1.2) (bands are half-open): 10,000 * 1.0 * 1.5 = 15,000
--   1.3:  marginal 0.5*0 + 0.5*1.0 + 0.2*1.5 + 0.1*2.0 = 0 + 0.5 + 0.3 + 0.2 = 1.0 -> 10,000;
--         retroactive 1.3 is in [1.2,): 10,000 * 1.3 * 2.0 = 26,000
--   2.5:  marginal 0.5 + 0.3 + 1.3*2.0 = 3.4 -> 34,000; retroactive 10,000 * 2.5 * 2.0 = 50,000
SELECT m AS measure,
       quota.payout(m, 10000, 'standard', 'marginal') AS marginal,
       quota.payout(m, 10000, 'standard', 'retroactive') AS retroactive
  FROM unnest('{0, 0.49, 0.5, 1.0, 1.3, 2.5}'::numeric[]) AS m;

-- deal, base 1 (the rate is the share of the amount):
--   20,000: marginal 5,000*0.04 + 15,000*0.06 = 200 + 900 = 1,100, an
--           effective 1,100 / 20,000 = 0.055 (5.5 %);
--           retroactive 20,000 * 0.06 = 1,200
--   5,000 (on the boundary): marginal 5,000*0.04 = 200; retroactive 5,000*0.06 = 300
--   4,999.99: both 4,999.99*0.04 = 199.9996
SELECT m AS measure,
       quota.payout(m, 1, 'deal', 'marginal') AS marginal,
       quota.payout(m, 1, 'deal', 'retroactive') AS retroactive,
       round(quota.payout(m, 1, 'deal', 'marginal') / m, 4) AS effective_marginal
  FROM unnest('{20000, 5000, 4999.99}'::numeric[]) AS m;

-- No rounding anywhere: 1.2345678901234567890123 on standard, base 1:
--   marginal 0.5*1.0 + 0.2*1.5 + 0.0345678901234567890123*2.0
--          = 0.5 + 0.3 + 0.0691357802469135780246 = 0.8691357802469135780246
--   retroactive 1.2345678901234567890123 * 2.0 = 2.4691357802469135780246
-- (each shown to 23 places: the measure's 22 and the rate's 1)
SELECT quota.payout(1.2345678901234567890123, 1, 'standard', 'marginal') AS marginal,
       quota.payout(1.2345678901234567890123, 1, 'standard', 'retroactive') AS retroactive;

-- STRICT: a NULL argument gives NULL.
SELECT quota.payout(NULL, 1, 'standard', 'marginal') IS NULL AS null_measure,
       quota.payout(1, NULL, 'standard', 'marginal') IS NULL AS null_base,
       quota.payout(1, 1, NULL, 'marginal') IS NULL AS null_tiers,
       quota.payout(1, 1, 'standard', NULL) IS NULL AS null_method;

-- Unknown tier sets and methods, and negative measures: 22023, with a hint
-- listing what is allowed.  Methods are lower case.
SAVEPOINT s;
SELECT quota.payout(1.3, 10000, 'gold', 'marginal');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
SELECT quota.payout(1.3, 10000, 'standard', 'tiered');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
SELECT quota.payout(1.3, 10000, 'standard', 'Marginal');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
SELECT quota.payout(-0.1, 10000, 'standard', 'marginal');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;

-- Bands left incomplete inside a transaction: the payout of a measure they
-- do not cover names the gap (23514).  1.1 is in the gap left by deleting
-- [1.0,1.2); 0.7 is still covered: marginal 0.5*0 + 0.2*1.0 = 0.2 -> 10,000 * 0.2 = 2,000.
DELETE FROM quota.tier WHERE tier_set_id = 'standard' AND band = '[1.0,1.2)';
SELECT quota.payout(0.7, 10000, 'standard', 'marginal');
SELECT quota.payout(1.1, 10000, 'standard', 'retroactive');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;

--------------------------------------------------------------------------
-- 4. Plans, and the payouts of every plan and period.
--
-- as_of is 2026-11-01 03:00 UTC.  Wall clocks then:
--   UTC               03:00 on Sun 1 Nov: October has ended
--   America/New_York  23:00 on Sat 31 Oct (EDT, -04; summer time ends at
--                     06:00 UTC that day): October runs for another hour
INSERT INTO quota.team (team_id, name, time_zone) VALUES ('west', 'West', 'UTC');
INSERT INTO quota.rep (rep_id, name, team_id, time_zone) VALUES
    ('ann', 'Ann', 'west', 'UTC'),
    ('bob', 'Bob', 'west', 'America/New_York');
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES
    ('ann', 'call',    '150/month',   '[2026-09-01,)'),
    ('ann', 'revenue', '50000/month', '[2026-09-01,)'),
    ('bob', 'call',    '100/month',   '[2026-09-01,)');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES
    ('ann', 'call',    '2026-09-10 10:00+00',   60),   -- Sep: 60 / 150 = 0.4
    ('ann', 'call',    '2026-10-05 10:00+00',  195),   -- Oct: 195 / 150 = 1.3
    ('ann', 'call',    '2026-11-01 01:00+00',  100),   -- Nov: 100 / 150 = 2/3 by as_of
    ('ann', 'call',    '2026-11-01 04:00+00',   50),   -- after as_of
    ('ann', 'revenue', '2026-09-20 10:00+00', 3000),
    ('ann', 'revenue', '2026-10-08 10:00+00', 12000),  -- Oct: 12,000 + 8,000 = 20,000
    ('ann', 'revenue', '2026-10-30 10:00+00', 8000),
    ('ann', 'revenue', '2026-11-01 00:30+00', 1000),
    ('bob', 'call',    '2026-09-15 10:00 America/New_York', 120),  -- Sep: 120 / 100 = 1.2
    ('bob', 'call',    '2026-10-10 10:00 America/New_York',  80),
    ('bob', 'call',    '2026-10-31 22:00 America/New_York',  10),  -- 02:00 UTC on 1 Nov: Oct for bob, before as_of
    ('bob', 'call',    '2026-10-31 23:30 America/New_York',   5);  -- 03:30 UTC: after as_of

-- ann: her calls on standard tiers, marginal, base 1,000, from September;
--      her revenue on deal tiers, marginal, base 1, in October only.
-- bob: his calls on standard tiers, retroactive, base 1,000, from October
--      (his September quota is not paid on); his monthly score on standard
--      tiers, retroactive, base 500, from September.
INSERT INTO quota.plan (rep_id, kind, tier_set_id, base, method, valid) VALUES
    ('ann', 'call',    'standard', 1000, 'marginal',    '[2026-09-01,)'),
    ('ann', 'revenue', 'deal',     1,    'marginal',    '[2026-10-01,2026-11-01)'),
    ('bob', 'call',    'standard', 1000, 'retroactive', '[2026-10-01,)'),
    ('bob', NULL,      'standard', 500,  'retroactive', '[2026-09-01,)');

-- Plans of one rep and kind, or of one rep's score, do not overlap (23P01);
-- a kind plan and a score plan of the same rep may.
SAVEPOINT s;
INSERT INTO quota.plan (rep_id, kind, tier_set_id, base, method, valid)
    VALUES ('ann', 'call', 'standard', 2000, 'retroactive', '[2026-12-01,2027-01-01)');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
INSERT INTO quota.plan (rep_id, kind, tier_set_id, base, method, valid)
    VALUES ('bob', NULL, 'standard', 800, 'marginal', '[2026-08-01,2026-09-02)');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
INSERT INTO quota.plan (rep_id, kind, tier_set_id, base, method, valid) VALUES
    ('bob', 'call', 'standard', 1000, 'marginal', '[2026-08-01,2026-10-01)'),  -- ends where the other starts
    ('ann', NULL,   'standard', 500,  'marginal', '[2026-09-01,)');             -- ann's score, beside her call plan
ROLLBACK TO SAVEPOINT s;

-- Bad plans: an unknown method, a negative base, no start date (23514,
-- shown tersely: the failing row would show a generated plan_id); an
-- unknown tier set (23503).
\set VERBOSITY terse
INSERT INTO quota.plan (rep_id, kind, tier_set_id, base, method, valid)
    VALUES ('ann', 'email', 'standard', 1000, 'tiered', '[2026-09-01,)');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
INSERT INTO quota.plan (rep_id, kind, tier_set_id, base, method, valid)
    VALUES ('ann', 'email', 'standard', -1, 'marginal', '[2026-09-01,)');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
INSERT INTO quota.plan (rep_id, kind, tier_set_id, base, method, valid)
    VALUES ('ann', 'email', 'standard', 1000, 'marginal', '(,2027-01-01)');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
\set VERBOSITY default
INSERT INTO quota.plan (rep_id, kind, tier_set_id, base, method, valid)
    VALUES ('ann', 'email', 'gold', 1000, 'marginal', '[2026-09-01,)');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
-- A tier set in use cannot be deleted (23503).
DELETE FROM quota.tier_set WHERE tier_set_id = 'standard';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;

-- The payouts at as_of, ann over her call quota in October, bob under:
--
-- ann, calls (150/month; standard, marginal, base 1,000), periods of her
-- assignment from September through November (as_of's month):
--   Sep: 60/150 = 0.4, all in [0,0.5) at 0: 0.00; ended: final
--   Oct: 195/150 = 1.3: 1,000 * (0.5*0 + 0.5*1.0 + 0.2*1.5 + 0.1*2.0 = 1.0) = 1,000.00; final
--   Nov: 100/150 = 2/3 exactly (shown to 20 places, 0.66666666666666666667):
--        1,000 * (2/3 - 0.5) * 1.0 = 1,000/6 = 166.666... -> 166.67; not final.
--        (quota.progress's 4-decimal 0.6667 would give 166.70.)
-- ann, revenue (deal, marginal, base 1), October only (the plan's dates):
--   the measure is the amount, 12,000 + 8,000 = 20,000 (not 20,000/50,000):
--   5,000*0.04 + 15,000*0.06 = 1,100.00; final
-- bob, calls (100/month; standard, retroactive, base 1,000), from October
-- (no September row); his month is still October, so no November row:
--   Oct: 80 + 10 = 90 (the 5 at 03:30 UTC come after as_of); 90/100 = 0.9
--        in [0.5,1.0): 1,000 * 0.9 * 1.0 = 900.00; not final (23:00 in New York)
-- bob, score (standard, retroactive, base 500), months of quota.scoreboard
-- (his only quota is calls, weight 1, cap 1.5: the score is his call
-- attainment), kind NULL:
--   Sep: 120/100 = 1.2000, in [1.2,): 500 * 1.2 * 2.0 = 1,200.00; final
--   Oct: 0.9000 in [0.5,1.0): 500 * 0.9 * 1.0 = 450.00; not final
-- Every row has team west.
SELECT p.rep_id, p.team_id, p.kind, p.period_unit, p.period_start, p.period_end, p.measure,
       p.tier_set_id, p.method, p.base, p.payout, p.final, pl.valid AS plan_valid
  FROM quota.payout_as_of('2026-11-01 03:00+00') AS p
  JOIN quota.plan pl ON pl.plan_id = p.plan_id
 ORDER BY p.rep_id, p.kind NULLS LAST, p.period_start;

-- The measure is the exact ratio, not the 4 decimals of quota.progress:
-- ann's November, 0.6667 there.
SELECT p.measure, g.attainment AS progress_attainment, p.payout,
       round(quota.payout(g.attainment, 1000, 'standard', 'marginal'), 2) AS payout_on_4_decimals
  FROM quota.payout_as_of('2026-11-01 03:00+00') AS p
  JOIN quota.progress_as_of('2026-11-01 03:00+00') AS g USING (rep_id, kind, period_start)
 WHERE p.rep_id = 'ann' AND p.kind = 'call' AND p.period_start = '2026-11-01';

-- An hour later (04:00 UTC, midnight in New York, summer time still) bob's
-- October has ended and the 5 calls of 23:30 count: 95/100 = 0.95.
--   calls: 1,000 * 0.95 * 1.0 = 950.00; score 0.9500: 500 * 0.95 * 1.0 = 475.00; both final.
SELECT p.kind, p.measure, p.payout, p.final
  FROM quota.payout_as_of('2026-11-01 04:00+00') AS p
 WHERE p.rep_id = 'bob' AND p.period_start = '2026-10-01'
 ORDER BY p.kind NULLS LAST;

-- A score plan on amount tiers has no measure (a score is not an amount):
-- ann's October score row, measure and payout NULL.
SAVEPOINT s;
INSERT INTO quota.plan (rep_id, kind, tier_set_id, base, method, valid)
    VALUES ('ann', NULL, 'deal', 1, 'marginal', '[2026-10-01,2026-11-01)');
SELECT p.rep_id, p.kind, p.period_start, p.measure, p.payout, p.final
  FROM quota.payout_as_of('2026-11-01 03:00+00') AS p
 WHERE p.rep_id = 'ann' AND p.kind IS NULL;
ROLLBACK TO SAVEPOINT s;

--------------------------------------------------------------------------
-- 5. The view is the function at now().
SELECT (SELECT count(*) > 0 FROM quota.payouts) AS has_rows,
       (SELECT count(*) FROM (SELECT * FROM quota.payouts
                              EXCEPT ALL SELECT * FROM quota.payout_as_of(now())) d) AS only_view,
       (SELECT count(*) FROM (SELECT * FROM quota.payout_as_of(now())
                              EXCEPT ALL SELECT * FROM quota.payouts) d) AS only_function;
ROLLBACK;
