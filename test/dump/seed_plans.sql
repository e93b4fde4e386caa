-- test/dump/seed_plans.sql: rows of the tables of 0.2 (plans), loaded after
-- test/dump/seed.sql where quota_ext 0.2 or later is installed: holidays
-- for everyone and for a team, a seasonal distribution and a ramp named by
-- assignments, a quota changed mid-period (so the history holds inserts and
-- updates, and a deleted assignment), and a deal shared between two reps in
-- different zones, corrected after it was shared.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

INSERT INTO quota.holiday (day, team_id, description) VALUES
    ('2026-12-25', NULL, 'Christmas'),
    ('2026-12-06', 'emea', 'Independence Day (Finland)');

BEGIN;
INSERT INTO quota.distribution (distribution_id, description, period_unit)
VALUES ('retail', 'heavy at year end', 'year');
INSERT INTO quota.distribution_month (distribution_id, month, percent)
SELECT 'retail', m, CASE WHEN m <= 4 THEN 5 ELSE 10 END FROM generate_series(1, 12) AS m;
INSERT INTO quota.ramp (ramp_id, description) VALUES ('new_hire', 'a quarter more each month');
INSERT INTO quota.ramp_step (ramp_id, step, factor) VALUES ('new_hire', 1, 0.25), ('new_hire', 2, 0.5), ('new_hire', 3, 0.75);
COMMIT;

INSERT INTO quota.assignment (rep_id, kind, target, valid, distribution_id) VALUES
    ('dev', 'revenue', '1200000/year', '[2026-01-01,)', 'retail');
INSERT INTO quota.assignment (rep_id, kind, target, valid, ramp_id, ramp_start) VALUES
    ('lena', 'meeting', '20/month', '[2026-11-16,)', 'new_hire', '2026-11-16');
SELECT quota.change_quota('raj', 'email', '300/month', '2026-11-16');
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES ('kiri', 'demo', '4/month', '[2026-11-01,)');
DELETE FROM quota.assignment WHERE rep_id = 'kiri' AND kind = 'demo';

INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
VALUES ('raj', 'revenue', '2026-11-18 23:30+00', 20000, 'deal-shared', 'crm');
BEGIN;
INSERT INTO quota.activity_credit (activity_id, rep_id, share)
SELECT activity_id, c.rep_id, c.share
  FROM quota.activity, (VALUES ('raj', 60), ('kiri', 40)) AS c(rep_id, share)
 WHERE external_id = 'deal-shared';
COMMIT;
UPDATE quota.activity SET qty = 25000 WHERE external_id = 'deal-shared';
