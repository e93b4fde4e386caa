-- A retried delivery of one of 300 shared external ids that every client
-- sends (REPEATABLE READ), after looking it up as a careful sender would:
-- counted once; a first delivery committed by another client since the
-- lookup makes it a serialization failure, retried by pgbench.
\set d random(1, 300)
\set r random(1, 20)
\set s random(60, 864000)
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) AS known FROM quota.activity WHERE external_id = 'dup-' || :d \gset
SELECT pg_sleep(0.002);
WITH ins AS (
    INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
    VALUES ('rr' || lpad(:r::text, 2, '0'), 'call', now() - :s * interval '1 second', 1 + :d % 4,
            'dup-' || :d, 'dialer')
    ON CONFLICT (external_id) DO NOTHING
    RETURNING external_id, qty)
INSERT INTO retry_ledger (op, external_id, rows_added, qty_added)
SELECT 'retry_hot', external_id, 1, qty FROM ins;
COMMIT;
