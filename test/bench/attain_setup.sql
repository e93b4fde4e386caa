-- Data of benchmarks 5-7 (run by test/bench/run once, with :rows): :rows rows
-- of 1000 reps (row i is rep 1 + i % 1000), an integer actual of 0 to 200
-- and a target of 0.01 to 200.00 with two decimals, drawn by hashes of i;
-- and the aggregate a user would otherwise write in PL/pgSQL.
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench.attain_rows;
CREATE TABLE bench.attain_rows AS
SELECT (1 + i % 1000)::int AS rep,
       ((hashint8extended(i, 2) & 281474976710655) % 201)::numeric AS actual,
       round(((hashint8extended(i, 3) & 281474976710655) % 20000 + 1)::numeric / 100, 2) AS target
  FROM generate_series(1, :rows) AS i;
VACUUM ANALYZE bench.attain_rows;

-- quota.attain as plain PL/pgSQL: a numeric[] state {actual sum, target sum},
-- rows with a NULL skipped, the final function giving actual / target (NULL
-- without a target) with numeric's own division, as sum(actual) / sum(target).
CREATE OR REPLACE FUNCTION bench.attain_plpgsql_step(state numeric[], actual numeric, target numeric)
    RETURNS numeric[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
    IF actual IS NULL OR target IS NULL THEN
        RETURN state;
    END IF;
    RETURN ARRAY[state[1] + actual, state[2] + target];
END
$$;
CREATE OR REPLACE FUNCTION bench.attain_plpgsql_final(state numeric[])
    RETURNS numeric LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
    RETURN state[1] / nullif(state[2], 0);
END
$$;
DROP AGGREGATE IF EXISTS bench.attain_plpgsql(numeric, numeric);
CREATE AGGREGATE bench.attain_plpgsql(numeric, numeric) (
    SFUNC = bench.attain_plpgsql_step,
    STYPE = numeric[],
    INITCOND = '{0,0}',
    FINALFUNC = bench.attain_plpgsql_final
);
