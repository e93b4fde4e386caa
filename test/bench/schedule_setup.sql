-- Puts every assignment of the read benchmark on a schedule (benchmark 9):
-- a three-step monthly ramp that started ten days before the month read,
-- and ten holidays in that month and around it for quota.proration =
-- business_days.  schedule_reset.sql takes it back.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
BEGIN;
INSERT INTO quota.ramp (ramp_id, description) VALUES ('bench_ramp', 'benchmark ramp');
INSERT INTO quota.ramp_step (ramp_id, step, factor) VALUES ('bench_ramp', 1, 0.25), ('bench_ramp', 2, 0.5), ('bench_ramp', 3, 0.75);
COMMIT;
INSERT INTO quota.holiday (day, description)
SELECT (:'month'::date + d), 'benchmark holiday'
  FROM generate_series(-40, 50, 10) AS d;
UPDATE quota.assignment SET ramp_id = 'bench_ramp', ramp_start = :'month'::date - 10;
ANALYZE quota.assignment, quota.holiday;
