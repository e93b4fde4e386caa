-- A deletion of an activity row anywhere in the table (REPEATABLE READ);
-- the ledger takes its quantity from its rep and day.
SELECT max(activity_id) AS max_id FROM quota.activity \gset
\set x random(1, :max_id)
BEGIN ISOLATION LEVEL REPEATABLE READ;
WITH del AS (
    DELETE FROM quota.activity
     WHERE activity_id = (SELECT activity_id FROM quota.activity WHERE activity_id >= :x
                           ORDER BY activity_id LIMIT 1)
    RETURNING rep_id, kind, occurred_at, qty)
INSERT INTO soak_ledger (source, op, rep_id, kind, day, qty_change, rows_change)
SELECT 'activity', 'delete', rep_id, kind, soak_day(rep_id, occurred_at), -qty, -1 FROM del;
COMMIT;
