-- tracking_ddl: tracked partitioned tables, and DDL on tracked tables.  A
-- partitioned table is tracked at its root: partitions created or attached
-- later are counted, a partition detached, dropped or truncated takes its
-- rows back (a closed day keeps its figures: the removal is a late change),
-- pg_partman's maintenance and retention are followed; DDL that would break
-- a tracking is refused, and renames and moves are followed.  Every figure
-- is derived by hand in the comments.
--
-- The cast (quota.rep), created here:
--   td_utc    UTC
--   td_tokyo  Asia/Tokyo (+09)
--   td_ny     America/New_York (EDT -04 until 2026-11-01 06:00 UTC, then EST -05)
--   101, 102  UTC and Asia/Tokyo: reps named by an integer column (part 5)
--   103       America/New_York, created late (part 5)
--
-- After each step: the daily totals of the tracking per rep and day
-- (summed over their slots, totals that sum to 0 left out), its rows
-- counted, unmatched and late changes in quota.sources, and how many
-- days of these reps quota.verify() finds wrong (0).  A period closed is
-- closed for the whole database: every close is rolled back.
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
SET TimeZone = 'UTC';

-- Nothing is closed (a close would turn the figures below into late changes).
SELECT count(*) AS periods_closed FROM quota.period_close;
-- Trackings get the ids 9100, 9101, ... (none has one yet) so that the
-- messages and trigger names below do not depend on the tests run before.
SELECT count(*) AS trackings_from_9100 FROM quota.tracking WHERE tracking_id >= 9100;
SELECT setval('quota.tracking_tracking_id_seq', 9100, false) IS NOT NULL AS ids_fixed;

CREATE SCHEMA td;
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES
    ('td_utc',   'TD UTC',   'UTC'),
    ('td_tokyo', 'TD Tokyo', 'Asia/Tokyo'),
    ('td_ny',    'TD NY',    'America/New_York');

CREATE FUNCTION pg_temp.totals(tracking integer)
    RETURNS TABLE (rep_id text, day date, qty numeric, rows bigint)
    LANGUAGE sql
BEGIN ATOMIC
    SELECT t.rep_id, t.day, sum(t.qty), sum(t.rows)
      FROM quota.daily_total t
     WHERE t.tracking_id = $1
     GROUP BY 1, 2
    HAVING sum(t.qty) <> 0 OR sum(t.rows) <> 0
     ORDER BY 1, 2;
END;
CREATE FUNCTION pg_temp.checked(tracking integer)
    RETURNS TABLE (rows_counted bigint, rows_unmatched bigint, late_changes bigint, disagreements bigint)
    LANGUAGE sql
BEGIN ATOMIC
    SELECT s.rows_counted, s.rows_unmatched, s.late_changes,
           (SELECT count(*) FROM quota.verify() v
             WHERE v.rep_id LIKE 'td\_%' OR v.rep_id IN ('101', '102', '103'))
      FROM quota.sources s
     WHERE s.tracking_id = $1;
END;
CREATE FUNCTION pg_temp.triggers(rel regclass)
    RETURNS TABLE (tgname name, enabled "char")
    LANGUAGE sql
BEGIN ATOMIC
    SELECT t.tgname, t.tgenabled FROM pg_trigger t
     WHERE t.tgrelid = $1 AND NOT t.tgisinternal ORDER BY t.tgname;
END;

--------------------------------------------------------------------------
-- 1. A table partitioned by month, tracked at its root.  Calls count n
-- each unless their outcome is no_answer.  The partitions' bounds are
-- UTC months.
CREATE TABLE td.calls (
    id      integer,
    rep     text,
    at      timestamptz,
    n       numeric,
    outcome text,
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE TABLE td.calls_2026_09 PARTITION OF td.calls FOR VALUES FROM ('2026-09-01 00:00+00') TO ('2026-10-01 00:00+00');
CREATE TABLE td.calls_2026_10 PARTITION OF td.calls FOR VALUES FROM ('2026-10-01 00:00+00') TO ('2026-11-01 00:00+00');
INSERT INTO td.calls VALUES
    (1, 'td_utc',   '2026-09-30 23:30+00', 2, 'reached'),    -- td_utc 30 Sep
    (2, 'td_tokyo', '2026-09-30 16:00+00', 3, 'reached'),    -- 01:00 on 1 Oct in Tokyo
    (3, 'td_utc',   '2026-09-15 10:00+00', 5, 'no_answer'),  -- not counted
    (4, 'td_utc',   '2026-10-05 09:00+00', 1, 'reached'),    -- td_utc 5 Oct
    (5, 'td_utc',   '2026-10-05 15:00+00', 4, 'reached'),    -- td_utc 5 Oct
    (6, 'td_ny',    '2026-10-31 23:30+00', 2, 'reached'),    -- 19:30 EDT on 31 Oct
    (7, 'td_tokyo', '2026-10-31 20:00+00', 6, 'reached');    -- 05:00 on 1 Nov in Tokyo
-- The rows there are counted at once: 6 of the 7 (not 3).
SELECT quota.track('td.calls', 'call', 'rep', 'at', 'n', $$outcome <> 'no_answer'$$) AS counted;
SELECT tracking_id AS calls FROM quota.tracking WHERE source = 'td.calls'::regclass \gset
SELECT tracking_id, source, kind, rep_column, occurred_at_column, qty_column, filter
  FROM quota.sources WHERE tracking_id = :calls;
-- td_ny 31 Oct 2 (1 row); td_tokyo 1 Oct 3, 1 Nov 6; td_utc 30 Sep 2,
-- 5 Oct 1 + 4 = 5 (2 rows); 6 rows counted.
SELECT * FROM pg_temp.totals(:calls);
SELECT * FROM pg_temp.checked(:calls);

-- A partition created later gets the row triggers (cloned by PostgreSQL)
-- and the TRUNCATE trigger (added by the extension), all enabled ALWAYS.
CREATE TABLE td.calls_2026_11 PARTITION OF td.calls FOR VALUES FROM ('2026-11-01 00:00+00') TO ('2026-12-01 00:00+00');
SELECT * FROM pg_temp.triggers('td.calls_2026_11');
-- Row 8 is 22:00 EST on 1 Nov for td_ny: 7; row 9 is no_answer.
INSERT INTO td.calls VALUES
    (8, 'td_ny',  '2026-11-02 03:00+00', 7, 'reached'),
    (9, 'td_utc', '2026-11-10 12:00+00', 1, 'no_answer');
-- + td_ny 1 Nov 7: 7 rows counted.
SELECT * FROM pg_temp.totals(:calls);
SELECT * FROM pg_temp.checked(:calls);

-- A table with rows attached as a partition (its columns in another
-- order): its rows count at once.  Row 11 is td_utc 20 Aug 10; row 12
-- 19:00 EDT on 31 Aug for td_ny, 20; row 13 is no_answer.
CREATE TABLE td.calls_2026_08 (
    outcome text,
    n       numeric,
    at      timestamptz NOT NULL,
    rep     text,
    id      integer NOT NULL,
    PRIMARY KEY (id, at)
);
INSERT INTO td.calls_2026_08 (id, rep, at, n, outcome) VALUES
    (11, 'td_utc',   '2026-08-20 10:00+00', 10, 'reached'),
    (12, 'td_ny',    '2026-08-31 23:00+00', 20, 'reached'),
    (13, 'td_tokyo', '2026-08-10 10:00+00', 40, 'no_answer');
ALTER TABLE td.calls ATTACH PARTITION td.calls_2026_08 FOR VALUES FROM ('2026-08-01 00:00+00') TO ('2026-09-01 00:00+00');
SELECT * FROM pg_temp.triggers('td.calls_2026_08');
-- And a row written through the root after: td_utc 20 Aug 10 + 1 = 11
-- (2 rows); td_ny 31 Aug 20; 7 + 3 = 10 rows counted.
INSERT INTO td.calls VALUES (14, 'td_utc', '2026-08-20 11:00+00', 1, 'reached');
SELECT * FROM pg_temp.totals(:calls);
SELECT * FROM pg_temp.checked(:calls);

-- DETACH (here CONCURRENTLY, outside a transaction block) takes the
-- partition's rows back: 10 - 3 = 7 rows, the August days gone; the table
-- keeps no trigger of the tracking.
ALTER TABLE td.calls DETACH PARTITION td.calls_2026_08 CONCURRENTLY;
SELECT * FROM pg_temp.triggers('td.calls_2026_08');
SELECT * FROM pg_temp.totals(:calls);
SELECT * FROM pg_temp.checked(:calls);
-- The detached table is the user's own again: a row written to it (td_utc
-- 21 Aug, 100) is not counted.
INSERT INTO td.calls_2026_08 (id, rep, at, n, outcome) VALUES (15, 'td_utc', '2026-08-21 10:00+00', 100, 'reached');
SELECT * FROM pg_temp.checked(:calls);
-- Attached again, it counts 11, 12, 14 and now 15: td_utc 20 Aug 11 (2
-- rows), 21 Aug 100; td_ny 31 Aug 20; 7 + 4 = 11 rows.
ALTER TABLE td.calls ATTACH PARTITION td.calls_2026_08 FOR VALUES FROM ('2026-08-01 00:00+00') TO ('2026-09-01 00:00+00');
SELECT * FROM pg_temp.totals(:calls);
SELECT * FROM pg_temp.checked(:calls);
-- Detached again (in a transaction this time): 7 rows.  TRUNCATE and DROP
-- of the detached table change nothing, and do not fail.
ALTER TABLE td.calls DETACH PARTITION td.calls_2026_08;
TRUNCATE td.calls_2026_08;
DROP TABLE td.calls_2026_08;
SELECT * FROM pg_temp.totals(:calls);
SELECT * FROM pg_temp.checked(:calls);

-- DROP TABLE of a partition takes its rows back: September held rows 1
-- (td_utc 30 Sep 2) and 2 (td_tokyo 1 Oct 3): 7 - 2 = 5 rows.
DROP TABLE td.calls_2026_09;
SELECT * FROM pg_temp.totals(:calls);
SELECT * FROM pg_temp.checked(:calls);

-- TRUNCATE of a partition: October held rows 4, 5 (td_utc 5 Oct), 6
-- (td_ny 31 Oct) and 7 (td_tokyo 1 Nov): left is row 8, td_ny 1 Nov 7.
TRUNCATE td.calls_2026_10;
SELECT * FROM pg_temp.totals(:calls);
SELECT * FROM pg_temp.checked(:calls);

-- TRUNCATE of the root takes every row back (row 8, and row 16, td_utc
-- 20 Oct 3, written first): nothing is left, and writing counts again
-- after it (row 17, td_utc 21 Oct 2).
INSERT INTO td.calls VALUES (16, 'td_utc', '2026-10-20 10:00+00', 3, 'reached');
SELECT * FROM pg_temp.checked(:calls);
TRUNCATE td.calls;
SELECT * FROM pg_temp.checked(:calls);
INSERT INTO td.calls VALUES (17, 'td_utc', '2026-10-21 10:00+00', 2, 'reached');
SELECT * FROM pg_temp.totals(:calls);
SELECT * FROM pg_temp.checked(:calls);

-- Two levels: emails by channel (list), the crm channel by month (range),
-- every other channel in a default partition; a date column, so a row
-- counts on its date whatever the rep's zone; 1 a row.
CREATE TABLE td.emails (id integer, sender text, sent_on date, channel text) PARTITION BY LIST (channel);
CREATE TABLE td.emails_crm PARTITION OF td.emails FOR VALUES IN ('crm') PARTITION BY RANGE (sent_on);
CREATE TABLE td.emails_crm_10 PARTITION OF td.emails_crm FOR VALUES FROM ('2026-10-01') TO ('2026-11-01');
CREATE TABLE td.emails_other PARTITION OF td.emails DEFAULT;
INSERT INTO td.emails VALUES
    (1, 'td_tokyo', '2026-10-03', 'crm'),     -- emails_crm_10
    (2, 'td_tokyo', '2026-10-03', 'gmail'),   -- emails_other
    (3, 'td_ny',    '2026-10-31', 'crm');     -- emails_crm_10
-- 3 counted: td_ny 31 Oct 1, td_tokyo 3 Oct 2.
SELECT quota.track('td.emails', 'email', 'sender', 'sent_on') AS counted;
SELECT tracking_id AS emails FROM quota.tracking WHERE source = 'td.emails'::regclass \gset
SELECT * FROM pg_temp.totals(:emails);
SELECT * FROM pg_temp.checked(:emails);
-- A partition of the second level created later: row 4, td_ny 1 Nov; 4 rows.
CREATE TABLE td.emails_crm_11 PARTITION OF td.emails_crm FOR VALUES FROM ('2026-11-01') TO ('2026-12-01');
SELECT * FROM pg_temp.triggers('td.emails_crm_11');
INSERT INTO td.emails VALUES (4, 'td_ny', '2026-11-01', 'crm');
SELECT * FROM pg_temp.totals(:emails);
SELECT * FROM pg_temp.checked(:emails);
-- A partitioned table with rows attached: its leaf's rows 5 and 6 count,
-- td_utc 2 Nov 2; 6 rows.
CREATE TABLE td.emails_web (id integer, sender text, sent_on date, channel text) PARTITION BY RANGE (sent_on);
CREATE TABLE td.emails_web_11 PARTITION OF td.emails_web FOR VALUES FROM ('2026-11-01') TO ('2026-12-01');
INSERT INTO td.emails_web VALUES (5, 'td_utc', '2026-11-02', 'web'), (6, 'td_utc', '2026-11-02', 'web');
ALTER TABLE td.emails ATTACH PARTITION td.emails_web FOR VALUES IN ('web');
SELECT * FROM pg_temp.triggers('td.emails_web_11');
SELECT * FROM pg_temp.totals(:emails);
SELECT * FROM pg_temp.checked(:emails);
-- TRUNCATE of a leaf of the second level: rows 1 (td_tokyo 3 Oct) and 3
-- (td_ny 31 Oct) go; td_tokyo keeps row 2 of the default partition; 4 rows.
TRUNCATE td.emails_crm_10;
SELECT * FROM pg_temp.totals(:emails);
SELECT * FROM pg_temp.checked(:emails);
-- DROP of the partitioned partition in the middle takes its leaves' rows
-- back (row 4, td_ny 1 Nov); 3 rows.
DROP TABLE td.emails_crm;
SELECT * FROM pg_temp.totals(:emails);
SELECT * FROM pg_temp.checked(:emails);
-- DETACH of the partitioned web partition: rows 5 and 6 go; 1 row (2).
ALTER TABLE td.emails DETACH PARTITION td.emails_web;
SELECT * FROM pg_temp.triggers('td.emails_web_11');
SELECT * FROM pg_temp.totals(:emails);
SELECT * FROM pg_temp.checked(:emails);
-- DROP of the root: the tracking and its totals go, with a notice.
DROP TABLE td.emails;
SELECT count(*) AS totals_left FROM quota.daily_total WHERE tracking_id = :emails;
SELECT count(*) AS sources_left FROM quota.sources WHERE tracking_id = :emails;
DROP TABLE td.emails_web;

--------------------------------------------------------------------------
-- 2. Closed days and partitions.  Visits count n:
--   1 td_utc   10 Sep 1        (visits_09)
--   2 td_utc   20 Sep 2        (visits_09)
--   3 td_utc   10 Oct 4        (visits_10)
--   4 td_tokyo 2026-10-31 20:00+00, 05:00 on 1 Nov in Tokyo, 8 (visits_10)
--   5 td_ny    2026-11-01 02:00+00, 22:00 EDT on 31 Oct, 16    (visits_11)
--   6 td_ny    2026-11-05 15:00+00, 10:00 EST on 5 Nov, 32     (visits_11)
CREATE TABLE td.visits (id integer, rep text, at timestamptz, n numeric, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE td.visits_09 PARTITION OF td.visits FOR VALUES FROM ('2026-09-01 00:00+00') TO ('2026-10-01 00:00+00');
CREATE TABLE td.visits_10 PARTITION OF td.visits FOR VALUES FROM ('2026-10-01 00:00+00') TO ('2026-11-01 00:00+00');
CREATE TABLE td.visits_11 PARTITION OF td.visits FOR VALUES FROM ('2026-11-01 00:00+00') TO ('2026-12-01 00:00+00');
INSERT INTO td.visits VALUES
    (1, 'td_utc',   '2026-09-10 10:00+00', 1),
    (2, 'td_utc',   '2026-09-20 10:00+00', 2),
    (3, 'td_utc',   '2026-10-10 10:00+00', 4),
    (4, 'td_tokyo', '2026-10-31 20:00+00', 8),
    (5, 'td_ny',    '2026-11-01 02:00+00', 16),
    (6, 'td_ny',    '2026-11-05 15:00+00', 32);
SELECT quota.track('td.visits', 'social_contact', 'rep', 'at', 'n') AS counted;
SELECT tracking_id AS visits FROM quota.tracking WHERE source = 'td.visits'::regclass \gset
SELECT * FROM pg_temp.totals(:visits);

-- Through 31 October closed (each rep's own 31 October): rows 1, 2, 3
-- and 5 are on closed days, 4 and 6 on open ones.
BEGIN;
SELECT quota.close_period('2026-10-31');
-- DETACH of September: its rows stay in the closed figures, and their
-- leaving is kept: -1 and -2, a row each.
ALTER TABLE td.visits DETACH PARTITION td.visits_09;
SELECT * FROM pg_temp.totals(:visits);
SELECT row_key, rep_id, kind, day, qty_change, rows_change FROM quota.late_change
 WHERE tracking_id = :visits ORDER BY late_change_id;
-- DROP of October: row 3 (td_utc 10 Oct) is closed, a late change of -4;
-- row 4 is on td_tokyo's open 1 Nov, which loses its 8.
DROP TABLE td.visits_10;
SELECT * FROM pg_temp.totals(:visits);
-- TRUNCATE of November: row 5 is on td_ny's closed 31 Oct (a late change
-- of -16), row 6 on the open 5 Nov, which loses its 32.
TRUNCATE td.visits_11;
SELECT * FROM pg_temp.totals(:visits);
-- A table attached with rows on closed days: they are not counted, they
-- arrive as late changes: td_utc 10 Aug 64; td_tokyo 01:00 on 1 Sep 128.
CREATE TABLE td.visits_08 (LIKE td.visits INCLUDING ALL);
INSERT INTO td.visits_08 VALUES
    (7, 'td_utc',   '2026-08-10 10:00+00', 64),
    (8, 'td_tokyo', '2026-08-31 16:00+00', 128);
ALTER TABLE td.visits ATTACH PARTITION td.visits_08 FOR VALUES FROM ('2026-08-01 00:00+00') TO ('2026-09-01 00:00+00');
-- The closed figures as they were: td_ny 31 Oct 16; td_utc 10 Sep 1,
-- 20 Sep 2, 10 Oct 4 (4 rows counted); six late changes in order.
SELECT * FROM pg_temp.totals(:visits);
SELECT row_key, rep_id, kind, day, qty_change, rows_change FROM quota.late_change
 WHERE tracking_id = :visits ORDER BY late_change_id;
-- verify() agrees: a recount of the rows there (7 and 8) less the late
-- changes gives the same figures (td_utc 10 Aug: 64 - 64 = 0; 10 Sep:
-- 0 - (-1) = 1, ...).
SELECT * FROM pg_temp.checked(:visits);
-- rebuild() recounts the same way: the closed figures stay.
SELECT quota.rebuild() IS NOT NULL AS rebuilt;
SELECT * FROM pg_temp.totals(:visits);
SELECT * FROM pg_temp.checked(:visits);
ROLLBACK;
-- Rolled back: the six rows counted again, no late change, nothing closed.
SELECT * FROM pg_temp.totals(:visits);
SELECT * FROM pg_temp.checked(:visits);
SELECT count(*) AS periods_closed FROM quota.period_close;

--------------------------------------------------------------------------
-- 3. pg_partman.  Its time-based sets are made up to now() plus the
-- premade partitions, so a set by the deal's id keeps this test's
-- partitions fixed: partitions of 10 ids, 2 made ahead of the highest id,
-- and a default partition.  Deals count their amount when won; deal_id
-- is the partition key, won_at the time counted.
SELECT name, split_part(default_version, '.', 1) IN ('4', '5') AS supported
  FROM pg_available_extensions WHERE name = 'pg_partman';
-- (4.x names native partitioning 'native', 5.x 'range'.)
SELECT CASE WHEN split_part(default_version, '.', 1)::integer >= 5 THEN 'range' ELSE 'native' END AS partman_type
  FROM pg_available_extensions WHERE name = 'pg_partman' \gset
CREATE SCHEMA td_partman;
CREATE EXTENSION pg_partman SCHEMA td_partman;
CREATE TABLE td.deals (
    deal_id bigint PRIMARY KEY,
    rep     text,
    won_at  timestamptz,
    amount  numeric,
    stage   text
) PARTITION BY RANGE (deal_id);
SELECT td_partman.create_parent(p_parent_table := 'td.deals', p_control := 'deal_id', p_type := :'partman_type',
                                p_interval := '10', p_premake := 2, p_start_partition := '0') AS created;
SELECT partition_tablename FROM td_partman.show_partitions('td.deals', p_include_default := true) ORDER BY 1;
INSERT INTO td.deals VALUES
    (1,  'td_utc',   '2026-09-05 10:00+00', 100, 'won'),   -- td_utc 5 Sep
    (5,  'td_tokyo', '2026-09-30 18:00+00', 200, 'won'),   -- 03:00 on 1 Oct in Tokyo
    (12, 'td_utc',   '2026-10-05 10:00+00', 400, 'won'),   -- td_utc 5 Oct
    (13, 'td_utc',   '2026-10-06 10:00+00', 999, 'lost'),  -- not counted
    (14, 'td_tokyo', '2026-10-31 16:00+00', 25,  'won');   -- 01:00 on 1 Nov in Tokyo
SELECT quota.track('td.deals', 'revenue', 'rep', 'won_at', 'amount', $$stage = 'won'$$) AS counted;
SELECT tracking_id AS deals FROM quota.tracking WHERE source = 'td.deals'::regclass \gset

-- Maintenance: the highest id, 14, is in p10; p20 is 1 partition ahead,
-- so p30 is made.  A deal written to it (31, 22:00 EST on 9 Nov for td_ny,
-- 1600) is counted, as is 25 in p20 (23:00 EDT on 31 Oct, 800).
SELECT td_partman.run_maintenance('td.deals');
SELECT partition_tablename FROM td_partman.show_partitions('td.deals') ORDER BY 1;
SELECT * FROM pg_temp.triggers('td.deals_p30');
INSERT INTO td.deals VALUES
    (25, 'td_ny', '2026-11-01 03:00+00', 800,  'won'),
    (31, 'td_ny', '2026-11-10 03:00+00', 1600, 'won');
-- Now 31 is in p30, the last: p40 and p50 are made; 45 goes to p40 (09:00
-- on 20 Nov in Tokyo, 50).
SELECT td_partman.run_maintenance('td.deals');
SELECT partition_tablename FROM td_partman.show_partitions('td.deals') ORDER BY 1;
INSERT INTO td.deals VALUES (45, 'td_tokyo', '2026-11-20 00:00+00', 50, 'won');
-- td_ny 31 Oct 800, 9 Nov 1600; td_tokyo 1 Oct 200, 1 Nov 25, 20 Nov 50;
-- td_utc 5 Sep 100, 5 Oct 400: 7 rows.
SELECT * FROM pg_temp.totals(:deals);
SELECT * FROM pg_temp.checked(:deals);

-- Retention of 30 ids, the tables dropped: with 45 the highest id, a
-- partition goes when 30 <= 45 - (its start + 10): p0 (35) only, not p10
-- (25).  Its deals 1 (td_utc 5 Sep) and 5 (td_tokyo 1 Oct) go: 5 rows.
-- (The same maintenance makes p60: 45 is in p40, p50 only 1 ahead.)
UPDATE td_partman.part_config SET retention = '30', retention_keep_table = false WHERE parent_table = 'td.deals';
SELECT td_partman.run_maintenance('td.deals');
SELECT partition_tablename FROM td_partman.show_partitions('td.deals') ORDER BY 1;
SELECT to_regclass('td.deals_p0') AS p0;
SELECT * FROM pg_temp.totals(:deals);
SELECT * FROM pg_temp.checked(:deals);

-- With October closed, a retention of 20 ids, the tables kept (detached):
-- p10 goes (45 - 20 = 25 >= 20), p20 stays (15).  p10 holds deal 12
-- (td_utc 5 Oct, closed: its 400 stays, a late change of -400) and 14
-- (td_tokyo 1 Nov, open: 25 gone); 13 was never counted.
BEGIN;
SELECT quota.close_period('2026-10-31');
UPDATE td_partman.part_config SET retention = '20', retention_keep_table = true WHERE parent_table = 'td.deals';
SELECT td_partman.run_maintenance('td.deals');
SELECT partition_tablename FROM td_partman.show_partitions('td.deals') ORDER BY 1;
SELECT count(*) AS tracking_triggers_left FROM pg_temp.triggers('td.deals_p10');
SELECT * FROM pg_temp.totals(:deals);
SELECT row_key, rep_id, kind, day, qty_change, rows_change FROM quota.late_change
 WHERE tracking_id = :deals ORDER BY late_change_id;
SELECT * FROM pg_temp.checked(:deals);
ROLLBACK;
SELECT * FROM pg_temp.totals(:deals);
SELECT * FROM pg_temp.checked(:deals);

-- A deal beyond the partitions lands in the default partition and is
-- counted (75, td_utc 20 Nov, 7); partition_data_id() moves it into a new
-- p70 (a delete and an insert): the totals do not move.
INSERT INTO td.deals VALUES (75, 'td_utc', '2026-11-20 10:00+00', 7, 'won');
SELECT tableoid::regclass AS partition FROM td.deals WHERE deal_id = 75;
SELECT * FROM pg_temp.checked(:deals);
SELECT td_partman.partition_data_id('td.deals') AS rows_moved;
SELECT tableoid::regclass AS partition FROM td.deals WHERE deal_id = 75;
SELECT * FROM pg_temp.totals(:deals);
SELECT * FROM pg_temp.checked(:deals);

SET client_min_messages = warning;
DROP SCHEMA td_partman CASCADE;
RESET client_min_messages;
DROP TABLE td.deals;

--------------------------------------------------------------------------
-- 4. DDL on a tracked table: meetings count their attendees when held by
-- video.  Row 1 is td_utc 3 Nov 3; row 2 is by phone.
CREATE TABLE td.meetings (
    id        integer PRIMARY KEY,
    owner     text,
    held_at   timestamptz,
    attendees integer,
    channel   text,
    note      text
);
INSERT INTO td.meetings VALUES
    (1, 'td_utc', '2026-11-03 10:00+00', 3, 'video', NULL),
    (2, 'td_utc', '2026-11-03 11:00+00', 5, 'phone', NULL);
SELECT quota.track('td.meetings', 'meeting', 'owner', 'held_at', 'attendees', $$channel = 'video'$$) AS counted;
SELECT tracking_id AS meetings FROM quota.tracking WHERE source = 'td.meetings'::regclass \gset
-- td_utc owes 10 meetings a month from November.
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES ('td_utc', 'meeting', '10/month', '[2026-11-01,)');

-- Dropping the rep column is refused (2BP01), naming the tracking.
ALTER TABLE td.meetings DROP COLUMN owner;
-- So are, by SQLSTATE only: dropping the time or qty column (2BP01);
-- dropping the column of the filter (PostgreSQL's own 2BP01: the triggers
-- depend on it); changing the type of a tracked column (0A000), or of the
-- filter's (PostgreSQL's 0A000); leaving a trigger of the tracking other
-- than enabled ALWAYS (55000): disabled, enabled for origin sessions
-- only, for replicas only, or disabled with every user trigger; dropping
-- one (2BP01).
\set VERBOSITY sqlstate
ALTER TABLE td.meetings DROP COLUMN held_at;
ALTER TABLE td.meetings DROP COLUMN attendees;
ALTER TABLE td.meetings DROP COLUMN channel;
ALTER TABLE td.meetings ALTER COLUMN attendees TYPE bigint;
ALTER TABLE td.meetings ALTER COLUMN owner TYPE varchar(20);
ALTER TABLE td.meetings ALTER COLUMN held_at TYPE timestamp;
ALTER TABLE td.meetings ALTER COLUMN channel TYPE varchar(20);
ALTER TABLE td.meetings DISABLE TRIGGER quota_track_insert;
ALTER TABLE td.meetings ENABLE TRIGGER quota_track_insert;
ALTER TABLE td.meetings ENABLE REPLICA TRIGGER quota_track_9104_delete;
ALTER TABLE td.meetings DISABLE TRIGGER USER;
DROP TRIGGER quota_track_insert ON td.meetings;
DROP TRIGGER quota_track_9104_truncate ON td.meetings;
-- A USING that keeps the type but rewrites the values would change what
-- is counted without a row trigger firing: refused too (0A000).
BEGIN;
ALTER TABLE td.meetings ALTER COLUMN attendees TYPE integer USING attendees * 10;
ROLLBACK;
BEGIN;
ALTER TABLE td.meetings ALTER COLUMN owner TYPE text USING 'td_tokyo';
ROLLBACK;
\set VERBOSITY default
-- Enabling it ALWAYS again is no change, and allowed.
ALTER TABLE td.meetings ENABLE ALWAYS TRIGGER quota_track_insert;
-- Nothing changed: 1 row counted, no disagreement.
SELECT * FROM pg_temp.triggers('td.meetings');
SELECT * FROM pg_temp.checked(:meetings);

-- Renamed columns keep counting; quota.sources shows the new names, and
-- the filter with its column's new name.  Row 3 is counted (td_utc 4 Nov
-- 2), row 4 is by phone; then row 3 is changed to 4 attendees.
ALTER TABLE td.meetings RENAME COLUMN owner TO host;
ALTER TABLE td.meetings RENAME held_at TO starts_at;
ALTER TABLE td.meetings RENAME COLUMN attendees TO "People";
ALTER TABLE td.meetings RENAME COLUMN channel TO medium;
SELECT source, rep_column, occurred_at_column, qty_column, filter FROM quota.sources WHERE tracking_id = :meetings;
INSERT INTO td.meetings (id, host, starts_at, "People", medium) VALUES
    (3, 'td_utc', '2026-11-04 10:00+00', 2, 'video'),
    (4, 'td_utc', '2026-11-04 10:00+00', 9, 'phone');
UPDATE td.meetings SET "People" = 4 WHERE id = 3;
-- td_utc 3 Nov 3, 4 Nov 4.
SELECT * FROM pg_temp.totals(:meetings);
SELECT * FROM pg_temp.checked(:meetings);

-- Renamed and moved to another schema, it keeps counting: row 5, td_utc
-- 5 Nov 7.  Errors name it as it is now (the message alone).
ALTER TABLE td.meetings RENAME TO gatherings;
CREATE SCHEMA td_moved;
ALTER TABLE td.gatherings SET SCHEMA td_moved;
INSERT INTO td_moved.gatherings (id, host, starts_at, "People", medium) VALUES (5, 'td_utc', '2026-11-05 10:00+00', 7, 'video');
SELECT source, rep_column, occurred_at_column, qty_column, filter FROM quota.sources WHERE tracking_id = :meetings;
\set VERBOSITY terse
ALTER TABLE td_moved.gatherings DROP COLUMN starts_at;
\set VERBOSITY default
-- DDL that leaves the tracked columns alone works: a column added, an
-- index, an unrelated column's type changed (id to bigint rewrites the
-- table; note to varchar does not).  Row 6, td_utc 5 Nov 1, counts: 5 Nov
-- 7 + 1 = 8, 4 rows.
ALTER TABLE td_moved.gatherings ADD COLUMN room text;
CREATE INDEX gatherings_room ON td_moved.gatherings (room);
ALTER TABLE td_moved.gatherings ALTER COLUMN id TYPE bigint, ALTER COLUMN note TYPE varchar(50);
INSERT INTO td_moved.gatherings (id, host, starts_at, "People", medium, room) VALUES (6, 'td_utc', '2026-11-05 11:00+00', 1, 'video', 'A');
SELECT * FROM pg_temp.totals(:meetings);
SELECT * FROM pg_temp.checked(:meetings);
-- November for td_utc on the 30th: 3 + 4 + 8 = 15 of 10, attainment 1.5.
SELECT rep_id, kind, period_start, target, actual, attainment
  FROM quota.progress_as_of('2026-11-30 12:00+00') WHERE rep_id = 'td_utc' AND kind = 'meeting';

-- DROP TABLE: the tracking and its totals go with the table, with a
-- notice; progress counts 0.
DROP TABLE td_moved.gatherings;
SELECT count(*) AS totals_left FROM quota.daily_total WHERE tracking_id = :meetings;
SELECT count(*) AS sources_left FROM quota.sources WHERE tracking_id = :meetings;
SELECT rep_id, kind, period_start, target, actual, attainment
  FROM quota.progress_as_of('2026-11-30 12:00+00') WHERE rep_id = 'td_utc' AND kind = 'meeting';

-- DROP SCHEMA ... CASCADE: the same, for each table tracked in it.  Row 1
-- of td_moved.calls counts td_ny 2 Nov (09:00 EST) 1.
CREATE TABLE td_moved.calls (id integer PRIMARY KEY, rep text, at timestamptz);
INSERT INTO td_moved.calls VALUES (1, 'td_ny', '2026-11-02 14:00+00');
SELECT quota.track('td_moved.calls', 'call', 'rep', 'at') AS counted;
SELECT tracking_id AS moved_calls FROM quota.tracking WHERE source = 'td_moved.calls'::regclass \gset
SELECT * FROM pg_temp.totals(:moved_calls);
DROP SCHEMA td_moved CASCADE;
SELECT count(*) AS totals_left FROM quota.daily_total WHERE tracking_id = :moved_calls;

-- A domain over text as the rep column: dropping the domain with CASCADE
-- would drop the tracked column; refused as dropping it is (2BP01).
CREATE DOMAIN td.rep_name AS text;
CREATE TABLE td.notes (id integer PRIMARY KEY, author td.rep_name, written_at timestamptz);
INSERT INTO td.notes VALUES (1, 'td_utc', '2026-11-06 10:00+00');
SELECT quota.track('td.notes', 'email', 'author', 'written_at') AS counted;
SELECT tracking_id AS notes FROM quota.tracking WHERE source = 'td.notes'::regclass \gset
\set VERBOSITY sqlstate
BEGIN;
SET LOCAL client_min_messages = warning;
DROP DOMAIN td.rep_name CASCADE;
ROLLBACK;
\set VERBOSITY default
INSERT INTO td.notes VALUES (2, 'td_utc', '2026-11-06 11:00+00');
-- td_utc 6 Nov 2.
SELECT * FROM pg_temp.totals(:notes);
SELECT * FROM pg_temp.checked(:notes);
DROP TABLE td.notes;
DROP DOMAIN td.rep_name;

-- The same DDL on a partitioned table: demos by region, counting their
-- attendees (a smallint) when held by video.  legacy, an unrelated column,
-- comes before the tracked ones.  Row 1 is td_utc 3 Nov 3, row 2 td_ny
-- 3 Nov (10:00 EST) 4, row 3 by phone.
CREATE TABLE td.demos (
    id        integer,
    region    text,
    legacy    text,
    owner     text,
    held_at   timestamptz,
    attendees smallint,
    channel   text,
    PRIMARY KEY (id, region)
) PARTITION BY LIST (region);
CREATE TABLE td.demos_eu PARTITION OF td.demos FOR VALUES IN ('eu');
CREATE TABLE td.demos_us PARTITION OF td.demos FOR VALUES IN ('us');
INSERT INTO td.demos (id, region, owner, held_at, attendees, channel) VALUES
    (1, 'eu', 'td_utc', '2026-11-03 10:00+00', 3, 'video'),
    (2, 'us', 'td_ny',  '2026-11-03 15:00+00', 4, 'video'),
    (3, 'us', 'td_ny',  '2026-11-03 16:00+00', 9, 'phone');
SELECT quota.track('td.demos', 'demo', 'owner', 'held_at', 'attendees', $$channel = 'video'$$) AS counted;
SELECT tracking_id AS demos FROM quota.tracking WHERE source = 'td.demos'::regclass \gset
-- Refused as on a table: on the root, and on a partition (whose column
-- PostgreSQL itself will not drop alone: 42P16); a trigger cloned on a
-- partition, or the TRUNCATE trigger of a partition, cannot be disabled
-- or dropped either.
\set VERBOSITY sqlstate
ALTER TABLE td.demos DROP COLUMN owner;
ALTER TABLE td.demos DROP COLUMN held_at;
ALTER TABLE td.demos DROP COLUMN attendees;
ALTER TABLE td.demos DROP COLUMN channel;
ALTER TABLE td.demos_eu DROP COLUMN owner;
ALTER TABLE td.demos ALTER COLUMN attendees TYPE integer;
ALTER TABLE td.demos DISABLE TRIGGER quota_track_insert;
ALTER TABLE td.demos_eu DISABLE TRIGGER quota_track_insert;
ALTER TABLE td.demos_eu DISABLE TRIGGER quota_track_9107_truncate;
DROP TRIGGER quota_track_insert ON td.demos;
DROP TRIGGER quota_track_insert ON td.demos_eu;
DROP TRIGGER quota_track_9107_truncate ON td.demos_eu;
\set VERBOSITY default
SELECT * FROM pg_temp.checked(:demos);

-- Renames on the root reach every partition and the tracking: row 4
-- (td_utc 4 Nov 5) counts.
ALTER TABLE td.demos RENAME COLUMN owner TO host;
ALTER TABLE td.demos RENAME COLUMN channel TO medium;
INSERT INTO td.demos (id, region, host, held_at, attendees, medium) VALUES (4, 'eu', 'td_utc', '2026-11-04 10:00+00', 5, 'video');
SELECT source, rep_column, occurred_at_column, qty_column, filter FROM quota.sources WHERE tracking_id = :demos;
-- Unrelated DDL: legacy dropped, a column and an index added, id's type
-- changed.  A partition created after has host at another position (3,
-- not 4): row 5 (05:00 on 5 Nov in Tokyo, 6) counts all the same.
ALTER TABLE td.demos DROP COLUMN legacy;
ALTER TABLE td.demos ADD COLUMN room text;
CREATE INDEX demos_room ON td.demos (room);
ALTER TABLE td.demos ALTER COLUMN id TYPE bigint;
CREATE TABLE td.demos_apac PARTITION OF td.demos FOR VALUES IN ('apac');
SELECT attrelid::regclass AS partition, attnum FROM pg_attribute
 WHERE attrelid IN ('td.demos_eu'::regclass, 'td.demos_apac'::regclass) AND attname = 'host' ORDER BY 1;
INSERT INTO td.demos (id, region, host, held_at, attendees, medium) VALUES (5, 'apac', 'td_tokyo', '2026-11-04 20:00+00', 6, 'video');
-- td_ny 3 Nov 4; td_tokyo 5 Nov 6; td_utc 3 Nov 3, 4 Nov 5: 4 rows.
SELECT * FROM pg_temp.totals(:demos);
SELECT * FROM pg_temp.checked(:demos);

-- A partition in another schema, dropped with that schema (CASCADE),
-- takes its rows back as DROP TABLE of it does: row 6 (td_utc 6 Nov 7)
-- counted, then gone.  (Rolled back.)
BEGIN;
CREATE SCHEMA td_side;
CREATE TABLE td_side.demos_latam PARTITION OF td.demos FOR VALUES IN ('latam');
INSERT INTO td.demos (id, region, host, held_at, attendees, medium) VALUES (6, 'latam', 'td_utc', '2026-11-06 10:00+00', 7, 'video');
SELECT * FROM pg_temp.checked(:demos);
DROP SCHEMA td_side CASCADE;
SELECT * FROM pg_temp.totals(:demos);
SELECT * FROM pg_temp.checked(:demos);
ROLLBACK;

-- Renamed and moved (the root only: its partitions stay in td), it keeps
-- counting: row 7, td_ny 4 Nov (09:00 EST) 1; then DROP SCHEMA ...
-- CASCADE drops it with its partitions, its tracking and its totals.
ALTER TABLE td.demos RENAME TO shows;
CREATE SCHEMA td_moved;
ALTER TABLE td.shows SET SCHEMA td_moved;
INSERT INTO td_moved.shows (id, region, host, held_at, attendees, medium) VALUES (7, 'us', 'td_ny', '2026-11-04 14:00+00', 1, 'video');
SELECT source FROM quota.sources WHERE tracking_id = :demos;
SELECT * FROM pg_temp.totals(:demos);
SELECT * FROM pg_temp.checked(:demos);
DROP SCHEMA td_moved CASCADE;
SELECT count(*) AS totals_left FROM quota.daily_total WHERE tracking_id = :demos;
SELECT to_regclass('td.demos_eu') AS partition_left;

--------------------------------------------------------------------------
-- 5. Reps named by an integer column, a smallint qty: orders count their
-- units (negative for a return) for the rep whose id is the agent's
-- number as text.
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES
    ('101', 'Agent 101', 'UTC'),
    ('102', 'Agent 102', 'Asia/Tokyo');
CREATE TABLE td.orders (order_no integer PRIMARY KEY, agent_no integer, sold_at timestamptz, units smallint);
INSERT INTO td.orders VALUES
    (1, 101, '2026-11-02 10:00+00', 3),       -- 101 2 Nov
    (2, 102, '2026-11-02 16:00+00', 2),       -- 01:00 on 3 Nov in Tokyo
    (3, 102, '2026-11-02 14:00+00', -1),      -- 23:00 on 2 Nov in Tokyo
    (4, 101, '2026-11-02 11:00+00', 32767);   -- the largest smallint
SELECT quota.track('td.orders', 'units_sold', 'agent_no', 'sold_at', 'units') AS counted;
SELECT tracking_id AS orders FROM quota.tracking WHERE source = 'td.orders'::regclass \gset
SELECT rep_column, occurred_at_column, qty_column FROM quota.sources WHERE tracking_id = :orders;
-- 101 2 Nov 3 + 32767 = 32770 (2 rows); 102 2 Nov -1, 3 Nov 2.
SELECT * FROM pg_temp.totals(:orders);
SELECT * FROM pg_temp.checked(:orders);
-- Order 2 moves to agent 101 (16:00 on 2 Nov in UTC): 101 2 Nov 32772
-- (3 rows), 102 3 Nov nothing.  Order 5 names agent 103, who is no rep
-- yet: unmatched, with its key; counted once 103 exists (04:00 EST on 4
-- Nov, 5).
UPDATE td.orders SET agent_no = 101 WHERE order_no = 2;
INSERT INTO td.orders VALUES (5, 103, '2026-11-04 09:00+00', 5);
SELECT row_key, rep_id, qty, reason FROM quota.unmatched WHERE tracking_id = :orders;
SELECT * FROM pg_temp.totals(:orders);
SELECT * FROM pg_temp.checked(:orders);
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('103', 'Agent 103', 'America/New_York');
SELECT * FROM pg_temp.totals(:orders);
SELECT * FROM pg_temp.checked(:orders);
-- Their types are kept: integer to bigint, smallint to integer refused.
\set VERBOSITY sqlstate
ALTER TABLE td.orders ALTER COLUMN agent_no TYPE bigint;
ALTER TABLE td.orders ALTER COLUMN units TYPE integer;
\set VERBOSITY default

--------------------------------------------------------------------------
-- Clean up: the schema and its trackings (td.calls, td.visits,
-- td.orders), the reps and the assignment.
SET client_min_messages = warning;
DROP SCHEMA td CASCADE;
RESET client_min_messages;
SELECT count(*) AS trackings_left FROM quota.tracking WHERE tracking_id >= 9100;
SELECT count(*) AS totals_left FROM quota.daily_total
 WHERE rep_id LIKE 'td\_%' OR rep_id IN ('101', '102', '103');
DELETE FROM quota.assignment WHERE rep_id = 'td_utc';
DELETE FROM quota.rep WHERE rep_id LIKE 'td\_%' OR rep_id IN ('101', '102', '103');
