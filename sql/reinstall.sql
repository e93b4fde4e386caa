-- reinstall: DROP EXTENSION and CREATE EXTENSION again in one session (and
-- in one transaction).  The C triggers cache the OIDs of the extension's
-- tables and their plans for the session: they must find the new tables.
-- In a database of its own, so that the other tests' rows stay.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS regress_quota_reinstall;
CREATE DATABASE regress_quota_reinstall TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C';
RESET client_min_messages;
\c regress_quota_reinstall
SET datestyle = 'ISO, YMD';
SET client_min_messages = warning;
CREATE EXTENSION quota_ext CASCADE;
RESET client_min_messages;

-- Totals, credits and history in the first installation: the caches fill.
INSERT INTO quota.rep (rep_id, name) VALUES ('raj', 'Raj'), ('ana', 'Ana');
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES ('raj', 'call', '140/month', '[2026-11-01,)');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES ('raj', 'call', '2026-11-02 10:00+00', 2);
INSERT INTO quota.activity_credit (activity_id, rep_id, share) VALUES (1, 'raj', 50), (1, 'ana', 50);
UPDATE quota.activity SET qty = 4;
SELECT rep_id, kind, day, sum(qty) AS qty FROM quota.daily_total GROUP BY 1, 2, 3 ORDER BY 1;
SELECT operation, changed_by = current_user AS by_me FROM quota.assignment_history;

-- A new installation in the same session: 3 calls, shared 60/40, then 5.
DROP EXTENSION quota_ext;
CREATE EXTENSION quota_ext;
INSERT INTO quota.rep (rep_id, name) VALUES ('raj', 'Raj'), ('ana', 'Ana');
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES ('raj', 'call', '150/month', '[2026-11-01,)');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES ('raj', 'call', '2026-11-03 10:00+00', 3);
INSERT INTO quota.activity_credit (activity_id, rep_id, share) VALUES (1, 'raj', 60), (1, 'ana', 40);
UPDATE quota.activity SET qty = 5;
SELECT rep_id, kind, day, sum(qty) AS qty FROM quota.daily_total GROUP BY 1, 2, 3 ORDER BY 1;
SELECT operation, new_row ->> 'target' AS target, changed_by = current_user AS by_me FROM quota.assignment_history;
SELECT count(*) AS verify_rows FROM quota.verify();

-- And once more inside one transaction, closing a period on the way.
BEGIN;
DROP EXTENSION quota_ext;
CREATE EXTENSION quota_ext;
INSERT INTO quota.rep (rep_id, name) VALUES ('raj', 'Raj');
SELECT quota.close_period('2026-10-31');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES ('raj', 'call', '2026-11-04 10:00+00', 7);
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES ('raj', 'call', '2026-10-31 10:00+00', 1);
ROLLBACK;
-- The second installation is back, and its triggers with it: 1 more call.
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES ('raj', 'call', '2026-11-05 10:00+00', 1);
SELECT rep_id, kind, day, sum(qty) AS qty FROM quota.daily_total GROUP BY 1, 2, 3 ORDER BY 1, 3;
SELECT count(*) AS verify_rows FROM quota.verify();

\c contrib_regression
SET client_min_messages = warning;
DROP DATABASE regress_quota_reinstall;
