-- test/retry/setup.sql: the database of the retry test (test/retry/run).
-- 20 reps in 5 time zones with monthly and weekly assignments, 20,000 seed
-- activity rows with external ids seed-1 .. seed-20000 over the last 10
-- days, and a ledger: every transaction of the pgbench scripts records in
-- it, in the same transaction, the rows and quantity it added or removed, so
-- that the end state can be checked against an account kept without the
-- extension's triggers.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS quota_ext CASCADE;
DROP TABLE IF EXISTS retry_ledger, retry_seed;
CREATE EXTENSION quota_ext CASCADE;

INSERT INTO quota.rep (rep_id, name, time_zone)
SELECT 'rr' || lpad(i::text, 2, '0'), 'Retry rep ' || i,
       (ARRAY['UTC', 'Europe/Helsinki', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Chatham'])[1 + i % 5]
  FROM generate_series(1, 20) AS i;
INSERT INTO quota.assignment (rep_id, kind, target, valid)
SELECT r.rep_id, k.kind, k.target, daterange((date_trunc('month', now()) - interval '2 months')::date, NULL)
  FROM quota.rep r
 CROSS JOIN (VALUES ('call', '400/month'::quota.quota), ('email', '90/week'::quota.quota),
                    ('meeting', '30/month'::quota.quota)) AS k(kind, target);

INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
SELECT 'rr' || lpad((1 + i % 20)::text, 2, '0'),
       (ARRAY['call', 'email', 'meeting', 'demo', 'opportunity'])[1 + (i / 20) % 5],
       now() - (i % 864000) * interval '1 second' - interval '1 minute',
       1 + i % 3, 'seed-' || i, 'seed'
  FROM generate_series(1, 20000) AS i;

CREATE TABLE retry_seed AS
SELECT count(*) AS seed_rows, sum(qty) AS seed_qty FROM quota.activity;

CREATE TABLE retry_ledger (
    op          text NOT NULL,
    external_id text NOT NULL,
    rows_added  integer NOT NULL,
    qty_added   numeric NOT NULL,
    at          timestamptz NOT NULL DEFAULT clock_timestamp()
);
VACUUM ANALYZE;
