-- 5: the same figure with built-ins.
SELECT rep, sum(actual) / sum(target) FROM bench.attain_rows GROUP BY rep;
