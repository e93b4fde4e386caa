-- New activity (READ COMMITTED): one to three rows of a rep, kind and
-- moment in the last 10 days; the ledger gets each row's quantity on its
-- rep's local day.
\set r random(1, 20)
\set k random(1, 5)
\set s random(60, 864000)
\set q random(1, 9)
\set x random(1, 1000000000000)
WITH ins AS (
    INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
    SELECT 'sk' || lpad((1 + (:r + i) % 20)::text, 2, '0'),
           (ARRAY['call', 'email', 'meeting', 'demo', 'opportunity'])[1 + (:k + i) % 5],
           now() - (:s + i) * interval '1 second', :q + i,
           'new-' || :client_id || '-' || :x || '-' || i, 'pgbench'
      FROM generate_series(1, 1 + :x % 3) AS i
    RETURNING rep_id, kind, occurred_at, qty)
INSERT INTO soak_ledger (source, op, rep_id, kind, day, qty_change, rows_change)
SELECT 'activity', 'insert', rep_id, kind, soak_day(rep_id, occurred_at), qty, 1 FROM ins;
