-- 5-6: the figures agree, per rep: quota.attain's sums are sum()'s, its ratio
-- (quota.ratio: 20 decimals) rounded to the scale of the built-in quotient
-- is that quotient, and the PL/pgSQL aggregate gives that quotient.  Also
-- the fewest significant digits of the built-in quotient.
SELECT count(*) AS reps,
       count(*) FILTER (WHERE quota.actual(a) IS DISTINCT FROM sa OR quota.target(a) IS DISTINCT FROM st
                           OR round(quota.ratio(a), scale(q)) IS DISTINCT FROM q) AS ext_mismatches,
       count(*) FILTER (WHERE p IS DISTINCT FROM q) AS plpgsql_mismatches,
       min(scale(q) + floor(log(q))::int + 1) AS min_significant_digits
  FROM (SELECT rep, quota.attain(actual, target) AS a, sum(actual) AS sa, sum(target) AS st,
               sum(actual) / sum(target) AS q, bench.attain_plpgsql(actual, target) AS p
          FROM bench.attain_rows GROUP BY rep) AS g;
