-- test/retry/setup.sql: the database of the retry test (test/retry/run).
-- 20 reps in 5 time zones with monthly and weekly assignments, 20,000 seed
-- activity rows with external ids seed-1 .. seed-20000 over the last 10
-- days, and a ledger: every transaction of the pgbench scripts records in
-- it, in the same transaction, the rows and quantity it added or removed, so
-- that the end state can be checked against an account kept without the
-- extension's triggers.  A tracked table too (crm.sales, counted as
-- units_sold where status = 'booked'), with 2,000 seed rows tseed-1 ..
-- tseed-2000 and a ledger of its own.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS crm CASCADE;
DROP EXTENSION IF EXISTS quota_ext CASCADE;
DROP TABLE IF EXISTS retry_ledger, retry_seed, tracked_ledger, tracked_seed;
DROP FUNCTION IF EXISTS tracked_counted(text, integer, text);
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

-- The tracked table: sales of units, counted as units_sold where status =
-- 'booked', on the seller's local day.  Seller rr21 is no rep: the rows of
-- rr21 wait in quota.unmatched.
CREATE SCHEMA crm;
CREATE TABLE crm.sales (
    id      text PRIMARY KEY,
    seller  text,
    sold_at timestamptz NOT NULL,
    units   integer NOT NULL,
    status  text NOT NULL
);
-- Seed: seller rr01..rr20 (all reps), units 1 + i % 4, quoted when i % 5 =
-- 0 (400 rows), else booked: 1,600 rows counted; per 20 consecutive i the
-- units sum to 20 + 5 * (0 + 1 + 2 + 3) = 50, of which the quoted ones
-- (i = 5, 10, 15, 20: units 2, 3, 4, 1) take 10, so 100 * 40 = 4,000 units.
INSERT INTO crm.sales (id, seller, sold_at, units, status)
SELECT 'tseed-' || i, 'rr' || lpad((1 + i % 20)::text, 2, '0'),
       now() - ((i * 431) % 864000) * interval '1 second' - interval '1 minute',
       1 + i % 4, CASE WHEN i % 5 = 0 THEN 'quoted' ELSE 'booked' END
  FROM generate_series(1, 2000) AS i;
SELECT quota.track('crm.sales', 'units_sold', 'seller', 'sold_at', 'units', $$status = 'booked'$$);

-- What a row of crm.sales adds to the totals (rows, units) or to the rows
-- waiting (unmatched), by the rules, without the extension: booked rows of
-- a rep count; booked rows of rr21 (no rep) wait.
CREATE FUNCTION tracked_counted(seller text, units integer, status text,
                                OUT rows integer, OUT qty integer, OUT unmatched integer)
    LANGUAGE sql IMMUTABLE
AS $$
    SELECT (status = 'booked' AND seller <> 'rr21')::int, CASE WHEN status = 'booked' AND seller <> 'rr21' THEN units ELSE 0 END,
           (status = 'booked' AND seller = 'rr21')::int
$$;

CREATE TABLE tracked_seed AS
SELECT sum(c.rows) AS seed_rows, sum(c.qty) AS seed_qty, sum(c.unmatched) AS seed_unmatched
  FROM crm.sales s, tracked_counted(s.seller, s.units, s.status) c;

CREATE TABLE tracked_ledger (
    op              text NOT NULL,
    id              text NOT NULL,
    rows_added      integer NOT NULL,
    qty_added       integer NOT NULL,
    unmatched_added integer NOT NULL,
    at              timestamptz NOT NULL DEFAULT clock_timestamp()
);
VACUUM ANALYZE;
