-- Data of benchmark 8 (run by test/bench/run once, with :rows): :rows
-- attainments, an integer actual of 0 to 200 against a target of 0.01 to
-- 200.00 with two decimals, or 0 (no quota) for 1 row in 100, and the same
-- ratio as a numeric (NULL without a target).  The numeric is actual / target
-- truncated to 20 decimals, exactly (div, then a product): equal ratios give
-- equal numerics, and distinct ratios of such amounts differ by at least
-- 2.5e-7, so the two orders must give the same ranks.  (actual / target
-- itself rounds at a scale that depends on the operands: 1 / 1.50 and
-- 2 / 3.00 differ in their 17th digit.)
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench.ranked;
CREATE TABLE bench.ranked AS
SELECT i AS id, quota.attainment(actual, target) AS a,
       CASE WHEN target > 0 THEN div(actual * 1e20, target) * 1e-20 END AS ratio
  FROM (SELECT i,
               ((hashint8extended(i, 4) & 281474976710655) % 201)::numeric AS actual,
               CASE WHEN (hashint8extended(i, 5) & 281474976710655) % 100 = 0 THEN 0
                    ELSE round(((hashint8extended(i, 6) & 281474976710655) % 20000 + 1)::numeric / 100, 2)
               END AS target
          FROM generate_series(1, :rows) AS i) AS s;
ALTER TABLE bench.ranked ADD PRIMARY KEY (id);
VACUUM ANALYZE bench.ranked;
