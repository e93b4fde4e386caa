-- bad_input: every input path of the extension fed bad values.  Text and
-- binary input of both types, every SQL function argument, the settings,
-- and every constraint of the tables.  Each bad value must give its
-- SQLSTATE and a message in PostgreSQL's style, and no failing write may
-- leave anything behind.
--
-- Where psql cannot show the SQLSTATE of an error (COPY) or a message
-- would only repeat the one before, the statement runs again with
-- VERBOSITY sqlstate, and its line shows only "ERROR:  <SQLSTATE>".
--
-- In a database of its own, so that sequences (activity ids appear in
-- messages), closed periods and the rows of other tests change nothing here.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS regress_quota_bad_input;
CREATE DATABASE regress_quota_bad_input TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C';
RESET client_min_messages;
\c regress_quota_bad_input
SET datestyle = 'ISO, YMD';
SET TimeZone = 'UTC';

--
-- Settings, in a session that has not loaded the library yet.  PostgreSQL
-- keeps quota.* settings as unchecked placeholders until the library is
-- loaded; loading it (the first call of a function of the extension) turns
-- bad values into warnings and drops them, so this query runs with the
-- defaults.
--
SET quota.fiscal_year_start = 13;
SET quota.week_start = 'funday';
SET quota.colour = 'blue';
SET client_min_messages = warning;
CREATE EXTENSION quota_ext CASCADE;
RESET client_min_messages;
SHOW quota.fiscal_year_start;
SHOW quota.week_start;
SELECT current_setting('quota.colour', true) IS NULL AS colour_dropped;
RESET ALL;
SET datestyle = 'ISO, YMD';
SET TimeZone = 'UTC';

-- What a query gives: its one value as text, or the SQLSTATE, message,
-- detail and hint of its error.
CREATE FUNCTION pg_temp.try(query text,
	OUT result text, OUT state text, OUT message text, OUT detail text, OUT hint text)
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query INTO result;
	state := '00000';
EXCEPTION WHEN others THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
		detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
END
$$;

--
-- Settings, once the library is loaded: bad values are errors.
--
SELECT setting, value, t.state, t.message, t.hint
  FROM (VALUES ('quota.fiscal_year_start', '0'), ('quota.fiscal_year_start', '13'),
               ('quota.fiscal_year_start', '-1'), ('quota.fiscal_year_start', 'april'),
               ('quota.fiscal_year_start', ''), ('quota.fiscal_year_start', '99999999999'),
               ('quota.week_start', 'funday'), ('quota.week_start', ''),
               ('quota.week_start', '8'), ('quota.week_start', 'mon'),
               ('quota.future_tolerance', '-1'), ('quota.future_tolerance', '1 fortnight'),
               ('quota.future_tolerance', '1 week'), ('quota.future_tolerance', 'infinity'),
               ('quota.future_tolerance', '2147483648'), ('quota.future_tolerance', '100000 d'),
               ('quota.score_cap', '-1'), ('quota.score_cap', '-0.001'),
               ('quota.score_cap', '1000.001'), ('quota.score_cap', 'NaN'),
               ('quota.score_cap', 'Infinity'), ('quota.score_cap', '1e400'),
               ('quota.score_cap', 'x'), ('quota.colour', 'blue')) AS v(setting, value),
       LATERAL pg_temp.try(format('SELECT set_config(%L, %L, false)', setting, value)) AS t;
-- Valid values are accepted whatever their case, units or spelling.
SELECT setting, value, t.result, t.state
  FROM (VALUES ('quota.fiscal_year_start', '12'), ('quota.fiscal_year_start', ' 4 '),
               ('quota.week_start', 'SUNDAY'), ('quota.future_tolerance', '90min'),
               ('quota.future_tolerance', '0'), ('quota.score_cap', '0'),
               ('quota.score_cap', '1000')) AS v(setting, value),
       LATERAL pg_temp.try(format('SELECT set_config(%L, %L, false)', setting, value)) AS t;
RESET ALL;
SET datestyle = 'ISO, YMD';
SET TimeZone = 'UTC';
-- The full messages.
SET quota.fiscal_year_start = 13;
\echo SQLSTATE :SQLSTATE
SET quota.week_start = 'funday';
\echo SQLSTATE :SQLSTATE
SET quota.colour = 'blue';
\echo SQLSTATE :SQLSTATE

--
-- quota.quota text input: malformed text is 22P02, too many digits before
-- the point 22003; every message quotes the input.
--
CREATE TEMP TABLE quota_inputs (input text PRIMARY KEY);
INSERT INTO quota_inputs VALUES
	-- empty, blank, truncated
	(''), ('   '), (E'\t\n'), ('1'), ('150'), ('150/'), ('150 / '), ('/month'), ('/'),
	('150/mon'), ('150/m'), ('150.'), ('150./month'), ('.5/month'),
	-- not numbers
	('NaN/month'), ('nan/month'), ('Infinity/month'), ('-Infinity/month'),
	('inf/month'), ('abc'), ('0x10/month'), ('1,5/month'), ('1_000/month'),
	-- signs, -0
	('-0/month'), ('+0/month'), ('-5/month'), ('+5/month'), ('- 5/month'),
	-- exponents, huge and small
	('1e3/month'), ('1E3/month'), ('1e400/month'), ('1e-400/month'), ('1.5e-3/month'),
	-- too many digits
	('1000000000000000/month'), ('1000000000000000.0001/month'),
	('0.00001/month'), ('150.00001/month'), ('1.23456/week'),
	-- trailing junk
	('150/month/week'), ('150/month x'), ('150/month.'), ('150 month'),
	('1 50/month'), ('1.2.3/month'), ('150/fortnight'), ('150/months'),
	-- unicode
	('１５０/month'), ('٣/month'), ('🙂/month'), ('150/mönth'), ('150/月'),
	('150/month€'), ('150/month €'), ('150€/month'), (E'150\u00a0/month'),
	(E'\u2003150/month');
SELECT to_json(input) AS input, t.result, t.state, t.detail
  FROM quota_inputs, LATERAL pg_temp.try(format('SELECT %L::quota.quota', input)) AS t
 ORDER BY t.state, input;
-- Every 22P02 message quotes the input, and every error has a hint.
SELECT t.state, t.message = format('invalid input syntax for type quota: "%s"', input) AS quotes_input,
       t.hint, count(*)
  FROM quota_inputs, LATERAL pg_temp.try(format('SELECT %L::quota.quota', input)) AS t
 WHERE t.state <> '00000'
 GROUP BY 1, 2, 3 ORDER BY 1, 2;
-- Oversized digit strings (shown by their length): a thousand nines is out
-- of range; leading zeros and trailing fractional zeros do not count toward
-- the limits, however many there are.
SELECT length(input) AS input_length, t.result, t.state, t.message
  FROM (VALUES (repeat('9', 1000) || '/month'),
               (repeat('0', 100000) || '1/month'),
               ('1.' || repeat('0', 100) || '/month')) AS v(input),
       LATERAL pg_temp.try(format('SELECT %L::quota.quota', input)) AS t;
-- Known limit: more fraction digits than numeric holds (16383), even zeros,
-- overflow numeric's own input (22003) before they can be trimmed.
SELECT ('1.' || repeat('0', 20000) || '/month')::quota.quota AS twenty_thousand_trailing_zeros;
-- An array or a record takes the error of its element.
SELECT '{150/month,3/fortnight}'::quota.quota[];
\echo SQLSTATE :SQLSTATE
SELECT ROW('150/month'::quota.quota, '150/'::quota.quota);
\echo SQLSTATE :SQLSTATE
-- NULL is NULL.
SELECT NULL::quota.quota IS NULL AS is_null, quota.amount(NULL) IS NULL AS amount,
       quota.unit(NULL) IS NULL AS unit;
-- The full messages.
SELECT ''::quota.quota;
\echo SQLSTATE :SQLSTATE
SELECT '150/month x'::quota.quota;
\echo SQLSTATE :SQLSTATE
SELECT '1e400/month'::quota.quota;
\echo SQLSTATE :SQLSTATE
SELECT '１５０/month'::quota.quota;
\echo SQLSTATE :SQLSTATE
SELECT '1000000000000000/month'::quota.quota;
\echo SQLSTATE :SQLSTATE

--
-- quota.attainment text input: malformed text is 22P02.
--
CREATE TEMP TABLE attainment_inputs (input text PRIMARY KEY);
INSERT INTO attainment_inputs VALUES
	-- empty, blank, truncated
	(''), ('   '), (E'\t\n'), ('150'), ('150 of'), ('150 of '), ('of 120'), ('of'),
	('150 o'), ('150 120'), ('150. of 120'), ('150 of 120.'), ('.5 of 1'),
	-- not numbers
	('NaN of 120'), ('150 of NaN'), ('Infinity of 1'), ('1 of infinity'), ('1 of inf'),
	('-Infinity of 1'), ('abc of 120'), ('0x10 of 1'), ('1,5 of 2'), ('1_000 of 2'),
	-- signs, -0
	('-0 of 1'), ('+0 of 1'), ('-150 of 120'), ('150 of -120'), ('1 of +2'),
	-- exponents
	('1e3 of 1'), ('1 of 1E3'), ('1e400 of 1'), ('1 of 1e-400'),
	-- trailing junk
	('150 of 120 of 3'), ('150 of 120 x'), ('150 off 120'), ('150 ofx 120'),
	('150 / 120'), ('1.2.3 of 4'), ('1 of 2.3.4'), ('150 of 120;'),
	-- unicode
	('１ of 2'), ('1 ｏｆ 2'), ('1 of ２'), ('1 de 2'), ('1 of 2 €'), ('€1 of 2'),
	(E'1\u00a0of 2'), ('🙂 of 1');
SELECT to_json(input) AS input, t.result, t.state, t.detail
  FROM attainment_inputs, LATERAL pg_temp.try(format('SELECT %L::quota.attainment', input)) AS t
 ORDER BY t.state, input;
SELECT t.state, t.message = format('invalid input syntax for type attainment: "%s"', input) AS quotes_input,
       t.hint, count(*)
  FROM attainment_inputs, LATERAL pg_temp.try(format('SELECT %L::quota.attainment', input)) AS t
 WHERE t.state <> '00000'
 GROUP BY 1, 2, 3 ORDER BY 1, 2;
-- Oversized digit strings (shown by their length): numeric's own limits,
-- 131072 digits before the point and 16383 after it.
SELECT length(input) AS input_length, left(t.result, 12) AS result, t.state, t.message
  FROM (VALUES ('1' || repeat('0', 131071) || ' of 1'),
               ('1' || repeat('0', 131072) || ' of 1'),
               ('1 of 0.' || repeat('0', 16382) || '1'),
               ('1 of 0.' || repeat('0', 16383) || '1'),
               (repeat('0', 200000) || '7 of 1')) AS v(input),
       LATERAL pg_temp.try(format('SELECT %L::quota.attainment', input)) AS t;
SELECT NULL::quota.attainment IS NULL AS is_null;
-- The full messages.
SELECT ''::quota.attainment;
\echo SQLSTATE :SQLSTATE
SELECT '150 of 120 x'::quota.attainment;
\echo SQLSTATE :SQLSTATE
SELECT 'NaN of 120'::quota.attainment;
\echo SQLSTATE :SQLSTATE
SELECT '1 ｏｆ 2'::quota.attainment;
\echo SQLSTATE :SQLSTATE

--
-- Binary input.  A bytea column's binary COPY is its raw bytes, so crafted
-- values reach quota_recv and attainment_recv through a file.  Every bad
-- value is 22P03 (invalid_binary_representation), including a value cut
-- short anywhere.
--
CREATE TEMP TABLE crafted (id int PRIMARY KEY, bytes bytea NOT NULL, what text NOT NULL);
INSERT INTO crafted VALUES
	-- quota: version, unit, then numeric_send's ndigits, weight, sign, dscale, digits
	(1, '\x010200010000000000000096', '150/month'),
	(2, '\x', 'nothing'),
	(3, '\x01', 'the version only'),
	(4, '\x0102', 'version and unit, no amount'),
	(5, '\x010200010000', 'amount cut inside its header'),
	(6, '\x01020002000000000000009600', 'amount of 2 digits cut after 1 and a half'),
	(7, '\x0102ffff000000000000', '65535 digits announced, none sent'),
	(8, '\x000200010000000000000096', 'format version 0'),
	(9, '\xff0200010000000000000096', 'format version 255'),
	(10, '\x01ff00010000000000000096', 'unit 255'),
	(11, '\x010200010000400000000096', '-150'),
	(12, '\x010200000000c0000000', 'NaN'),
	(13, '\x010200000000f0000000', '-Infinity'),
	(14, '\x01020001000000000000270f00', 'a byte after the amount'),
	(15, '\x010200010000000000002710', 'digit 10000'),
	(16, '\x010200010000123400000096', 'sign 0x1234'),
	(17, '\x0102000100000000ffff0096', 'display scale 65535'),
	(18, '\x01020001000400000000000a', '10^17'),
	(19, '\x01020001fffe000000060064', '0.000001'),
	(20, '\x010200017fff00000000000a', 'weight 32767');
CREATE TEMP TABLE received (q quota.quota);
\copy (SELECT bytes FROM crafted WHERE id = 1) TO 'results/bad_input_quota_1.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 2) TO 'results/bad_input_quota_2.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 3) TO 'results/bad_input_quota_3.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 4) TO 'results/bad_input_quota_4.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 5) TO 'results/bad_input_quota_5.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 6) TO 'results/bad_input_quota_6.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 7) TO 'results/bad_input_quota_7.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 8) TO 'results/bad_input_quota_8.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 9) TO 'results/bad_input_quota_9.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 10) TO 'results/bad_input_quota_10.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 11) TO 'results/bad_input_quota_11.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 12) TO 'results/bad_input_quota_12.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 13) TO 'results/bad_input_quota_13.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 14) TO 'results/bad_input_quota_14.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 15) TO 'results/bad_input_quota_15.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 16) TO 'results/bad_input_quota_16.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 17) TO 'results/bad_input_quota_17.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 18) TO 'results/bad_input_quota_18.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 19) TO 'results/bad_input_quota_19.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted WHERE id = 20) TO 'results/bad_input_quota_20.bin' WITH (FORMAT binary)
-- The crafted value that is right is received.
\copy received FROM 'results/bad_input_quota_1.bin' WITH (FORMAT binary)
SELECT q FROM received;
-- The others, with their messages.
\copy received FROM 'results/bad_input_quota_4.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_5.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_6.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_8.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_9.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_10.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_11.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_12.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_13.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_14.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_15.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_16.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_17.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_18.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_19.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_20.bin' WITH (FORMAT binary)
-- Every one, with its SQLSTATE (2 to 7: a value cut short).
\set VERBOSITY sqlstate
\copy received FROM 'results/bad_input_quota_2.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_3.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_4.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_5.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_6.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_7.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_8.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_9.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_10.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_11.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_12.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_13.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_14.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_15.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_16.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_17.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_18.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_19.bin' WITH (FORMAT binary)
\copy received FROM 'results/bad_input_quota_20.bin' WITH (FORMAT binary)
\set VERBOSITY default
-- Nothing more was received.
SELECT count(*) AS received FROM received;

CREATE TEMP TABLE crafted_attainments (id int PRIMARY KEY, bytes bytea NOT NULL, what text NOT NULL);
INSERT INTO crafted_attainments VALUES
	-- attainment: version, then actual and target as numeric_send writes them
	(1, '\x010001000000000000009600010000000000000078', '150 of 120'),
	(2, '\x01ffff000000000000', 'actual of 65535 digits announced, none sent'),
	(3, '\x018000000000000000', 'actual of 32768 digits announced, none sent'),
	(4, '\x010001000000000000009600020000000000000078', 'target of 2 digits, 1 sent'),
	(5, '\x0100', 'actual cut inside its header'),
	(6, '\x000001000000000000009600010000000000000078', 'format version 0'),
	(7, '\xff0001000000000000009600010000000000000078', 'format version 255'),
	(8, '\x010001000000000000271000010000000000000078', 'actual digit 10000'),
	(9, '\x010001000012340000009600010000000000000078', 'actual sign 0x1234'),
	(10, '\x0100000000f000000000010000000000000078', '-Infinity of 120'),
	(11, '\x010001000000000000009600010000000000000078ffff', 'two bytes after the target');
CREATE TEMP TABLE received_attainments (a quota.attainment);
\copy (SELECT bytes FROM crafted_attainments WHERE id = 1) TO 'results/bad_input_attainment_1.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted_attainments WHERE id = 2) TO 'results/bad_input_attainment_2.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted_attainments WHERE id = 3) TO 'results/bad_input_attainment_3.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted_attainments WHERE id = 4) TO 'results/bad_input_attainment_4.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted_attainments WHERE id = 5) TO 'results/bad_input_attainment_5.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted_attainments WHERE id = 6) TO 'results/bad_input_attainment_6.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted_attainments WHERE id = 7) TO 'results/bad_input_attainment_7.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted_attainments WHERE id = 8) TO 'results/bad_input_attainment_8.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted_attainments WHERE id = 9) TO 'results/bad_input_attainment_9.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted_attainments WHERE id = 10) TO 'results/bad_input_attainment_10.bin' WITH (FORMAT binary)
\copy (SELECT bytes FROM crafted_attainments WHERE id = 11) TO 'results/bad_input_attainment_11.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/bad_input_attainment_1.bin' WITH (FORMAT binary)
SELECT a FROM received_attainments;
-- The others, with their messages.
\copy received_attainments FROM 'results/bad_input_attainment_4.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/bad_input_attainment_5.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/bad_input_attainment_6.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/bad_input_attainment_7.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/bad_input_attainment_8.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/bad_input_attainment_9.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/bad_input_attainment_10.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/bad_input_attainment_11.bin' WITH (FORMAT binary)
-- Every one, with its SQLSTATE (2 and 3: a value cut short).
\set VERBOSITY sqlstate
\copy received_attainments FROM 'results/bad_input_attainment_2.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/bad_input_attainment_3.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/bad_input_attainment_4.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/bad_input_attainment_5.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/bad_input_attainment_6.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/bad_input_attainment_7.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/bad_input_attainment_8.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/bad_input_attainment_9.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/bad_input_attainment_10.bin' WITH (FORMAT binary)
\copy received_attainments FROM 'results/bad_input_attainment_11.bin' WITH (FORMAT binary)
\set VERBOSITY default
SELECT count(*) AS received FROM received_attainments;

--
-- Reference data for the functions and constraints below.  Dates are in
-- 2025, in the past wherever the test runs.
--
INSERT INTO quota.team (team_id, name, time_zone) VALUES
	('north', 'North', 'Europe/Helsinki'),
	('south', 'South', 'UTC');
INSERT INTO quota.team (team_id, name, parent_id) VALUES ('north_inside', 'North inside', 'north');
INSERT INTO quota.rep (rep_id, name, team_id, time_zone) VALUES
	('ann', 'Ann', 'north_inside', 'Europe/Helsinki'),
	('bo', 'Bo', 'south', 'Asia/Tokyo');
INSERT INTO quota.activity_kind (kind, measure, weight) VALUES ('referral', 'count', 2);
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES
	('ann', 'call', '100/month', '[2025-01-01,)'),
	('bo', 'call', '25/week', '[2025-06-01,2026-01-01)');
INSERT INTO quota.assignment (team_id, kind, target, valid) VALUES
	('north', 'call', '300/month', '[2025-01-01,)');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source, recorded_at) VALUES
	('ann', 'call', '2025-10-02 08:00+00', 3, 'ext-1', 'crm', '2025-10-02 08:00+00'),
	('ann', 'call', '2025-10-03 08:00+00', 4, 'ext-2', 'crm', '2025-10-03 08:00+00'),
	('bo', 'call', '2025-10-02 20:00+00', 5, 'ext-3', 'dialer', '2025-10-02 20:00+00');

--
-- SQL function arguments.  Strict functions give NULL for a NULL argument.
--
SELECT call, t.result, t.state
  FROM (VALUES ($$quota.period_start(NULL, date '2025-11-27')$$),
               ($$quota.period_start('month', NULL::date)$$),
               ($$quota.period_end(NULL, date '2025-11-27')$$),
               ($$quota.period('month', NULL::date)$$),
               ($$quota.period_start('month', NULL::timestamptz, 'UTC')$$),
               ($$quota.period_start('month', now(), NULL)$$),
               ($$quota.period_end('month', now(), NULL)$$),
               ($$quota.period(NULL, now(), 'UTC')$$),
               ($$(SELECT count(*) FROM quota.periods(NULL, '[2025-01-01,2026-01-01)'))$$),
               ($$(SELECT count(*) FROM quota.periods('month', NULL))$$),
               ($$quota.target_for(NULL, '[2025-01-01,2026-01-01)')$$),
               ($$quota.target_for('150/month', NULL)$$),
               ($$quota.elapsed(NULL, now(), 'UTC')$$),
               ($$quota.elapsed('[2025-01-01,2026-01-01)', NULL, 'UTC')$$),
               ($$quota.elapsed('[2025-01-01,2026-01-01)', now(), NULL)$$),
               ($$quota.time_zone_valid(NULL)$$),
               ($$quota.attainment(NULL, 1)$$),
               ($$quota.attainment(1, NULL)$$),
               ($$quota.ratio(NULL)$$),
               ($$quota.actual(NULL)$$),
               ($$quota.shortfall(NULL)$$),
               ($$quota.met(NULL)$$),
               ($$'150/month'::quota.quota OPERATOR(quota.*) NULL::numeric$$),
               ($$NULL::numeric OPERATOR(quota.*) '150/month'::quota.quota$$),
               ($$'1 of 2'::quota.attainment OPERATOR(quota.+) NULL$$),
               ($$'1 of 2'::quota.attainment OPERATOR(quota.<) NULL$$),
               ($$(SELECT quota.attain(a, t) FROM (VALUES (NULL::numeric, 1::numeric), (2, NULL)) v(a, t))$$),
               ($$(SELECT quota.sum(a) FROM (VALUES (NULL::quota.attainment)) v(a))$$),
               ($$(SELECT count(*) FROM quota.conversion_as_of(NULL))$$),
               ($$(SELECT count(*) FROM quota.conversion_as_of(now(), NULL))$$),
               ($$(SELECT count(*) FROM quota.scoreboard_as_of('2025-11-01', NULL))$$)) AS v(call),
       LATERAL pg_temp.try('SELECT coalesce((' || call || ')::text, ''NULL'')') AS t;
-- The reports are not strict (they are inlined), but a NULL moment has no
-- rows either, as conversion_as_of shows above.
SELECT count(*) AS progress_rows FROM quota.progress_as_of(NULL);
SELECT count(*) AS team_rows FROM quota.team_progress_as_of(NULL);
SELECT count(*) AS scoreboard_rows FROM quota.scoreboard_as_of(NULL);
-- quota.rebuild(NULL) is every rep (the default); an unknown rep has no totals.
SELECT quota.rebuild(NULL) AS all_reps, quota.rebuild('nobody') AS unknown_rep, quota.rebuild('') AS empty_rep;

-- Unknown units, empty and case.
SELECT quota.period_start('fortnight', date '2025-11-27');
\echo SQLSTATE :SQLSTATE
SELECT quota.period_end('', date '2025-11-27');
\echo SQLSTATE :SQLSTATE
SELECT quota.period(' month', date '2025-11-27');
\echo SQLSTATE :SQLSTATE
SELECT quota.period_start('months', now(), 'UTC');
\echo SQLSTATE :SQLSTATE
SELECT * FROM quota.periods('fortnight', 'empty');
\echo SQLSTATE :SQLSTATE
SELECT count(*) FROM quota.scoreboard_as_of('2025-11-01', 'fortnight');
\echo SQLSTATE :SQLSTATE
SELECT count(*) FROM quota.conversion_as_of('2025-11-01', 'MONTHS');
\echo SQLSTATE :SQLSTATE
SELECT quota.period_start('MONTH', date '2025-11-27') AS upper_case_unit,
       quota.period('Quarter', date '2025-11-27') AS mixed_case_unit;

-- Infinite and extreme dates.
SELECT quota.period_start('month', date 'infinity');
\echo SQLSTATE :SQLSTATE
SELECT quota.period_end('week', date '-infinity');
\echo SQLSTATE :SQLSTATE
SELECT quota.period('year', date '4714-11-24 BC');
\echo SQLSTATE :SQLSTATE
SELECT quota.period_end('day', date '5874897-12-31');
\echo SQLSTATE :SQLSTATE
SELECT quota.period('half', date '5874897-07-01');
\echo SQLSTATE :SQLSTATE
-- The first and the last periods that fit.
SELECT quota.period('week', date '4714-11-24 BC') AS first_week,
       quota.period('day', date '5874897-12-30') AS last_day,
       quota.period('month', date '5874897-11-30') AS last_month;

-- Infinite and extreme moments.
SELECT quota.period_start('month', timestamptz 'infinity', 'UTC');
\echo SQLSTATE :SQLSTATE
SELECT quota.period_end('month', timestamptz '-infinity', 'UTC');
\echo SQLSTATE :SQLSTATE
SELECT quota.period('day', timestamptz 'infinity', 'Europe/Helsinki');
\echo SQLSTATE :SQLSTATE
SELECT quota.elapsed('[2025-01-01,2026-01-01)', 'infinity', 'UTC');
\echo SQLSTATE :SQLSTATE
SELECT quota.elapsed('[2025-01-01,2026-01-01)', '-infinity', 'UTC');
\echo SQLSTATE :SQLSTATE
SELECT count(*) FROM quota.progress_as_of('infinity');
\echo SQLSTATE :SQLSTATE
SELECT count(*) FROM quota.progress_as_of('-infinity');
\echo SQLSTATE :SQLSTATE
SELECT count(*) FROM quota.team_progress_as_of('infinity');
\echo SQLSTATE :SQLSTATE
SELECT count(*) FROM quota.scoreboard_as_of('infinity');
\echo SQLSTATE :SQLSTATE
SELECT count(*) FROM quota.conversion_as_of('-infinity');
\echo SQLSTATE :SQLSTATE
-- The last moment there is, in a zone ahead of UTC: its local day is a
-- valid date past the last timestamp.
SELECT quota.period_start('month', timestamptz '294276-12-31 23:00 UTC', 'Asia/Tokyo') AS tokyo_month,
       quota.period('day', timestamptz '4714-11-24 00:00 UTC BC', 'UTC') AS first_day;

-- Unknown time zones.
SELECT quota.time_zone_valid('Mars/Olympus_Mons');
\echo SQLSTATE :SQLSTATE
SELECT quota.time_zone_valid('');
\echo SQLSTATE :SQLSTATE
SELECT quota.time_zone_valid(' UTC');
\echo SQLSTATE :SQLSTATE
SELECT quota.time_zone_valid('right/UTC');
\echo SQLSTATE :SQLSTATE
SELECT quota.time_zone_valid('../../../../etc/passwd');
\echo SQLSTATE :SQLSTATE
SELECT quota.time_zone_valid('Europe/Helsinkï');
\echo SQLSTATE :SQLSTATE
SELECT quota.time_zone_valid(repeat('x', 300)) IS NULL;
\echo SQLSTATE :SQLSTATE
SELECT quota.period_start('month', now(), 'Nowhere');
\echo SQLSTATE :SQLSTATE
SELECT quota.period_end('month', now(), 'Nowhere');
\echo SQLSTATE :SQLSTATE
SELECT quota.period('month', now(), 'Nowhere');
\echo SQLSTATE :SQLSTATE
SELECT quota.elapsed('[2025-01-01,2026-01-01)', now(), 'Nowhere');
\echo SQLSTATE :SQLSTATE
-- Zones are names of pg_timezone_names in any case, or POSIX specifications
-- (as SET TimeZone takes them).
SELECT quota.time_zone_valid('europe/helsinki') AS lower_case,
       quota.time_zone_valid('EST5EDT') AS posix_name,
       quota.time_zone_valid('UTC+5') AS posix_offset;

-- Ranges: empty, unbounded, infinite bounds.
SELECT count(*) AS periods_of_empty FROM quota.periods('month', 'empty');
SELECT quota.target_for('150/month', 'empty') AS target_of_empty;
SELECT * FROM quota.periods('month', '[2025-01-01,)');
\echo SQLSTATE :SQLSTATE
SELECT * FROM quota.periods('month', '(,2025-01-01)');
\echo SQLSTATE :SQLSTATE
SELECT * FROM quota.periods('month', '[-infinity,2025-01-01)');
\echo SQLSTATE :SQLSTATE
SELECT * FROM quota.periods('month', '[2025-01-01,infinity)');
\echo SQLSTATE :SQLSTATE
SELECT * FROM quota.periods('month', '[5874897-11-15,5874897-12-31)');
\echo SQLSTATE :SQLSTATE
SELECT quota.target_for('150/month', '[2025-01-01,)');
\echo SQLSTATE :SQLSTATE
SELECT quota.target_for('150/month', '(,)');
\echo SQLSTATE :SQLSTATE
SELECT quota.target_for('150/month', '[2025-01-01,infinity]');
\echo SQLSTATE :SQLSTATE
SELECT quota.target_for('150/month', '[4714-11-24 BC,4714-12-24 BC)');
\echo SQLSTATE :SQLSTATE
SELECT quota.elapsed('empty', now(), 'UTC');
\echo SQLSTATE :SQLSTATE
SELECT quota.elapsed('[2025-01-01,)', now(), 'UTC');
\echo SQLSTATE :SQLSTATE
SELECT quota.elapsed('[-infinity,2025-01-01)', now(), 'UTC');
\echo SQLSTATE :SQLSTATE
-- Bounds that are not [start, end) are read as the dates they include.
SELECT quota.target_for('31/month', '(2025-01-01,2025-01-03]') AS two_days,
       quota.elapsed('(2024-12-31,2025-01-01]', '2025-01-01 12:00+00', 'UTC') AS half_a_day;

-- Scaling a quota: factors must be finite and not negative, products fit.
SELECT '150/month'::quota.quota OPERATOR(quota.*) -1;
\echo SQLSTATE :SQLSTATE
SELECT '150/month'::quota.quota OPERATOR(quota.*) 'NaN'::numeric;
\echo SQLSTATE :SQLSTATE
SELECT '-Infinity'::numeric OPERATOR(quota.*) '150/month'::quota.quota;
\echo SQLSTATE :SQLSTATE
SELECT '150/month'::quota.quota OPERATOR(quota.*) 1e20;
\echo SQLSTATE :SQLSTATE
SELECT '150/month'::quota.quota OPERATOR(quota.*) -0.0 AS negative_zero,
       '150/month'::quota.quota OPERATOR(quota.*) 1e-10 AS rounds_to_zero;

-- Attainments: actual and target finite and not negative.
SELECT quota.attainment(-1, 120);
\echo SQLSTATE :SQLSTATE
SELECT quota.attainment(150, -0.001);
\echo SQLSTATE :SQLSTATE
SELECT quota.attainment('NaN', 120);
\echo SQLSTATE :SQLSTATE
SELECT quota.attainment(150, 'Infinity');
\echo SQLSTATE :SQLSTATE
SELECT quota.attainment('-Infinity', 120);
\echo SQLSTATE :SQLSTATE
SELECT quota.attain(a, t) FROM (VALUES (1::numeric, 2::numeric), (3, 'NaN')) AS v(a, t);
\echo SQLSTATE :SQLSTATE
SELECT quota.attain(a, t) FROM (VALUES (-1::numeric, 2::numeric)) AS v(a, t);
\echo SQLSTATE :SQLSTATE
SELECT quota.attainment(-0.0, 120) AS negative_zero, quota.ratio('150 of 0') AS no_target,
       quota.ratio('0 of 0') AS nothing, quota.met('0 of 0') AS met_nothing;
-- The ratio of a value may not fit a numeric: 22003.
SELECT quota.ratio(quota.attainment(1e131071, 1e-16383));
\echo SQLSTATE :SQLSTATE
-- Known limit: comparing, sorting and hashing values near numeric's own
-- range overflow (22003), as 1e70000 * 1e70000 (a comparison), 1e131071 *
-- 2^32 (a sort key) and 1e131071 / 1e-16383 (the ratio in lowest terms a
-- hash is made of) do not fit a numeric.  No quota or sum of activity comes
-- near: amounts are limited to 15 digits before the point.
SELECT quota.attainment(1e70000, 1) OPERATOR(quota.>) quota.attainment(1, 1e70000) AS large_gt_small,
       quota.attainment(1e70000, 1e70000) OPERATOR(quota.=) quota.attainment(1, 1) AS equal;
SELECT length(a::text) AS sorted_by_ratio
  FROM (VALUES (quota.attainment(1e131071, 1)), ('1 of 3'), ('0 of 0')) AS v(a)
 ORDER BY a;
SELECT quota.attainment_hash(quota.attainment(1e131071, 1e-16383))
       = quota.attainment_hash(quota.attainment(2e131071, 2e-16383)) AS equal_values_hash_alike;

-- Roles: the role must exist, and NULL is not a role.
SELECT quota.enable_rep_security('regress_no_such_role');
\echo SQLSTATE :SQLSTATE
SELECT quota.enable_rep_security(NULL);
\echo SQLSTATE :SQLSTATE
SELECT count(*) AS policies FROM pg_policies WHERE schemaname = 'quota';

-- The trigger functions are for the extension's triggers.
SELECT quota.activity_totals();
\echo SQLSTATE :SQLSTATE
SELECT quota.cached_rows_changed();
\echo SQLSTATE :SQLSTATE

--
-- Constraints.  After every failing write the totals and the tables are as
-- they were: pg_temp.after() compares them with the last pg_temp.mark() and
-- checks quota.verify().
--
CREATE TEMP TABLE mark AS
SELECT (SELECT count(*) FROM quota.activity) AS activity,
       (SELECT count(*) FROM quota.daily_total) AS totals,
       (SELECT sum(qty) FROM quota.daily_total) AS total_qty,
       (SELECT count(*) FROM quota.rep) AS reps,
       (SELECT count(*) FROM quota.team) AS teams,
       (SELECT count(*) FROM quota.activity_kind) AS kinds,
       (SELECT count(*) FROM quota.assignment) AS assignments,
       (SELECT count(*) FROM quota.period_close) AS closes
 WHERE false;
CREATE FUNCTION pg_temp.now_counts() RETURNS SETOF pg_temp.mark LANGUAGE sql AS $$
SELECT (SELECT count(*) FROM quota.activity), (SELECT count(*) FROM quota.daily_total),
       (SELECT sum(qty) FROM quota.daily_total), (SELECT count(*) FROM quota.rep),
       (SELECT count(*) FROM quota.team), (SELECT count(*) FROM quota.activity_kind),
       (SELECT count(*) FROM quota.assignment), (SELECT count(*) FROM quota.period_close)
$$;
CREATE FUNCTION pg_temp.mark() RETURNS text LANGUAGE sql AS $$
DELETE FROM pg_temp.mark;
INSERT INTO pg_temp.mark SELECT * FROM pg_temp.now_counts();
SELECT format('marked: %s activity, %s totals (sum %s), %s reps, %s teams, %s kinds, %s assignments, %s closes',
              activity, totals, total_qty, reps, teams, kinds, assignments, closes) FROM pg_temp.mark;
$$;
-- pg_temp.attempt() runs a write that must fail and shows its SQLSTATE; were
-- it accepted, it is undone, so that it cannot change the lines after it.
CREATE FUNCTION pg_temp.attempt(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	state text;
BEGIN
	BEGIN
		EXECUTE statement;
		RAISE SQLSTATE 'QT000';
	EXCEPTION WHEN others THEN
		GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE;
	END;
	RETURN CASE state WHEN 'QT000' THEN 'accepted (and undone by the test)' ELSE 'SQLSTATE ' || state END;
END
$$;
CREATE FUNCTION pg_temp.after(sqlstate text) RETURNS text LANGUAGE sql AS $$
SELECT format('SQLSTATE %s, %s', sqlstate,
              CASE WHEN n IS NOT DISTINCT FROM m AND NOT EXISTS (SELECT FROM quota.verify())
                   THEN 'nothing written'
                   ELSE format('WRITTEN: %s, was %s; %s rows of quota.verify()', n, m,
                               (SELECT count(*) FROM quota.verify())) END)
  FROM pg_temp.now_counts() AS n, pg_temp.mark AS m;
$$;
\pset tuples_only on
SELECT pg_temp.mark();

-- quota.team
INSERT INTO quota.team (team_id, name) VALUES (NULL, 'No id');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.team (team_id, name) VALUES ('west', NULL);
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.team (team_id, name) VALUES ('north', 'North again');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.team (team_id, name, parent_id) VALUES ('west', 'West', 'nowhere');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.team (team_id, name, time_zone) VALUES ('west', 'West', 'Mars/Olympus_Mons');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.team (team_id, name, time_zone) VALUES ('west', 'West', NULL);
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.team (team_id, name, parent_id) VALUES ('west', 'West', 'west');
SELECT pg_temp.after(:'SQLSTATE');
UPDATE quota.team SET parent_id = 'north_inside' WHERE team_id = 'north';
SELECT pg_temp.after(:'SQLSTATE');
UPDATE quota.team SET time_zone = '' WHERE team_id = 'south';
SELECT pg_temp.after(:'SQLSTATE');
DELETE FROM quota.team WHERE team_id = 'north';
SELECT pg_temp.after(:'SQLSTATE');
UPDATE quota.team SET team_id = 'south_2' WHERE team_id = 'south';
SELECT pg_temp.after(:'SQLSTATE');

-- quota.rep
INSERT INTO quota.rep (rep_id, name) VALUES (NULL, 'No id');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.rep (rep_id, name) VALUES ('cy', NULL);
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.rep (rep_id, name) VALUES ('ann', 'Ann again');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.rep (rep_id, name, team_id) VALUES ('cy', 'Cy', 'nowhere');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('cy', 'Cy', 'Europe/Atlantis');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('cy', 'Cy', NULL);
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.rep (rep_id, name, active) VALUES ('cy', 'Cy', NULL);
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.rep (rep_id, name, login) VALUES ('cy', 'Cy', 'ann_login'), ('dee', 'Dee', 'ann_login');
SELECT pg_temp.after(:'SQLSTATE');
UPDATE quota.rep SET time_zone = 'Europe/Atlantis' WHERE rep_id = 'ann';
SELECT pg_temp.after(:'SQLSTATE');
UPDATE quota.rep SET rep_id = 'anne' WHERE rep_id = 'ann';
SELECT pg_temp.after(:'SQLSTATE');
DELETE FROM quota.rep WHERE rep_id = 'bo';
SELECT pg_temp.after(:'SQLSTATE');

-- quota.activity_kind
INSERT INTO quota.activity_kind (kind, measure) VALUES (NULL, 'count');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity_kind (kind, measure) VALUES ('referral', 'count');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity_kind (kind, measure) VALUES ('hug', NULL);
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity_kind (kind, measure) VALUES ('hug', 'weight');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity_kind (kind, measure, weight) VALUES ('hug', 'count', -1);
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity_kind (kind, measure, weight) VALUES ('hug', 'count', NULL);
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity_kind (kind, measure, role) VALUES ('hug', 'count', 'result');
SELECT pg_temp.after(:'SQLSTATE');
-- A weight is a finite number: NaN or Infinity would make the weighted
-- scores of every rep with a target of that kind NaN.  23514, like -1.
SELECT pg_temp.attempt($$INSERT INTO quota.activity_kind (kind, measure, weight) VALUES ('hug', 'count', 'NaN')$$);
SELECT pg_temp.attempt($$INSERT INTO quota.activity_kind (kind, measure, weight) VALUES ('hug', 'count', 'Infinity')$$);
SELECT pg_temp.attempt($$UPDATE quota.activity_kind SET weight = 'NaN' WHERE kind = 'call'$$);
DELETE FROM quota.activity_kind WHERE kind = 'call';
SELECT pg_temp.after(:'SQLSTATE');
UPDATE quota.activity_kind SET kind = 'calls' WHERE kind = 'call';
SELECT pg_temp.after(:'SQLSTATE');

-- quota.assignment
INSERT INTO quota.assignment (assignment_id, rep_id, kind, target, valid)
VALUES (1, 'ann', 'email', '10/month', '[2025-01-01,)');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.assignment (rep_id, team_id, kind, target, valid)
VALUES ('ann', 'north', 'email', '10/month', '[2025-01-01,)');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.assignment (rep_id, team_id, kind, target, valid)
VALUES (NULL, NULL, 'email', '10/month', '[2025-01-01,)');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.assignment (rep_id, kind, target, valid)
VALUES ('nobody', 'email', '10/month', '[2025-01-01,)');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.assignment (team_id, kind, target, valid)
VALUES ('nowhere', 'email', '10/month', '[2025-01-01,)');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.assignment (rep_id, kind, target, valid)
VALUES ('ann', 'tennis', '10/month', '[2025-01-01,)');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.assignment (rep_id, kind, target, valid)
VALUES ('ann', NULL, '10/month', '[2025-01-01,)');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.assignment (rep_id, kind, target, valid)
VALUES ('ann', 'email', NULL, '[2025-01-01,)');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.assignment (rep_id, kind, target, valid)
VALUES ('ann', 'email', '10/fortnight', '[2025-01-01,)');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.assignment (rep_id, kind, target, valid)
VALUES ('ann', 'email', '10/month', NULL);
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.assignment (rep_id, kind, target, valid)
VALUES ('ann', 'email', '10/month', 'empty');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.assignment (rep_id, kind, target, valid)
VALUES ('ann', 'email', '10/month', '(,2026-01-01)');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.assignment (rep_id, kind, target, valid)
VALUES ('ann', 'email', '10/month', '[2026-01-01,2025-01-01)');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.assignment (rep_id, kind, target, valid)
VALUES ('ann', 'call', '120/month', '[2025-06-01,2025-07-01)');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.assignment (team_id, kind, target, valid)
VALUES ('north', 'call', '120/month', '[2024-06-01,2025-01-02)');
SELECT pg_temp.after(:'SQLSTATE');
UPDATE quota.assignment SET valid = '[2025-01-01,2025-01-01)' WHERE rep_id = 'bo';
SELECT pg_temp.after(:'SQLSTATE');
-- A start of -infinity or infinity is no start (23514, like no start): with
-- such an assignment every progress report, quota.progress,
-- quota.team_progress and quota.scoreboard, fails for every rep ("date range
-- must be bounded").
SELECT pg_temp.attempt($$INSERT INTO quota.assignment (rep_id, kind, target, valid)
                         VALUES ('ann', 'email', '10/month', '[-infinity,2026-01-01)')$$);
SELECT pg_temp.attempt($$INSERT INTO quota.assignment (team_id, kind, target, valid)
                         VALUES ('south', 'email', '10/month', '[-infinity,)')$$);
SELECT pg_temp.attempt($$INSERT INTO quota.assignment (rep_id, kind, target, valid)
                         VALUES ('ann', 'email', '10/month', '[infinity,)')$$);

-- quota.activity
INSERT INTO quota.activity (activity_id, rep_id, kind, occurred_at)
VALUES (1, 'ann', 'call', '2025-10-05 10:00+00');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity (rep_id, kind, occurred_at, recorded_at)
VALUES (NULL, 'call', '2025-10-05 10:00+00', '2025-10-05 10:00+00');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity (rep_id, kind, occurred_at, recorded_at)
VALUES ('ann', NULL, '2025-10-05 10:00+00', '2025-10-05 10:00+00');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity (rep_id, kind, occurred_at, recorded_at)
VALUES ('ann', 'call', NULL, '2025-10-05 10:00+00');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity (rep_id, kind, occurred_at, recorded_at, qty)
VALUES ('ann', 'call', '2025-10-05 10:00+00', NULL, '2025-10-05 10:00+00');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity (rep_id, kind, occurred_at, recorded_at) VALUES ('ann', 'call', '2025-10-05 10:00+00', NULL);
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity (rep_id, kind, occurred_at) VALUES ('nobody', 'call', '2025-10-05 10:00+00');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity (rep_id, kind, occurred_at) VALUES ('ann', 'tennis', '2025-10-05 10:00+00');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, recorded_at)
VALUES ('ann', 'call', '2025-10-05 10:00+00', 0, '2025-10-05 10:00+00');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, recorded_at)
VALUES ('ann', 'call', '2025-10-05 10:00+00', -1, '2025-10-05 10:00+00');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, recorded_at)
VALUES ('ann', 'call', '2025-10-05 10:00+00', '-0', '2025-10-05 10:00+00');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, recorded_at)
VALUES ('ann', 'call', '2025-10-05 10:00+00', 'NaN', '2025-10-05 10:00+00');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, recorded_at)
VALUES ('ann', 'call', '2025-10-05 10:00+00', 'Infinity', '2025-10-05 10:00+00');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, recorded_at)
VALUES ('ann', 'call', '2025-10-05 10:00+00', 1e15, '2025-10-05 10:00+00');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity (rep_id, kind, occurred_at, recorded_at, qty)
VALUES ('ann', 'call', '2025-10-05 10:00+00', '1e400', '2025-10-05 10:00+00');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES ('ann', 'call', '2025-10-05 10:00+00', 'lots');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity (rep_id, kind, occurred_at) VALUES ('ann', 'call', '2025-10-32 10:00+00');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity (rep_id, kind, occurred_at, external_id) VALUES ('ann', 'call', '2025-10-05 10:00+00', 'ext-1');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity (rep_id, kind, occurred_at, external_id)
VALUES ('ann', 'call', '2025-10-05 10:00+00', 'ext-9'), ('ann', 'call', '2025-10-06 10:00+00', 'ext-9');
SELECT pg_temp.after(:'SQLSTATE');
-- Infinite moments are on no day.
INSERT INTO quota.activity (rep_id, kind, occurred_at) VALUES ('ann', 'call', 'infinity');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity (rep_id, kind, occurred_at) VALUES ('bo', 'call', '-infinity');
SELECT pg_temp.after(:'SQLSTATE');
-- Too far in the future (quota.future_tolerance, 1 h by default).
INSERT INTO quota.activity (rep_id, kind, occurred_at) VALUES ('ann', 'call', '2999-01-01 00:00+00');
SELECT pg_temp.after(:'SQLSTATE');
-- One bad row fails the whole statement, whichever row it is.
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES
	('ann', 'call', '2025-10-05 10:00+00', 1), ('bo', 'call', '2025-10-05 10:00+00', 2),
	('ann', 'call', 'infinity', 3);
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty)
SELECT 'ann', 'call', timestamptz '2025-10-01 10:00+00' + i * interval '1 hour', i
  FROM generate_series(1, 1000) AS i
 UNION ALL
SELECT 'bo', 'call', 'infinity', 1;
SELECT pg_temp.after(:'SQLSTATE');
-- COPY, with the messages; psql does not report the SQLSTATE of a COPY, so
-- each is run again with VERBOSITY sqlstate.
COPY quota.activity (rep_id, kind, occurred_at, qty, recorded_at) FROM stdin;
ann	call	2025-10-05 10:00+00	1	2025-10-05 10:00+00
bo	call	2025-10-05 10:00+00	2	2025-10-05 10:00+00
ann	call	2025-10-05 10:00+00	0	2025-10-05 10:00+00
\.
SELECT pg_temp.after('(COPY)');
COPY quota.activity (rep_id, kind, occurred_at, qty, recorded_at) FROM stdin;
ann	call	2025-10-05 10:00+00	1	2025-10-05 10:00+00
ann	call	infinity	1	2025-10-05 10:00+00
\.
SELECT pg_temp.after('(COPY)');
COPY quota.activity (rep_id, kind, occurred_at, qty, recorded_at) FROM stdin;
ann	call	2025-10-05 10:00+00	1	2025-10-05 10:00+00
ann	nap	2025-10-05 10:00+00	1	2025-10-05 10:00+00
\.
SELECT pg_temp.after('(COPY)');
COPY quota.activity (rep_id, kind, occurred_at, qty, recorded_at) FROM stdin;
ann	call	2025-10-05 10:00+00	1	2025-10-05 10:00+00
ann	call	2025-10-05 10:00+00	1	2025-10-05 10:00+00	extra
\.
SELECT pg_temp.after('(COPY)');
\set VERBOSITY sqlstate
COPY quota.activity (rep_id, kind, occurred_at, qty, recorded_at) FROM stdin;
ann	call	2025-10-05 10:00+00	1	2025-10-05 10:00+00
bo	call	2025-10-05 10:00+00	2	2025-10-05 10:00+00
ann	call	2025-10-05 10:00+00	0	2025-10-05 10:00+00
\.
COPY quota.activity (rep_id, kind, occurred_at, qty, recorded_at) FROM stdin;
ann	call	2025-10-05 10:00+00	1	2025-10-05 10:00+00
ann	call	infinity	1	2025-10-05 10:00+00
\.
COPY quota.activity (rep_id, kind, occurred_at, qty, recorded_at) FROM stdin;
ann	call	2025-10-05 10:00+00	1	2025-10-05 10:00+00
ann	nap	2025-10-05 10:00+00	1	2025-10-05 10:00+00
\.
COPY quota.activity (rep_id, kind, occurred_at, qty, recorded_at) FROM stdin;
ann	call	2025-10-05 10:00+00	1	2025-10-05 10:00+00
ann	call	2025-10-05 10:00+00	1	2025-10-05 10:00+00	extra
\.
\set VERBOSITY default
SELECT pg_temp.after('(COPY)');
-- Updates and deletes.
UPDATE quota.activity SET activity_id = 99 WHERE external_id = 'ext-1';
SELECT pg_temp.after(:'SQLSTATE');
UPDATE quota.activity SET qty = 0 WHERE external_id = 'ext-1';
SELECT pg_temp.after(:'SQLSTATE');
UPDATE quota.activity SET qty = qty - 4 WHERE rep_id = 'ann';
SELECT pg_temp.after(:'SQLSTATE');
UPDATE quota.activity SET rep_id = 'nobody' WHERE external_id = 'ext-1';
SELECT pg_temp.after(:'SQLSTATE');
UPDATE quota.activity SET kind = 'tennis' WHERE external_id = 'ext-1';
SELECT pg_temp.after(:'SQLSTATE');
UPDATE quota.activity SET external_id = 'ext-2' WHERE external_id = 'ext-1';
SELECT pg_temp.after(:'SQLSTATE');
UPDATE quota.activity SET occurred_at = 'infinity' WHERE external_id = 'ext-1';
SELECT pg_temp.after(:'SQLSTATE');
UPDATE quota.activity SET occurred_at = '2999-01-01 00:00+00' WHERE external_id = 'ext-3';

SELECT pg_temp.after(:'SQLSTATE');
-- Closed periods: changes on or before the closed day fail, and so does
-- closing again, or closing through no day.
SELECT quota.close_period('2025-10-02');
SELECT pg_temp.mark();
SELECT quota.close_period('2025-10-01');
SELECT pg_temp.after(:'SQLSTATE');
SELECT quota.close_period('2025-10-02');
SELECT pg_temp.after(:'SQLSTATE');
SELECT quota.close_period(NULL);
SELECT pg_temp.after(:'SQLSTATE');
SELECT quota.close_period('infinity');
SELECT pg_temp.after(:'SQLSTATE');
SELECT quota.close_period('-infinity');
SELECT pg_temp.after(:'SQLSTATE');
INSERT INTO quota.activity (rep_id, kind, occurred_at) VALUES ('ann', 'call', '2025-10-02 20:59+00');
SELECT pg_temp.after(:'SQLSTATE');
UPDATE quota.activity SET qty = 30 WHERE external_id = 'ext-1';
SELECT pg_temp.after(:'SQLSTATE');
UPDATE quota.activity SET occurred_at = '2025-10-01 10:00+00' WHERE external_id = 'ext-2';
SELECT pg_temp.after(:'SQLSTATE');
DELETE FROM quota.activity WHERE external_id = 'ext-1';
SELECT pg_temp.after(:'SQLSTATE');
DELETE FROM quota.activity;
SELECT pg_temp.after(:'SQLSTATE');
TRUNCATE quota.activity, quota.activity_credit;
SELECT pg_temp.after(:'SQLSTATE');
-- Activity of the day after the close (in the rep's zone) is open: 2 October
-- 21:00 UTC is 3 October in Tokyo.
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, recorded_at)
VALUES ('bo', 'call', '2025-10-02 21:00+00', 1, '2025-10-02 21:00+00');
SELECT pg_temp.mark();
\pset tuples_only off
SELECT rep_id, kind, day, sum(qty) AS qty FROM quota.daily_total GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

--
-- Misuse of the extension's triggers, and a rep whose time zone is no
-- longer known (tzdata drops names: US/Pacific-New went in 2020).
--
-- The totals trigger on another table refuses it: 39P01, not an internal
-- error, and never a crash, whatever the columns of that table are.
CREATE TEMP TABLE not_activity_1 (x int);
CREATE TRIGGER totals AFTER INSERT ON not_activity_1 REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION quota.activity_totals();
\set VERBOSITY sqlstate
INSERT INTO not_activity_1 VALUES (1);
\set VERBOSITY default
CREATE TEMP TABLE not_activity_2 (x int);
CREATE TRIGGER totals BEFORE INSERT ON not_activity_2
    FOR EACH ROW EXECUTE FUNCTION quota.activity_totals();
INSERT INTO not_activity_2 VALUES (1);
\echo SQLSTATE :SQLSTATE
DROP TRIGGER totals ON not_activity_2;
CREATE TRIGGER totals AFTER INSERT ON not_activity_2
    FOR EACH STATEMENT EXECUTE FUNCTION quota.activity_totals();
INSERT INTO not_activity_2 VALUES (1);
\echo SQLSTATE :SQLSTATE
CREATE TRIGGER cached BEFORE INSERT ON not_activity_2
    FOR EACH ROW EXECUTE FUNCTION quota.cached_rows_changed();
INSERT INTO not_activity_2 VALUES (1);
\echo SQLSTATE :SQLSTATE

-- A rep whose zone became unknown (here, by dropping the check that would
-- have refused it): every write of its activity fails the same way, the
-- first one of the session and the next ones.
BEGIN;
ALTER TABLE quota.rep DROP CONSTRAINT rep_time_zone_known;
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('ghost', 'Ghost', 'Europe/Atlantis');
SAVEPOINT first;
INSERT INTO quota.activity (rep_id, kind, occurred_at) VALUES ('ghost', 'call', '2025-10-10 10:00+00');
ROLLBACK TO first;
\set VERBOSITY sqlstate
INSERT INTO quota.activity (rep_id, kind, occurred_at) VALUES ('ghost', 'call', '2025-10-10 10:00+00');
\set VERBOSITY default
ROLLBACK;

-- Last, as it crashed the server: the totals trigger on a table whose
-- columns have the names of quota.activity's but other types.
CREATE TEMP TABLE not_activity_3 (activity_id bigint, rep_id int, kind int, occurred_at int, qty int,
                                  external_id int, source int, recorded_at int);
CREATE TRIGGER totals AFTER INSERT ON not_activity_3 REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION quota.activity_totals();
\set VERBOSITY sqlstate
INSERT INTO not_activity_3 VALUES (1, 2, 3, 4, 5, 6, 7, 8);
\set VERBOSITY default
SELECT count(*) AS totals FROM quota.daily_total;

\c contrib_regression
DROP DATABASE regress_quota_bad_input;
