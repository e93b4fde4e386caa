-- test/bench/setup.sql: the data model of the benchmarks (run by test/bench/run).
-- 1000 reps in 10 time zones, 5 kinds, monthly assignments over two years,
-- two copies of quota.activity without the extension's triggers, and a
-- deterministic generator of activity rows spread over the past two years.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS quota_ext CASCADE;
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE EXTENSION quota_ext CASCADE;
CREATE SCHEMA bench;

-- The moment the generated activity ends (every row occurs before it), the
-- moment of the read benchmark (20th of last month, 12:00 UTC: the 20th in
-- every zone below) and that month.
CREATE TABLE bench.config AS
SELECT anchor,
       date_trunc('month', anchor, 'UTC') - interval '1 month' + interval '19 days 12 hours' AS as_of,
       (date_trunc('month', anchor, 'UTC') - interval '1 month')::date AS month
  FROM (SELECT date_trunc('minute', now()) - interval '1 minute' AS anchor) AS a;

INSERT INTO quota.rep (rep_id, name, time_zone)
SELECT 'rep' || lpad(i::text, 4, '0'), 'Rep ' || i,
       (ARRAY['UTC', 'Europe/London', 'Europe/Berlin', 'Europe/Helsinki', 'America/New_York',
              'America/Chicago', 'America/Los_Angeles', 'America/Sao_Paulo', 'Asia/Kolkata',
              'Australia/Sydney'])[1 + i % 10]
  FROM generate_series(1, 1000) AS i;

CREATE TABLE bench.kind (n int PRIMARY KEY, kind text NOT NULL);
INSERT INTO bench.kind VALUES (1, 'call'), (2, 'email'), (3, 'social_contact'), (4, 'meeting'), (5, 'opportunity');

-- Monthly targets of 40 to 120, valid from the first month of the data on.
INSERT INTO quota.assignment (rep_id, kind, target, valid)
SELECT r.rep_id, k.kind, ((40 + 20 * ((i + k.n) % 5)) || '/month')::quota.quota,
       daterange((date_trunc('month', c.anchor, 'UTC') - interval '24 months')::date, NULL)
  FROM generate_series(1, 1000) AS i
  JOIN quota.rep r ON r.rep_id = 'rep' || lpad(i::text, 4, '0')
 CROSS JOIN bench.kind k CROSS JOIN bench.config c;

-- Activity row number i (deterministic): a rep and kind drawn by a hash of i,
-- a moment in the `days` days before the anchor (730 by default: two years;
-- 30 for the "month of activity" shape of the ingest benchmark), quantity 1
-- for 19 rows in 20.
CREATE FUNCTION bench.rows(first bigint, n bigint, days int DEFAULT 730)
    RETURNS TABLE (rep_id text, kind text, occurred_at timestamptz, qty numeric, source text)
    LANGUAGE sql STABLE
AS $$
    SELECT 'rep' || lpad((1 + h % 1000)::text, 4, '0'),
           (ARRAY['call', 'email', 'social_contact', 'meeting', 'opportunity'])[1 + (h / 1000) % 5],
           c.anchor - ((hashint8extended(i, 1) & 281474976710655) % (days * 86400)) * interval '1 second',
           CASE WHEN h % 20 = 0 THEN 2 + (h / 20) % 5 ELSE 1 END,
           'bench'
      FROM generate_series(first, first + n - 1) AS i
     CROSS JOIN LATERAL (SELECT hashint8(i)::bigint + 2147483648) AS x(h)
     CROSS JOIN bench.config c
$$;

-- The baseline: quota.activity's columns, keys, indexes, foreign keys and
-- checks, without the extension's triggers.
CREATE TABLE bench.activity_plain (
    activity_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rep_id      text NOT NULL REFERENCES quota.rep,
    kind        text NOT NULL REFERENCES quota.activity_kind,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    qty         numeric NOT NULL DEFAULT 1 CHECK (qty > 0 AND qty < 1e15),
    external_id text UNIQUE,
    source      text,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ON bench.activity_plain (rep_id, kind, occurred_at);

-- The anchor: what a user would write without the extension, a row trigger
-- upserting the totals per rep, kind and local day (inserts only).
CREATE TABLE bench.activity_rowtrig (
    activity_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rep_id      text NOT NULL REFERENCES quota.rep,
    kind        text NOT NULL REFERENCES quota.activity_kind,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    qty         numeric NOT NULL DEFAULT 1 CHECK (qty > 0 AND qty < 1e15),
    external_id text UNIQUE,
    source      text,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ON bench.activity_rowtrig (rep_id, kind, occurred_at);

CREATE TABLE bench.daily_total_rowtrig (
    rep_id text NOT NULL,
    kind   text NOT NULL,
    day    date NOT NULL,
    qty    numeric NOT NULL,
    PRIMARY KEY (rep_id, kind, day)
);

CREATE FUNCTION bench.add_to_daily_total() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO bench.daily_total_rowtrig AS t (rep_id, kind, day, qty)
    SELECT NEW.rep_id, NEW.kind, (NEW.occurred_at AT TIME ZONE r.time_zone)::date, NEW.qty
      FROM quota.rep r WHERE r.rep_id = NEW.rep_id
        ON CONFLICT (rep_id, kind, day) DO UPDATE SET qty = t.qty + excluded.qty;
    RETURN NULL;
END
$$;
CREATE TRIGGER add_to_daily_total AFTER INSERT ON bench.activity_rowtrig
    FOR EACH ROW EXECUTE FUNCTION bench.add_to_daily_total();

ANALYZE;
