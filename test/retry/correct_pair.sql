-- Two hot rows corrected in one transaction, in either order (READ
-- COMMITTED): two such transactions can deadlock; the victim is retried.
\set a random(1, 12)
\set b random(1, 12)
\set q random(1, 9)
\set s random(60, 864000)
BEGIN;
WITH old AS (SELECT activity_id, qty FROM quota.activity WHERE external_id = 'seed-' || :a FOR UPDATE),
upd AS (UPDATE quota.activity a SET qty = :q, occurred_at = now() - :s * interval '1 second'
          FROM old WHERE a.activity_id = old.activity_id RETURNING a.external_id, a.qty - old.qty AS delta)
INSERT INTO retry_ledger (op, external_id, rows_added, qty_added) SELECT 'pair', external_id, 0, delta FROM upd;
SELECT pg_sleep(0.005);
WITH old AS (SELECT activity_id, qty FROM quota.activity WHERE external_id = 'seed-' || :b FOR UPDATE),
upd AS (UPDATE quota.activity a SET qty = :q + 1, rep_id = 'rr' || lpad((1 + :b % 20)::text, 2, '0')
          FROM old WHERE a.activity_id = old.activity_id RETURNING a.external_id, a.qty - old.qty AS delta)
INSERT INTO retry_ledger (op, external_id, rows_added, qty_added) SELECT 'pair', external_id, 0, delta FROM upd;
COMMIT;
