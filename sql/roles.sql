-- roles: the three roles a customer creates (README.md, "Roles"): a writer
-- (apps), an analyst, and reps who see only their own rows through the
-- row-level security of quota.enable_rep_security().
SET datestyle = 'ISO, YMD';
SET client_min_messages = warning;
CREATE ROLE regress_quota_writer;
CREATE ROLE regress_quota_analyst;
CREATE ROLE regress_quota_reps;
CREATE ROLE regress_raj IN ROLE regress_quota_reps;
CREATE ROLE regress_ana IN ROLE regress_quota_reps;
RESET client_min_messages;

GRANT USAGE ON SCHEMA quota TO regress_quota_writer, regress_quota_analyst, regress_quota_reps;
GRANT SELECT, INSERT, UPDATE, DELETE ON quota.activity TO regress_quota_writer;
GRANT SELECT ON ALL TABLES IN SCHEMA quota TO regress_quota_analyst;
GRANT SELECT ON quota.rep, quota.team, quota.activity_kind, quota.assignment,
                quota.activity, quota.activity_credit, quota.daily_total,
                quota.ramp, quota.ramp_step, quota.distribution, quota.distribution_month,
                quota.holiday TO regress_quota_reps;

INSERT INTO quota.team (team_id, name) VALUES ('r_team', 'Roles team');
INSERT INTO quota.rep (rep_id, name, team_id, login) VALUES
    ('r_raj', 'Raj', 'r_team', 'regress_raj'),
    ('r_ana', 'Ana', 'r_team', 'regress_ana');
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES
    ('r_raj', 'call', '100/month', '[2026-10-01,2026-12-01)'),
    ('r_ana', 'call', '100/month', '[2026-10-01,2026-12-01)');
SELECT quota.enable_rep_security('regress_quota_reps');

-- The writer records, retries and corrects activity; the totals follow,
-- although the writer may not touch them.
SET ROLE regress_quota_writer;
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id) VALUES
    ('r_raj', 'call', '2026-10-05 10:00+00', 30, 'r-1'),
    ('r_ana', 'call', '2026-10-05 10:00+00', 50, 'r-2'),
    ('r_ana', 'call', '2026-10-06 10:00+00', 5, 'r-3');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id)
VALUES ('r_raj', 'call', '2026-10-05 10:00+00', 30, 'r-1')
ON CONFLICT (external_id) DO NOTHING;
UPDATE quota.activity SET qty = 40 WHERE external_id = 'r-1';
DELETE FROM quota.activity WHERE external_id = 'r-3';
SELECT * FROM quota.daily_total;
INSERT INTO quota.daily_total VALUES ('r_raj', 'call', '2026-10-05', 0, 1000);
SELECT quota.rebuild();
INSERT INTO quota.rep (rep_id, name) VALUES ('r_eve', 'Eve');
RESET ROLE;

-- r_raj 40 and r_ana 50 on 5 October, nothing else; no disagreement.
SELECT rep_id, day, sum(qty) FROM quota.daily_total
 WHERE rep_id LIKE 'r\_%' GROUP BY rep_id, day ORDER BY rep_id, day;
SELECT count(*) AS disagreements FROM quota.verify();

-- A rep sees only their own rows, in the tables and in every view.
SET ROLE regress_raj;
SELECT rep_id, name FROM quota.rep ORDER BY rep_id;
SELECT rep_id, kind, qty FROM quota.activity ORDER BY activity_id;
SELECT rep_id, day, sum(qty) FROM quota.daily_total GROUP BY rep_id, day;
SELECT rep_id, period_start, target, actual, attainment, attainment_rank
  FROM quota.progress_as_of('2026-11-15 12:00+00') ORDER BY period_start;
SELECT rep_id, period_start, target, actual, attainment
  FROM quota.progress_unranked_as_of('2026-11-15 12:00+00') ORDER BY period_start;
SELECT count(*) AS ana_rows_seen
  FROM quota.progress_unranked_as_of('2026-11-15 12:00+00') WHERE rep_id = 'r_ana';
SELECT rep_id, period_start, score FROM quota.scoreboard_as_of('2026-11-15 12:00+00');
SELECT rep_id, period_start, effort FROM quota.conversion_as_of('2026-11-15 12:00+00') GROUP BY 1, 2, 3;
SELECT team_id, rep_id FROM quota.team_membership;
SELECT team_id, period_start, target, actual, members
  FROM quota.team_progress_as_of('2026-11-15 12:00+00') ORDER BY period_start;
INSERT INTO quota.activity (rep_id, kind, occurred_at) VALUES ('r_raj', 'call', '2026-10-07 10:00+00');
RESET ROLE;

SET ROLE regress_ana;
SELECT rep_id, sum(qty) FROM quota.activity GROUP BY rep_id;
RESET ROLE;

-- The analyst sees every row.
SET ROLE regress_quota_analyst;
SELECT rep_id, period_start, actual, attainment_rank
  FROM quota.progress_as_of('2026-11-15 12:00+00')
 WHERE rep_id LIKE 'r\_%' ORDER BY period_start, rep_id;
RESET ROLE;

-- Functions that change data or security are not for everyone.
SELECT p.proname, has_function_privilege('regress_quota_writer', p.oid, 'EXECUTE') AS writer_may_run
  FROM pg_proc p
 WHERE p.pronamespace = 'quota'::regnamespace
   AND p.proname IN ('rebuild', 'close_period', 'enable_rep_security', 'disable_rep_security')
 ORDER BY 1;

SELECT quota.disable_rep_security();
SELECT relname, relrowsecurity FROM pg_class
 WHERE relnamespace = 'quota'::regnamespace AND relkind = 'r' AND relrowsecurity;
DELETE FROM quota.activity WHERE rep_id LIKE 'r\_%';
DELETE FROM quota.assignment WHERE rep_id LIKE 'r\_%';
DELETE FROM quota.rep WHERE rep_id LIKE 'r\_%';
DELETE FROM quota.team WHERE team_id = 'r_team';
DROP OWNED BY regress_quota_writer, regress_quota_analyst, regress_quota_reps, regress_raj, regress_ana;
DROP ROLE regress_quota_writer, regress_quota_analyst, regress_quota_reps, regress_raj, regress_ana;
