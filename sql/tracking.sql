-- tracking: the core rules of tracked tables (quota.track(), quota.untrack()).
-- Rows of a user's own tables that satisfy a filter count as activity of a
-- kind: qty (or 1 a row) for the rep named by a column, on the day of a
-- time column in the rep's time zone (a date column: on that date).  Rows
-- that cannot be counted wait in quota.unmatched; changes of closed days go
-- to quota.late_change.  Every figure is derived by hand in the comments.
--
-- The cast (quota.rep), in November 2026:
--   tk_utc    UTC
--   tk_ny     America/New_York (EST, -05 after 1 November 2026)
--   tk_tokyo  Asia/Tokyo (+09)
--   tk_late   America/New_York, created in section 5 (rows wait for it)
-- tk_ny owes 10 calls in November 2026; tk_tokyo owes 30 calls a month
-- from 3 November, so 30 * 28/30 = 28.00 in November.
--
-- Everything lives in schemas tk, tk_owned and tk_secret and under reps
-- tk_* and roles regress_tk_*, all removed at the end.  Closing periods is
-- final and global: it is done only inside transactions that are rolled
-- back.  Tracking ids depend on the tests run before, so totals are shown
-- by table, kind and filter (the view tk.totals), never by id; totals that
-- sum to 0 (rows and qty) are left out.  Errors show their message,
-- detail and hint, then their SQLSTATE.
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
SET TimeZone = 'UTC';

CREATE SCHEMA tk;
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES
    ('tk_utc',   'Tk UTC',   'UTC'),
    ('tk_ny',    'Tk NY',    'America/New_York'),
    ('tk_tokyo', 'Tk Tokyo', 'Asia/Tokyo');
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES
    ('tk_ny',    'call', '10/month', '[2026-11-01,2026-12-01)'),
    ('tk_tokyo', 'call', '30/month', '[2026-11-03,2026-12-01)');

-- The totals of the tracked tables, summed over their slots.
CREATE VIEW tk.totals AS
SELECT t.source, t.kind, quota.tracked_filter(t.tracking_id, t.source::oid) AS filter,
       d.rep_id, d.day, sum(d.qty) AS qty, sum(d.rows) AS rows
  FROM quota.daily_total d JOIN quota.tracking t ON t.tracking_id = d.tracking_id
 GROUP BY t.tracking_id, t.source, t.kind, d.rep_id, d.day
HAVING sum(d.qty) <> 0 OR sum(d.rows) <> 0;

--------------------------------------------------------------------------
-- 1. Basic tracking: the calls of a CRM, outbound only.
CREATE TABLE tk.calls (call_id bigint PRIMARY KEY, owner text, started_at timestamptz, direction text);
INSERT INTO tk.calls VALUES
    (1, 'tk_utc',   '2026-11-02 10:00+00', 'outbound'),  -- UTC 2 Nov
    (2, 'tk_utc',   '2026-11-02 23:30+00', 'outbound'),  -- UTC 2 Nov
    (3, 'tk_utc',   '2026-11-02 12:00+00', 'inbound'),   -- not counted
    (4, 'tk_ny',    '2026-11-03 03:00+00', 'outbound'),  -- 22:00 on 2 Nov in New York
    (5, 'tk_ny',    '2026-11-03 15:00+00', 'outbound'),  -- 10:00 on 3 Nov
    (6, 'tk_tokyo', '2026-11-02 16:00+00', 'outbound'),  -- 01:00 on 3 Nov in Tokyo
    (7, 'tk_tokyo', '2026-11-02 14:00+00', 'outbound'),  -- 23:00 on 2 Nov
    (8, 'tk_ny',    '2026-11-04 12:00+00', 'inbound');   -- not counted
-- The rows there count at once: 1, 2, 4, 5, 6 and 7, so track() returns 6.
SELECT quota.track('tk.calls', 'call', 'owner', 'started_at', filter => 'direction = ''outbound''') AS counted;
-- tk_utc 2 Nov 2 (1, 2); tk_ny 2 Nov 1 (4), 3 Nov 1 (5); tk_tokyo 2 Nov 1
-- (7), 3 Nov 1 (6).  Each row counts 1 (no qty column).
SELECT rep_id, kind, day, qty, rows FROM tk.totals WHERE source = 'tk.calls'::regclass ORDER BY rep_id, day;
SELECT source, kind, rep_column, occurred_at_column, qty_column, filter, rows_counted, rows_unmatched,
       late_changes, tracked_by
  FROM quota.sources WHERE source = 'tk.calls'::regclass;
-- The triggers of the tracking, enabled ALWAYS ('A'): the row triggers of
-- deletes and updates have the filter as their WHEN clause; inserts go
-- through quota_track_insert, one for every tracking of the table, which
-- evaluates their filters itself.
SELECT regexp_replace(tgname, '^quota_track_[0-9]+_', 'quota_track_N_') AS trigger, tgenabled,
       pg_get_triggerdef(oid) ~ 'WHEN' AS has_when
  FROM pg_trigger WHERE tgrelid = 'tk.calls'::regclass ORDER BY 1;

-- Inserts one by one: 9 at 04:59 UTC on 5 Nov is 23:59 on 4 Nov in New
-- York; 10 at 05:00 UTC is New York's midnight, 5 Nov.
INSERT INTO tk.calls VALUES (9, 'tk_ny', '2026-11-05 04:59+00', 'outbound');
INSERT INTO tk.calls VALUES (10, 'tk_ny', '2026-11-05 05:00+00', 'outbound');
-- One insert of four rows: 11 tk_utc 5 Nov; 12 at 15:00 UTC on 4 Nov is
-- Tokyo's midnight, 5 Nov; 13 is inbound (one second before that
-- midnight, not counted anyway); 14 tk_ny 6 Nov.
INSERT INTO tk.calls VALUES
    (11, 'tk_utc',   '2026-11-05 00:00+00',    'outbound'),
    (12, 'tk_tokyo', '2026-11-04 15:00+00',    'outbound'),
    (13, 'tk_tokyo', '2026-11-04 14:59:59+00', 'inbound'),
    (14, 'tk_ny',    '2026-11-06 12:00+00',    'outbound');
-- tk_ny 4 Nov 1 (9), 5 Nov 1 (10), 6 Nov 1 (14); tk_utc 5 Nov 1 (11);
-- tk_tokyo 5 Nov 1 (12); the rest as before.
SELECT rep_id, day, qty, rows FROM tk.totals WHERE source = 'tk.calls'::regclass ORDER BY rep_id, day;

-- Updates.  3 becomes outbound: it starts to count (tk_utc 2 Nov 2 -> 3).
UPDATE tk.calls SET direction = 'outbound' WHERE call_id = 3;
-- 5 becomes inbound: it stops counting (tk_ny 3 Nov 1 -> 0).
UPDATE tk.calls SET direction = 'inbound' WHERE call_id = 5;
-- 4 moves from tk_ny to tk_utc at the same moment, 03:00 UTC on 3 Nov: it
-- leaves tk_ny's 2 Nov (1 -> 0) for tk_utc's 3 Nov (0 -> 1).
UPDATE tk.calls SET owner = 'tk_utc' WHERE call_id = 4;
-- 10 moves an hour back, across New York's midnight: from 5 Nov (1 -> 0)
-- to 4 Nov 23:00 (1 -> 2).
UPDATE tk.calls SET started_at = '2026-11-05 04:00+00' WHERE call_id = 10;
-- 14 moves from tk_ny (6 Nov, 1 -> 0) to tk_tokyo, at 16:00 UTC on 6 Nov,
-- which is 01:00 on 7 Nov in Tokyo (0 -> 1).
UPDATE tk.calls SET owner = 'tk_tokyo', started_at = '2026-11-06 16:00+00' WHERE call_id = 14;
-- An update of every row that changes nothing the tracking reads takes
-- each counted row back and counts it again: no total moves.
UPDATE tk.calls SET direction = direction;
-- Deletes: 2 (tk_utc 2 Nov 3 -> 2) and 13 (inbound, never counted).
DELETE FROM tk.calls WHERE call_id IN (2, 13);
-- The rows counted now:
--   tk_utc    2 Nov 2 (1, 3), 3 Nov 1 (4), 5 Nov 1 (11)
--   tk_ny     4 Nov 2 (9, 10)
--   tk_tokyo  2 Nov 1 (7), 3 Nov 1 (6), 5 Nov 1 (12), 7 Nov 1 (14)
-- 10 rows in all.
SELECT rep_id, day, qty, rows FROM tk.totals WHERE source = 'tk.calls'::regclass ORDER BY rep_id, day;
SELECT rows_counted, rows_unmatched FROM quota.sources WHERE source = 'tk.calls'::regclass;
SELECT * FROM quota.verify() WHERE rep_id LIKE 'tk\_%';

-- Progress counts tracked rows with quota.activity: tk_ny also logged 3
-- calls in quota.activity (10 Nov, 10:00 in New York).
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES ('tk_ny', 'call', '2026-11-10 15:00+00', 3);
-- As of 2026-11-20 17:00 UTC (after every row; 12:00 on 20 Nov in New
-- York, 02:00 on 21 Nov in Tokyo):
--   tk_ny    actual 2 (9, 10) + 3 = 5 of 10.00: attainment 0.5000,
--            shortfall 5.00; elapsed 19.5 / 30 = 0.6500, expected 6.50,
--            pace 5 / 6.5 = 0.7692, projected 5 / 0.65 = 7.69 < 10: behind.
--   tk_tokyo valid from 3 Nov: 7 (2 Nov) is out, 6, 12 and 14 count: 3 of
--            28.00: attainment 0.1071, shortfall 25.00; elapsed (18 +
--            2/24) / 28 = 0.6458, expected 28 * 0.645833 = 18.08, pace
--            3 / 18.0833 = 0.1659, projected 3 / 0.645833 = 4.65: behind.
SELECT rep_id, period_start, target, actual, attainment, shortfall, met, elapsed,
       expected_to_date, pace, projected, status
  FROM quota.progress_as_of('2026-11-20 17:00+00')
 WHERE rep_id LIKE 'tk\_%' AND kind = 'call' ORDER BY rep_id;
-- After the month, 2026-12-01 12:00 UTC (07:00 in New York, 21:00 in
-- Tokyo): the same actuals, elapsed 1, both missed.
SELECT rep_id, period_start, target, actual, attainment, met, elapsed, status
  FROM quota.progress_as_of('2026-12-01 12:00+00')
 WHERE rep_id LIKE 'tk\_%' AND kind = 'call' ORDER BY rep_id;

--------------------------------------------------------------------------
-- 2. Quantity columns.  Invoices count their net amount as revenue; a
-- credit note counts negative.
CREATE TABLE tk.invoices (invoice_no text PRIMARY KEY, seller text, issued_at timestamptz, net_amount numeric);
INSERT INTO tk.invoices VALUES
    ('INV-1', 'tk_utc',   '2026-11-10 09:00+00', 1250.50),
    ('INV-2', 'tk_ny',    '2026-11-10 03:00+00', 999.99),   -- 22:00 on 9 Nov in New York
    ('CN-1',  'tk_utc',   '2026-11-10 12:00+00', -200.25),  -- credit note
    ('INV-3', 'tk_utc',   '2026-11-10 15:00+00', NULL),     -- qty is null
    ('INV-4', 'tk_ny',    '2026-11-11 12:00+00', 'NaN'),    -- qty is not finite
    ('INV-5', 'tk_tokyo', '2026-11-11 12:00+00', 'Infinity'),
    ('INV-6', 'tk_tokyo', '2026-11-11 12:00+00', 0.001);    -- 21:00 on 11 Nov in Tokyo
-- Counted: INV-1, INV-2, CN-1, INV-6 (4).
SELECT quota.track('tk.invoices', 'revenue', 'seller', 'issued_at', 'net_amount') AS counted;
-- tk_utc 10 Nov 1250.50 - 200.25 = 1050.25 (2 rows); tk_ny 9 Nov 999.99;
-- tk_tokyo 11 Nov 0.001, exactly.
SELECT rep_id, day, qty, rows FROM tk.totals WHERE source = 'tk.invoices'::regclass ORDER BY rep_id, day;
SELECT row_key, rep_id, occurred_at, qty, reason FROM quota.unmatched
 WHERE source = 'tk.invoices'::regclass ORDER BY row_key;
-- INV-3 gets its amount, 49.75: counted (tk_utc 10 Nov 1050.25 + 49.75 =
-- 1100.00, 3 rows) and no longer unmatched.  INV-2 loses its amount: it
-- leaves tk_ny's 9 Nov (999.99 -> 0) for quota.unmatched.
UPDATE tk.invoices SET net_amount = 49.75 WHERE invoice_no = 'INV-3';
UPDATE tk.invoices SET net_amount = NULL WHERE invoice_no = 'INV-2';
SELECT rep_id, day, qty, rows FROM tk.totals WHERE source = 'tk.invoices'::regclass ORDER BY rep_id, day;
SELECT row_key, rep_id, qty, reason FROM quota.unmatched
 WHERE source = 'tk.invoices'::regclass ORDER BY row_key;
SELECT rows_counted, rows_unmatched FROM quota.sources WHERE source = 'tk.invoices'::regclass;

-- integer, bigint and smallint columns: orders count units (integer) as
-- units_sold, customers (bigint) as new_customer and lines (smallint) as
-- opportunity.  A return counts -1 unit.
CREATE TABLE tk.orders (order_id integer PRIMARY KEY, rep text, ordered_at timestamptz,
                        units integer, customers bigint, lines smallint);
INSERT INTO tk.orders VALUES
    (1, 'tk_utc',   '2026-11-12 10:00+00', 3,          1,          2),
    (2, 'tk_utc',   '2026-11-12 11:00+00', -1,         0,          1),
    (3, 'tk_tokyo', '2026-11-12 10:00+00', 2147483647, 9000000000, 32767);  -- 19:00 in Tokyo
SELECT quota.track('tk.orders', 'units_sold', 'rep', 'ordered_at', 'units') AS units,
       quota.track('tk.orders', 'new_customer', 'rep', 'ordered_at', 'customers') AS customers,
       quota.track('tk.orders', 'opportunity', 'rep', 'ordered_at', 'lines') AS lines;
-- A fourth order of 2147483647 units for tk_tokyo: 2 * 2147483647 =
-- 4294967294, past the range of integer, exactly.
INSERT INTO tk.orders VALUES (4, 'tk_tokyo', '2026-11-12 11:00+00', 2147483647, 1, 1);
--   units_sold    tk_utc 3 - 1 = 2 (2 rows), tk_tokyo 4294967294 (2 rows)
--   new_customer  tk_utc 1 + 0 = 1 (2 rows), tk_tokyo 9000000001 (2 rows)
--   opportunity   tk_utc 2 + 1 = 3 (2 rows), tk_tokyo 32767 + 1 = 32768 (2 rows)
SELECT kind, rep_id, day, qty, rows FROM tk.totals WHERE source = 'tk.orders'::regclass ORDER BY kind, rep_id, day;

--------------------------------------------------------------------------
-- 3. A date column: a row counts on that date whatever the rep's zone (as
-- a timestamptz, 2026-11-12 00:00 UTC would be 11 Nov in New York).
CREATE TABLE tk.demos (demo_id integer PRIMARY KEY, rep text, held_on date);
INSERT INTO tk.demos VALUES
    (1, 'tk_utc',   '2026-11-12'),
    (2, 'tk_ny',    '2026-11-12'),
    (3, 'tk_tokyo', '2026-11-12'),
    (4, 'tk_tokyo', NULL),          -- time is null
    (5, 'tk_ny',    'infinity');    -- time is not finite
SELECT quota.track('tk.demos', 'demo', 'rep', 'held_on') AS counted;
-- 2 moves to 13 Nov.
UPDATE tk.demos SET held_on = '2026-11-13' WHERE demo_id = 2;
-- tk_utc 12 Nov 1, tk_ny 13 Nov 1, tk_tokyo 12 Nov 1.
SELECT rep_id, day, qty, rows FROM tk.totals WHERE source = 'tk.demos'::regclass ORDER BY rep_id, day;
-- The unmatched rows keep the date in occurred_on (occurred_at is NULL).
SELECT row_key, rep_id, occurred_at, occurred_on, qty, reason FROM quota.unmatched
 WHERE source = 'tk.demos'::regclass ORDER BY row_key;

--------------------------------------------------------------------------
-- 4. Several trackings of one table.
CREATE TABLE tk.activities (activity_id bigint PRIMARY KEY, rep text, at timestamptz, type text);
INSERT INTO tk.activities VALUES
    (1, 'tk_utc', '2026-11-13 09:00+00', 'call'),
    (2, 'tk_utc', '2026-11-13 10:00+00', 'call'),
    (3, 'tk_utc', '2026-11-13 11:00+00', 'meeting'),
    (4, 'tk_ny',  '2026-11-13 15:00+00', 'meeting'),  -- 10:00 in New York
    (5, 'tk_utc', '2026-11-13 12:00+00', 'dial');     -- another CRM's word for a call
-- Two kinds with their filters, and calls once more under another filter:
-- 2 calls, 2 meetings, 1 dial.
SELECT quota.track('tk.activities', 'call', 'rep', 'at', filter => 'type = ''call''') AS calls,
       quota.track('tk.activities', 'meeting', 'rep', 'at', filter => 'type = ''meeting''') AS meetings,
       quota.track('tk.activities', 'call', 'rep', 'at', filter => 'type = ''dial''') AS dials;
-- The same (table, kind, filter) again is refused (42710), however it is
-- written: with extra blanks, in parentheses, qualified by the table's
-- name.  The detail names the tracking that counts those rows already (its
-- id depends on the tests run before: shown as N, and checked against
-- quota.tracking).
CREATE FUNCTION pg_temp.refused(query text, tracking integer,
    OUT state text, OUT message text, OUT detail text, OUT names_it boolean, OUT hint text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE query;
    state := '00000';
EXCEPTION WHEN others THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
        detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
    names_it := detail = format('Tracking %s counts the same rows.', tracking);
    detail := regexp_replace(detail, '[0-9]+', 'N');
END
$$;
SELECT tracking_id AS calls_tracking FROM quota.tracking
 WHERE source = 'tk.activities'::regclass AND kind = 'call'
   AND quota.tracked_filter(tracking_id, source::oid) = '(type = ''call''::text)' \gset
SELECT f.filter, r.state, r.message, r.detail, r.names_it, r.hint
  FROM (VALUES ('type   =   ''call'''), ('(type = ''call'')'), ('activities.type = ''call''')) AS f(filter),
       LATERAL pg_temp.refused(format('SELECT quota.track(%L, %L, %L, %L, filter => %L)',
                                      'tk.activities', 'call', 'rep', 'at', f.filter), :calls_tracking) AS r;
-- So is a table tracked as a kind without a filter twice (a qty column of
-- its own does not make it another tracking: it would count the same rows).
SELECT tracking_id AS units_tracking FROM quota.tracking
 WHERE source = 'tk.orders'::regclass AND kind = 'units_sold' \gset
SELECT state, message, detail, names_it, hint
  FROM pg_temp.refused('SELECT quota.track(''tk.orders'', ''units_sold'', ''rep'', ''ordered_at'', ''lines'')',
                       :units_tracking);
-- Nothing of those attempts is left: three trackings, 6 triggers each.
SELECT kind, filter, rows_counted FROM quota.sources WHERE source = 'tk.activities'::regclass ORDER BY kind, filter;
SELECT count(*) AS triggers FROM pg_trigger WHERE tgrelid = 'tk.activities'::regclass;

-- A meeting of tk_ny at 02:00 UTC on 14 Nov (21:00 on 13 Nov in New York),
-- and activity 2 becomes a meeting.
INSERT INTO tk.activities VALUES (6, 'tk_ny', '2026-11-14 02:00+00', 'meeting');
UPDATE tk.activities SET type = 'meeting' WHERE activity_id = 2;
--   call    type = 'call'     tk_utc 13 Nov 1 (1)
--   call    type = 'dial'     tk_utc 13 Nov 1 (5)
--   meeting type = 'meeting'  tk_ny 13 Nov 2 (4, 6), tk_utc 13 Nov 2 (2, 3)
SELECT kind, filter, rep_id, day, qty, rows FROM tk.totals
 WHERE source = 'tk.activities'::regclass ORDER BY kind, filter, rep_id, day;

-- Untracking the meetings removes their totals and triggers, and leaves
-- the calls: a new meeting counts nowhere, a new call does (tk_utc 13 Nov,
-- type = 'call', 1 -> 2).
SELECT quota.untrack('tk.activities', 'meeting') AS untracked;
INSERT INTO tk.activities VALUES (7, 'tk_utc', '2026-11-13 13:00+00', 'meeting'),
                                 (8, 'tk_utc', '2026-11-13 14:00+00', 'call');
SELECT kind, filter, rep_id, day, qty, rows FROM tk.totals
 WHERE source = 'tk.activities'::regclass ORDER BY kind, filter, rep_id, day;
SELECT kind, filter, rows_counted FROM quota.sources WHERE source = 'tk.activities'::regclass ORDER BY kind, filter;
SELECT count(*) AS triggers FROM pg_trigger WHERE tgrelid = 'tk.activities'::regclass;
-- A kind that is not tracked (any more) is an error (42704).
SELECT quota.untrack('tk.activities', 'meeting');
\echo SQLSTATE :SQLSTATE
-- Untracking the table removes both call trackings; then nothing is left.
SELECT quota.untrack('tk.activities') AS untracked;
SELECT count(*) AS totals FROM tk.totals WHERE source = 'tk.activities'::regclass;
SELECT count(*) AS sources FROM quota.sources WHERE source = 'tk.activities'::regclass;
SELECT count(*) AS triggers FROM pg_trigger WHERE tgrelid = 'tk.activities'::regclass;
SELECT quota.untrack('tk.activities');
\echo SQLSTATE :SQLSTATE
-- Writes to the table go on, counted nowhere.
DELETE FROM tk.activities WHERE activity_id = 1;
SELECT count(*) AS totals FROM tk.totals WHERE source = 'tk.activities'::regclass;

--------------------------------------------------------------------------
-- 5. Unmatched rows.
CREATE TABLE tk.contacts (contact_id bigint PRIMARY KEY, rep text, contacted_at timestamptz);
INSERT INTO tk.contacts VALUES
    (1, NULL,     '2026-11-16 10:00+00'),  -- rep is null
    (2, 'tk_late', '2026-11-16 03:00+00'), -- unknown rep (22:00 on 15 Nov in New York)
    (3, 'tk_late', '2026-11-16 06:00+00'), -- unknown rep (01:00 on 16 Nov)
    (4, 'tk_utc', NULL),                   -- time is null
    (5, 'tk_utc', 'infinity'),             -- time is not finite
    (6, 'tk_utc', '-infinity'),            -- time is not finite
    (7, 'tk_utc', '2026-11-16 10:00+00');  -- counted
SELECT quota.track('tk.contacts', 'social_contact', 'rep', 'contacted_at') AS counted;
-- One more row for tk_late, through the trigger: 04:00 UTC on 17 Nov is
-- 23:00 on 16 Nov in New York.
INSERT INTO tk.contacts VALUES (8, 'tk_late', '2026-11-17 04:00+00');
SELECT row_key, rep_id, occurred_at, occurred_on, qty, reason FROM quota.unmatched
 WHERE source = 'tk.contacts'::regclass ORDER BY row_key;
SELECT rows_counted, rows_unmatched FROM quota.sources WHERE source = 'tk.contacts'::regclass;

-- tk_late is created (New York): its three rows count on its local days,
-- 15 Nov 1 (2) and 16 Nov 2 (3, 8), and leave quota.unmatched.
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('tk_late', 'Tk Late', 'America/New_York');
-- Row 1 gets a rep: tk_utc 16 Nov 1 (7) -> 2.  Row 4 is deleted: it leaves
-- quota.unmatched.  Row 5 gets a finite time: tk_utc 17 Nov 1.
UPDATE tk.contacts SET rep = 'tk_utc' WHERE contact_id = 1;
DELETE FROM tk.contacts WHERE contact_id = 4;
UPDATE tk.contacts SET contacted_at = '2026-11-17 09:00+00' WHERE contact_id = 5;
SELECT rep_id, day, qty, rows FROM tk.totals WHERE source = 'tk.contacts'::regclass ORDER BY rep_id, day;
-- Only 6 is left unmatched; 6 rows counted (1, 2, 3, 5, 7, 8).
SELECT row_key, rep_id, occurred_at, reason FROM quota.unmatched
 WHERE source = 'tk.contacts'::regclass ORDER BY row_key;
SELECT rows_counted, rows_unmatched FROM quota.sources WHERE source = 'tk.contacts'::regclass;
SELECT * FROM quota.verify() WHERE rep_id LIKE 'tk\_%';

-- A composite primary key gives (a,b), quoted as a record is where a value
-- needs it (a comma in 'a,b' would make it ambiguous otherwise).
CREATE TABLE tk.contact_log (region text, seq integer, rep text, at timestamptz, PRIMARY KEY (region, seq));
INSERT INTO tk.contact_log VALUES
    ('emea', 7, 'tk_nobody', '2026-11-16 10:00+00'),
    ('a,b',  1, NULL,        '2026-11-16 10:00+00');
-- A table without a primary key gives NULL.
CREATE TABLE tk.contact_raw (rep text, at timestamptz);
INSERT INTO tk.contact_raw VALUES (NULL, '2026-11-16 10:00+00');
SELECT quota.track('tk.contact_log', 'social_contact', 'rep', 'at') AS log_counted,
       quota.track('tk.contact_raw', 'social_contact', 'rep', 'at') AS raw_counted;
SELECT source, row_key, rep_id, reason FROM quota.unmatched
 WHERE source IN ('tk.contact_log'::regclass, 'tk.contact_raw'::regclass) ORDER BY source, row_key;

--------------------------------------------------------------------------
-- 6. Closed periods, in a transaction rolled back at the end (closing is
-- final and global).  Close every day through 10 Nov.
BEGIN;
SELECT quota.close_period('2026-11-10');
CREATE TEMP TABLE closed_totals ON COMMIT DROP AS
SELECT source, kind, filter, rep_id, day, qty, rows FROM tk.totals WHERE day <= '2026-11-10';

-- On closed days:
--   an insert:  call 15, tk_utc, 3 Nov: late change +1 on tk_utc 3 Nov
INSERT INTO tk.calls VALUES (15, 'tk_utc', '2026-11-03 09:00+00', 'outbound');
--   an update:  call 7 (tk_tokyo, 2 Nov) stops matching: -1 on 2 Nov
UPDATE tk.calls SET direction = 'inbound' WHERE call_id = 7;
--   a delete:   call 6 (tk_tokyo, 3 Nov): -1 on 3 Nov
DELETE FROM tk.calls WHERE call_id = 6;
--   an amount changed: INV-1 (tk_utc, 10 Nov) 1250.50 -> 1300.00: both
--   sides, -1250.50 (-1 row) and +1300.00 (+1 row), on 10 Nov
UPDATE tk.invoices SET net_amount = 1300.00 WHERE invoice_no = 'INV-1';
-- From a closed day to an open one: call 9 (tk_ny, 4 Nov) moves to 15:00
-- UTC on 20 Nov (10:00 in New York): -1 on 4 Nov is a late change, and
-- tk_ny's 20 Nov counts it (0 -> 1).
UPDATE tk.calls SET started_at = '2026-11-20 15:00+00' WHERE call_id = 9;
-- A row waiting for a rep, on a closed day: when tk_later (New York) is
-- created, contact 9 (12:00 UTC on 5 Nov, 07:00 in New York) is a late
-- change +1 on 5 Nov, not a total.
INSERT INTO tk.contacts VALUES (9, 'tk_later', '2026-11-05 12:00+00');
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('tk_later', 'Tk Later', 'America/New_York');

-- The closed totals are as they were (no rows either way) ...
(SELECT * FROM tk.totals WHERE day <= '2026-11-10' EXCEPT SELECT * FROM closed_totals)
UNION ALL
(SELECT * FROM closed_totals EXCEPT SELECT * FROM tk.totals WHERE day <= '2026-11-10');
-- ... and the calls are: tk_ny 4 Nov still 2 (9 left it after the close),
-- 20 Nov 1 (9); tk_tokyo 2 Nov and 3 Nov still 1; tk_utc 3 Nov still 1.
SELECT rep_id, day, qty, rows FROM tk.totals WHERE source = 'tk.calls'::regclass ORDER BY rep_id, day;
-- The late changes, in their order (the update of INV-1 takes the old
-- side back first, then counts the new one).
SELECT source, row_key, rep_id, kind, day, qty_change, rows_change
  FROM quota.late_change WHERE source::text LIKE 'tk.%' ORDER BY late_change_id;
SELECT source, kind, late_changes FROM quota.sources WHERE late_changes > 0 ORDER BY source::text, kind;
SELECT count(*) AS tk_later_totals FROM quota.daily_total WHERE rep_id = 'tk_later';
-- verify() accounts for them: totals = recount - late changes (no rows).
SELECT * FROM quota.verify() WHERE rep_id LIKE 'tk\_%';
-- rebuild() keeps the closed figures: every total is as before (no rows
-- either way), and verify() still agrees.
CREATE TEMP TABLE built_totals ON COMMIT DROP AS SELECT * FROM tk.totals;
SELECT quota.rebuild() > 0 AS rebuilt;
(SELECT * FROM tk.totals EXCEPT SELECT * FROM built_totals)
UNION ALL
(SELECT * FROM built_totals EXCEPT SELECT * FROM tk.totals);
SELECT * FROM quota.verify() WHERE rep_id LIKE 'tk\_%';
ROLLBACK;
-- The close is undone with the rest: no close, no late change, and a call
-- of 3 Nov counts again (tk_utc 3 Nov 1 -> 2, then back to 1).
SELECT count(*) AS closes FROM quota.period_close;
SELECT count(*) AS late_changes FROM quota.late_change WHERE source::text LIKE 'tk.%';
INSERT INTO tk.calls VALUES (15, 'tk_utc', '2026-11-03 09:00+00', 'outbound');
SELECT rep_id, day, qty, rows FROM tk.totals WHERE source = 'tk.calls'::regclass AND rep_id = 'tk_utc' ORDER BY day;
DELETE FROM tk.calls WHERE call_id = 15;
SELECT rep_id, day, qty, rows FROM tk.totals WHERE source = 'tk.calls'::regclass AND rep_id = 'tk_utc' ORDER BY day;

--------------------------------------------------------------------------
-- 7. Bad input: each refused with its SQLSTATE, and nothing tracked.
CREATE TABLE tk.bad (id integer PRIMARY KEY, rep text, at timestamptz, local_at timestamp,
                     label text, n integer, price double precision);
CREATE TABLE tk.other (label text);
SELECT count(*) AS trackings_before FROM quota.tracking \gset
-- Unknown table (42P01, from regclass), NULL arguments (22004).
SELECT quota.track('tk.nosuch', 'call', 'rep', 'at');
\echo SQLSTATE :SQLSTATE
SELECT quota.track(NULL, 'call', 'rep', 'at');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad', NULL, 'rep', 'at');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad', 'call', NULL, 'at');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad', 'call', 'rep', NULL);
\echo SQLSTATE :SQLSTATE
-- Unknown columns (42703): rep, time, qty.
SELECT quota.track('tk.bad', 'call', 'owner', 'at');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad', 'call', 'rep', 'started_at');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad', 'call', 'rep', 'at', 'amount');
\echo SQLSTATE :SQLSTATE
-- Columns of the wrong type (42804): a time of text, integer or timestamp
-- without time zone; a qty of text or double precision.
SELECT quota.track('tk.bad', 'call', 'rep', 'label');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad', 'call', 'rep', 'n');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad', 'call', 'rep', 'local_at');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad', 'call', 'rep', 'at', 'label');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad', 'call', 'rep', 'at', 'price');
\echo SQLSTATE :SQLSTATE
-- An unknown kind (23503).
SELECT quota.track('tk.bad', 'cold_call', 'rep', 'at');
\echo SQLSTATE :SQLSTATE
-- Filters that are not boolean (42804); two expressions in parentheses
-- are one row.
SELECT quota.track('tk.bad', 'call', 'rep', 'at', filter => 'label');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad', 'call', 'rep', 'at', filter => 'n + 1');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad', 'call', 'rep', 'at', filter => 'true, false');
\echo SQLSTATE :SQLSTATE
-- Filters with a subquery (0A000).
SELECT quota.track('tk.bad', 'call', 'rep', 'at', filter => 'n IN (SELECT 1)');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad', 'call', 'rep', 'at', filter => 'EXISTS (SELECT FROM pg_class)');
\echo SQLSTATE :SQLSTATE
-- Filters that are not one expression (42601), also those that try to
-- break out of it.
SELECT quota.track('tk.bad', 'call', 'rep', 'at', filter => 'true) FROM pg_class --');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad', 'call', 'rep', 'at', filter => 'true; DROP TABLE tk.other');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad', 'call', 'rep', 'at', filter => 'true) UNION SELECT (false');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad', 'call', 'rep', 'at', filter => 'true) WHERE (true');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad', 'call', 'rep', 'at', filter => 'label = ');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad', 'call', 'rep', 'at', filter => '');
\echo SQLSTATE :SQLSTATE
-- Filters naming columns of other tables or of no table (42703).
SELECT quota.track('tk.bad', 'call', 'rep', 'at', filter => 'other.label = ''x''');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad', 'call', 'rep', 'at', filter => 'pg_class.relname = ''x''');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad', 'call', 'rep', 'at', filter => 'new.label = ''x''');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad', 'call', 'rep', 'at', filter => 'colour = ''red''');
\echo SQLSTATE :SQLSTATE
-- An aggregate (42803), a window function (42P20), a set-returning
-- function (0A000).
SELECT quota.track('tk.bad', 'call', 'rep', 'at', filter => 'count(*) > 0');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad', 'call', 'rep', 'at', filter => 'row_number() OVER () = 1');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad', 'call', 'rep', 'at', filter => 'generate_series(1, 2) = n');
\echo SQLSTATE :SQLSTATE
-- Relations that cannot be tracked (42809): a view, a materialized view, a
-- foreign table, a temporary table, a partition, tables of the extension.
CREATE VIEW tk.bad_view AS SELECT * FROM tk.bad;
CREATE MATERIALIZED VIEW tk.bad_matview AS SELECT * FROM tk.bad;
CREATE FOREIGN DATA WRAPPER tk_fdw;
CREATE SERVER tk_server FOREIGN DATA WRAPPER tk_fdw;
CREATE FOREIGN TABLE tk.bad_foreign (id integer, rep text, at timestamptz) SERVER tk_server;
CREATE TEMP TABLE bad_temp (id integer, rep text, at timestamptz);
CREATE TABLE tk.bad_parted (id integer, rep text, at timestamptz) PARTITION BY RANGE (at);
CREATE TABLE tk.bad_part PARTITION OF tk.bad_parted FOR VALUES FROM ('2026-11-01') TO ('2026-12-01');
SELECT quota.track('tk.bad_view', 'call', 'rep', 'at');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad_matview', 'call', 'rep', 'at');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad_foreign', 'call', 'rep', 'at');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('pg_temp.bad_temp', 'call', 'rep', 'at');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('tk.bad_part', 'call', 'rep', 'at');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('quota.activity', 'call', 'rep_id', 'occurred_at');
\echo SQLSTATE :SQLSTATE
SELECT quota.track('quota.rep', 'call', 'rep_id', 'rep_id');
\echo SQLSTATE :SQLSTATE
-- Nothing was tracked, no trigger was made, and tk.other is still there.
SELECT count(*) = :trackings_before AS trackings_unchanged FROM quota.tracking;
SELECT count(*) AS trackings FROM quota.tracking
 WHERE source::text IN ('tk.bad', 'tk.other', 'tk.bad_view', 'tk.bad_matview', 'tk.bad_foreign',
                        'bad_temp', 'tk.bad_parted', 'tk.bad_part');
SELECT count(*) AS triggers FROM pg_trigger
 WHERE tgrelid IN ('tk.bad'::regclass, 'tk.other'::regclass, 'tk.bad_view'::regclass,
                   'tk.bad_matview'::regclass, 'tk.bad_foreign'::regclass, 'bad_temp'::regclass,
                   'tk.bad_parted'::regclass, 'tk.bad_part'::regclass, 'quota.rep'::regclass)
   AND tgname LIKE 'quota\_track\_%';
SELECT count(*) AS other_rows FROM tk.other;
-- A filter may name the table's own columns qualified by the table's
-- name; it reads as the plain column (and counts nothing here: no rows).
SELECT quota.track('tk.bad', 'call', 'rep', 'at', filter => 'bad.label = ''x''') AS counted;
SELECT kind, filter FROM quota.sources WHERE source = 'tk.bad'::regclass;
SELECT quota.untrack('tk.bad') AS untracked;
DROP TABLE bad_temp;

--------------------------------------------------------------------------
-- 8. Rights.  regress_tk_owner owns tk_owned.calls; regress_tk_writer may
-- write it (not read it: a column of it only, for its WHERE clauses);
-- regress_tk_other may not touch it; regress_tk_callers is a group role.
SET client_min_messages = warning;
CREATE ROLE regress_tk_owner;
CREATE ROLE regress_tk_writer;
CREATE ROLE regress_tk_other;
CREATE ROLE regress_tk_callers;
RESET client_min_messages;
GRANT USAGE ON SCHEMA quota TO regress_tk_owner, regress_tk_writer, regress_tk_other;
GRANT INSERT ON quota.activity TO regress_tk_other;
CREATE SCHEMA tk_owned AUTHORIZATION regress_tk_owner;
-- A schema the owner may read and the writer may not.
CREATE SCHEMA tk_secret;
CREATE TABLE tk_secret.words (w text);
GRANT USAGE ON SCHEMA tk_secret TO regress_tk_owner;
GRANT SELECT ON tk_secret.words TO regress_tk_owner;

SET ROLE regress_tk_owner;
CREATE TABLE tk_owned.calls (call_id bigint PRIMARY KEY, owner text, started_at timestamptz, direction text);
-- Who evaluates the filter: noted() logs current_user.
CREATE TABLE tk_owned.filter_log (who text, call_id bigint);
CREATE FUNCTION tk_owned.noted(id bigint) RETURNS boolean
    LANGUAGE sql AS $$ INSERT INTO tk_owned.filter_log VALUES (current_user, id) RETURNING true $$;
-- peek() reads tk_secret.
CREATE FUNCTION tk_owned.peek() RETURNS boolean
    LANGUAGE sql AS $$ SELECT count(*) >= 0 FROM tk_secret.words $$;
GRANT USAGE ON SCHEMA tk_owned TO regress_tk_writer, regress_tk_other;
GRANT INSERT, UPDATE, SELECT (call_id) ON tk_owned.calls TO regress_tk_writer;
GRANT INSERT ON tk_owned.filter_log TO regress_tk_writer;
INSERT INTO tk_owned.calls VALUES
    (1, 'tk_ny', '2026-11-18 15:00+00', 'outbound'),  -- 10:00 on 18 Nov in New York
    (2, NULL,    '2026-11-18 16:00+00', 'outbound');  -- rep is null
-- Without INSERT on quota.activity the owner cannot track it (42501).
SELECT quota.track('tk_owned.calls', 'call', 'owner', 'started_at');
\echo SQLSTATE :SQLSTATE
SELECT count(*) AS trackings FROM quota.sources WHERE source = 'tk_owned.calls'::regclass;
SELECT count(*) AS triggers FROM pg_trigger WHERE tgrelid = 'tk_owned.calls'::regclass;
RESET ROLE;
GRANT INSERT ON quota.activity TO regress_tk_owner;
-- With it, it can: 1 counted (2 unmatched).  The rows there are read as
-- the table's owner: the filter logs regress_tk_owner for 1 and 2.
SET ROLE regress_tk_owner;
SELECT quota.track('tk_owned.calls', 'call', 'owner', 'started_at',
                   filter => 'tk_owned.noted(call_id) AND direction = ''outbound''') AS counted;
SELECT kind, filter, rows_counted, rows_unmatched, tracked_by FROM quota.sources WHERE source = 'tk_owned.calls'::regclass;
RESET ROLE;

-- A role that does not own the table cannot track or untrack it (42501),
-- although it may insert into quota.activity.
SET ROLE regress_tk_other;
SELECT quota.track('tk_owned.calls', 'meeting', 'owner', 'started_at');
\echo SQLSTATE :SQLSTATE
SELECT quota.untrack('tk_owned.calls');
\echo SQLSTATE :SQLSTATE
SELECT quota.untrack('tk_owned.calls', 'call');
\echo SQLSTATE :SQLSTATE
RESET ROLE;
SELECT kind, rows_counted FROM quota.sources WHERE source = 'tk_owned.calls'::regclass;

-- The writer's statements evaluate the filter as the writer: 3 and 4 are
-- logged as regress_tk_writer (3 three times: its insert, then the old and
-- the new side of its update), never as the extension's owner.  3 counts
-- (tk_ny 19 Nov), 4 waits (rep is null).
SET ROLE regress_tk_writer;
INSERT INTO tk_owned.calls VALUES
    (3, 'tk_ny', '2026-11-19 15:00+00', 'outbound'),
    (4, NULL,    '2026-11-19 16:00+00', 'outbound');
UPDATE tk_owned.calls SET started_at = '2026-11-19 16:00+00' WHERE call_id = 3;
RESET ROLE;
SELECT who, call_id, count(*) FROM tk_owned.filter_log GROUP BY who, call_id ORDER BY call_id, who;
SELECT rep_id, day, qty, rows FROM tk.totals WHERE source = 'tk_owned.calls'::regclass ORDER BY rep_id, day;

-- A filter that reads a schema the writer may not read: tracking works
-- (the rows there are read as the owner), the writer's insert fails
-- (42501) and writes nothing, a superuser's goes through.
SET ROLE regress_tk_owner;
SELECT quota.track('tk_owned.calls', 'meeting', 'owner', 'started_at', filter => 'tk_owned.peek()') AS counted;
RESET ROLE;
SET ROLE regress_tk_writer;
INSERT INTO tk_owned.calls VALUES (5, 'tk_ny', '2026-11-19 17:00+00', 'outbound');
\echo SQLSTATE :SQLSTATE
RESET ROLE;
INSERT INTO tk_owned.calls VALUES (6, 'tk_ny', '2026-11-19 17:00+00', 'inbound');
SELECT call_id, owner FROM tk_owned.calls ORDER BY call_id;
-- meeting counts every row of tk_ny: 1 (18 Nov), 3 and 6 (19 Nov).
SELECT kind, rep_id, day, qty, rows FROM tk.totals WHERE source = 'tk_owned.calls'::regclass ORDER BY kind, rep_id, day;
SET ROLE regress_tk_owner;
SELECT quota.untrack('tk_owned.calls', 'meeting') AS untracked;
RESET ROLE;

-- quota.unmatched shows the rows of tables a role may read: the owner sees
-- 2 and 4; the writer (INSERT, and SELECT of one column only) and the
-- other role see none, nor the tracking in quota.sources.
SET ROLE regress_tk_owner;
SELECT row_key, reason FROM quota.unmatched WHERE source = 'tk_owned.calls'::regclass ORDER BY row_key;
SET ROLE regress_tk_writer;
SELECT count(*) AS unmatched FROM quota.unmatched WHERE source = 'tk_owned.calls'::regclass;
SELECT count(*) AS sources FROM quota.sources WHERE source = 'tk_owned.calls'::regclass;
SET ROLE regress_tk_other;
SELECT count(*) AS unmatched FROM quota.unmatched WHERE source = 'tk_owned.calls'::regclass;
SELECT count(*) AS sources FROM quota.sources WHERE source = 'tk_owned.calls'::regclass;
RESET ROLE;
-- quota.late_change likewise: the writer moves call 3 on a closed day
-- (two late changes, -1 and +1 on tk_ny's 19 Nov); the owner sees them,
-- the others do not.
BEGIN;
SELECT quota.close_period('2026-11-30');
SET ROLE regress_tk_writer;
UPDATE tk_owned.calls SET started_at = '2026-11-19 18:00+00' WHERE call_id = 3;
SELECT count(*) AS late_changes FROM quota.late_change WHERE source = 'tk_owned.calls'::regclass;
SET ROLE regress_tk_other;
SELECT count(*) AS late_changes FROM quota.late_change WHERE source = 'tk_owned.calls'::regclass;
SET ROLE regress_tk_owner;
SELECT row_key, rep_id, day, qty_change, rows_change FROM quota.late_change
 WHERE source = 'tk_owned.calls'::regclass ORDER BY qty_change;
RESET ROLE;
ROLLBACK;

-- Inserts count through one trigger for all of a table's trackings, which
-- keeps each writer's filters prepared from one statement to the next:
-- what changes in between is seen by the next row, as a WHEN clause sees
-- it.  tk_owned.texts counts as email the texts whose channel
-- tk_owned.counted() accepts, an SQL function (PostgreSQL inlines it):
-- first sms only.  All are tk_ny's, 1 to 6 at 15:00 to 20:00 UTC on 20 Nov
-- (10:00 to 15:00 in New York), 7 on 21 Nov.
SET ROLE regress_tk_owner;
CREATE TABLE tk_owned.texts (text_id bigint PRIMARY KEY, owner text, sent_at timestamptz, channel text);
CREATE FUNCTION tk_owned.counted(channel text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT channel = 'sms' $$;
GRANT INSERT ON tk_owned.texts TO regress_tk_writer;
SELECT quota.track('tk_owned.texts', 'email', 'owner', 'sent_at', filter => 'tk_owned.counted(channel)') AS counted;
INSERT INTO tk_owned.texts VALUES (1, 'tk_ny', '2026-11-20 15:00+00', 'sms');       -- counts
INSERT INTO tk_owned.texts VALUES (2, 'tk_ny', '2026-11-20 16:00+00', 'whatsapp');  -- does not
-- Redefined to accept whatsapp too: 3 counts.
CREATE OR REPLACE FUNCTION tk_owned.counted(channel text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT channel IN ('sms', 'whatsapp') $$;
INSERT INTO tk_owned.texts VALUES (3, 'tk_ny', '2026-11-20 17:00+00', 'whatsapp');
-- The writer's insert of 4 counts; with the function's EXECUTE revoked
-- from it, its insert of 5 fails (42501) and writes nothing; the owner's
-- of 6 counts.
SET ROLE regress_tk_writer;
INSERT INTO tk_owned.texts VALUES (4, 'tk_ny', '2026-11-20 18:00+00', 'sms');
SET ROLE regress_tk_owner;
REVOKE EXECUTE ON FUNCTION tk_owned.counted(text) FROM PUBLIC;
SET ROLE regress_tk_writer;
INSERT INTO tk_owned.texts VALUES (5, 'tk_ny', '2026-11-20 19:00+00', 'sms');
\echo SQLSTATE :SQLSTATE
SET ROLE regress_tk_owner;
INSERT INTO tk_owned.texts VALUES (6, 'tk_ny', '2026-11-20 20:00+00', 'sms');
-- EXECUTE granted to regress_tk_callers: the writer, made a member, writes
-- 5 again, which counts; no longer a member, its insert of 8 fails
-- (42501) and writes nothing.
GRANT EXECUTE ON FUNCTION tk_owned.counted(text) TO regress_tk_callers;
RESET ROLE;
GRANT regress_tk_callers TO regress_tk_writer;
SET ROLE regress_tk_writer;
INSERT INTO tk_owned.texts VALUES (5, 'tk_ny', '2026-11-20 19:00+00', 'sms');
RESET ROLE;
REVOKE regress_tk_callers FROM regress_tk_writer;
SET ROLE regress_tk_writer;
INSERT INTO tk_owned.texts VALUES (8, 'tk_ny', '2026-11-20 21:00+00', 'sms');
\echo SQLSTATE :SQLSTATE
SET ROLE regress_tk_owner;
-- A second tracking, as social_contact without a filter, counts 1 to 6
-- at once, and the next insert, 7, for both.
SELECT quota.track('tk_owned.texts', 'social_contact', 'owner', 'sent_at') AS counted;
INSERT INTO tk_owned.texts VALUES (7, 'tk_ny', '2026-11-21 15:00+00', 'sms');
RESET ROLE;
-- email: 1, 3, 4, 5 and 6 on 20 Nov (5), 7 on 21 Nov (1); social_contact:
-- 1 to 6 on 20 Nov (6), 7 on 21 Nov (1).
SELECT kind, rep_id, day, qty, rows FROM tk.totals WHERE source = 'tk_owned.texts'::regclass ORDER BY kind, rep_id, day;
-- verify() recounts with the filter as it reads now, which counts 2, a
-- whatsapp text written when whatsapp did not count: 6 against 5 on 20 Nov
-- (and 7 against 6 in the month), until quota.rebuild().
SELECT * FROM quota.verify() WHERE rep_id = 'tk_ny';
SET ROLE regress_tk_owner;
SELECT quota.untrack('tk_owned.texts') AS untracked;
-- Tracked again, as email of faxes only: 9 (21 Nov, sms) is not counted.
-- A tracking added then, as social_contact, counts the eight rows there
-- at once (1 to 7, 9) and 10 (21 Nov) when it is written.
SELECT quota.track('tk_owned.texts', 'email', 'owner', 'sent_at', filter => $$channel = 'fax'$$) AS counted;
INSERT INTO tk_owned.texts VALUES (9, 'tk_ny', '2026-11-21 16:00+00', 'sms');
SELECT quota.track('tk_owned.texts', 'social_contact', 'owner', 'sent_at') AS counted;
INSERT INTO tk_owned.texts VALUES (10, 'tk_ny', '2026-11-21 17:00+00', 'sms');
RESET ROLE;
-- social_contact: 1 to 6 on 20 Nov (6), 7, 9 and 10 on 21 Nov (3).
SELECT kind, rep_id, day, qty, rows FROM tk.totals WHERE source = 'tk_owned.texts'::regclass ORDER BY kind, rep_id, day;
SET ROLE regress_tk_owner;
SELECT quota.untrack('tk_owned.texts') AS untracked;
RESET ROLE;

--------------------------------------------------------------------------
-- 9. Reps.  A rep whose rows a tracked table counts cannot be deleted or
-- renamed (23503) ...
DELETE FROM quota.rep WHERE rep_id = 'tk_utc';
\echo SQLSTATE :SQLSTATE
UPDATE quota.rep SET rep_id = 'tk_utc2' WHERE rep_id = 'tk_utc';
\echo SQLSTATE :SQLSTATE
-- ... but can be made inactive, its totals untouched (tk.calls: 2 Nov 2,
-- 3 Nov 1, 5 Nov 1).
UPDATE quota.rep SET active = false WHERE rep_id = 'tk_utc';
SELECT rep_id, active FROM quota.rep WHERE rep_id = 'tk_utc';
SELECT rep_id, day, qty, rows FROM tk.totals WHERE source = 'tk.calls'::regclass AND rep_id = 'tk_utc' ORDER BY day;
-- A rep whose tracked rows are all gone again can be deleted.
INSERT INTO quota.rep (rep_id, name) VALUES ('tk_gone', 'Tk Gone');
INSERT INTO tk.calls VALUES (20, 'tk_gone', '2026-11-21 10:00+00', 'outbound');
DELETE FROM quota.rep WHERE rep_id = 'tk_gone';
\echo SQLSTATE :SQLSTATE
DELETE FROM tk.calls WHERE call_id = 20;
DELETE FROM quota.rep WHERE rep_id = 'tk_gone';
SELECT count(*) AS tk_gone FROM quota.rep WHERE rep_id = 'tk_gone';
SELECT * FROM quota.verify() WHERE rep_id LIKE 'tk\_%';

-- verify() with every plan parallel if it could be: it reads the tracked
-- tables and looks reps up with the latest snapshot, which a parallel
-- query may not (it failed with "cannot update SecondarySnapshot during
-- a parallel operation" in a new session, whose reps are not cached); it
-- is PARALLEL UNSAFE and runs alone.
\c
BEGIN;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT count(*) AS disagreements FROM quota.verify() WHERE rep_id LIKE 'tk\_%';
ROLLBACK;

--------------------------------------------------------------------------
-- Clean up: untrack every table of this test (8 tables: tk.calls,
-- invoices, orders (3 trackings), demos, contacts, contact_log,
-- contact_raw and tk_owned.calls (as superuser), 10 trackings), then drop
-- them, the reps and the roles.
SELECT count(*) AS tables, sum(n) AS trackings
  FROM (SELECT quota.untrack(source) AS n
          FROM (SELECT DISTINCT source FROM quota.tracking WHERE source::text ~ '^tk(_owned)?\.') s) u;
SET client_min_messages = warning;
DROP SCHEMA tk, tk_owned, tk_secret CASCADE;
DROP SERVER tk_server;
DROP FOREIGN DATA WRAPPER tk_fdw;
RESET client_min_messages;
DELETE FROM quota.activity WHERE rep_id LIKE 'tk\_%';
DELETE FROM quota.assignment WHERE rep_id LIKE 'tk\_%';
DELETE FROM quota.rep WHERE rep_id LIKE 'tk\_%';
DROP OWNED BY regress_tk_owner, regress_tk_writer, regress_tk_other, regress_tk_callers;
DROP ROLE regress_tk_owner, regress_tk_writer, regress_tk_other, regress_tk_callers;
SELECT (SELECT count(*) FROM (SELECT 1 FROM quota.daily_total WHERE rep_id LIKE 'tk\_%'
                                GROUP BY rep_id, kind, day, tracking_id
                               HAVING sum(qty) <> 0 OR sum(rows) <> 0) t) AS totals,
       (SELECT count(*) FROM quota.unmatched WHERE rep_id LIKE 'tk\_%') AS unmatched,
       (SELECT count(*) FROM quota.rep WHERE rep_id LIKE 'tk\_%') AS reps;
