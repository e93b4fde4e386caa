-- 6: the same figure by the PL/pgSQL aggregate of attain_setup.sql.
SELECT rep, bench.attain_plpgsql(actual, target) FROM bench.attain_rows GROUP BY rep;
