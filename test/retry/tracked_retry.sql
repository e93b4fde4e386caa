-- A retried delivery of one of 300 shared sales that every client sends to
-- the tracked table (REPEATABLE READ, ON CONFLICT (id) DO NOTHING), after
-- looking it up: counted once; a first delivery committed by another
-- client since the lookup is a serialization failure, retried by pgbench.
\set d random(1, 300)
\set s random(60, 864000)
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) AS known FROM crm.sales WHERE id = 'tdup-' || :d \gset
SELECT pg_sleep(0.002);
WITH ins AS (
    INSERT INTO crm.sales (id, seller, sold_at, units, status)
    VALUES ('tdup-' || :d, 'rr' || lpad((1 + :d % 21)::text, 2, '0'), now() - :s * interval '1 second',
            1 + :d % 5, CASE WHEN :d % 7 = 0 THEN 'quoted' ELSE 'booked' END)
    ON CONFLICT (id) DO NOTHING
    RETURNING id, seller, units, status)
INSERT INTO tracked_ledger (op, id, rows_added, qty_added, unmatched_added)
SELECT 'tracked_retry', ins.id, c.rows, c.qty, c.unmatched
  FROM ins, tracked_counted(ins.seller, ins.units, ins.status) c;
COMMIT;
