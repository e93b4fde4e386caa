-- Takes back schedule_setup.sql.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
UPDATE quota.assignment SET ramp_id = NULL, ramp_start = NULL;
DELETE FROM quota.holiday WHERE description = 'benchmark holiday';
DELETE FROM quota.ramp WHERE ramp_id = 'bench_ramp';
ANALYZE quota.assignment;
