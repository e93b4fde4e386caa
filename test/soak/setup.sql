-- test/soak/setup.sql: the database of the soak test (test/soak/run).
-- 20 reps (sk01 .. sk20) in 5 time zones with monthly and weekly
-- assignments; 20,000 seed activity rows over the last 10 days; a tracked
-- table, crm.deals, counted as units_sold where status = 'won', with 2,000
-- seed rows (owner sk21 is no rep: its rows wait in quota.unmatched); and
-- the ledger the clients keep: every writing transaction of the pgbench
-- scripts records in it, in the same transaction, the quantity and rows it
-- added to or took from each (source, rep, kind, local day), computed from
-- the rows it wrote by the rules of README.md, without the extension.  The
-- seed is in the ledger too (op 'seed'), computed the same way: 20,000
-- activity rows of quantity 40,001 (qty 1 + i % 3 for i = 1 .. 20,000:
-- 6,666 x (2 + 3 + 1) + 2 + 3) and 1,524 deals of 3,810 units counted, 76
-- unmatched (see crm.deals below).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS crm CASCADE;
DROP EXTENSION IF EXISTS quota_ext CASCADE;
DROP TABLE IF EXISTS soak_ledger;
DROP FUNCTION IF EXISTS soak_day(text, timestamptz);
CREATE EXTENSION quota_ext CASCADE;

INSERT INTO quota.rep (rep_id, name, time_zone)
SELECT 'sk' || lpad(i::text, 2, '0'), 'Soak rep ' || i,
       (ARRAY['UTC', 'Europe/Helsinki', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Chatham'])[1 + i % 5]
  FROM generate_series(1, 20) AS i;
INSERT INTO quota.assignment (rep_id, kind, target, valid)
SELECT r.rep_id, k.kind, k.target, daterange((date_trunc('month', now()) - interval '2 months')::date, NULL)
  FROM quota.rep r
 CROSS JOIN (VALUES ('call', '400/month'::quota.quota), ('email', '90/week'::quota.quota),
                    ('meeting', '30/month'::quota.quota), ('units_sold', '200/month'::quota.quota)) AS k(kind, target);

-- The ledger: one row per (source, rep, kind, day) a transaction changed.
-- source is 'activity' (quota.activity) or 'deals' (crm.deals).
CREATE TABLE soak_ledger (
    source      text NOT NULL,
    op          text NOT NULL,
    rep_id      text NOT NULL,
    kind        text NOT NULL,
    day         date NOT NULL,
    qty_change  numeric NOT NULL,
    rows_change integer NOT NULL,
    at          timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- The rep's local day of a moment (README.md, "Live totals"); NULL for a
-- rep that does not exist.
CREATE FUNCTION soak_day(rep text, at timestamptz) RETURNS date
    LANGUAGE sql STABLE
AS $$ SELECT (at AT TIME ZONE r.time_zone)::date FROM quota.rep r WHERE r.rep_id = rep $$;

INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
SELECT 'sk' || lpad((1 + i % 20)::text, 2, '0'),
       (ARRAY['call', 'email', 'meeting', 'demo', 'opportunity'])[1 + (i / 20) % 5],
       now() - (i % 864000) * interval '1 second' - interval '1 minute',
       1 + i % 3, 'seed-' || i, 'seed'
  FROM generate_series(1, 20000) AS i;
INSERT INTO soak_ledger (source, op, rep_id, kind, day, qty_change, rows_change)
SELECT 'activity', 'seed', rep_id, kind, soak_day(rep_id, occurred_at), sum(qty), count(*)
  FROM quota.activity GROUP BY rep_id, kind, soak_day(rep_id, occurred_at);

-- The tracked table.  A row counts (1 row, its units, as units_sold on its
-- owner's local day) when its status is 'won' and its owner is a rep.
-- Seed: i = 1 .. 2,000, units 1 + i % 4 (500 each of 1 .. 4: 5,000), open
-- when i % 5 = 0 (i = 5k: units 1 + k % 4, 100 each: 1,000), else won:
-- 1,600 rows, 4,000 units.  Owner sk21 when i % 21 = 20: i = 20 + 21j,
-- j = 0 .. 94, units 1 + j % 4 (24, 24, 24 and 23 of 1 .. 4: 236), of
-- which open i = 20 + 105m, m = 0 .. 18, units 1 + m % 4 (5, 5, 5, 4: 46):
-- 95 - 19 = 76 won rows of sk21, 190 units, unmatched.  Counted: 1,524
-- rows, 3,810 units.
CREATE SCHEMA crm;
CREATE TABLE crm.deals (
    deal_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner   text,
    won_at  timestamptz NOT NULL,
    units   integer NOT NULL,
    status  text NOT NULL
);
INSERT INTO crm.deals (owner, won_at, units, status)
SELECT 'sk' || lpad((1 + i % 21)::text, 2, '0'),
       now() - ((i * 431) % 864000) * interval '1 second' - interval '1 minute',
       1 + i % 4, CASE WHEN i % 5 = 0 THEN 'open' ELSE 'won' END
  FROM generate_series(1, 2000) AS i;
SELECT quota.track('crm.deals', 'units_sold', 'owner', 'won_at', 'units', $$status = 'won'$$) AS tracked;
INSERT INTO soak_ledger (source, op, rep_id, kind, day, qty_change, rows_change)
SELECT 'deals', 'seed', owner, 'units_sold', soak_day(owner, won_at), sum(units), count(*)
  FROM crm.deals WHERE status = 'won' AND soak_day(owner, won_at) IS NOT NULL
 GROUP BY owner, soak_day(owner, won_at);
VACUUM ANALYZE;
