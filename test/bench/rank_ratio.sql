-- 8: the same ranks by the numeric ratio (no quota: NULL, last).
SELECT sum(r) FROM (SELECT rank() OVER (ORDER BY ratio DESC NULLS LAST) AS r FROM bench.ranked) AS w;
