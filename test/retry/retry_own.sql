-- A retried delivery of a seed row or of a row this client sent (READ
-- COMMITTED, ON CONFLICT DO NOTHING): a no-op unless the row was deleted.
\set n random(1, 20000)
\set r random(1, 20)
WITH ins AS (
    INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
    VALUES ('rr' || lpad(:r::text, 2, '0'), 'email', now() - interval '1 hour', 2, 'seed-' || :n, 'crm')
    ON CONFLICT (external_id) DO NOTHING
    RETURNING external_id, qty)
INSERT INTO retry_ledger (op, external_id, rows_added, qty_added)
SELECT 'retry_own', external_id, 1, qty FROM ins;
