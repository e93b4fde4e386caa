-- The rules behind the analytics: the team hierarchy has no cycle, team time
-- zones are known, kinds are efforts or outcomes, the score cap is a checked
-- setting, and the functions and views of teams, scores and conversion are
-- commented for BI tools.
BEGIN;
SELECT plan(48);

-- 1. quota.score_cap in a fresh session.  pg_prove runs this file in a new
-- session, and nothing above has loaded the extension's library, which
-- defines the setting.  As for any extension's setting, a value set before
-- the library is loaded is kept and checked when it loads; the scoreboard
-- reads it through quota.score_cap(), which loads the library first.
SET LOCAL quota.score_cap = 1.25;
SELECT is(quota.score_cap(), 1.25,
          'a cap set before the library is loaded is what quota.score_cap() reads');
SELECT is(current_setting('quota.score_cap'), '1.25',
          'once loaded, the setting shows the value set before');
RESET quota.score_cap;

-- Any function of the library loads it (here the time zone check).
SELECT ok(quota.time_zone_valid('UTC'), 'UTC is a known time zone (this loads the library)');

-- 2. quota.score_cap once the library is loaded.
RESET quota.score_cap;
SELECT is(current_setting('quota.score_cap'), '1.5', 'quota.score_cap defaults to 1.5');
SELECT throws_ok($$SET LOCAL quota.score_cap = -1$$, '22023',
                 '-1 is outside the valid range for parameter "quota.score_cap" (0 .. 1000)',
                 'a negative score cap is refused (22023)');
SELECT throws_ok($$SET LOCAL quota.score_cap = 1001$$, '22023',
                 '1001 is outside the valid range for parameter "quota.score_cap" (0 .. 1000)',
                 'a score cap above 1000 is refused (22023)');
SELECT throws_ok($$SET LOCAL quota.score_cap = 'lots'$$, '22023',
                 'invalid value for parameter "quota.score_cap": "lots"',
                 'a score cap that is not a number is refused (22023)');
SET LOCAL quota.score_cap = 1.2;
SELECT is(current_setting('quota.score_cap'), '1.2', 'quota.score_cap can be set to 1.2');
RESET quota.score_cap;
SELECT is(current_setting('quota.score_cap'), '1.5', 'RESET brings quota.score_cap back to 1.5');

-- 3. The team hierarchy has no cycle.
-- The DETAIL of the error a statement raises (NULL when it succeeds).
CREATE FUNCTION pg_temp.error_detail(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    detail text;
BEGIN
    EXECUTE statement;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
    RETURN detail;
END
$$;

--   a_region
--   └── a_one
--       └── a_two
--           └── a_three
--   a_other (top level)
INSERT INTO quota.team (team_id, name, parent_id) VALUES
    ('a_region', 'Region',    NULL),
    ('a_one',    'One',       'a_region'),
    ('a_two',    'Two',       'a_one'),
    ('a_three',  'Three',     'a_two'),
    ('a_other',  'Other',     NULL);

SELECT throws_ok($$INSERT INTO quota.team (team_id, name, parent_id) VALUES ('a_self', 'Self', 'a_self')$$,
                 '23514', 'team "a_self" cannot be placed under its own sub-team',
                 'a new team cannot be its own parent (23514)');
SELECT throws_ok($$UPDATE quota.team SET parent_id = 'a_one' WHERE team_id = 'a_one'$$,
                 '23514', 'team "a_one" cannot be placed under its own sub-team',
                 'a team cannot be made its own parent (23514)');
SELECT throws_ok($$UPDATE quota.team SET parent_id = 'a_two' WHERE team_id = 'a_one'$$,
                 '23514', 'team "a_one" cannot be placed under its own sub-team',
                 'a two-team cycle (a_one under its child a_two) is refused (23514)');
SELECT throws_ok($$INSERT INTO quota.team (team_id, name, parent_id) VALUES ('a_x', 'X', 'a_y'), ('a_y', 'Y', 'a_x')$$,
                 '23514', 'team "a_y" cannot be placed under its own sub-team',
                 'a two-team cycle inserted in one statement is refused (23514)');
SELECT throws_ok($$UPDATE quota.team SET parent_id = 'a_three' WHERE team_id = 'a_one'$$,
                 '23514', 'team "a_one" cannot be placed under its own sub-team',
                 'a three-team cycle via UPDATE (a_one under its grandchild a_three) is refused (23514)');
SELECT is(pg_temp.error_detail($$UPDATE quota.team SET parent_id = 'a_three' WHERE team_id = 'a_one'$$),
          'The parents would form a cycle: a_one > a_three > a_two > a_one.',
          'the DETAIL of the cycle error shows the cycle');
SELECT throws_ok($$UPDATE quota.team SET parent_id = CASE team_id WHEN 'a_region' THEN 'a_other' ELSE 'a_region' END
                    WHERE team_id IN ('a_region', 'a_other')$$,
                 '23514', NULL,
                 'two teams swapped under each other in one UPDATE are refused (23514)');
SELECT results_eq(
    $$SELECT team_id, parent_id FROM quota.team WHERE team_id LIKE 'a\_%' ORDER BY team_id$$,
    $$VALUES ('a_one', 'a_region'), ('a_other', NULL), ('a_region', NULL), ('a_three', 'a_two'), ('a_two', 'a_one')$$,
    'the refused changes left the hierarchy as it was');

SELECT lives_ok($$UPDATE quota.team SET parent_id = 'a_region' WHERE team_id = 'a_three'$$,
                'a valid re-parenting (a_three from a_two up to a_region) is accepted');
SELECT lives_ok($$UPDATE quota.team SET parent_id = 'a_three' WHERE team_id = 'a_two'$$,
                'a_two can now go under a_three, no longer its sub-team');
SELECT lives_ok($$UPDATE quota.team SET parent_id = 'a_other' WHERE team_id = 'a_region'$$,
                'a top-level team can be placed under another top-level team');
SELECT results_eq(
    $$SELECT team_id, parent_id FROM quota.team WHERE team_id LIKE 'a\_%' ORDER BY team_id$$,
    $$VALUES ('a_one', 'a_region'), ('a_other', NULL), ('a_region', 'a_other'), ('a_three', 'a_region'), ('a_two', 'a_three')$$,
    'the hierarchy after the valid moves');
-- The moves show in quota.team_membership: a rep of a_two now counts in
-- a_two (0), a_three (1), a_region (2) and a_other (3), no longer in a_one.
INSERT INTO quota.rep (rep_id, name, team_id) VALUES ('a_rep', 'Rep of a_two', 'a_two');
SELECT results_eq(
    $$SELECT team_id, via_team_id, depth FROM quota.team_membership WHERE rep_id = 'a_rep' ORDER BY depth$$,
    $$VALUES ('a_two', 'a_two', 0), ('a_three', 'a_two', 1), ('a_region', 'a_two', 2), ('a_other', 'a_two', 3)$$,
    'team_membership follows the new hierarchy at every depth');

-- 4. Team time zones.
SELECT throws_ok($$INSERT INTO quota.team (team_id, name, time_zone) VALUES ('a_mars', 'Mars', 'Mars/Olympus_Mons')$$,
                 '22023', 'time zone "Mars/Olympus_Mons" not recognized',
                 'a team with an unknown time zone is refused (22023)');
SELECT throws_ok($$UPDATE quota.team SET time_zone = 'Europe/Atlantis' WHERE team_id = 'a_one'$$,
                 '22023', 'time zone "Europe/Atlantis" not recognized',
                 'changing a team to an unknown time zone is refused (22023)');
SELECT lives_ok($$INSERT INTO quota.team (team_id, name, time_zone) VALUES ('a_india', 'India', 'Asia/Kolkata')$$,
                'a team with a known time zone is accepted');
SELECT is((SELECT time_zone FROM quota.team WHERE team_id = 'a_region'), 'UTC', 'a team''s time zone defaults to UTC');

-- 5. activity_kind.role: effort or outcome.
SELECT results_eq(
    $$SELECT kind, role FROM quota.activity_kind
       WHERE kind IN ('call', 'email', 'social_contact', 'statement_of_work', 'demo', 'meeting',
                      'new_customer', 'opportunity', 'revenue', 'units_sold')
       ORDER BY role, kind$$,
    $$VALUES ('call', 'effort'), ('demo', 'effort'), ('email', 'effort'), ('meeting', 'effort'),
             ('social_contact', 'effort'), ('statement_of_work', 'effort'),
             ('new_customer', 'outcome'), ('opportunity', 'outcome'), ('revenue', 'outcome'), ('units_sold', 'outcome')$$,
    'the shipped kinds are efforts (call, email, social_contact, statement_of_work, demo, meeting) and outcomes (the rest)');
SELECT throws_ok($$INSERT INTO quota.activity_kind (kind, measure, role) VALUES ('referral', 'count', 'result')$$,
                 '23514', 'new row for relation "activity_kind" violates check constraint "activity_kind_role"',
                 'a role other than effort or outcome is refused (23514)');
SELECT throws_ok($$UPDATE quota.activity_kind SET role = 'Outcome' WHERE kind = 'call'$$,
                 '23514', 'new row for relation "activity_kind" violates check constraint "activity_kind_role"',
                 'roles are lower case: Outcome is refused (23514)');
SELECT throws_ok($$INSERT INTO quota.activity_kind (kind, measure, role) VALUES ('referral', 'count', NULL)$$,
                 '23502', NULL, 'a kind without a role is refused (23502)');
INSERT INTO quota.activity_kind (kind, measure) VALUES ('referral', 'count');
SELECT is((SELECT role FROM quota.activity_kind WHERE kind = 'referral'), 'effort', 'a new kind is an effort by default');
SELECT lives_ok($$UPDATE quota.activity_kind SET role = 'outcome' WHERE kind = 'referral'$$, 'a kind can be made an outcome');

-- 6. Bad period units are refused by the scoreboard and conversion.
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES ('a_rep', 'call', '10/month', '[2026-10-01,)');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES ('a_rep', 'call', '2026-10-05 10:00+00', 3);
SELECT throws_ok($$SELECT * FROM quota.scoreboard_as_of('2026-11-15 12:00+00', 'fortnight')$$,
                 '22023', 'unknown period unit "fortnight"', 'scoreboard_as_of refuses an unknown unit (22023)');
SELECT throws_ok($$SELECT * FROM quota.conversion_as_of('2026-11-15 12:00+00', 'fortnight')$$,
                 '22023', 'unknown period unit "fortnight"', 'conversion_as_of refuses an unknown unit (22023)');

-- 7. Comments for BI tools: the functions and views of teams, scores and
-- conversion, and every column of the views.
SELECT ok(obj_description('quota.team_no_cycle()'::regprocedure, 'pg_proc') IS NOT NULL,
          'quota.team_no_cycle() has a comment');
SELECT ok(obj_description('quota.team_progress_as_of(timestamptz)'::regprocedure, 'pg_proc') IS NOT NULL,
          'quota.team_progress_as_of(timestamptz) has a comment');
SELECT ok(obj_description('quota.scoreboard_as_of(timestamptz, text)'::regprocedure, 'pg_proc') IS NOT NULL,
          'quota.scoreboard_as_of(timestamptz, text) has a comment');
SELECT ok(obj_description('quota.conversion_as_of(timestamptz, text)'::regprocedure, 'pg_proc') IS NOT NULL,
          'quota.conversion_as_of(timestamptz, text) has a comment');
SELECT ok(obj_description('quota.team_membership'::regclass, 'pg_class') IS NOT NULL, 'view quota.team_membership has a comment');
SELECT ok(obj_description('quota.team_progress'::regclass, 'pg_class') IS NOT NULL, 'view quota.team_progress has a comment');
SELECT ok(obj_description('quota.scoreboard'::regclass, 'pg_class') IS NOT NULL, 'view quota.scoreboard has a comment');
SELECT ok(obj_description('quota.conversion'::regclass, 'pg_class') IS NOT NULL, 'view quota.conversion has a comment');
-- team_membership 4 columns, team_progress 21, scoreboard 9, conversion 8: 42.
SELECT is((SELECT count(*)::integer FROM pg_attribute
            WHERE attrelid IN ('quota.team_membership'::regclass, 'quota.team_progress'::regclass,
                               'quota.scoreboard'::regclass, 'quota.conversion'::regclass)
              AND attnum > 0 AND NOT attisdropped),
          42, 'the four views have 42 columns between them (the next test is not vacuous)');
SELECT is_empty(
    $$SELECT attrelid::regclass::text || '.' || attname FROM pg_attribute
       WHERE attrelid IN ('quota.team_membership'::regclass, 'quota.team_progress'::regclass,
                          'quota.scoreboard'::regclass, 'quota.conversion'::regclass)
         AND attnum > 0 AND NOT attisdropped
         AND col_description(attrelid, attnum) IS NULL$$,
    'every column of team_membership, team_progress, scoreboard and conversion has a comment');
SELECT ok(col_description('quota.team'::regclass, (SELECT attnum FROM pg_attribute
                                                     WHERE attrelid = 'quota.team'::regclass AND attname = 'time_zone')) IS NOT NULL
          AND col_description('quota.activity_kind'::regclass, (SELECT attnum FROM pg_attribute
                                                     WHERE attrelid = 'quota.activity_kind'::regclass AND attname = 'role')) IS NOT NULL,
          'the new columns team.time_zone and activity_kind.role have comments');

-- 8. BI tools read the views over and over: reading one must not pay for
-- JIT compilation (about a second each time), which the planner starts when
-- it estimates a plan above jit_above_cost.  Counts the functions JIT
-- compiled while running a query (0 when JIT is off or not installed).
CREATE FUNCTION pg_temp.jit_functions(query text) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) ' || query INTO plan;
    RETURN coalesce((plan -> 0 -> 'JIT' ->> 'Functions')::integer, 0);
END
$$;
SELECT is(pg_temp.jit_functions('SELECT * FROM quota.team_progress'), 0,
          'reading quota.team_progress JIT-compiles nothing');
SELECT is(pg_temp.jit_functions('SELECT * FROM quota.scoreboard'), 0,
          'reading quota.scoreboard JIT-compiles nothing');
SELECT is(pg_temp.jit_functions('SELECT * FROM quota.conversion'), 0,
          'reading quota.conversion JIT-compiles nothing');

SELECT * FROM finish();
ROLLBACK;
