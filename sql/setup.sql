-- setup: runs first; creates the extension that every other test uses.
CREATE EXTENSION quota_ext CASCADE;
SELECT extname, extversion, extrelocatable FROM pg_extension
 WHERE extname IN ('btree_gist', 'quota_ext') ORDER BY extname;

-- A helper of the tests that look at plans: the Function Call lines of the
-- plan of a query (what the planner gives a function scan).
CREATE FUNCTION public.plan_function_calls(query text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || query LOOP
        IF line ~ 'Function Call' THEN
            RETURN NEXT btrim(line);
        END IF;
    END LOOP;
END
$$;
