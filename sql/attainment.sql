-- attainment: the quota.attainment type (actual of target), its order by
-- ratio, hashing, binary I/O and the aggregates quota.attain and quota.sum.

-- The operators live in schema quota, as users will find them.
SET search_path = public, quota;

-- Reports what casting a text to quota.attainment gives: the value, or the
-- SQLSTATE and detail of the error.
CREATE FUNCTION pg_temp.try_attainment(input text,
	OUT value text, OUT error_code text, OUT error_detail text)
LANGUAGE plpgsql AS $$
BEGIN
	value := input::quota.attainment::text;
EXCEPTION WHEN others THEN
	GET STACKED DIAGNOSTICS error_code = RETURNED_SQLSTATE,
		error_detail = PG_EXCEPTION_DETAIL;
END
$$;

--
-- Valid forms: blanks and case do not matter; output is canonical, amounts
-- trimmed of trailing fractional zeros.
--
SELECT input, a, a::text::quota.attainment = a AS round_trip,
       quota.attainment_send(a::text::quota.attainment) = quota.attainment_send(a) AS same_bytes
  FROM (VALUES ('150 of 120'), ('0 of 0'), ('12.5 of 10'), ('12.50 OF 10.000'),
               (' 150  Of  120 '), (E'\t7\nof\t9\n'), ('150of120'), ('007 of 0010'),
               ('0.000 of 5'), ('0.0001 of 0.0003'),
               ('123456789012345678901234567890.123456789 of 1')) AS v(input),
       LATERAL (SELECT input::quota.attainment AS a) AS c;

--
-- Malformed text is 22P02, with a detail saying what is wrong.
--
SELECT input, t.*
  FROM (VALUES ('150'), ('150 of'), ('of 120'), ('-1 of 5'), ('1 of -5'),
               ('+1 of 5'), ('NaN of 1'), ('1 of Infinity'), ('1 of 2 of 3'),
               ('abc'), (''), ('   '), ('150 from 120'), ('1.2.3 of 4'),
               ('1. of 2'), ('.5 of 1'), ('1e3 of 5'), ('1 of 5e2'),
               ('1 of 2 x'), ('150 of  ')) AS v(input),
       LATERAL pg_temp.try_attainment(input) AS t;

-- The full messages.
\set ON_ERROR_STOP 0
SELECT '150'::quota.attainment;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT '1 of 2 of 3'::quota.attainment;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT '-1 of 5'::quota.attainment;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

--
-- The constructor: amounts must be finite and zero or greater (22023).
--
SELECT quota.attainment(150, 120), quota.attainment(12.50, 10.00),
       quota.attainment(0, 0), quota.attainment(NULL, 1) IS NULL AS strict;
SELECT quota.attainment(-1, 5);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT quota.attainment(1, -5);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT quota.attainment('NaN', 1);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT quota.attainment(1, 'Infinity');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT quota.attainment('-Infinity', 1);
\echo SQLSTATE :LAST_ERROR_SQLSTATE

--
-- Figures: ratio (at least 20 fractional digits, then trimmed; NULL without
-- a target, also through the cast), shortfall, surplus, met.
--
SELECT a, quota.actual(a), quota.target(a), quota.ratio(a), a::numeric AS cast,
       quota.shortfall(a), quota.surplus(a), quota.met(a)
  FROM (VALUES ('150 of 120'::quota.attainment), ('80 of 100'), ('12.5 of 10'),
               ('1 of 3'), ('2 of 3'), ('120 of 120'), ('0 of 5'), ('0 of 0'),
               ('30 of 0'), ('10.25 of 10.5'), ('1 of 7000000'),
               ('1000000000000 of 3')) AS v(a);
SELECT pg_typeof(quota.ratio('1 of 2')), pg_typeof(quota.shortfall('1 of 2')),
       pg_typeof(quota.met('1 of 2')), pg_typeof(quota.actual('1 of 2'));
-- The cast is explicit only.
SELECT castcontext FROM pg_cast
 WHERE castsource = 'quota.attainment'::regtype AND casttarget = 'numeric'::regtype;

--
-- Addition rolls reps up into a team: actuals and targets add.
--
SELECT a, b, a + b AS sum, b + a AS commuted
  FROM (VALUES ('150 of 120'::quota.attainment, '50 of 40'::quota.attainment),
               ('0.5 of 1.25', '1.5 of 0.75'),
               ('30 of 0', '0 of 0'),
               ('99999999999999999999 of 1', '1 of 99999999999999999999')) AS v(a, b);

--
-- Comparison by ratio, exactly: 150 of 120 = 5 of 4; values without a
-- target are equal to each other and lower than any ratio, even 0.
--
SELECT a::text, b::text,
       a < b AS lt, a <= b AS le, a = b AS eq, a <> b AS ne, a >= b AS ge, a > b AS gt,
       quota.attainment_cmp(a, b) AS cmp
  FROM (VALUES ('150 of 120'::quota.attainment, '5 of 4'::quota.attainment),
               ('1.5 of 1.2', '10 of 8'),
               ('1 of 3', '333333 of 1000000'),
               ('2 of 3', '1 of 2'),
               ('0 of 5', '0 of 7'),
               ('0 of 5', '30 of 0'),
               ('30 of 0', '0 of 0'),
               ('0 of 0', '0 of 1'),
               ('1 of 10000000000000000000000', '0 of 1'),
               ('3000000000000000000000000001 of 3000000000000000000000000000',
                '1000000000000000000000000001 of 1000000000000000000000000000'),
               ('123456789.123456789 of 1', '123456789.123456788 of 1'),
               ('0.14285714285714285714 of 0.71428571428571428571', '1 of 5')) AS v(a, b);
-- That last pair: the first ratio is 0.2 less 2.8e-21, which quota.ratio's
-- 20 fractional digits round to 0.2.
SELECT quota.ratio('0.14285714285714285714 of 0.71428571428571428571') AS ratio_20_digits,
       round(0.14285714285714285714, 30) / 0.71428571428571428571 AS ratio_30_digits;

CREATE TABLE attainments (id int PRIMARY KEY, a quota.attainment NOT NULL);
INSERT INTO attainments VALUES
	(1, '150 of 120'), (2, '80 of 100'), (3, '5 of 4'), (4, '30 of 0'),
	(5, '0 of 0'), (6, '0 of 50'), (7, '10 of 8'), (8, '45 of 60'),
	(9, '200 of 100'), (10, '1 of 3'), (11, '12.5 of 10'), (12, '60 of 60');
-- Descending, as rankings use it: equal ratios tie, no target comes last.
SELECT id, a, quota.ratio(a), rank() OVER (ORDER BY a DESC)
  FROM attainments ORDER BY a DESC, id;
SELECT id, a FROM attainments ORDER BY a, id;

--
-- Many values, with ties and values without a target: ordering by the type
-- gives the ranks that ordering by the exact ratio gives (NULLS LAST when
-- descending).  Some amounts are large or have long fractions, so that both
-- the integer and the numeric paths of the comparisons and of the
-- abbreviated keys are used; a small work_mem makes the sort external, which
-- compares without abbreviated keys.  The reference ratio is computed with
-- 100 fractional digits: quota.ratio's 20 cannot tell some of these apart.
--
CREATE TABLE many AS
SELECT i, quota.attainment(
         CASE WHEN i % 10 = 0 THEN (i % 70) * 100000000000000000000
              WHEN i % 10 = 1 THEN (i % 70) / 7.0
              ELSE (i * 7919 % 200)::numeric END,
         CASE WHEN i % 50 = 0 THEN 0
              WHEN i % 10 = 0 THEN 100000000000000000000 + (i % 3)
              WHEN i % 10 = 1 THEN (i % 13 + 1) / 7.0
              ELSE (100 + i * 104729 % 50)::numeric END) AS a
  FROM generate_series(1, 10000) AS i;
ALTER TABLE many ADD COLUMN exact numeric;
UPDATE many SET exact = round(quota.actual(a), 100) / nullif(quota.target(a), 0);
SELECT count(*) AS values, count(DISTINCT a) AS distinct_values,
       count(DISTINCT exact) AS distinct_exact_ratios,
       count(DISTINCT quota.ratio(a)) AS distinct_20_digit_ratios,
       count(*) FILTER (WHERE exact IS NULL) AS without_target FROM many;
SET work_mem = '64kB';
SELECT count(*) AS rank_mismatches FROM (
	SELECT rank() OVER (ORDER BY a DESC) AS by_type,
	       rank() OVER (ORDER BY exact DESC NULLS LAST) AS by_ratio
	  FROM many) AS r
 WHERE by_type <> by_ratio;
SELECT (SELECT array_agg(exact ORDER BY a DESC) FROM many)
     = (SELECT array_agg(exact ORDER BY exact DESC NULLS LAST) FROM many) AS same_order_desc,
       (SELECT array_agg(exact ORDER BY a) FROM many)
     = (SELECT array_agg(exact ORDER BY exact NULLS FIRST) FROM many) AS same_order_asc;
RESET work_mem;
SELECT count(*) AS rank_mismatches_in_memory FROM (
	SELECT rank() OVER (ORDER BY a DESC) AS by_type,
	       rank() OVER (ORDER BY exact DESC NULLS LAST) AS by_ratio
	  FROM many) AS r
 WHERE by_type <> by_ratio;
-- Each pair of neighbours in the order checked by exact cross multiplication.
SELECT count(*) AS misordered_neighbours FROM (
	SELECT a, lead(a) OVER (ORDER BY a DESC) AS b FROM many) AS s
 WHERE b IS NOT NULL
   AND NOT CASE WHEN quota.target(b) = 0 THEN true
                WHEN quota.target(a) = 0 THEN false
                ELSE quota.actual(a) * quota.target(b) >= quota.actual(b) * quota.target(a) END;

--
-- Equality and hashing agree: equal ratios are one group.
--
-- (A group shows the ratio: which of its equal values stands for it is
-- not defined.)
SELECT quota.ratio(a), count(*), array_agg(id ORDER BY id) AS ids
  FROM attainments GROUP BY a ORDER BY a DESC;
SELECT quota.ratio(a) FROM (SELECT DISTINCT a FROM attainments WHERE a IN ('5 of 4', '0 of 0')) AS d
 ORDER BY 1;
SELECT quota.attainment_hash('150 of 120') = quota.attainment_hash('5 of 4') AS hash_equal,
       quota.attainment_hash('5 of 4') = quota.attainment_hash('1.25 of 1') AS decimal_equal,
       quota.attainment_hash_extended('150 of 120', 7) = quota.attainment_hash_extended('10 of 8', 7) AS extended_equal,
       quota.attainment_hash('30 of 0') = quota.attainment_hash('0 of 0') AS no_target_equal,
       quota.attainment_hash('0 of 5') = quota.attainment_hash('0 of 7') AS zero_equal,
       quota.attainment_hash('150 of 120') <> quota.attainment_hash('150 of 121') AS ratio_matters;
SELECT count(*) AS low_bits_mismatches
  FROM many
 WHERE (quota.attainment_hash_extended(a, 0) & 4294967295) <> (quota.attainment_hash(a)::bigint & 4294967295);
-- Grouping by hashing and by sorting finds the same groups.
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT a, count(*) FROM many GROUP BY a;
CREATE TEMP TABLE hashed_groups AS SELECT a, count(*) AS n FROM many GROUP BY a;
RESET enable_sort;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT a, count(*) FROM many GROUP BY a;
CREATE TEMP TABLE sorted_groups AS SELECT a, count(*) AS n FROM many GROUP BY a;
RESET enable_hashagg;
SELECT (SELECT count(*) FROM hashed_groups) AS hashed, (SELECT count(*) FROM sorted_groups) AS sorted,
       (SELECT count(*) FROM (SELECT * FROM hashed_groups EXCEPT SELECT * FROM sorted_groups) AS d) AS differences;

-- A hash join, a merge join, a btree index and a hash index.
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF)
SELECT x.id, y.id FROM attainments x JOIN attainments y ON x.a = y.a WHERE x.id < y.id;
SELECT x.id, y.id, x.a, y.a FROM attainments x JOIN attainments y ON x.a = y.a WHERE x.id < y.id ORDER BY 1, 2;
RESET enable_mergejoin;
SET enable_hashjoin = off;
EXPLAIN (COSTS OFF)
SELECT x.id, y.id FROM attainments x JOIN attainments y ON x.a = y.a WHERE x.id < y.id;
SELECT x.id, y.id FROM attainments x JOIN attainments y ON x.a = y.a WHERE x.id < y.id ORDER BY 1, 2;
RESET enable_hashjoin;
RESET enable_nestloop;

CREATE INDEX attainments_a_btree ON attainments (a);
CREATE INDEX attainments_a_hash ON attainments USING hash (a);
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM attainments WHERE a >= '1 of 1' ORDER BY a DESC;
SELECT id, a FROM attainments WHERE a >= '1 of 1' ORDER BY a DESC, id;
DROP INDEX attainments_a_btree;
EXPLAIN (COSTS OFF) SELECT id FROM attainments WHERE a = '2.5 of 2';
SELECT id, a FROM attainments WHERE a = '2.5 of 2' ORDER BY id;
RESET enable_seqscan;
RESET enable_bitmapscan;

--
-- Binary COPY round trip.
--
CREATE TABLE attainments_copy (id int PRIMARY KEY, a quota.attainment NOT NULL);
\copy attainments TO 'results/attainment_binary.bin' WITH (FORMAT binary)
\copy attainments_copy FROM 'results/attainment_binary.bin' WITH (FORMAT binary)
SELECT count(*) AS copied FROM attainments_copy;
SELECT * FROM attainments EXCEPT SELECT * FROM attainments_copy;
SELECT * FROM attainments_copy EXCEPT SELECT * FROM attainments;
SELECT bool_and(quota.attainment_send(x.a) = quota.attainment_send(y.a)) AS same_bytes
  FROM attainments x JOIN attainments_copy y USING (id);

-- The binary form: version 1, then the actual and the target as numeric_send
-- writes them (digit count, weight, sign, display scale, base-10000 digits).
SELECT quota.attainment_send('150 of 120') AS "150 of 120",
       quota.attainment_send('0.5 of 0') AS "0.5 of 0";

-- Binary input checks every field.  A bytea column's binary COPY is its raw
-- bytes, so crafted values can be fed to attainment_recv through a file.
CREATE TABLE crafted_attainments (id int PRIMARY KEY, bytes bytea NOT NULL, what text NOT NULL);
INSERT INTO crafted_attainments VALUES
	(1, '\x010001000000000002009600010000000000000078', '150 (display scale 2) of 120'),
	(2, '\x020001000000000000009600010000000000000078', 'format version 2'),
	(3, '\x0100000000c000000000010000000000000078', 'NaN of 120'),
	(4, '\x010001000000000000009600000000d0000000', '150 of infinity'),
	(5, '\x010001000040000000000500010000000000000078', '-5 of 120'),
	(6, '\x010001000000000000009600010000400000000078', '150 of -120'),
	(7, '\x01000100000000000000960001000000000000007800', 'a byte after the target'),
	(8, '\x0100010000000000000096', 'no target'),
	(9, '\x01000100000000000000960001000000000000', 'target without its digit'),
	(10, '\x', 'nothing');
CREATE TABLE received_attainments (a quota.attainment);
\copy (SELECT bytes FROM crafted_attainments WHERE id = 1) TO 'results/attainment_recv_1.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted_attainments WHERE id = 2) TO 'results/attainment_recv_2.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted_attainments WHERE id = 3) TO 'results/attainment_recv_3.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted_attainments WHERE id = 4) TO 'results/attainment_recv_4.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted_attainments WHERE id = 5) TO 'results/attainment_recv_5.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted_attainments WHERE id = 6) TO 'results/attainment_recv_6.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted_attainments WHERE id = 7) TO 'results/attainment_recv_7.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted_attainments WHERE id = 8) TO 'results/attainment_recv_8.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted_attainments WHERE id = 9) TO 'results/attainment_recv_9.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted_attainments WHERE id = 10) TO 'results/attainment_recv_10.bin' WITH (FORMAT binary)
-- Accepted, and made canonical like text input.
\copy received_attainments FROM 'results/attainment_recv_1.bin' WITH (FORMAT binary)
SELECT a, quota.attainment_send(a) FROM received_attainments;
-- Rejected.
\copy received_attainments FROM 'results/attainment_recv_2.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/attainment_recv_3.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/attainment_recv_4.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/attainment_recv_5.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/attainment_recv_6.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/attainment_recv_7.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/attainment_recv_8.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/attainment_recv_9.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/attainment_recv_10.bin' WITH (FORMAT binary)
-- The same, showing the SQLSTATEs: all 22P03.
\set VERBOSITY sqlstate
\copy received_attainments FROM 'results/attainment_recv_2.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/attainment_recv_3.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/attainment_recv_4.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/attainment_recv_5.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/attainment_recv_6.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/attainment_recv_7.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/attainment_recv_8.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/attainment_recv_9.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/attainment_recv_10.bin' WITH (FORMAT binary)
\set VERBOSITY default
-- Nothing more was received.
SELECT count(*) AS received FROM received_attainments;

--
-- Aggregates: quota.attain(actual, target) sums actuals and targets,
-- quota.sum(attainment) adds values.  Rows with a NULL are skipped; no rows
-- (or only NULLs) give NULL.
--
CREATE TABLE team_rows (team text, actual numeric, target numeric);
INSERT INTO team_rows VALUES
	('north', 150, 120), ('north', 50, 40), ('north', NULL, 100), ('north', 10, NULL),
	('south', 80, 100), ('south', 0.50, 0.25), ('south', 19.50, 0),
	('east', NULL, 10), ('west', 0, 0);
SELECT team, quota.attain(actual, target), quota.sum(quota.attainment(actual, target)),
       count(*) AS rows
  FROM team_rows GROUP BY team ORDER BY team;
SELECT quota.attain(actual, target) AS all_rows,
       quota.sum(quota.attainment(actual, target)) AS all_values
  FROM team_rows;
SELECT quota.attain(actual, target) AS no_rows, quota.sum(quota.attainment(actual, target)) AS no_values
  FROM team_rows WHERE false;
SELECT pg_typeof(quota.attain(1, 2)), pg_typeof(quota.sum('1 of 2'));
-- Rankings by an aggregate, and running sums as a window aggregate.
SELECT team, quota.attain(actual, target),
       rank() OVER (ORDER BY quota.attain(actual, target) DESC NULLS LAST)
  FROM team_rows GROUP BY team ORDER BY 3, 1;
SELECT team, actual, target,
       quota.attain(actual, target) OVER (PARTITION BY team ORDER BY actual NULLS FIRST, target) AS running
  FROM team_rows ORDER BY team, actual NULLS FIRST, target;
-- Sums that outgrow the room kept for them, and sums of long-form
-- numerics, are exact.
SELECT quota.attain(n, n / 7) = quota.attainment(sum(n), sum(n / 7)) AS same_ratio,
       quota.actual(quota.attain(n, n / 7)) = sum(n) AS actual_exact,
       quota.target(quota.attain(n, n / 7)) = sum(n / 7) AS target_exact,
       length(quota.attain(n, n / 7)::text) AS text_length
  FROM (SELECT 10::numeric ^ (i * 13) + 1 / 3.0 ^ i AS n FROM generate_series(1, 12) AS i) AS s;
SELECT quota.attain(n, 1) FROM (VALUES (round(0.5, 100)), (round(0.25, 70))) AS v(n);
-- An amount that cannot be part of an attainment is an error (22023).
SELECT quota.attain(actual, target) FROM (VALUES (1, 2), (-1, 2)) AS v(actual, target);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT quota.attain(actual, target) FROM (VALUES (1, 2::numeric), (1, 'NaN')) AS v(actual, target);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Outside an aggregate the support functions are plain functions: they
-- return a new canonical value and leave their arguments alone.
SELECT x, quota.attainment_attain_transition(x, 1.50, 2.0) AS attain_step,
       quota.attainment_add(x, x) AS add_step,
       quota.attainment_final('3.00 of 4.0') AS final, x AS x_after
  FROM (VALUES ('1 of 2'::quota.attainment)) AS v(x);
SELECT quota.attainment_attain_transition(NULL, 1, 2) AS first_row,
       quota.attainment_attain_transition(NULL, NULL, 2) AS skipped,
       quota.attainment_attain_transition('1 of 2', 1, NULL) AS kept;
-- The aggregates' declarations.
SELECT aggfnoid::regprocedure, aggtransfn, aggfinalfn, aggcombinefn, aggtranstype::regtype,
       p.proparallel, t.proisstrict AS transition_strict, c.proisstrict AS combine_strict
  FROM pg_aggregate
  JOIN pg_proc p ON p.oid = aggfnoid
  JOIN pg_proc t ON t.oid = aggtransfn
  JOIN pg_proc c ON c.oid = aggcombinefn
 WHERE aggfnoid IN ('quota.attain(numeric, numeric)'::regprocedure, 'quota.sum(quota.attainment)'::regprocedure)
 ORDER BY 1::text;

--
-- An analyst's own tables, without the extension's: attainment, shortfall
-- and rankings per rep and month from quota.attain and quota.period_start.
-- The reps work on Helsinki time: a call at 22:30 UTC on 31 October is at
-- 00:30 on 1 November there, and counts in November.
--
CREATE TABLE calls (rep text, at timestamptz, n int);
CREATE TABLE targets (rep text, month date, n numeric);
INSERT INTO calls VALUES
	('ana', '2024-10-31 21:30+00', 5),
	('ana', '2024-10-31 22:30+00', 10),
	('ana', '2024-11-12 09:00+00', 90),
	('ana', '2024-11-28 15:00+00', 50),
	('ben', '2024-11-05 10:00+00', 20),
	('ben', '2024-11-20 10:00+00', 30),
	('cho', '2024-11-07 08:00+00', 80),
	('cho', '2024-11-30 22:30+00', 7),
	('dev', '2024-11-15 12:00+00', 30),
	('eve', '2024-11-18 12:00+00', 45),
	('eve', '2024-11-19 12:00+00', NULL);
INSERT INTO targets VALUES
	('ana', '2024-11-01', 120), ('ben', '2024-11-01', 40), ('cho', '2024-11-01', 100),
	('eve', '2024-11-01', 60), ('ana', '2024-12-01', 120);
-- Calls and targets meet as rows of one kind: a call has target 0, a target
-- has actual 0.
SELECT rep, to_char(month, 'YYYY-MM') AS month, attainment, quota.ratio(attainment), quota.shortfall(attainment),
       quota.surplus(attainment), quota.met(attainment),
       rank() OVER (PARTITION BY month ORDER BY attainment DESC)
  FROM (SELECT rep, month, quota.attain(actual, target) AS attainment
          FROM (SELECT rep, quota.period_start('month', at, 'Europe/Helsinki') AS month,
                       n AS actual, 0 AS target
                  FROM calls
                UNION ALL
                SELECT rep, month, 0, n FROM targets) AS activity
         GROUP BY rep, month) AS by_rep
 ORDER BY by_rep.month, rank, rep;
-- The team for November: the reps' attainments added up.
SELECT quota.sum(attainment) AS team, quota.ratio(quota.sum(attainment)),
       quota.shortfall(quota.sum(attainment)), quota.surplus(quota.sum(attainment))
  FROM (SELECT rep, quota.attain(actual, target) AS attainment
          FROM (SELECT rep, quota.period_start('month', at, 'Europe/Helsinki') AS month,
                       n AS actual, 0 AS target
                  FROM calls
                UNION ALL
                SELECT rep, month, 0, n FROM targets) AS activity
         WHERE month = '2024-11-01'
         GROUP BY rep) AS by_rep;

--
-- Parallel aggregation: partial sums are combined; the result equals the
-- serial one.
--
CREATE TABLE parallel_rows AS
SELECT i % 7 AS team, (i % 1000) / 100.0 AS actual, (i % 37 + 1)::numeric AS target
  FROM generate_series(1, 200000) AS i;
INSERT INTO parallel_rows VALUES (0, NULL, 5), (1, 5, NULL), (2, 123456789012345678901234567890, 0.001);
ANALYZE parallel_rows;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT quota.attain(actual, target), quota.sum(quota.attainment(actual, target)) FROM parallel_rows;
SELECT quota.attain(actual, target) AS attain_1, quota.sum(quota.attainment(actual, target)) AS sum_1
  FROM parallel_rows \gset
EXPLAIN (COSTS OFF)
SELECT string_agg(team || ': ' || attain || ', ' || sum, '; ' ORDER BY team) AS groups_1
  FROM (SELECT team, quota.attain(actual, target) AS attain, quota.sum(quota.attainment(actual, target)) AS sum
          FROM parallel_rows GROUP BY team) AS g;
SELECT string_agg(team || ': ' || attain || ', ' || sum, '; ' ORDER BY team) AS groups_1
  FROM (SELECT team, quota.attain(actual, target) AS attain, quota.sum(quota.attainment(actual, target)) AS sum
          FROM parallel_rows GROUP BY team) AS g \gset
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF)
SELECT string_agg(team || ': ' || attain || ', ' || sum, '; ' ORDER BY team) AS groups_1
  FROM (SELECT team, quota.attain(actual, target) AS attain, quota.sum(quota.attainment(actual, target)) AS sum
          FROM parallel_rows GROUP BY team) AS g;
SELECT a1, a2, a1 = a2 AND quota.actual(a1) = quota.actual(a2) AND quota.target(a1) = quota.target(a2) AS attain_same,
       s1 = s2 AND quota.actual(s1) = quota.actual(s2) AND quota.target(s1) = quota.target(s2) AS sum_same
  FROM (SELECT :'attain_1'::quota.attainment AS a1, quota.attain(actual, target) AS a2,
               :'sum_1'::quota.attainment AS s1, quota.sum(quota.attainment(actual, target)) AS s2
          FROM parallel_rows) AS r;
SELECT string_agg(team || ': ' || attain || ', ' || sum, '; ' ORDER BY team) = :'groups_1' AS groups_same
  FROM (SELECT team, quota.attain(actual, target) AS attain, quota.sum(quota.attainment(actual, target)) AS sum
          FROM parallel_rows GROUP BY team) AS g;
-- The sums by team, checked against sum().
SELECT team, quota.attain(actual, target),
       quota.actual(quota.attain(actual, target)) = sum(actual) FILTER (WHERE target IS NOT NULL)
   AND quota.target(quota.attain(actual, target)) = sum(target) FILTER (WHERE actual IS NOT NULL) AS sums_agree
  FROM parallel_rows GROUP BY team ORDER BY team;
RESET max_parallel_workers_per_gather;

--
-- Every function, operator, aggregate and cast of the type is commented.
--
SELECT p.oid::regprocedure AS uncommented
  FROM pg_proc p
 WHERE p.pronamespace = 'quota'::regnamespace
   AND (p.prorettype = 'quota.attainment'::regtype OR 'quota.attainment'::regtype = ANY (p.proargtypes))
   AND obj_description(p.oid, 'pg_proc') IS NULL;
SELECT o.oid::regoperator AS uncommented
  FROM pg_operator o
 WHERE o.oprleft = 'quota.attainment'::regtype AND obj_description(o.oid, 'pg_operator') IS NULL;
SELECT obj_description('quota.attainment'::regtype, 'pg_type') IS NOT NULL AS type_commented,
       (SELECT obj_description(oid, 'pg_cast') IS NOT NULL FROM pg_cast
         WHERE castsource = 'quota.attainment'::regtype) AS cast_commented;

DROP TABLE many, parallel_rows, calls, targets, team_rows, crafted_attainments,
	received_attainments, attainments, attainments_copy;
