-- test/bench/statement_cpu.sql: the CPU time of the backend per single-row
-- INSERT into :target (quota.activity, its baseline bench.activity_plain,
-- the tracked bench.crm_tracked or its baseline bench.crm_plain), over
-- :statements statements in one session, each its own transaction, as an
-- app's: prepared, reps drawn uniformly over 1000 (the same draws for every
-- table), with synchronous_commit off so that the session waits for no
-- disk.  A measure of what the extension adds to each statement that the
-- machine's other load disturbs less than pgbench's tps.  Prints the
-- microseconds per statement.  Reads /proc of the server's backend: run it
-- as a superuser on the machine of the server, with -v ticks_per_second=
-- $(getconf CLK_TCK).
\set ON_ERROR_STOP on
SET synchronous_commit = off;
SELECT :'target' LIKE 'bench.crm%' AS crm \gset
\if :crm
PREPARE ins(int, int, int, int) AS
INSERT INTO :target (owner, kind, occurred_at, qty, status, source)
VALUES ('rep' || lpad($1::text, 4, '0'), (ARRAY['call', 'email', 'social_contact', 'meeting', 'opportunity'])[$2],
        now() - make_interval(secs => $3), 1, CASE WHEN $4 = 1 THEN 'void' ELSE 'done' END, 'cpu');
\else
PREPARE ins(int, int, int, int) AS
INSERT INTO :target (rep_id, kind, occurred_at, source)
VALUES ('rep' || lpad($1::text, 4, '0'), (ARRAY['call', 'email', 'social_contact', 'meeting', 'opportunity'])[$2],
        now() - make_interval(secs => $3), 'cpu');
\endif
-- The backend's user and system time so far, in clock ticks.
PREPARE cpu_ticks AS
SELECT split_part(s, ' ', 14)::bigint + split_part(s, ' ', 15)::bigint AS ticks
  FROM pg_read_file('/proc/' || pg_backend_pid() || '/stat') AS s;
EXECUTE cpu_ticks \gset before_
SELECT format('EXECUTE ins(%s, %s, %s, %s)', 1 + h % 1000, 1 + h / 1000 % 5, 1 + h / 5000 % 3600, 1 + h / 18000000 % 20)
  FROM generate_series(1, :statements) AS i
 CROSS JOIN LATERAL (SELECT hashint4(i)::bigint + 2147483648) AS x(h) \gexec
EXECUTE cpu_ticks \gset after_
SELECT round((:after_ticks - :before_ticks) * 1e6 / :ticks_per_second / :statements) AS us_per_statement \gset
\echo :us_per_statement
