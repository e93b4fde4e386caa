-- test/readme/fixture.sql: what the examples of README.md presuppose, run
-- by test/readme/run in each new database after CREATE EXTENSION quota_ext
-- CASCADE, before the blocks of the section named (a section without a
-- part here gets nothing more: the sections of the plans, from
-- "Effective-dated changes and history" to "Split credit", say that they
-- run in a new database as they are).  Runs with the default search_path.

-- section: Versions
-- The update runs on an installation of 0.1, as the README says.
DROP EXTENSION quota_ext;
CREATE EXTENSION quota_ext VERSION '0.1';

-- section: The `quota.attainment` type and aggregates
-- The analyst's own tables, not the extension's: Raj makes 150 calls in
-- October (Helsinki time) and 60 in November, against 120 and 140; Ana 90
-- against 100 in October, none in November.
CREATE TABLE calls (rep text, at timestamptz, n integer);
CREATE TABLE targets (rep text, month date, n integer);
INSERT INTO calls VALUES
    ('raj', '2026-10-05 10:00 Europe/Helsinki', 100),
    ('raj', '2026-10-31 23:30 Europe/Helsinki', 50),
    ('raj', '2026-11-02 09:00 Europe/Helsinki', 60),
    ('ana', '2026-10-12 14:00 Europe/Helsinki', 90);
INSERT INTO targets VALUES
    ('raj', '2026-10-01', 120), ('raj', '2026-11-01', 140),
    ('ana', '2026-10-01', 100), ('ana', '2026-11-01', 100);

-- section: Progress
-- A rep with quotas of this month and activity today, so that the
-- report has rows.
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('raj', 'Raj Patel', 'Europe/Helsinki');
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES
    ('raj', 'call', '140/month', daterange(date_trunc('month', now())::date, NULL)),
    ('raj', 'email', '250/month', daterange(date_trunc('month', now())::date, NULL));
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES
    ('raj', 'call', now() - interval '1 minute', 12),
    ('raj', 'email', now() - interval '1 minute', 30);

-- section: Roles and row-level security
-- The rep whose login the example sets.
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('raj', 'Raj Patel', 'Europe/Helsinki');

-- section: Tracked tables
-- An application's own tables: Raj's calls (one inbound) and invoices of
-- November, and his quotas.
CREATE SCHEMA crm;
CREATE TABLE crm.calls (
    call_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner      text,
    started_at timestamptz NOT NULL,
    direction  text NOT NULL
);
CREATE TABLE crm.invoices (
    invoice_no  text PRIMARY KEY,
    salesperson text NOT NULL,
    issued_on   date NOT NULL,
    net_amount  numeric(12,2) NOT NULL
);
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('raj', 'Raj Patel', 'Europe/Helsinki');
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES
    ('raj', 'call', '140/month', '[2026-11-01,)'),
    ('raj', 'revenue', '50000/month', '[2026-11-01,)');
INSERT INTO crm.calls (owner, started_at, direction) VALUES
    ('raj', '2026-11-02 09:00 Europe/Helsinki', 'outbound'),
    ('raj', '2026-11-02 09:30 Europe/Helsinki', 'inbound'),
    ('raj', '2026-11-30 23:30 Europe/Helsinki', 'outbound');
INSERT INTO crm.invoices VALUES
    ('INV-1001', 'raj', '2026-11-10', 12000.00),
    ('INV-1002', 'raj', '2026-11-20', 8000.00);
