-- A correction of one of 50 hot rows (REPEATABLE READ): quantity, kind,
-- moment and rep all change; a concurrent correction of the same row is a
-- serialization failure, retried by pgbench.  The row is read first (as an
-- app showing it before the correction would), which widens the window.
\set n random(1, 50)
\set r random(1, 20)
\set k random(1, 5)
\set s random(60, 864000)
\set q random(1, 9)
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT qty FROM quota.activity WHERE external_id = 'seed-' || :n;
SELECT pg_sleep(0.002);
WITH old AS (
    SELECT activity_id, qty FROM quota.activity WHERE external_id = 'seed-' || :n FOR UPDATE),
upd AS (
    UPDATE quota.activity a
       SET qty = :q, kind = (ARRAY['call', 'email', 'meeting', 'demo', 'opportunity'])[:k],
           occurred_at = now() - :s * interval '1 second', rep_id = 'rr' || lpad(:r::text, 2, '0')
      FROM old WHERE a.activity_id = old.activity_id
    RETURNING a.external_id, a.qty - old.qty AS delta)
INSERT INTO retry_ledger (op, external_id, rows_added, qty_added)
SELECT 'correct', external_id, 0, delta FROM upd;
COMMIT;
