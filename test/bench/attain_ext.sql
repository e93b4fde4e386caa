-- 5-7: attainment per rep by quota.attain.
SELECT rep, quota.attain(actual, target) FROM bench.attain_rows GROUP BY rep;
