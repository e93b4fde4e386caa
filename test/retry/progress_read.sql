-- Reads progress and the totals twice in one snapshot (REPEATABLE READ).
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*), sum(actual) FROM quota.progress WHERE period_start = date_trunc('month', now())::date;
SELECT sum(qty) FROM quota.daily_total WHERE rep_id = 'rr07';
COMMIT;
