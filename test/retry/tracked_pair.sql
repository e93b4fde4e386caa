-- Two hot sales of the tracked table corrected in one transaction, in
-- either order (READ COMMITTED): two such transactions can deadlock; the
-- victim is retried.  The second one also changes seller.
\set a random(1, 12)
\set b random(1, 12)
\set u random(1, 9)
BEGIN;
WITH old AS (SELECT id, seller, units, status FROM crm.sales WHERE id = 'tseed-' || :a FOR UPDATE),
upd AS (UPDATE crm.sales s SET units = :u FROM old WHERE s.id = old.id
        RETURNING s.id, s.seller, s.units, s.status, old.seller AS old_seller, old.units AS old_units, old.status AS old_status)
INSERT INTO tracked_ledger (op, id, rows_added, qty_added, unmatched_added)
SELECT 'tracked_pair', upd.id, n.rows - o.rows, n.qty - o.qty, n.unmatched - o.unmatched
  FROM upd, tracked_counted(upd.seller, upd.units, upd.status) n,
       tracked_counted(upd.old_seller, upd.old_units, upd.old_status) o;
SELECT pg_sleep(0.005);
WITH old AS (SELECT id, seller, units, status FROM crm.sales WHERE id = 'tseed-' || :b FOR UPDATE),
upd AS (UPDATE crm.sales s SET units = :u + 1, seller = 'rr' || lpad((1 + :b % 21)::text, 2, '0') FROM old WHERE s.id = old.id
        RETURNING s.id, s.seller, s.units, s.status, old.seller AS old_seller, old.units AS old_units, old.status AS old_status)
INSERT INTO tracked_ledger (op, id, rows_added, qty_added, unmatched_added)
SELECT 'tracked_pair', upd.id, n.rows - o.rows, n.qty - o.qty, n.unmatched - o.unmatched
  FROM upd, tracked_counted(upd.seller, upd.units, upd.status) n,
       tracked_counted(upd.old_seller, upd.old_units, upd.old_status) o;
COMMIT;
