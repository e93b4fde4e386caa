-- test/fuzz/rep_check.sql: run by test/fuzz/run as the superuser in the
-- database of test/fuzz/rep_setup.sql, after the run as a rep: what the
-- rep's login role (:login) reads, compared with what the policy lets it
-- read.  Every table and view of schema quota the role may SELECT is read
-- as the role; a row is allowed when
--   - it has rep_id and from_rep_id (quota.activity_credit): either is the
--     role's rep (the credits to the rep and those of the rep's activity);
--   - it has rep_id: that is the role's rep;
--   - it is of quota.unmatched, quota.late_change or quota.sources: the
--     role may read its source table;
--   - otherwise (teams, kinds, ramps, holidays, team figures): every row is
--     shared.
-- For a table, the role must read exactly the rows the superuser reads
-- there that are allowed (no more, no fewer); for a view (computed with
-- the reader's rights, ranks among the rows the reader sees), no row that
-- is not allowed.  No row read may hold :token, the marker of the rows of
-- other reps.  Prints one line per relation and fails (an error) when a
-- relation breaks a rule.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

CREATE TEMP TABLE rep_read (rel regclass, r jsonb);
CREATE TEMP TABLE owner_read (rel regclass, r jsonb);
GRANT INSERT ON rep_read TO :"login";
SELECT rep_id AS own_rep FROM quota.rep WHERE login = :'login' \gset

-- What the role reads, as the role.
SET ROLE :"login";
SELECT format('INSERT INTO pg_temp.rep_read SELECT %L::regclass, to_jsonb(t) FROM %s AS t', c.oid::regclass, c.oid::regclass)
  FROM pg_catalog.pg_class c
 WHERE c.relnamespace = 'quota'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
   AND pg_catalog.has_table_privilege(c.oid, 'SELECT')
 ORDER BY 1 \gexec
RESET ROLE;

-- What is in the tables, as the superuser.
SELECT format('INSERT INTO pg_temp.owner_read SELECT %L::regclass, to_jsonb(t) FROM %s AS t', c.oid::regclass, c.oid::regclass)
  FROM pg_class c
 WHERE c.relnamespace = 'quota'::regnamespace AND c.relkind IN ('r', 'p')
   AND has_table_privilege(:'login', c.oid, 'SELECT')
 ORDER BY 1 \gexec

CREATE TEMP TABLE rep_check AS
WITH allowed AS (
    SELECT x.*, CASE
             WHEN x.rel IN ('quota.unmatched'::regclass, 'quota.late_change'::regclass, 'quota.sources'::regclass)
                 THEN has_table_privilege(:'login', (x.r->>'source')::regclass, 'SELECT')
             WHEN x.r ? 'from_rep_id' THEN :'own_rep' IN (x.r->>'rep_id', x.r->>'from_rep_id')
             WHEN x.r ? 'rep_id' THEN x.r->>'rep_id' IS NOT DISTINCT FROM :'own_rep'
             ELSE true
           END AS ok
      FROM (SELECT 'rep' AS reader, * FROM rep_read UNION ALL SELECT 'owner', * FROM owner_read) AS x),
seen AS (SELECT rel, r FROM allowed WHERE reader = 'rep'),
due AS (SELECT rel, r FROM allowed WHERE reader = 'owner' AND ok),
per_rel AS (
    SELECT c.oid::regclass AS rel, c.relkind = 'v' AS is_view,
           (SELECT count(*) FROM seen s WHERE s.rel = c.oid) AS rows_read,
           CASE WHEN c.relkind <> 'v' THEN (SELECT count(*) FROM due d WHERE d.rel = c.oid) END AS rows_allowed,
           (SELECT count(*) FROM allowed a WHERE a.reader = 'rep' AND a.rel = c.oid AND NOT a.ok) AS beyond_policy,
           CASE WHEN c.relkind <> 'v' THEN
               (SELECT count(*) FROM (SELECT r FROM seen s WHERE s.rel = c.oid EXCEPT ALL
                                      SELECT r FROM due d WHERE d.rel = c.oid) AS extra) END AS not_in_table,
           CASE WHEN c.relkind <> 'v' THEN
               (SELECT count(*) FROM (SELECT r FROM due d WHERE d.rel = c.oid EXCEPT ALL
                                      SELECT r FROM seen s WHERE s.rel = c.oid) AS missing) END AS not_read,
           (SELECT count(*) FROM seen s WHERE s.rel = c.oid AND s.r::text ILIKE '%' || :'token' || '%') AS marked
      FROM pg_class c
     WHERE c.relnamespace = 'quota'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
       AND has_table_privilege(:'login', c.oid, 'SELECT'))
SELECT *, beyond_policy = 0 AND coalesce(not_in_table, 0) = 0 AND coalesce(not_read, 0) = 0 AND marked = 0 AS ok
  FROM per_rel;

\pset footer off
SELECT rel, CASE WHEN is_view THEN 'view' ELSE 'table' END AS relkind, rows_read, rows_allowed,
       beyond_policy, not_in_table, not_read, marked, ok
  FROM rep_check ORDER BY rel::text;
SELECT count(*) AS relations, count(*) FILTER (WHERE NOT ok) AS failed,
       string_agg(rel::text, ', ' ORDER BY rel::text) FILTER (WHERE NOT ok) AS failed_relations
  FROM rep_check \gset
\echo rep_check: :relations relations read as :login (rep :own_rep), :failed broke a rule
SELECT :failed = 0 AS passed \gset
\if :passed
\else
    -- The rows of each relation that broke a rule (at most 3 each).
    SELECT rel, left(r::text, 200) AS row_read
      FROM (SELECT s.rel, s.r, row_number() OVER (PARTITION BY s.rel ORDER BY s.r) AS n
              FROM rep_read s JOIN rep_check c USING (rel) WHERE NOT c.ok
               AND (s.r::text ILIKE '%' || :'token' || '%'
                    OR CASE WHEN s.r ? 'from_rep_id' THEN :'own_rep' NOT IN (s.r->>'rep_id', s.r->>'from_rep_id')
                            WHEN s.r ? 'rep_id' THEN s.r->>'rep_id' IS DISTINCT FROM :'own_rep'
                            ELSE false END)) AS bad
     WHERE n <= 3 ORDER BY rel::text, n;
    \echo rep_check: FAIL in :failed_relations
    DO $$ BEGIN RAISE EXCEPTION 'rep_check: a relation read as the rep broke a rule'; END $$;
\endif
