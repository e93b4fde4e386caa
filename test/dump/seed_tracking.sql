-- test/dump/seed_tracking.sql: tracked tables (quota_ext 0.4), loaded after
-- test/dump/seed.sql and test/dump/seed_plans.sql (October is closed): a
-- plain table of calls tracked twice (two kinds, two filters) and a table
-- of invoices partitioned by month (a partition made after it was
-- tracked, a column of its filter renamed), with rows filtered out, rows
-- of an unknown rep, without a rep or with no usable quantity (unmatched),
-- a row that waited for its rep until the rep was created, rows of a
-- closed day (late changes, before and after a second close), and
-- corrections in open days.  test/dump/run checks the figures below.
--
-- The reps' zones in November 2026 (seed.sql): raj London UTC+0, ana Sao
-- Paulo UTC-3, lena Helsinki UTC+2, kiri Chatham UTC+13:45, dev Kolkata
-- UTC+5:30.  A date column counts on its own date.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

CREATE SCHEMA crm;
CREATE TABLE crm.calls (
    id         bigint PRIMARY KEY,
    owner      text,
    started_at timestamptz,
    direction  text NOT NULL
);
-- Tracked as call (outbound) and as demo (direction demo), 1 a row.
--  1 raj  11-03 23:30 UTC  London 11-03  outbound
--  2 kiri 11-03 10:30 UTC  Chatham 11-04 00:15  outbound
--  3 ana  11-10 01:00 UTC  Sao Paulo 11-09 22:00  outbound
--  4 lena 11-12 22:30 UTC  Helsinki 11-13 00:30  outbound
--  5 lena 11-12 21:30 UTC  Helsinki 11-12 23:30  inbound (filtered out)
--  6 zed  11-14 12:00 UTC  (no rep zed: unmatched, unknown rep)
--  7 NULL 11-14 12:00 UTC  (unmatched, rep is null)
--  8 dev  10-20 12:00 UTC  Kolkata 10-20: October is closed: a late change
--  9 raj  11-20 09:00 UTC  London 11-20  demo
-- 10 raj  11-20 10:00 UTC  London 11-20  demo
-- 11 mia  11-21 02:00 UTC  (no rep mia yet: unmatched until she is created)
INSERT INTO crm.calls (id, owner, started_at, direction) VALUES
    (1,  'raj',  '2026-11-03 23:30+00', 'outbound'),
    (2,  'kiri', '2026-11-03 10:30+00', 'outbound'),
    (3,  'ana',  '2026-11-10 01:00+00', 'outbound'),
    (4,  'lena', '2026-11-12 22:30+00', 'outbound'),
    (5,  'lena', '2026-11-12 21:30+00', 'inbound'),
    (6,  'zed',  '2026-11-14 12:00+00', 'outbound'),
    (7,  NULL,   '2026-11-14 12:00+00', 'outbound'),
    (8,  'dev',  '2026-10-20 12:00+00', 'outbound'),
    (9,  'raj',  '2026-11-20 09:00+00', 'demo'),
    (10, 'raj',  '2026-11-20 10:00+00', 'demo'),
    (11, 'mia',  '2026-11-21 02:00+00', 'outbound');

CREATE SCHEMA billing;
CREATE TABLE billing.invoices (
    id        bigint NOT NULL,
    customer  text NOT NULL,
    sales_rep text,
    amount    numeric,
    issued_on date NOT NULL,
    status    text NOT NULL,
    PRIMARY KEY (id, issued_on)
) PARTITION BY RANGE (issued_on);
CREATE TABLE billing.invoices_2026_10 PARTITION OF billing.invoices FOR VALUES FROM ('2026-10-01') TO ('2026-11-01');
CREATE TABLE billing.invoices_2026_11 PARTITION OF billing.invoices FOR VALUES FROM ('2026-11-01') TO ('2026-12-01');
-- Tracked as revenue (amount) where status <> 'void'.
-- 101 raj  1000.50 10-15 paid  (closed: a late change)
-- 102 kiri 2500    11-02 paid
-- 103 kiri 300     11-02 void  (filtered out)
-- 104 dev  4000    11-12 paid
-- 105 ana  -200    11-12 paid  (a credit note: counts negative)
-- 106 zed  700     11-13 paid  (unmatched, unknown rep)
-- 107 lena NULL    11-14 open  (unmatched, qty is null)
-- 108 lena NaN     11-14 open  (unmatched, qty is not finite)
INSERT INTO billing.invoices (id, customer, sales_rep, amount, issued_on, status) VALUES
    (101, 'Acme',    'raj',  1000.50, '2026-10-15', 'paid'),
    (102, 'Kauri',   'kiri', 2500,    '2026-11-02', 'paid'),
    (103, 'Kauri',   'kiri', 300,     '2026-11-02', 'void'),
    (104, 'Tata',    'dev',  4000,    '2026-11-12', 'paid'),
    (105, 'Ipanema', 'ana',  -200,    '2026-11-12', 'paid'),
    (106, 'Nobody',  'zed',  700,     '2026-11-13', 'paid'),
    (107, 'Nokia',   'lena', NULL,    '2026-11-14', 'open'),
    (108, 'Nokia',   'lena', 'NaN',   '2026-11-14', 'open');

-- Tracking 1 counts rows 1, 2, 3, 4 (8 is a late change, 6, 7 and 11 are
-- unmatched); tracking 2 rows 9 and 10; tracking 3 rows 102, 104, 105
-- (101 a late change; 106, 107, 108 unmatched).
SELECT quota.track('crm.calls', 'call', 'owner', 'started_at', NULL, $$direction = 'outbound'$$);
SELECT quota.track('crm.calls', 'demo', 'owner', 'started_at', NULL, $$direction = 'demo'$$);
SELECT quota.track('billing.invoices', 'revenue', 'sales_rep', 'issued_on', 'amount', $$status <> 'void'$$);

-- A partition made after the table was tracked is covered; a column of the
-- filter renamed (the filter now reads state <> 'void').
CREATE TABLE billing.invoices_2026_12 PARTITION OF billing.invoices FOR VALUES FROM ('2026-12-01') TO ('2027-01-01');
ALTER TABLE billing.invoices RENAME COLUMN status TO state;
-- 109 dev 1500 12-01 paid
INSERT INTO billing.invoices (id, customer, sales_rep, amount, issued_on, state)
VALUES (109, 'Tata', 'dev', 1500, '2026-12-01', 'paid');

-- Mia is created: row 11 counts (Helsinki 11-21 04:00).
INSERT INTO quota.rep (rep_id, name, team_id, time_zone) VALUES ('mia', 'Mia Korhonen', 'emea', 'Europe/Helsinki');

-- Close through 11-08, then change rows of closed days: late changes.
SELECT quota.close_period('2026-11-08');
-- Row 1 moves from raj to ana: 11-03 20:30 in Sao Paulo, closed too:
-- raj -1 and ana +1 on 11-03 (two late changes), the totals stay.
UPDATE crm.calls SET owner = 'ana' WHERE id = 1;
-- Invoice 102 (kiri, 11-02) deleted: -2500 late.
DELETE FROM billing.invoices WHERE id = 102;
-- A call dated in the closed days: lena 11-05 (Helsinki 11-05 11:00): +1 late.
INSERT INTO crm.calls (id, owner, started_at, direction) VALUES (12, 'lena', '2026-11-05 09:00+00', 'outbound');

-- Corrections in open days.
-- Row 5 becomes outbound: lena +1 on 11-12 (Helsinki 23:30).
UPDATE crm.calls SET direction = 'outbound' WHERE id = 5;
-- Row 10 stops being a demo: raj demo 11-20 -1.
UPDATE crm.calls SET direction = 'inbound' WHERE id = 10;
-- Invoice 104 corrected 4000 -> 4200 and moved to 11-13 (another partition row, same partition).
UPDATE billing.invoices SET amount = 4200, issued_on = '2026-11-13' WHERE id = 104;
