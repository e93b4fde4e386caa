-- 8: rows whose two ranks differ, joined on the row id.
SELECT count(*) AS rows, count(*) FILTER (WHERE x.r <> y.r) AS mismatches
  FROM (SELECT id, rank() OVER (ORDER BY a DESC) AS r FROM bench.ranked) AS x
  JOIN (SELECT id, rank() OVER (ORDER BY ratio DESC NULLS LAST) AS r FROM bench.ranked) AS y USING (id);
