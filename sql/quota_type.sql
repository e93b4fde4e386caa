-- quota_type: the quota.quota type, amount/unit.

-- The operators live in schema quota, as users will find them.
SET search_path = public, quota;

-- Reports what casting a text to quota.quota gives: the value, or the
-- SQLSTATE and detail of the error.
CREATE FUNCTION pg_temp.try_quota(input text,
	OUT value text, OUT error_code text, OUT error_detail text)
LANGUAGE plpgsql AS $$
BEGIN
	value := input::quota.quota::text;
EXCEPTION WHEN others THEN
	GET STACKED DIAGNOSTICS error_code = RETURNED_SQLSTATE,
		error_detail = PG_EXCEPTION_DETAIL;
END
$$;

--
-- Valid forms: every unit, case and blanks do not matter; output is canonical.
-- Leading zeros and trailing fractional zeros do not count toward the digit
-- limits (15 before the point, 4 after): they do not change the value.
--
SELECT input, q, q::text::quota.quota = q AS round_trip
  FROM (VALUES ('150/month'), ('250/week'), ('50000.50/quarter'), ('12/year'),
               ('10/day'), ('3/half'), (' 150 / Month '), (E'\t7\n/\tDAY\n'),
               ('0/year'), ('0.0000/week'), ('00042.1000/Quarter'),
               ('0.0001/day'), ('999999999999999.9999/half'),
               ('0000000000000000001/month'), ('150.00000/month')) AS v(input),
       LATERAL (SELECT input::quota.quota AS q) AS c;

-- Trailing fractional zeros are trimmed, so these are equal and print alike.
SELECT '150.00/month'::quota.quota = '150/month'::quota.quota AS equal,
       '150.00/month'::quota.quota AS trimmed,
       quota.quota_send('150.00/month') = quota.quota_send('150/month') AS same_bytes;

--
-- Malformed text is 22P02, too many integer digits 22003.
--
SELECT input, t.*
  FROM (VALUES ('150'), ('150/fortnight'), ('-5/month'), ('+5/month'),
               ('/month'), ('abc'), ('150/'), ('1.2.3/month'),
               ('150/month/x'), ('150/month x'), ('NaN/month'),
               ('Infinity/month'), ('1e3/month'), ('150./month'),
               ('.5/month'), ('1 50/month'), (''), ('   '),
               ('150.00001/month'), ('1.23456/week'),
               ('1000000000000000/month')) AS v(input),
       LATERAL pg_temp.try_quota(input) AS t;
-- A very long amount is out of range too (its thousand nines shortened here).
SELECT value, error_code, replace(error_detail, repeat('9', 1000), '9...9') AS error_detail
  FROM pg_temp.try_quota(repeat('9', 1000) || '/month');

-- The full messages.
SELECT '150/fortnight'::quota.quota;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT '1.23456/week'::quota.quota;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT '1000000000000000/month'::quota.quota;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

--
-- Accessors.
--
SELECT quota.amount(q), pg_typeof(quota.amount(q)) AS amount_type,
       quota.unit(q), pg_typeof(quota.unit(q)) AS unit_type
  FROM (VALUES ('50000.50/quarter'::quota.quota), ('0/day'), (' 3 / HALF ')) AS v(q);

--
-- Ordering: by unit (day, week, month, quarter, half, year), then amount.
--
CREATE TABLE quotas (id int PRIMARY KEY, q quota.quota NOT NULL);
INSERT INTO quotas VALUES
	(1, '150/month'), (2, '10/day'), (3, '12/year'), (4, '250/week'),
	(5, '3/half'), (6, '50000.5/quarter'), (7, '150.0/month'), (8, '9.99/day'),
	(9, '1000/day'), (10, '0/year'), (11, '149.9999/month'), (12, '20/quarter');
SELECT id, q FROM quotas ORDER BY q, id;
SELECT id, q FROM quotas ORDER BY q DESC, id;

SELECT a::text, b::text,
       a < b AS lt, a <= b AS le, a = b AS eq, a <> b AS ne, a >= b AS ge, a > b AS gt,
       quota.quota_cmp(a, b) AS cmp
  FROM (VALUES ('10/day'::quota.quota, '1/week'::quota.quota),
               ('1/week', '10/day'),
               ('150/month', '150.00/month'),
               ('149.9999/month', '150/month'),
               ('1000000/month', '1/quarter'),
               ('0/year', '999999999999999.9999/half')) AS v(a, b);


--
-- Equality and hashing agree: 150/month and 150.0/month are one value.
--
SELECT q, count(*) FROM quotas GROUP BY q ORDER BY q;
SELECT DISTINCT q FROM quotas WHERE quota.unit(q) = 'month' ORDER BY q;
SELECT count(DISTINCT q) AS distinct_quotas, count(*) AS rows FROM quotas;

-- Hash and extended hash agree for equal values; the extended hash with
-- seed 0 has the same low 32 bits as the plain hash.
SELECT quota.quota_hash('150/month') = quota.quota_hash('150.0000/month') AS hash_equal,
       quota.quota_hash_extended('150/month', 7) = quota.quota_hash_extended('150.0/month', 7) AS extended_equal,
       quota.quota_hash('150/month') <> quota.quota_hash('150/week') AS unit_matters;
SELECT count(*) AS low_bits_mismatches
  FROM quotas
 WHERE (quota.quota_hash_extended(q, 0) & 4294967295) <> (quota.quota_hash(q)::bigint & 4294967295);

-- A hash aggregate and a hash join.
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT q, count(*) FROM quotas GROUP BY q;
SELECT q, count(*) FROM quotas GROUP BY q ORDER BY q;
RESET enable_sort;

SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF)
SELECT a.id, b.id FROM quotas a JOIN quotas b ON a.q = b.q WHERE a.id < b.id;
SELECT a.id, b.id, a.q, b.q FROM quotas a JOIN quotas b ON a.q = b.q WHERE a.id < b.id;
RESET enable_mergejoin;
RESET enable_nestloop;

-- A merge join.
SET enable_hashjoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF)
SELECT a.id, b.id FROM quotas a JOIN quotas b ON a.q = b.q WHERE a.id < b.id;
SELECT a.id, b.id FROM quotas a JOIN quotas b ON a.q = b.q WHERE a.id < b.id;
RESET enable_hashjoin;
RESET enable_nestloop;

-- A btree index and a hash index.
CREATE INDEX quotas_q_btree ON quotas (q);
CREATE INDEX quotas_q_hash ON quotas USING hash (q);
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM quotas WHERE q >= '150/month' AND q < '1/quarter';
SELECT id, q FROM quotas WHERE q >= '150/month' AND q < '1/quarter' ORDER BY id;
DROP INDEX quotas_q_btree;
EXPLAIN (COSTS OFF) SELECT id FROM quotas WHERE q = '150.000/month';
SELECT id, q FROM quotas WHERE q = '150.000/month' ORDER BY id;
RESET enable_seqscan;
RESET enable_bitmapscan;

--
-- Scaling by a numeric, either side: rounded half away from zero to 4 places.
--
SELECT q, f, q * f AS scaled, f * q AS commuted
  FROM (VALUES ('150/month'::quota.quota, 1.1),
               ('150/month', 0),
               ('250/week', 0.5),
               ('3/half', 1.00005),
               ('0.0001/day', 0.5),
               ('0.0001/day', 0.49999),
               ('0.0003/day', 0.5),
               ('50000.5/quarter', 2),
               ('999999999999999.9999/year', 1)) AS v(q, f);
SELECT '150/month'::quota.quota * -1;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT 'NaN'::numeric * '150/month'::quota.quota;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT '150/month'::quota.quota * 'Infinity'::numeric;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT '999999999999999.9999/year'::quota.quota * 1.00001;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- The product is rounded before the range check: this rounds back down.
SELECT '999999999999999.9999/year'::quota.quota * 1.00000000000000000001;

--
-- Binary COPY round trip.
--
CREATE TABLE quotas_copy (id int PRIMARY KEY, q quota.quota NOT NULL);
\copy quotas TO 'results/quota_binary.bin' WITH (FORMAT binary)
\copy quotas_copy FROM 'results/quota_binary.bin' WITH (FORMAT binary)
SELECT count(*) AS copied FROM quotas_copy;
SELECT * FROM quotas EXCEPT SELECT * FROM quotas_copy;
SELECT * FROM quotas_copy EXCEPT SELECT * FROM quotas;
SELECT bool_and(quota.quota_send(a.q) = quota.quota_send(b.q)) AS same_bytes
  FROM quotas a JOIN quotas_copy b USING (id);

-- The binary form: version 1, the unit byte, then the numeric.
SELECT quota.quota_send('150/month') AS month_150,
       quota.quota_send('0.5/year') AS year_half;

-- Binary input checks every field.  A bytea column's binary COPY is its raw
-- bytes, so crafted values can be fed to quota_recv through a file.
CREATE TABLE crafted (id int PRIMARY KEY, bytes bytea NOT NULL, what text NOT NULL);
INSERT INTO crafted VALUES
	(1, '\x010200010000000000020096', '150 with display scale 2, month'),
	(2, '\x020200010000000000000096', 'format version 2'),
	(3, '\x010600010000000000000096', 'unit 6'),
	(4, '\x010200000000c0000000', 'NaN'),
	(5, '\x010200000000d0000000', 'infinity'),
	(6, '\x010200010000400000000005', '-5'),
	(7, '\x0102000100030000000003e8', '10^15'),
	(8, '\x01020001fffe0000000503e8', '0.00001'),
	(9, '\x01020001000000000000009600', 'trailing byte'),
	(10, '\x01020000000040000002', 'negative zero with display scale 2');
CREATE TABLE received (q quota.quota);
\copy (SELECT bytes FROM crafted WHERE id = 1) TO 'results/quota_recv_1.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 2) TO 'results/quota_recv_2.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 3) TO 'results/quota_recv_3.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 4) TO 'results/quota_recv_4.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 5) TO 'results/quota_recv_5.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 6) TO 'results/quota_recv_6.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 7) TO 'results/quota_recv_7.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 8) TO 'results/quota_recv_8.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 9) TO 'results/quota_recv_9.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 10) TO 'results/quota_recv_10.bin' WITH (FORMAT binary)
-- Accepted, and normalized like text input.
\copy received FROM 'results/quota_recv_1.bin' WITH (FORMAT binary)
\copy received FROM 'results/quota_recv_10.bin' WITH (FORMAT binary)
SELECT q, quota.quota_send(q) FROM received ORDER BY q;
-- Rejected.
\copy received FROM 'results/quota_recv_2.bin' WITH (FORMAT binary)
\copy received FROM 'results/quota_recv_3.bin' WITH (FORMAT binary)
\copy received FROM 'results/quota_recv_4.bin' WITH (FORMAT binary)
\copy received FROM 'results/quota_recv_5.bin' WITH (FORMAT binary)
\copy received FROM 'results/quota_recv_6.bin' WITH (FORMAT binary)
\copy received FROM 'results/quota_recv_7.bin' WITH (FORMAT binary)
\copy received FROM 'results/quota_recv_8.bin' WITH (FORMAT binary)
\copy received FROM 'results/quota_recv_9.bin' WITH (FORMAT binary)
-- The same, showing the SQLSTATEs: all 22P03.
\set VERBOSITY sqlstate
\copy received FROM 'results/quota_recv_2.bin' WITH (FORMAT binary)
\copy received FROM 'results/quota_recv_3.bin' WITH (FORMAT binary)
\copy received FROM 'results/quota_recv_4.bin' WITH (FORMAT binary)
\copy received FROM 'results/quota_recv_5.bin' WITH (FORMAT binary)
\copy received FROM 'results/quota_recv_6.bin' WITH (FORMAT binary)
\copy received FROM 'results/quota_recv_7.bin' WITH (FORMAT binary)
\copy received FROM 'results/quota_recv_8.bin' WITH (FORMAT binary)
\copy received FROM 'results/quota_recv_9.bin' WITH (FORMAT binary)
\set VERBOSITY default
-- Nothing more was received.
SELECT count(*) AS received FROM received;
