-- capture: every row is counted once, however it arrives: statements of
-- any size, savepoints and exception blocks that roll part of a
-- transaction back, sessions that set session_replication_role = replica
-- (as bulk loaders and the apply process of logical replication do), and
-- a transaction that reads its own totals.  Figures are summed by hand in
-- the comments.
BEGIN;
SET LOCAL datestyle = 'ISO, YMD';
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES
    ('cap_utc', 'Cap UTC', 'UTC'),
    ('cap_ny',  'Cap NY',  'America/New_York');

CREATE FUNCTION pg_temp.totals()
    RETURNS TABLE (rep_id text, kind text, day date, qty numeric)
    LANGUAGE sql
BEGIN ATOMIC
    SELECT t.rep_id, t.kind, t.day, sum(t.qty)
      FROM quota.daily_total t
     WHERE t.rep_id LIKE 'cap%'
     GROUP BY 1, 2, 3
    HAVING sum(t.qty) <> 0
     ORDER BY 1, 2, 3;
END;

-- One statement, one row: seen by the next statement of the transaction.
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty)
VALUES ('cap_utc', 'call', '2026-11-10 09:00+00', 3);
SELECT * FROM pg_temp.totals();   -- cap_utc call 2026-11-10: 3

-- A savepoint rolled back takes its rows with it: 3 + 0 (5 gone) + 2 = 5.
SAVEPOINT s1;
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty)
VALUES ('cap_utc', 'call', '2026-11-10 10:00+00', 5);
ROLLBACK TO SAVEPOINT s1;
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty)
VALUES ('cap_utc', 'call', '2026-11-10 11:00+00', 2);
SELECT * FROM pg_temp.totals();   -- cap_utc call 2026-11-10: 5

-- A savepoint released keeps its rows: 5 + 4 = 9; and a nested one rolled
-- back inside it drops only its own (the 100).
SAVEPOINT s2;
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty)
VALUES ('cap_utc', 'call', '2026-11-10 12:00+00', 4);
SAVEPOINT s3;
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty)
VALUES ('cap_utc', 'call', '2026-11-10 13:00+00', 100);
ROLLBACK TO SAVEPOINT s3;
RELEASE SAVEPOINT s2;
SELECT * FROM pg_temp.totals();   -- cap_utc call 2026-11-10: 9

-- An exception block inside one statement: the function inserts 1 (kept),
-- then in a block 10 and a row of an unknown rep, which fails the block;
-- the 10 folded in the block goes with it: 9 + 1 = 10.
CREATE FUNCTION pg_temp.insert_with_block() RETURNS text
    LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO quota.activity (rep_id, kind, occurred_at, qty)
    VALUES ('cap_utc', 'call', '2026-11-10 14:00+00', 1);
    BEGIN
        INSERT INTO quota.activity (rep_id, kind, occurred_at, qty)
        VALUES ('cap_utc', 'call', '2026-11-10 15:00+00', 10);
        INSERT INTO quota.activity (rep_id, kind, occurred_at, qty)
        VALUES ('nobody', 'call', '2026-11-10 15:00+00', 1);
    EXCEPTION WHEN foreign_key_violation THEN
        RETURN 'block rolled back: ' || SQLERRM;
    END;
    RETURN 'block kept';
END
$$;
SELECT pg_temp.insert_with_block();
SELECT * FROM pg_temp.totals();   -- cap_utc call 2026-11-10: 10

-- Updates and deletes in one statement each: the 3 becomes 30 (+27) and
-- moves to cap_ny, whose day of 2026-11-10 09:00 UTC is 2026-11-10 (04:00
-- EST); the 2 is deleted.  cap_utc: 10 - 3 - 2 = 5; cap_ny: 30.
UPDATE quota.activity SET rep_id = 'cap_ny', qty = 30
 WHERE rep_id = 'cap_utc' AND occurred_at = '2026-11-10 09:00+00';
DELETE FROM quota.activity WHERE rep_id = 'cap_utc' AND qty = 2;
SELECT * FROM pg_temp.totals();

-- A bulk statement: 10,000 rows of qty 0.5 over 10 days at 03:00 UTC,
-- 1,000 a day; for cap_ny 03:00 UTC is 22:00 EST the day before, so the
-- days run from 2026-11-11 to 2026-11-20 in New York:
-- 1,000 * 0.5 = 500 a day.
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty)
SELECT 'cap_ny', 'email', timestamptz '2026-11-12 03:00+00' + (i % 10) * interval '1 day', 0.5
  FROM generate_series(1, 10000) AS i;
SELECT * FROM pg_temp.totals() WHERE kind = 'email';

-- A loader that sets session_replication_role = replica (triggers enabled
-- ALWAYS still fire): 7 + 8 = 15 on cap_utc's 2026-11-11, written by the
-- statement trigger, which fires too.
SET LOCAL session_replication_role = replica;
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES
    ('cap_utc', 'demo', '2026-11-11 09:00+00', 7),
    ('cap_utc', 'demo', '2026-11-11 10:00+00', 8);
SELECT * FROM pg_temp.totals() WHERE kind = 'demo';
-- and so does an update as replica: 7 -> 70, total 78.
UPDATE quota.activity SET qty = 70 WHERE rep_id = 'cap_utc' AND kind = 'demo' AND qty = 7;
SELECT * FROM pg_temp.totals() WHERE kind = 'demo';
SET LOCAL session_replication_role = origin;

SELECT * FROM quota.verify() WHERE rep_id LIKE 'cap%';
ROLLBACK;

-- What a replica folds and no statement trigger writes is written at
-- commit: quota.totals_written() writes it before, as quota.rebuild() does.
-- (A row trigger alone stands for the apply process here: the statement
-- trigger is disabled for the test, as a replica, whom the event trigger
-- that keeps it enabled ALWAYS does not stop.)
BEGIN;
SET LOCAL datestyle = 'ISO, YMD';
INSERT INTO quota.rep (rep_id, name) VALUES ('cap_commit', 'Cap Commit');
SET LOCAL session_replication_role = replica;
ALTER TABLE quota.activity DISABLE TRIGGER activity_totals_written;
SET LOCAL session_replication_role = origin;
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id)
VALUES ('cap_commit', 'call', '2026-11-10 09:00+00', 6, 'cap-commit-1');
SELECT count(*) AS written_before_commit FROM quota.daily_total WHERE rep_id = 'cap_commit';  -- 0
SELECT quota.totals_written();
SELECT kind, day, qty FROM quota.daily_total WHERE rep_id = 'cap_commit';  -- call 2026-11-10 6
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id)
VALUES ('cap_commit', 'call', '2026-11-10 10:00+00', 4, 'cap-commit-2');
ALTER TABLE quota.activity ENABLE ALWAYS TRIGGER activity_totals_written;
COMMIT;
-- the 4 was written at commit: 6 + 4 = 10.
SELECT kind, to_char(day, 'YYYY-MM-DD') AS day, sum(qty) FROM quota.daily_total WHERE rep_id = 'cap_commit' GROUP BY 1, 2;
SELECT * FROM quota.verify() WHERE rep_id = 'cap_commit';
DELETE FROM quota.activity WHERE rep_id = 'cap_commit';
DELETE FROM quota.daily_total WHERE rep_id = 'cap_commit';
DELETE FROM quota.rep WHERE rep_id = 'cap_commit';

-- The triggers that keep the totals fire whatever session_replication_role is.
SELECT c.relname, t.tgname, t.tgenabled
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
 WHERE c.relnamespace = 'quota'::regnamespace AND NOT t.tgisinternal
   AND t.tgfoid IN ('quota.activity_totals()'::regprocedure, 'quota.cached_rows_changed()'::regprocedure,
                    'quota.rep_time_zone_changed()'::regprocedure)
 ORDER BY 1, 2;
