-- Reads this month's progress, then records activity on the strength of it
-- (SERIALIZABLE): read/write dependencies between such transactions are
-- serialization failures, retried by pgbench.
\set r random(1, 20)
\set s random(60, 86400)
BEGIN ISOLATION LEVEL SERIALIZABLE;
SELECT count(*) AS rows, sum(actual) AS actual, sum(shortfall) AS shortfall
  FROM quota.progress WHERE period_start = date_trunc('month', now())::date AND kind = 'call' \gset
WITH ins AS (
    INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
    VALUES ('rr' || lpad(:r::text, 2, '0'), 'call', now() - :s * interval '1 second', 1,
            'ser-' || :client_id || '-' || :r || '-' || :s || '-' || (random() * 1e12)::bigint, 'coach')
    RETURNING external_id, qty)
INSERT INTO retry_ledger (op, external_id, rows_added, qty_added)
SELECT 'progress_write', external_id, 1, qty FROM ins;
COMMIT;
