-- restore: quota.begin_restore() and quota.end_restore() around a
-- restore (test/dump/run restores real dumps in parallel between them),
-- what they refuse, and the triggers that keep the totals, which must stay
-- enabled ALWAYS.  Each step that would change the database's settings for
-- the tests after this one runs in a transaction rolled back.
\set SHOW_CONTEXT never
\set VERBOSITY default
SET datestyle = 'ISO, YMD';
SET TimeZone = 'UTC';

SELECT quota.restore_in_progress();
-- Ending a restore that never began (55000).
SELECT quota.end_restore();

-- A restore goes into an extension that holds nothing yet (55000).
BEGIN;
INSERT INTO quota.rep (rep_id, name) VALUES ('rs_ana', 'Ana');
SELECT quota.begin_restore();
ROLLBACK;

-- Only a superuser begins or ends a restore: PUBLIC may not call them
-- (42501), and a role granted them is refused by the functions themselves.
CREATE ROLE restore_tester;
GRANT USAGE ON SCHEMA quota TO restore_tester;
SET ROLE restore_tester;
SELECT quota.begin_restore();
RESET ROLE;
GRANT EXECUTE ON FUNCTION quota.begin_restore(), quota.end_restore() TO restore_tester;
SET ROLE restore_tester;
SELECT quota.begin_restore();
SELECT quota.end_restore();
-- Nor may anyone else switch the triggers off for a session (42501).
SET quota.restoring = on;
RESET ROLE;

-- A restore: begun, the database's new sessions load as replicas with
-- quota.restoring on, and the shipped kinds are gone (the dump brings
-- them).  This session takes the settings by hand, as a new one would.
BEGIN;
SELECT quota.begin_restore();
SELECT quota.restore_in_progress();
SELECT unnest(s.setconfig) AS database_setting
  FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
 WHERE d.datname = current_database() AND s.setrole = 0 ORDER BY 1;
SELECT count(*) AS kinds FROM quota.activity_kind;
SET session_replication_role = replica;
SET quota.restoring = on;
-- Rows in any order: the activity before its rep and kind, no totals.
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id)
VALUES ('rs_kiri', 'call', '2026-11-02 23:30+00', 2, 'rs-1'),
       ('rs_kiri', 'call', '2026-11-03 01:00+00', 3, 'rs-2');
INSERT INTO quota.activity_kind (kind, measure) VALUES ('call', 'count');
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('rs_kiri', 'Kiri', 'Pacific/Auckland');
SELECT count(*) AS totals_while_restoring FROM quota.daily_total WHERE rep_id = 'rs_kiri';
-- Ended: the settings are gone, and every total is counted.  Both rows
-- fall on 2026-11-03 in Auckland (+13): 12:30 and 14:00, so 2 + 3 = 5.
SELECT quota.end_restore() > 0 AS totals_counted;
SELECT quota.restore_in_progress(), current_setting('session_replication_role') AS role,
       current_setting('quota.restoring') AS restoring;
SELECT rep_id, kind, day, sum(qty) AS qty, sum(rows) AS rows
  FROM quota.daily_total WHERE rep_id = 'rs_kiri' GROUP BY 1, 2, 3;
SELECT count(*) AS verify_rows FROM quota.verify();
ROLLBACK;

-- A row whose rep never came stops quota.end_restore() at the foreign key
-- (23503), made anew over every row.
BEGIN;
SELECT quota.begin_restore();
SET session_replication_role = replica;
SET quota.restoring = on;
INSERT INTO quota.activity_kind (kind, measure) VALUES ('call', 'count');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES ('rs_nobody', 'call', '2026-11-02 10:00+00', 1);
SELECT quota.end_restore();
ROLLBACK;

-- The triggers that keep the totals stay enabled ALWAYS: disabling them,
-- or enabling them for origin sessions only, is refused (55000), on the
-- extension's tables as on tracked ones (tracking, tracking_ddl).
ALTER TABLE quota.activity DISABLE TRIGGER activity_totals;
ALTER TABLE quota.activity_kind DISABLE TRIGGER ALL;
ALTER TABLE quota.rep ENABLE TRIGGER rep_cached_rows;
-- Enabling them ALWAYS again is allowed; other triggers are the owner's.
ALTER TABLE quota.activity ENABLE ALWAYS TRIGGER activity_totals;
BEGIN;
ALTER TABLE quota.team DISABLE TRIGGER team_no_cycle;
ROLLBACK;

-- A session as replica runs no event trigger, so nothing stops it there
-- (as pg_restore --disable-triggers leaves them after a restore begun):
-- quota.always_triggers_enabled() enables them ALWAYS again.
BEGIN;
SET session_replication_role = replica;
ALTER TABLE quota.activity ENABLE TRIGGER activity_totals;
ALTER TABLE quota.rep DISABLE TRIGGER ALL;
RESET session_replication_role;
SELECT tgrelid::regclass AS table_name, tgname, tgenabled FROM pg_trigger
 WHERE tgrelid IN ('quota.activity'::regclass, 'quota.rep'::regclass) AND NOT tgisinternal ORDER BY 1, 2;
SELECT quota.always_triggers_enabled() AS enabled;
SELECT tgrelid::regclass AS table_name, tgname, tgenabled FROM pg_trigger
 WHERE tgrelid IN ('quota.activity'::regclass, 'quota.rep'::regclass) AND NOT tgisinternal ORDER BY 1, 2;
ROLLBACK;

DROP OWNED BY restore_tester;
DROP ROLE restore_tester;
