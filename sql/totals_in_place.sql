-- totals_in_place: a statement that adds to totals whose rows exist (in
-- this backend's slot) updates those rows in place, without the upsert
-- (src/total_rows.c); rows that do not exist yet, and tables whose own
-- triggers or constraints ask for more, go through the upsert.  The
-- figures are the same either way, and are derived by hand below.
BEGIN;
SET LOCAL datestyle = 'ISO, YMD';
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('ip_ada', 'Ada', 'UTC');

-- The first row of 2 November writes the day's and the month's rows (the
-- upsert); the next statements add in place: 3, 5, then an update of the
-- first row from 2 to 7 (+5) and a delete of the 3 (-3, one row fewer).
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, source)
VALUES ('ip_ada', 'call', '2026-11-02 10:00+00', 2, 'first');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, source)
VALUES ('ip_ada', 'call', '2026-11-02 11:00+00', 3, 'second');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty)
VALUES ('ip_ada', 'call', '2026-11-02 12:00+00', 5);
UPDATE quota.activity SET qty = 7 WHERE rep_id = 'ip_ada' AND source = 'first';
DELETE FROM quota.activity WHERE rep_id = 'ip_ada' AND source = 'second';

-- One row per total (one slot, this backend's): 2 + 3 + 5 + 5 - 3 = 12 in
-- 3 - 1 = 2 rows; the month the same 12.
SELECT day, count(*) AS total_rows, sum(qty) AS qty, sum(rows) AS rows
  FROM quota.daily_total WHERE rep_id = 'ip_ada' GROUP BY day;
SELECT month, count(*) AS total_rows, sum(qty) AS qty
  FROM quota.month_total WHERE rep_id = 'ip_ada' GROUP BY month;

-- A row whose page has no room for its new version is not heap-only: the
-- new version needs entries in every index.  One statement writes 600
-- days of a second rep (packed pages, 1 each), then one update adds 2 to
-- the first 60 days in place (60 deltas of days, 3 of months).
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('ip_ben', 'Ben', 'UTC');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, source)
SELECT 'ip_ben', 'email', timestamptz '2025-01-01 12:00+00' + d * interval '1 day', 1, 'day ' || d
  FROM generate_series(0, 599) AS d;
SELECT n_tup_upd AS updates_before, n_tup_hot_upd AS heap_only_before
  FROM pg_stat_xact_user_tables WHERE relid = 'quota.daily_total'::regclass \gset
UPDATE quota.activity SET qty = 3
 WHERE rep_id = 'ip_ben' AND occurred_at < timestamptz '2025-03-02 00:00+00';
SELECT n_tup_upd - :updates_before AS updates,
       n_tup_upd - :updates_before > n_tup_hot_upd - :heap_only_before AS some_not_heap_only
  FROM pg_stat_xact_user_tables WHERE relid = 'quota.daily_total'::regclass;
-- Every version is in every index, and the figures read through the
-- primary key are those of the table: 60 days of 3 and 540 of 1, 720; the
-- months 2025-01 31 x 3 = 93, 2025-02 28 x 3 = 84, 2025-03 1 x 3 + 30 = 33.
CREATE EXTENSION amcheck;
SELECT bt_index_check('quota.daily_total_pkey', true), bt_index_check('quota.month_total_pkey', true);
SET LOCAL enable_seqscan = off;
SET LOCAL enable_bitmapscan = off;
SELECT sum(qty) AS qty, count(*) AS days FROM quota.daily_total
 WHERE rep_id = 'ip_ben' AND kind = 'email' AND day >= '2025-01-01';
SELECT month, qty FROM quota.month_total
 WHERE rep_id = 'ip_ben' AND kind = 'email' AND month < '2025-04-01' ORDER BY month;
RESET enable_seqscan;
RESET enable_bitmapscan;

-- A trigger of the table's own: its rows go through the upsert, so that
-- the trigger fires (one update of 2 November, +4: 12 + 4 = 16).
CREATE TABLE ip_updates (n integer);
CREATE FUNCTION ip_count_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ip_updates VALUES (1);
    RETURN NULL;
END
$$;
CREATE TRIGGER ip_count AFTER UPDATE ON quota.daily_total
    FOR EACH ROW EXECUTE FUNCTION ip_count_update();
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty)
VALUES ('ip_ada', 'call', '2026-11-02 15:00+00', 4);
SELECT count(*) AS trigger_fired FROM ip_updates;
DROP TRIGGER ip_count ON quota.daily_total;
SELECT sum(qty) AS qty FROM quota.daily_total WHERE rep_id = 'ip_ada';

-- A check constraint of the table's own holds for a row added in place as
-- for an upserted one: 16 + 90 > 100 is refused (23514), and nothing of
-- the statement stays.
ALTER TABLE quota.daily_total ADD CONSTRAINT ip_small CHECK (qty < 100) NOT VALID;
SAVEPOINT before_ninety;
\set VERBOSITY terse
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty)
VALUES ('ip_ada', 'call', '2026-11-02 16:00+00', 90);
ROLLBACK TO SAVEPOINT before_ninety;
\set VERBOSITY default
ALTER TABLE quota.daily_total DROP CONSTRAINT ip_small;
SELECT sum(qty) AS qty FROM quota.daily_total WHERE rep_id = 'ip_ada';
SELECT count(*) AS differences FROM quota.verify();
ROLLBACK;

-- Where it wrote a row is remembered by the session, as a hint that is
-- checked.  Committed: a row of 9 on 5 November.  Rolled back: +4 in
-- place, a new version the session notes.  The next +1 finds that version
-- dead, looks the row up again and adds to the committed one: 9 + 1 = 10.
SET datestyle = 'ISO, YMD';
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('ip_cy', 'Cy', 'UTC');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty)
VALUES ('ip_cy', 'meeting', '2026-11-05 09:00+00', 9);
BEGIN;
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty)
VALUES ('ip_cy', 'meeting', '2026-11-05 10:00+00', 4);
ROLLBACK;
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty)
VALUES ('ip_cy', 'meeting', '2026-11-05 11:00+00', 1);
SELECT day, count(*) AS total_rows, sum(qty) AS qty, sum(rows) AS rows
  FROM quota.daily_total WHERE rep_id = 'ip_cy' GROUP BY day;
SELECT month, count(*) AS total_rows, sum(qty) AS qty
  FROM quota.month_total WHERE rep_id = 'ip_cy' GROUP BY month;
SELECT count(*) AS differences FROM quota.verify() WHERE rep_id = 'ip_cy';
DELETE FROM quota.activity WHERE rep_id = 'ip_cy';
SELECT quota.rebuild('ip_cy') >= 0 AS rebuilt;
DELETE FROM quota.rep WHERE rep_id = 'ip_cy';
