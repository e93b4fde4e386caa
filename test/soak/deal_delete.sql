-- A deletion of a deal anywhere in the tracked table (REPEATABLE READ);
-- the ledger takes what it counted.
SELECT max(deal_id) AS max_id FROM crm.deals \gset
\set x random(1, :max_id)
BEGIN ISOLATION LEVEL REPEATABLE READ;
WITH del AS (
    DELETE FROM crm.deals
     WHERE deal_id = (SELECT deal_id FROM crm.deals WHERE deal_id >= :x ORDER BY deal_id LIMIT 1)
    RETURNING owner, won_at, units, status)
INSERT INTO soak_ledger (source, op, rep_id, kind, day, qty_change, rows_change)
SELECT 'deals', 'deal_delete', owner, 'units_sold', soak_day(owner, won_at), -units, -1
  FROM del WHERE status = 'won' AND soak_day(owner, won_at) IS NOT NULL;
COMMIT;
