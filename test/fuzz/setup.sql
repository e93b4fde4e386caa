-- test/fuzz/setup.sql: run by test/fuzz/run as the superuser in the fuzzing
-- database, after test/demo.sql: the rights of the fuzzing role (:role), and
-- a table of edge values of the extension's types for sqlsmith to draw on
-- (test/fuzz/values.sql).
\set ON_ERROR_STOP on
SET client_min_messages = warning;

\ir values.sql

-- The role reads and writes the tables of the extension (sqlsmith rolls
-- every statement back), and runs its functions.
GRANT CONNECT ON DATABASE :"db" TO :"role";
GRANT USAGE ON SCHEMA quota TO :"role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA quota TO :"role";
GRANT USAGE ON ALL SEQUENCES IN SCHEMA quota TO :"role";
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA quota TO :"role";
GRANT SELECT, INSERT, UPDATE, DELETE ON public.fuzz_values TO :"role";
-- The operators of the extension are found through search_path.
ALTER ROLE :"role" IN DATABASE :"db" SET search_path = quota, public;
