-- quota.daily_total follows every change of quota.activity at once: each
-- assertion compares the total of a (rep, kind, local day), summed over the
-- slots, with the value worked out by hand from the rows written so far.
BEGIN;
SELECT plan(64);

-- Total of one rep, kind and day: the sum of its slots, 0 when there is none.
CREATE FUNCTION pg_temp.total(rep text, kind text, day date) RETURNS numeric LANGUAGE sql AS $$
    SELECT coalesce(sum(t.qty), 0) FROM quota.daily_total t
     WHERE t.rep_id = total.rep AND t.kind = total.kind AND t.day = total.day
$$;

-- The day of activity is the rep's, whatever the session's time zone.
SET LOCAL TimeZone = 'Pacific/Auckland';

INSERT INTO quota.rep (rep_id, name, time_zone) VALUES
    ('l_utc', 'Rep in UTC', 'UTC'),
    ('l_hel', 'Rep in Helsinki', 'Europe/Helsinki'),
    ('l_tokyo', 'Rep in Tokyo', 'Asia/Tokyo');

-- INSERT
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id)
VALUES ('l_utc', 'call', '2026-10-05 10:00+00', 2, 'A');
SELECT is(pg_temp.total('l_utc', 'call', '2026-10-05'), 2::numeric, 'insert: one row of 2 makes a total of 2');

INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id) VALUES
    ('l_utc', 'call', '2026-10-05 11:00+00', 1, 'C1'),
    ('l_utc', 'call', '2026-10-05 12:00+00', 1, 'C2'),
    ('l_utc', 'call', '2026-10-05 23:59:59+00', 3, 'C3'),
    ('l_utc', 'call', '2026-10-06 09:00+00', 4, 'B');
SELECT is(pg_temp.total('l_utc', 'call', '2026-10-05'), 7::numeric, 'insert of several rows: 2 + 1 + 1 + 3 = 7 on 5 October');
SELECT is(pg_temp.total('l_utc', 'call', '2026-10-06'), 4::numeric, 'insert of several rows: 4 on 6 October');
SELECT is_empty('SELECT * FROM quota.verify()', 'verify() is empty after inserts');

-- UPDATE, one column at a time
UPDATE quota.activity SET qty = 10 WHERE external_id = 'A';
SELECT is(pg_temp.total('l_utc', 'call', '2026-10-05'), 15::numeric, 'update of qty 2 -> 10: 7 - 2 + 10 = 15');

UPDATE quota.activity SET rep_id = 'l_hel' WHERE external_id = 'A';
SELECT is(pg_temp.total('l_utc', 'call', '2026-10-05'), 5::numeric, 'update of rep: the old rep loses 10 (15 - 10 = 5)');
-- 2026-10-05 10:00+00 is 13:00 in Helsinki (EEST, +03): still 5 October.
SELECT is(pg_temp.total('l_hel', 'call', '2026-10-05'), 10::numeric, 'update of rep: the new rep gains 10');

UPDATE quota.activity SET kind = 'email' WHERE external_id = 'A';
SELECT is(pg_temp.total('l_hel', 'call', '2026-10-05'), 0::numeric, 'update of kind: the old kind loses 10 (10 - 10 = 0)');
SELECT is(pg_temp.total('l_hel', 'email', '2026-10-05'), 10::numeric, 'update of kind: the new kind gains 10');

UPDATE quota.activity SET occurred_at = '2026-10-07 00:00+00' WHERE external_id = 'B';
SELECT is(pg_temp.total('l_utc', 'call', '2026-10-06'), 0::numeric, 'update of occurred_at across a day: the old day loses 4');
SELECT is(pg_temp.total('l_utc', 'call', '2026-10-07'), 4::numeric, 'update of occurred_at across a day: the new day gains 4');

UPDATE quota.activity SET occurred_at = '2026-10-31 23:59:59+00' WHERE external_id = 'B';
UPDATE quota.activity SET occurred_at = '2026-11-01 00:00:00+00' WHERE external_id = 'B';
SELECT is(pg_temp.total('l_utc', 'call', '2026-10-07'), 0::numeric, 'moving a row on: 7 October is back to 0');
SELECT is(pg_temp.total('l_utc', 'call', '2026-10-31'), 0::numeric, 'update across a month boundary: 31 October loses 4');
SELECT is(pg_temp.total('l_utc', 'call', '2026-11-01'), 4::numeric, 'update across a month boundary: 1 November gains 4');

-- every column at once: l_hel email 10 on 5 Oct -> l_utc demo 3 on 2 Nov
UPDATE quota.activity SET rep_id = 'l_utc', kind = 'demo', occurred_at = '2026-11-02 09:00+00', qty = 3
 WHERE external_id = 'A';
SELECT is(pg_temp.total('l_hel', 'email', '2026-10-05'), 0::numeric, 'update of every column: the old total loses 10');
SELECT is(pg_temp.total('l_utc', 'demo', '2026-11-02'), 3::numeric, 'update of every column: the new total gains 3');

-- several rows in one statement: C1 1->2, C2 1->2, C3 3->4 on 5 Oct; B 4->5 on 1 Nov
UPDATE quota.activity SET qty = qty + 1 WHERE rep_id = 'l_utc' AND kind = 'call';
SELECT is(pg_temp.total('l_utc', 'call', '2026-10-05'), 8::numeric, 'update of several rows: 2 + 2 + 4 = 8 on 5 October');
SELECT is(pg_temp.total('l_utc', 'call', '2026-11-01'), 5::numeric, 'update of several rows: 5 on 1 November');

-- a column that is not counted
CREATE TEMP TABLE totals_before AS SELECT * FROM quota.daily_total;
UPDATE quota.activity SET source = 'crm' WHERE rep_id = 'l_utc';
SELECT bag_eq('SELECT * FROM quota.daily_total', 'SELECT * FROM totals_before',
              'updating a column that is not counted leaves quota.daily_total untouched');

-- two rows trading days in one statement: C3 (4) -> 1 Nov, B (5) -> 5 Oct
UPDATE quota.activity
   SET occurred_at = CASE external_id WHEN 'C3' THEN timestamptz '2026-11-01 10:00+00'
                                      ELSE timestamptz '2026-10-05 10:00+00' END
 WHERE external_id IN ('C3', 'B');
SELECT is(pg_temp.total('l_utc', 'call', '2026-10-05'), 9::numeric, 'rows trading days: 5 October is 8 - 4 + 5 = 9');
SELECT is(pg_temp.total('l_utc', 'call', '2026-11-01'), 4::numeric, 'rows trading days: 1 November is 5 - 5 + 4 = 4');

-- DELETE
DELETE FROM quota.activity WHERE external_id IN ('C1', 'C2');
SELECT is(pg_temp.total('l_utc', 'call', '2026-10-05'), 5::numeric, 'delete of two rows of 2: 9 - 2 - 2 = 5');
SELECT is_empty('SELECT * FROM quota.verify()', 'verify() is empty after updates and deletes');

-- Amounts are exact decimals: 1234.56 + 0.44 = 1235.00, and 0.1 + 0.2 = 0.3 exactly.
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES
    ('l_utc', 'revenue', '2026-10-08 10:00+00', 1234.56),
    ('l_utc', 'revenue', '2026-10-08 11:00+00', 0.44),
    ('l_utc', 'revenue', '2026-10-09 10:00+00', 0.1);
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES ('l_utc', 'revenue', '2026-10-09 11:00+00', 0.2);
SELECT is(pg_temp.total('l_utc', 'revenue', '2026-10-08'), 1235.00, 'revenue totals are exact: 1234.56 + 0.44 = 1235.00');
SELECT is(pg_temp.total('l_utc', 'revenue', '2026-10-09'), 0.3, 'revenue totals are exact: 0.1 + 0.2 = 0.3');
DELETE FROM quota.activity WHERE kind = 'revenue';

-- Time zones: 2026-10-31 16:30+00 is 2026-11-01 01:30 in Tokyo (+09).
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id)
VALUES ('l_tokyo', 'call', '2026-10-31 16:30+00', 1, 'T');
SELECT is(pg_temp.total('l_tokyo', 'call', '2026-11-01'), 1::numeric, 'a Tokyo rep''s activity at 31 Oct 16:30 UTC counts on 1 November');
SELECT is(pg_temp.total('l_tokyo', 'call', '2026-10-31'), 0::numeric, '... and not on 31 October');

UPDATE quota.rep SET time_zone = 'UTC' WHERE rep_id = 'l_tokyo';
SELECT is(pg_temp.total('l_tokyo', 'call', '2026-10-31'), 1::numeric, 'after the rep moves to UTC the activity counts on 31 October');
SELECT is(pg_temp.total('l_tokyo', 'call', '2026-11-01'), 0::numeric, '... and no longer on 1 November');
UPDATE quota.rep SET time_zone = 'Asia/Tokyo' WHERE rep_id = 'l_tokyo';
SELECT is(pg_temp.total('l_tokyo', 'call', '2026-11-01'), 1::numeric, 'moving back to Tokyo puts it back on 1 November');

-- 2026-10-05 22:30+00 is 6 Oct 01:30 in Helsinki (+03) and 5 Oct 18:30 in New York (-04).
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id)
VALUES ('l_hel', 'meeting', '2026-10-05 22:30+00', 1, 'H');
SELECT is(pg_temp.total('l_hel', 'meeting', '2026-10-06'), 1::numeric, 'a Helsinki rep''s activity at 5 Oct 22:30 UTC counts on 6 October');
UPDATE quota.rep SET name = 'Rep in Helsinki, renamed' WHERE rep_id = 'l_hel';
SELECT is(pg_temp.total('l_hel', 'meeting', '2026-10-06'), 1::numeric, 'renaming a rep leaves the days alone');
UPDATE quota.rep SET time_zone = 'America/New_York' WHERE rep_id = 'l_hel';
SELECT is(pg_temp.total('l_hel', 'meeting', '2026-10-05'), 1::numeric, 'after the rep moves to New York it counts on 5 October');
SELECT is(pg_temp.total('l_hel', 'meeting', '2026-10-06'), 0::numeric, '... and no longer on 6 October');
SELECT is_empty('SELECT * FROM quota.verify()', 'verify() is empty after time zone changes');
SELECT has_trigger('quota', 'rep', 'rep_time_zone_changed', 'quota.rep has the trigger that re-derives days');

-- quota.rebuild().  The activity now: A l_utc demo 2 Nov (3), B l_utc call
-- 5 Oct (5), C3 l_utc call 1 Nov (4), T l_tokyo call 1 Nov (1), H l_hel
-- meeting 5 Oct (1): five (rep, kind, day) totals, three of them l_utc's.
SELECT is(quota.rebuild(), 5::bigint, 'rebuild() returns the number of totals: 5');
SELECT is((SELECT count(*)::int FROM quota.daily_total), 5, 'after rebuild() there is one row per total');
SELECT results_eq('SELECT DISTINCT slot FROM quota.daily_total', 'VALUES (0)', 'rebuild() writes slot 0 only');
SELECT bag_eq('SELECT rep_id, kind, day, qty FROM quota.daily_total',
              $$VALUES ('l_utc', 'demo', '2026-11-02'::date, 3::numeric), ('l_utc', 'call', '2026-10-05', 5),
                       ('l_utc', 'call', '2026-11-01', 4), ('l_tokyo', 'call', '2026-11-01', 1),
                       ('l_hel', 'meeting', '2026-10-05', 1)$$,
              'rebuild() writes the totals worked out by hand');
SELECT is(quota.rebuild('l_utc'), 3::bigint, 'rebuild(rep) returns the number of that rep''s totals: 3');
SELECT is_empty('SELECT * FROM quota.verify()', 'verify() is empty after rebuild()');

-- verify() finds a damaged total, and rebuild() repairs it.
UPDATE quota.daily_total SET qty = qty + 1 WHERE rep_id = 'l_hel';
SELECT results_eq('SELECT * FROM quota.verify()',
                  $$VALUES ('l_hel'::text, 'meeting'::text, '2026-10-05'::date, 2::numeric, 1::numeric)$$,
                  'verify() reports a total that disagrees with the recount (2 against 1)');
SELECT is(quota.rebuild('l_hel'), 1::bigint, 'rebuild(''l_hel'') rewrites its 1 total');
SELECT is_empty('SELECT * FROM quota.verify()', 'verify() is empty after the repair');

-- Bulk: one statement of 1000 rows of one rep, kind and day touches one total.
-- 2026-10-20 00:00+00 plus 1..1000 seconds stays on 20 October; sum of 1..1000 = 1000 * 1001 / 2 = 500500.
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, source)
SELECT 'l_utc', 'email', timestamptz '2026-10-20 00:00+00' + i * interval '1 second', i, 'bulk'
  FROM generate_series(1, 1000) AS i;
SELECT is((SELECT count(*)::int FROM quota.daily_total WHERE rep_id = 'l_utc' AND kind = 'email' AND day = '2026-10-20'), 1,
          'a 1000-row insert of one rep, kind and day makes one row of quota.daily_total');
SELECT is(pg_temp.total('l_utc', 'email', '2026-10-20'), 500500::numeric, 'and its total is 1 + 2 + ... + 1000 = 500500');
UPDATE quota.activity SET qty = 1 WHERE source = 'bulk';
SELECT is(pg_temp.total('l_utc', 'email', '2026-10-20'), 1000::numeric, 'a 1000-row update to qty 1 makes the total 1000');
SELECT is((SELECT count(*)::int FROM quota.daily_total WHERE rep_id = 'l_utc' AND kind = 'email' AND day = '2026-10-20'), 1,
          'and still one row of quota.daily_total');
DELETE FROM quota.activity WHERE source = 'bulk';
SELECT is(pg_temp.total('l_utc', 'email', '2026-10-20'), 0::numeric, 'a 1000-row delete brings the total back to 0');

-- COPY folds the same way: 1 + 2 + 3 = 6 social contacts on 21 October.
COPY quota.activity (rep_id, kind, occurred_at, qty) FROM stdin;
l_utc	social_contact	2026-10-21 08:00:00+00	1
l_utc	social_contact	2026-10-21 09:00:00+00	2
l_utc	social_contact	2026-10-21 10:00:00+00	3
\.
SELECT is(pg_temp.total('l_utc', 'social_contact', '2026-10-21'), 6::numeric, 'COPY of 3 rows: 1 + 2 + 3 = 6');
SELECT is((SELECT count(*)::int FROM quota.daily_total WHERE rep_id = 'l_utc' AND kind = 'social_contact'), 1,
          'COPY of 3 rows of one rep, kind and day makes one row of quota.daily_total');
SELECT is_empty('SELECT * FROM quota.verify()', 'verify() is empty after bulk changes');

-- TRUNCATE empties the totals.
TRUNCATE quota.activity, quota.activity_credit;
SELECT is((SELECT count(*)::int FROM quota.daily_total), 0, 'TRUNCATE of quota.activity empties quota.daily_total');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES ('l_utc', 'call', '2026-10-05 10:00+00', 7);
SELECT is(pg_temp.total('l_utc', 'call', '2026-10-05'), 7::numeric, 'after TRUNCATE, totals start again from 0 (0 + 7 = 7)');
SELECT is_empty('SELECT * FROM quota.verify()', 'verify() is empty after TRUNCATE');

-- quota.activity_totals() only works as an AFTER trigger of the extension's tables.
SELECT throws_ok('SELECT quota.activity_totals()', '39P01', NULL,
                 'calling quota.activity_totals() directly is refused (39P01)');
CREATE TEMP TABLE fake_activity (LIKE quota.activity);
CREATE TRIGGER fake_row AFTER INSERT ON fake_activity
    FOR EACH ROW EXECUTE FUNCTION quota.activity_totals();
SELECT throws_ok($$INSERT INTO fake_activity (activity_id, rep_id, kind, occurred_at, qty, recorded_at)
                   VALUES (1, 'l_utc', 'call', '2026-10-05 10:00+00', 1, now())$$,
                 '39P01', 'quota.activity_totals() keeps the totals of quota.activity and quota.activity_credit only',
                 'quota.activity_totals() as a row trigger of another table is refused (39P01)');
DROP TRIGGER fake_row ON fake_activity;
CREATE TRIGGER fake_before BEFORE INSERT ON fake_activity
    FOR EACH STATEMENT EXECUTE FUNCTION quota.activity_totals();
SELECT throws_ok($$INSERT INTO fake_activity (activity_id, rep_id, kind, occurred_at, qty, recorded_at)
                   VALUES (1, 'l_utc', 'call', '2026-10-05 10:00+00', 1, now())$$,
                 '39P01', 'quota.activity_totals() must be fired AFTER ... FOR EACH ROW or FOR EACH STATEMENT',
                 'quota.activity_totals() as a BEFORE trigger is refused (39P01)');
DROP TRIGGER fake_before ON fake_activity;
CREATE TRIGGER fake_statement AFTER INSERT ON fake_activity
    FOR EACH STATEMENT EXECUTE FUNCTION quota.activity_totals();
SELECT throws_ok($$INSERT INTO fake_activity (activity_id, rep_id, kind, occurred_at, qty, recorded_at)
                   VALUES (1, 'l_utc', 'call', '2026-10-05 10:00+00', 1, now())$$,
                 '39P01', NULL, 'quota.activity_totals() as a statement trigger of another table is refused (39P01)');
SELECT is(pg_temp.total('l_utc', 'call', '2026-10-05'), 7::numeric, 'the refused calls changed no total');

-- A statement whose deltas outgrow 16 times work_mem (1 MB here) writes them
-- in several batches (the memory is checked every 1024 new deltas): 60000
-- rows over 15000 days of l_hel's emails, row i on day i % 15000, so the days
-- come round four times and totals are added to by several batches.
-- Quantities i % 3 + 1 over i = 0..59999: 20000 each of 1, 2 and 3, 120000.
SET LOCAL work_mem = '64kB';
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty)
SELECT 'l_hel', 'email', timestamptz '1980-01-01 12:00+00' + (i % 15000) * interval '1 day', i % 3 + 1
  FROM generate_series(0, 59999) AS i;
RESET work_mem;
SELECT is((SELECT count(DISTINCT day) FROM quota.daily_total WHERE rep_id = 'l_hel' AND kind = 'email'),
          15000::bigint, 'a batched insert makes one total per day: 15000 days');
SELECT is((SELECT sum(qty) FROM quota.daily_total WHERE rep_id = 'l_hel' AND kind = 'email'),
          120000::numeric, 'a batched insert loses nothing: 120000 in all');
SELECT is_empty('SELECT * FROM quota.verify()', 'a batched insert leaves verify() empty');

SELECT * FROM finish();
ROLLBACK;
