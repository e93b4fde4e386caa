-- New sales in the tracked table crm.sales (READ COMMITTED): one to three
-- rows, a quarter of them quoted (the filter leaves them out), those of
-- seller rr21 (no rep) unmatched.
\set r random(1, 21)
\set u random(1, 9)
\set s random(60, 864000)
\set x random(1, 1000000000000)
WITH ins AS (
    INSERT INTO crm.sales (id, seller, sold_at, units, status)
    SELECT 'tnew-' || :client_id || '-' || :x || '-' || i, 'rr' || lpad((1 + (:r + i) % 21)::text, 2, '0'),
           now() - (:s + i) * interval '1 second', :u + i,
           CASE WHEN (:x + i) % 4 = 0 THEN 'quoted' ELSE 'booked' END
      FROM generate_series(1, 1 + :x % 3) AS i
    RETURNING id, seller, units, status)
INSERT INTO tracked_ledger (op, id, rows_added, qty_added, unmatched_added)
SELECT 'tracked_insert', ins.id, c.rows, c.qty, c.unmatched
  FROM ins, tracked_counted(ins.seller, ins.units, ins.status) c;
