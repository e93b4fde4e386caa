-- A deletion of a seed row or of a shared row (REPEATABLE READ); the shared
-- rows come back with their next retried delivery.
\set n random(1, 20000)
\set d random(1, 300)
BEGIN ISOLATION LEVEL REPEATABLE READ;
WITH del AS (
    DELETE FROM quota.activity WHERE external_id IN ('seed-' || :n, 'dup-' || :d)
    RETURNING external_id, qty)
INSERT INTO retry_ledger (op, external_id, rows_added, qty_added)
SELECT 'delete', external_id, -1, -qty FROM del;
COMMIT;
