-- New activity with new external ids (READ COMMITTED): one to three rows.
\set r random(1, 20)
\set k random(1, 5)
\set s random(60, 864000)
\set q random(1, 9)
\set x random(1, 1000000000000)
WITH ins AS (
    INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
    SELECT 'rr' || lpad((1 + (:r + i) % 20)::text, 2, '0'),
           (ARRAY['call', 'email', 'meeting', 'demo', 'opportunity'])[1 + (:k + i) % 5],
           now() - (:s + i) * interval '1 second', :q + i,
           'new-' || :client_id || '-' || :x || '-' || i, 'pgbench'
      FROM generate_series(1, 1 + :x % 3) AS i
    RETURNING external_id, qty)
INSERT INTO retry_ledger (op, external_id, rows_added, qty_added)
SELECT 'insert', external_id, 1, qty FROM ins;
