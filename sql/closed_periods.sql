-- closed_periods: a closed day keeps its figures whatever happens to its
-- rep's time zone; quota.close_period() only moves forward;
-- quota.reopen_period() reopens days, logged, for the owner only.  Every
-- figure is derived by hand in the comments.  A period closed is closed
-- for the whole database: everything runs in one transaction, rolled back
-- (psql takes a savepoint before each statement, so that an error shown
-- leaves the rest), the role it creates too.
\set SHOW_CONTEXT never
\set ON_ERROR_ROLLBACK on
SET datestyle = 'ISO, YMD';
SET TimeZone = 'UTC';
SELECT count(*) AS periods_closed FROM quota.period_close;

BEGIN;
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('cp_rep', 'Rep who moves', 'UTC');
-- Quantities are powers of ten, so a total names the rows it holds.
-- (Ids of their own, so that the messages below name them.)
INSERT INTO quota.activity (activity_id, rep_id, kind, occurred_at, qty, external_id) OVERRIDING SYSTEM VALUE VALUES
    (9901, 'cp_rep', 'call', '2026-10-15 12:00+00', 10000, 'cp-e'),   -- 15 Oct in UTC
    (9902, 'cp_rep', 'call', '2026-10-31 13:30+00', 1, 'cp-a'),       -- 31 Oct
    (9903, 'cp_rep', 'call', '2026-10-31 23:30+00', 10, 'cp-b'),      -- 31 Oct (1 Nov 08:30 in Tokyo)
    (9904, 'cp_rep', 'call', '2026-11-01 02:00+00', 100, 'cp-c'),     -- 1 Nov (31 Oct 22:00 in New York, EDT)
    (9905, 'cp_rep', 'call', '2026-11-01 20:00+00', 1000, 'cp-d');    -- 1 Nov (2 Nov 05:00 in Tokyo)
SELECT quota.close_period('2026-10-31');
-- The rep's days, summed over the slots of each total.
CREATE TEMP VIEW cp_days AS
    SELECT day, sum(qty) AS qty FROM quota.daily_total WHERE rep_id = 'cp_rep'
     GROUP BY day HAVING sum(qty) <> 0 ORDER BY day;
-- In UTC: 15 Oct 10000, 31 Oct 1 + 10 = 11, 1 Nov 100 + 1000 = 1100.
SELECT * FROM cp_days;

-- To Tokyo (+09): the zone applies from 1 Nov, the first open day, that is
-- from 2026-11-01 00:00 UTC (its start in UTC).  Before it, rows keep
-- their UTC days: 15 and 31 Oct unchanged.  From it: c is 1 Nov 11:00 in
-- Tokyo (1 Nov, 100), d 2 Nov 05:00 (2 Nov, 1000).
UPDATE quota.rep SET time_zone = 'Asia/Tokyo' WHERE rep_id = 'cp_rep';
SELECT rep_id, boundary, time_zone, first_day FROM quota.rep_zone_change WHERE rep_id = 'cp_rep';
SELECT * FROM cp_days;
SELECT count(*) AS verify_rows FROM quota.verify() WHERE rep_id = 'cp_rep';

-- To New York, with nothing closed since: no new change is kept (Tokyo
-- governed open days only).  From 2026-11-01 00:00 UTC on, New York's day,
-- but never before 1 Nov: c is 31 Oct 22:00 there (EDT), so 1 Nov; d is
-- 1 Nov 15:00 (EST), 1 Nov.  1 Nov 1100, 2 Nov nothing.
UPDATE quota.rep SET time_zone = 'America/New_York' WHERE rep_id = 'cp_rep';
SELECT count(*) AS zone_changes FROM quota.rep_zone_change WHERE rep_id = 'cp_rep';
SELECT * FROM cp_days;
-- quota.rep_day() gives the day of a moment as the totals count it.
SELECT at, quota.rep_day('cp_rep', at) AS day
  FROM unnest(ARRAY['2026-10-31 23:59:59+00', '2026-11-01 00:00+00', '2026-11-01 03:00+00',
                    '2026-11-01 20:00+00']::timestamptz[]) AS at;
SELECT quota.rep_day('cp_nobody', now()) AS unknown_rep;

-- A new row at 2026-11-01 03:00 UTC (31 Oct 23:00 in New York) counts on
-- 1 Nov: 101100.  One at 2026-10-31 23:50 UTC (31 Oct 19:50 in New York)
-- is before the boundary: its day is 31 Oct in UTC, closed (23514).
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id)
VALUES ('cp_rep', 'call', '2026-11-01 03:00+00', 100000, 'cp-f');
INSERT INTO quota.activity (activity_id, rep_id, kind, occurred_at, qty, external_id) OVERRIDING SYSTEM VALUE
VALUES (9907, 'cp_rep', 'call', '2026-10-31 23:50+00', 5, 'cp-g');
-- h at 2026-11-02 02:00 UTC is 1 Nov 21:00 in New York: 1 Nov 1101100;
-- j at 2026-11-02 20:00 UTC is 2 Nov 15:00 there: 2 Nov 10000000.
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id) VALUES
    ('cp_rep', 'call', '2026-11-02 02:00+00', 1000000, 'cp-h'),
    ('cp_rep', 'call', '2026-11-02 20:00+00', 10000000, 'cp-j');
SELECT * FROM cp_days;

-- Closing an earlier day than the last closed one is refused (55000).
SELECT quota.close_period('2026-10-20');
-- Closed through 1 Nov, then to Kolkata (+05:30): kept is New York from
-- the last boundary to 2026-11-02 05:00 UTC (2 Nov 00:00 in New York,
-- EST), first day 2 Nov.  h stays on 1 Nov; j is 3 Nov 01:30 in Kolkata:
-- 3 Nov 10000000.  The closed days (15 Oct, 31 Oct, 1 Nov) are unchanged.
SELECT quota.close_period('2026-11-01');
UPDATE quota.rep SET time_zone = 'Asia/Kolkata' WHERE rep_id = 'cp_rep';
SELECT rep_id, boundary, time_zone, first_day FROM quota.rep_zone_change WHERE rep_id = 'cp_rep' ORDER BY boundary;
SELECT * FROM cp_days;
-- A rebuild and verify() follow the same days.
SELECT quota.rebuild('cp_rep') > 0 AS rebuilt;
SELECT * FROM cp_days;
SELECT count(*) AS verify_rows FROM quota.verify() WHERE rep_id = 'cp_rep';

-- Reopening.  Refused: without a day or a reason (22023), after the last
-- closed day (55000), and for a role that does not own the tables (42501,
-- even when granted the function).
SELECT quota.reopen_period(NULL, 'fix');
SELECT quota.reopen_period('2026-11-01', '  ');
SELECT quota.reopen_period('2026-11-02', 'fix');
CREATE ROLE cp_finance;
GRANT USAGE ON SCHEMA quota TO cp_finance;
SET ROLE cp_finance;
SELECT quota.reopen_period('2026-11-01', 'fix');
RESET ROLE;
GRANT EXECUTE ON FUNCTION quota.reopen_period(date, text) TO cp_finance;
SET ROLE cp_finance;
SELECT quota.reopen_period('2026-11-01', 'fix');
RESET ROLE;

-- A tracked row written on a closed day is a late change; reopened, it
-- counts.  The call at 2026-10-20 12:00 UTC is on 20 Oct in UTC (before
-- every boundary).
CREATE TABLE cp_call (call_id int PRIMARY KEY, owner text, started_at timestamptz);
SELECT quota.track('cp_call', 'call', 'owner', 'started_at') AS counted_at_track;
INSERT INTO cp_call VALUES (1, 'cp_rep', '2026-10-20 12:00+00');
SELECT l.rep_id, l.kind, l.day, l.qty_change, l.rows_change FROM quota.late_change l JOIN quota.tracking t USING (tracking_id)
 WHERE t.source = 'cp_call'::regclass;
-- Reopened from 16 Oct: the close through 31 Oct and the one through 1 Nov
-- go, 15 Oct stays closed (by the earliest of them), and the late change
-- of 20 Oct counts: 20 Oct 1.
SELECT quota.reopen_period('2026-10-16', 'call of 20 Oct missed in the CRM export');
SELECT closed_through, closed_by = current_user AS closed_by_us FROM quota.period_close ORDER BY closed_through;
SELECT reopened_from, closed_through, reason, reopened_by = current_user AS by_us FROM quota.period_reopen;
SELECT count(*) AS late_changes FROM quota.late_change l JOIN quota.tracking t USING (tracking_id)
 WHERE t.source = 'cp_call'::regclass;
SELECT * FROM cp_days;
-- The reopened days take changes again; 15 Oct does not (23514).
UPDATE quota.activity SET qty = 2 WHERE external_id = 'cp-a';
UPDATE quota.activity SET qty = 20000 WHERE external_id = 'cp-e';
-- 31 Oct: 2 + 10 = 12.
SELECT * FROM cp_days;
SELECT count(*) AS verify_rows FROM quota.verify() WHERE rep_id = 'cp_rep';
ROLLBACK;
