-- test/bench/tracked_setup.sql: the tables of the tracked-table benchmarks
-- (11-14, run by test/bench/run after setup.sql).  A CRM's activity table
-- as an application would have it: one row per call, email, meeting...,
-- its kind in a column, its quantity in another, and a status whose void
-- rows (1 in 20) do not count.  bench.crm_tracked is tracked
-- (tracked_prepare.sql); bench.crm_plain, the baseline, is the same table
-- (columns, keys, indexes) untracked.  Neither has foreign keys: the
-- application's table knows nothing of quota.rep.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench.crm_tracked, bench.crm_plain;
RESET client_min_messages;

CREATE TABLE bench.crm_plain (
    activity_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner       text NOT NULL,
    kind        text NOT NULL,
    occurred_at timestamptz NOT NULL,
    qty         numeric NOT NULL,
    status      text NOT NULL,
    source      text
);
CREATE INDEX ON bench.crm_plain (owner, occurred_at);
CREATE TABLE bench.crm_tracked (LIKE bench.crm_plain INCLUDING ALL);

-- Row number i of bench.rows (the same rep, kind, time and quantity) with
-- a status: 'void' for 1 row in 20 (drawn apart from the quantity), else
-- 'done'.
CREATE FUNCTION bench.crm_rows(first bigint, n bigint, days int DEFAULT 730)
    RETURNS TABLE (owner text, kind text, occurred_at timestamptz, qty numeric, status text, source text)
    LANGUAGE sql STABLE
AS $$
    SELECT 'rep' || lpad((1 + h % 1000)::text, 4, '0'),
           (ARRAY['call', 'email', 'social_contact', 'meeting', 'opportunity'])[1 + (h / 1000) % 5],
           c.anchor - ((hashint8extended(i, 1) & 281474976710655) % (days * 86400)) * interval '1 second',
           CASE WHEN h % 20 = 0 THEN 2 + (h / 20) % 5 ELSE 1 END,
           CASE WHEN (h / 5000) % 20 = 7 THEN 'void' ELSE 'done' END,
           'bench'
      FROM generate_series(first, first + n - 1) AS i
     CROSS JOIN LATERAL (SELECT hashint8(i)::bigint + 2147483648) AS x(h)
     CROSS JOIN bench.config c
$$;
ANALYZE bench.crm_plain, bench.crm_tracked;
