-- Reads a rep's progress this month and the rep's daily totals (REPEATABLE
-- READ, one snapshot).
\set r random(1, 20)
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT kind, target, actual, attainment, pace FROM quota.progress
 WHERE rep_id = 'sk' || lpad(:r::text, 2, '0') AND period_start = date_trunc('month', now())::date;
SELECT count(*), sum(qty) FROM quota.daily_total WHERE rep_id = 'sk' || lpad(:r::text, 2, '0');
COMMIT;
