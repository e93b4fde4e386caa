-- numeric_form: the sums that the aggregates and + of quota.attainment add
-- by reading and writing numeric's stored form (src/numeric_form.c) equal
-- numeric_add's, on values of many scales and magnitudes, short and long
-- forms, near the boundaries of base-10000 digits and with carries.

SET search_path = public, quota;

-- The values: mantissas near digit-group boundaries times powers of ten
-- from 1e-20 to 1e32, each also at several display scales (trailing zeros
-- kept), zeros of several scales, values in the long form (more than 63
-- decimal digits after the point, or 10000^64 and beyond) and values of the
-- highest weight the short form holds (10000^63), whose sums may not be.
CREATE TABLE numeric_form_values (id int, x numeric);
INSERT INTO numeric_form_values
SELECT row_number() OVER (ORDER BY x::text), x
  FROM (SELECT DISTINCT ON (x::text) x
          FROM (SELECT round(m * ('1e' || e)::numeric, s) AS x
                  FROM unnest('{1, 5, 9, 0.5, 0.9999, 1.0001, 99.99, 9999, 9999.9999, 10000, 10001,
                                99999999, 100000000, 12345678.9}'::numeric[]) AS m,
                       generate_series(-20, 32, 4) AS e,
                       unnest('{0, 4, 8, 20, 24}'::int[]) AS s
                UNION ALL
                SELECT unnest('{0, 0.0, 0.000, 0.00000000000000000000, 0.0001, 0.9999, 9999.9999,
                                99999999.99999999, 1e-70, 1e252, 9999e252, 1e300}'::numeric[])
                UNION ALL
                SELECT round(1.5, 70)) AS generated) AS distinct_values;
SELECT count(*) AS values, count(DISTINCT x) AS numerically_distinct, count(*) FILTER (WHERE x = 0) AS zeros,
       count(*) FILTER (WHERE scale(x) > 63 OR x >= 1e256) AS long_form,
       count(*) FILTER (WHERE x >= 1e252 AND x < 1e256) AS highest_short_weight,
       min(x) FILTER (WHERE x > 0) = 1e-70 AS least_is_1e_70, max(x) = 1e300 AS greatest_is_1e300
  FROM numeric_form_values;

-- Every pair, through +: the actual and the target of the sum equal
-- numeric_add's sum, trimmed as every attainment value is.
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE actual(s)::text IS DISTINCT FROM trim_scale(a.x + b.x)::text
                           OR target(s)::text IS DISTINCT FROM trim_scale(b.x + a.x)::text) AS mismatches
  FROM numeric_form_values AS a, numeric_form_values AS b,
       LATERAL (SELECT attainment(a.x, b.x) + attainment(b.x, a.x) AS s) AS added;

-- Running sums of many rows in the aggregates' state, updated in place:
-- quota.attain and quota.sum against sum() over groups of every size
-- 1 to 40 of the values in several orders.
CREATE TABLE numeric_form_groups AS
SELECT k, g, v.x AS actual, w.x AS target, o
  FROM generate_series(1, 40) AS k,
       numeric_form_values AS v
       JOIN numeric_form_values AS w ON w.id = (v.id * 7) % (SELECT count(*) FROM numeric_form_values) + 1,
       LATERAL (SELECT v.id / k AS g, (v.id * 31) % 101 AS o) AS grouping;
SELECT count(*) AS groups,
       count(*) FILTER (WHERE actual(attain)::text IS DISTINCT FROM trim_scale(actual_sum)::text
                           OR target(attain)::text IS DISTINCT FROM trim_scale(target_sum)::text
                           OR sum IS DISTINCT FROM attain
                           OR actual(sum)::text IS DISTINCT FROM actual(attain)::text
                           OR target(sum)::text IS DISTINCT FROM target(attain)::text) AS mismatches
  FROM (SELECT attain(actual, target ORDER BY o) AS attain,
               sum(attainment(actual, target) ORDER BY o DESC) AS sum,
               sum(actual) AS actual_sum, sum(target) AS target_sum
          FROM numeric_form_groups GROUP BY k, g) AS per_group;

-- The same through a parallel plan, whose partial sums are added by the
-- combine function (quota.attainment_add).
ALTER TABLE numeric_form_groups SET (parallel_workers = 2);
ANALYZE numeric_form_groups;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT attain(actual, target), sum(attainment(actual, target)) FROM numeric_form_groups;
SELECT count(*) AS sums,
       count(*) FILTER (WHERE actual(attain)::text IS DISTINCT FROM trim_scale(actual_sum)::text
                           OR target(attain)::text IS DISTINCT FROM trim_scale(target_sum)::text
                           OR actual(sum)::text IS DISTINCT FROM actual(attain)::text
                           OR target(sum)::text IS DISTINCT FROM target(attain)::text) AS mismatches
  FROM (SELECT attain(actual, target) AS attain, sum(attainment(actual, target)) AS sum,
               sum(actual) AS actual_sum, sum(target) AS target_sum
          FROM numeric_form_groups
        UNION ALL
        SELECT attain(actual, target), sum(attainment(actual, target)), sum(actual), sum(target)
          FROM numeric_form_groups GROUP BY k) AS whole_and_per_k;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- A few sums to check by hand: carries across digit groups, zeros of
-- different scales, fractions that end in zeros, magnitudes 50 decimal
-- digits apart, and a term in the long form.
SELECT label, attain(a, t) AS attain
  FROM (VALUES ('9999.9999 + 0.0001', 9999.9999, 1), ('9999.9999 + 0.0001', 0.0001, 2),
               ('99999999 + 1', 99999999, 0.5), ('99999999 + 1', 1, 0.50),
               ('0.9999 + 0.0001', 0.9999, 0), ('0.9999 + 0.0001', 0.0001, 0.000),
               ('1e30 + 1e-20', 1e30, 10000), ('1e30 + 1e-20', 1e-20, 9999.9999),
               ('0.5 + 0.25 + 0.25', 0.5, 3), ('0.5 + 0.25 + 0.25', 0.25, 4), ('0.5 + 0.25 + 0.25', 0.25, 5),
               ('1e-70 + 1', 1e-70, 1), ('1e-70 + 1', 1, 1)) AS v(label, a, t)
 GROUP BY label ORDER BY label;

DROP TABLE numeric_form_values, numeric_form_groups;
