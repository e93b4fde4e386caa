-- A deletion of a seed sale or of a shared sale of the tracked table
-- (REPEATABLE READ); the shared ones come back with their next retried
-- delivery.
\set n random(1, 2000)
\set d random(1, 300)
BEGIN ISOLATION LEVEL REPEATABLE READ;
WITH del AS (
    DELETE FROM crm.sales WHERE id IN ('tseed-' || :n, 'tdup-' || :d)
    RETURNING id, seller, units, status)
INSERT INTO tracked_ledger (op, id, rows_added, qty_added, unmatched_added)
SELECT 'tracked_delete', del.id, -c.rows, -c.qty, -c.unmatched
  FROM del, tracked_counted(del.seller, del.units, del.status) c;
COMMIT;
