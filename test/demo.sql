-- The quota_ext demo: the worked examples of the domain, computed by PostgreSQL.
-- Run by test/demo on a throwaway cluster; every figure is explained in README.md.
\set ON_ERROR_STOP on
\pset footer off
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS quota_ext CASCADE;
CREATE EXTENSION quota_ext CASCADE;

INSERT INTO quota.team (team_id, name, parent_id, time_zone) VALUES
    ('emea', 'EMEA region', NULL, 'Europe/Helsinki'),
    ('advisors', 'Financial advisors', 'emea', 'Europe/Stockholm'),
    ('inside', 'Inside sales', 'emea', 'Europe/London');

INSERT INTO quota.rep (rep_id, name, team_id, time_zone) VALUES
    ('raj',  'Raj Patel',     'inside',   'Europe/London'),
    ('ana',  'Ana Silva',     'inside',   'America/Sao_Paulo'),
    ('maya', 'Maya Lindqvist (probationary advisor)', 'advisors', 'Europe/Stockholm'),
    ('lena', 'Lena Virtanen (hired 16 November)',     'advisors', 'Europe/Helsinki');

INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES
    ('raj',  'call',           '140/month', '[2026-01-01,)'),
    ('raj',  'email',          '250/month', '[2026-01-01,)'),
    ('raj',  'social_contact', '40/month',  '[2026-01-01,)'),
    ('raj',  'opportunity',    '25/month',  '[2026-01-01,)'),
    ('ana',  'call',           '140/month', '[2026-01-01,)'),
    ('ana',  'opportunity',    '25/month',  '[2026-01-01,)'),
    ('maya', 'call',           '250/week',  '[2026-10-26,)'),
    ('maya', 'social_contact', '50/week',   '[2026-10-26,)'),
    ('lena', 'call',           '120/month', '[2026-11-16,)');
INSERT INTO quota.assignment (team_id, kind, target, valid) VALUES
    ('emea', 'call',           '600/month', '[2026-10-01,)');

-- Raj's October: 150 calls, 200 emails, 50 social contacts, 30 opportunities,
-- spread over the working days of the month at 10:00 London time.
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, source)
SELECT 'raj', k.kind, d + time '10:00' AT TIME ZONE 'Europe/London', 1, 'demo'
  FROM (VALUES ('call', 150), ('email', 200), ('social_contact', 50), ('opportunity', 30)) AS k(kind, n)
 CROSS JOIN LATERAL generate_series(1, k.n) AS i
 CROSS JOIN LATERAL (SELECT date '2026-10-01' + (i % 31)) AS day(d);

-- Ana's October: 120 calls and 28 opportunities.
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, source)
SELECT 'ana', k.kind, date '2026-10-01' + (i % 31) + time '14:00' AT TIME ZONE 'America/Sao_Paulo', 1, 'demo'
  FROM (VALUES ('call', 120), ('opportunity', 28)) AS k(kind, n)
 CROSS JOIN LATERAL generate_series(1, k.n) AS i;

-- Maya's first three weeks: 230, 260 and 190 calls; 50 social contacts a week
-- from people who commented on "retirement planning".
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
SELECT 'maya', 'call', w + (i % 5) + time '09:30' AT TIME ZONE 'Europe/Stockholm', 1,
       'dialer-' || w || '-' || i, 'dialer'
  FROM (VALUES (date '2026-10-26', 230), (date '2026-11-02', 260), (date '2026-11-09', 190)) AS week(w, n)
 CROSS JOIN LATERAL generate_series(1, week.n) AS i;
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, source)
SELECT 'maya', 'social_contact', w + 2 + time '16:00' AT TIME ZONE 'Europe/Stockholm', 50, 'social'
  FROM unnest(ARRAY[date '2026-10-26', date '2026-11-02', date '2026-11-09']) AS w;

-- A dialer retries a call it already sent: counted once.
INSERT INTO quota.activity (rep_id, kind, occurred_at, external_id, source)
VALUES ('maya', 'call', '2026-10-26 09:30 Europe/Stockholm', 'dialer-2026-10-26-5', 'dialer')
ON CONFLICT (external_id) DO NOTHING;

-- Lena, hired on 16 November: 35 calls in her first week.
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, source)
SELECT 'lena', 'call', date '2026-11-16' + (i % 7) + time '11:00' AT TIME ZONE 'Europe/Helsinki', 1, 'dialer'
  FROM generate_series(1, 35) AS i;

\echo
\echo '== Raj''s October (domain.md): 150 calls, 200 emails, 50 social contacts, 30 opportunities'
SELECT kind, target, actual, attainment, shortfall, surplus, met, status
  FROM quota.progress_as_of('2026-11-23 00:00 Europe/Helsinki')
 WHERE rep_id = 'raj' AND period_start = '2026-10-01'
 ORDER BY kind;

\echo '== Raj''s conversion in October: outcomes / (calls + emails + social contacts)'
SELECT outcome_kind, outcomes, effort, rate
  FROM quota.conversion_as_of('2026-11-23 00:00 Europe/Helsinki')
 WHERE rep_id = 'raj' AND period_start = '2026-10-01' AND outcomes > 0;

\echo '== October calls: attainment ranking, and who is short'
SELECT rep_id, target, actual, attainment, attainment_rank, shortfall, shortfall_rank
  FROM quota.progress_as_of('2026-11-23 00:00 Europe/Helsinki')
 WHERE kind = 'call' AND period_unit = 'month' AND period_start = '2026-10-01'
 ORDER BY attainment_rank;

\echo '== Maya, probationary advisor on 250 calls a week (weeks start on Monday)'
SELECT kind, period_start, period_end, target, actual, attainment, shortfall, status
  FROM quota.progress_as_of('2026-11-23 00:00 Europe/Helsinki')
 WHERE rep_id = 'maya'
 ORDER BY kind, period_start;

\echo '== Lena, hired 16 November on 120 calls a month, at midnight of the 23rd in Helsinki'
SELECT period_start, target, actual, elapsed, expected_to_date, pace, projected, status
  FROM quota.progress_as_of('2026-11-23 00:00 Europe/Helsinki')
 WHERE rep_id = 'lena';

\echo '== Calls by team: EMEA''s own 600 a month, its teams summed from their members'
SELECT team_id, parent_id, period_unit, period_start, target, actual, attainment, members, status, sibling_rank
  FROM quota.team_progress_as_of('2026-11-23 00:00 Europe/Helsinki')
 WHERE kind = 'call' AND period_start >= '2026-10-01'
 ORDER BY parent_id NULLS FIRST, team_id, period_unit, period_start;

\echo '== October scoreboard: weighted attainment across kinds, each capped at quota.score_cap'
SELECT rep_id, team_id, kinds, score, met_all, rank, over_quota_rank
  FROM quota.scoreboard_as_of('2026-11-23 00:00 Europe/Helsinki')
 WHERE period_start = '2026-10-01'
 ORDER BY rank;

\echo '== The quota type and period arithmetic'
SELECT '250/week'::quota.quota AS quota,
       round(quota.target_for('250/week', '[2026-11-01,2026-12-01)'), 2) AS over_november,
       quota.target_for('120/month', '[2026-11-16,2026-12-01)') AS hired_on_the_16th,
       quota.period('quarter', date '2026-11-27') AS calendar_quarter;
SET quota.fiscal_year_start = 4;
SELECT quota.period('quarter', date '2026-11-27') AS fiscal_quarter_from_april,
       quota.period('year', date '2026-11-27') AS fiscal_year_from_april;
RESET quota.fiscal_year_start;

\echo '== Plans (0.2): Raj''s calls go up to 180 a month from 16 November'
SELECT quota.change_quota('raj', 'call', '180/month', '2026-11-16') IS NOT NULL AS changed;
SELECT rep_id, period_start, target AS target_140_then_180, elapsed, expected_to_date
  FROM quota.progress_as_of('2026-11-23 00:00 Europe/Helsinki')
 WHERE rep_id = 'raj' AND kind = 'call' AND period_start = '2026-11-01';
SELECT operation, old_row ->> 'target' AS old_target, old_row ->> 'valid' AS old_valid,
       new_row ->> 'target' AS new_target, new_row ->> 'valid' AS new_valid
  FROM quota.assignment_history
 WHERE rep_id = 'raj' AND kind = 'call'
 ORDER BY history_id;

\echo '== Plans: Lena ramps up to 20 meetings a month, 25 % / 50 % / 75 % from her start'
BEGIN;
INSERT INTO quota.ramp (ramp_id, description) VALUES ('new_hire', 'a quarter more each month');
INSERT INTO quota.ramp_step (ramp_id, step, factor) VALUES ('new_hire', 1, 0.25), ('new_hire', 2, 0.5), ('new_hire', 3, 0.75);
INSERT INTO quota.assignment (rep_id, kind, target, valid, ramp_id, ramp_start)
VALUES ('lena', 'meeting', '20/month', '[2026-11-16,)', 'new_hire', '2026-11-16');
COMMIT;
SELECT lower(m) AS month, quota.target_for('20/month', m * daterange('2026-11-16', NULL), NULL, NULL,
                                           '2026-11-16', quota.ramp_factors('new_hire')) AS target
  FROM unnest(ARRAY[daterange('2026-11-01', '2026-12-01'), daterange('2026-12-01', '2027-01-01'),
                    daterange('2027-01-01', '2027-02-01'), daterange('2027-02-01', '2027-03-01')]) AS m;

\echo '== Plans: a deal of 20000 shared by Raj (60 %) and Ana (40 %)'
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
VALUES ('raj', 'revenue', '2026-11-20 15:00 Europe/London', 20000, 'deal-42', 'crm');
BEGIN;
INSERT INTO quota.activity_credit (activity_id, rep_id, share)
SELECT activity_id, s.rep_id, s.share FROM quota.activity, (VALUES ('raj', 60), ('ana', 40)) AS s(rep_id, share)
 WHERE external_id = 'deal-42';
COMMIT;
SELECT rep_id, sum(qty) AS revenue_credited FROM quota.daily_total
 WHERE kind = 'revenue' GROUP BY rep_id ORDER BY rep_id;

\echo '== Totals are live and verified against a recount'
SELECT count(*) AS activity_rows, (SELECT count(*) FROM quota.verify()) AS disagreements
  FROM quota.activity;
