-- A correction of one of 50 hot sales of the tracked table (REPEATABLE
-- READ): seller (rr21, no rep, now and then), moment, units and status
-- (in or out of the filter) all change; a concurrent correction of the
-- same row is a serialization failure, retried by pgbench.  The ledger
-- gets what the new row counts less what the old one did.
\set n random(1, 50)
\set r random(1, 21)
\set u random(1, 9)
\set s random(60, 864000)
\set k random(1, 4)
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT units FROM crm.sales WHERE id = 'tseed-' || :n;
SELECT pg_sleep(0.002);
WITH old AS (
    SELECT id, seller, units, status FROM crm.sales WHERE id = 'tseed-' || :n FOR UPDATE),
upd AS (
    UPDATE crm.sales s
       SET seller = 'rr' || lpad(:r::text, 2, '0'), sold_at = now() - :s * interval '1 second', units = :u,
           status = CASE WHEN :k = 1 THEN 'cancelled' ELSE 'booked' END
      FROM old WHERE s.id = old.id
    RETURNING s.id, s.seller, s.units, s.status, old.seller AS old_seller, old.units AS old_units, old.status AS old_status)
INSERT INTO tracked_ledger (op, id, rows_added, qty_added, unmatched_added)
SELECT 'tracked_correct', upd.id, n.rows - o.rows, n.qty - o.qty, n.unmatched - o.unmatched
  FROM upd, tracked_counted(upd.seller, upd.units, upd.status) n,
       tracked_counted(upd.old_seller, upd.old_units, upd.old_status) o;
COMMIT;
