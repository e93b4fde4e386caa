-- Bursts of deliveries of the same new external id: every client that runs
-- this within the same 100 ms sends one of the same two ids, looks it up
-- and inserts it with ON CONFLICT (external_id) DO NOTHING, half the time at
-- READ COMMITTED (the later deliveries wait for the first and count
-- nothing) and half at REPEATABLE READ (a first delivery committed since
-- the lookup is a serialization failure; the retry, later, finds the row or
-- sends the id of its own moment).
\set d random(1, 2)
\set rr random(0, 1)
\set r random(1, 20)
\if :rr
BEGIN ISOLATION LEVEL REPEATABLE READ;
\else
BEGIN;
\endif
SELECT (extract(epoch FROM clock_timestamp()) * 10)::bigint AS slot \gset
SELECT count(*) AS known FROM quota.activity WHERE external_id = 'burst-' || :slot || '-' || :d \gset
SELECT pg_sleep(0.003);
WITH ins AS (
    INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
    VALUES ('rr' || lpad(:r::text, 2, '0'), 'meeting', now() - interval '5 minutes', 1 + :d,
            'burst-' || :slot || '-' || :d, 'calendar')
    ON CONFLICT (external_id) DO NOTHING
    RETURNING external_id, qty)
INSERT INTO retry_ledger (op, external_id, rows_added, qty_added)
SELECT 'burst', external_id, 1, qty FROM ins;
COMMIT;
