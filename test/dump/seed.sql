-- test/dump/seed.sql: data for the dump, restore and upgrade tests, loaded
-- into a database where quota_ext is installed.  Every kind of row the
-- extension's tables can hold: nested teams with their own time zones, reps
-- in several zones (one far from UTC), a user-added kind, a shipped kind
-- whose weight the user changed, rep and team assignments (with gaps in the
-- identity), activity from several sessions (so the totals have several
-- slots), retried, corrected and deleted activity (with gaps in its
-- identity), and a closed period.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

INSERT INTO quota.team (team_id, name, parent_id, time_zone) VALUES
    ('world', 'Everyone', NULL, 'UTC'),
    ('emea', 'EMEA region', 'world', 'Europe/Helsinki'),
    ('apac', 'APAC region', 'world', 'Asia/Kolkata'),
    ('inside', 'Inside sales', 'emea', 'Europe/London');

INSERT INTO quota.rep (rep_id, name, team_id, time_zone) VALUES
    ('raj',  'Raj Patel',      'inside', 'Europe/London'),
    ('ana',  'Ana Silva',      'inside', 'America/Sao_Paulo'),
    ('lena', 'Lena Virtanen',  'emea',   'Europe/Helsinki'),
    ('kiri', 'Kiri Ngata',     'apac',   'Pacific/Chatham'),      -- UTC+13:45 in November
    ('dev',  'Dev Sharma',     'apac',   'Asia/Kolkata'),
    ('olga', 'Olga (left)',    NULL,     'America/Los_Angeles');
UPDATE quota.rep SET active = false WHERE rep_id = 'olga';

-- A kind of the user's, and a shipped kind the user re-weighted.
INSERT INTO quota.activity_kind (kind, description, measure, weight, role)
VALUES ('site_visit', 'a visit at the customer''s site', 'count', 2, 'effort');
UPDATE quota.activity_kind SET weight = 0.5 WHERE kind = 'email';

-- Assignments, with a rolled-back one and a deleted one so that the identity
-- has gaps.
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES
    ('raj',  'call',       '140/month', '[2026-01-01,)'),
    ('raj',  'email',      '250/month', '[2026-01-01,)'),
    ('ana',  'call',       '140/month', '[2026-01-01,2026-11-01)'),
    ('ana',  'call',       '150/month', '[2026-11-01,)');
BEGIN;
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES ('lena', 'call', '1/day', '[2026-01-01,)');
ROLLBACK;
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES
    ('lena', 'call',       '120/month', '[2026-11-16,)'),
    ('lena', 'site_visit', '3/week',    '[2026-10-01,)'),
    ('kiri', 'call',       '60/week',   '[2026-10-05,)'),
    ('kiri', 'revenue',    '50000.5/quarter', '[2026-10-01,)'),
    ('dev',  'meeting',    '10/week',   '[2026-10-01,2026-12-31)'),
    ('olga', 'call',       '99/month',  '[2026-10-01,2026-11-01)');
DELETE FROM quota.assignment WHERE rep_id = 'olga';
INSERT INTO quota.assignment (team_id, kind, target, valid) VALUES
    ('emea', 'call',       '600/month', '[2026-10-01,)'),
    ('apac', 'meeting',    '25/week',   '[2026-10-01,)');

-- October and November activity of every rep at hours that fall on other
-- days in the reps' zones than in UTC (23:30 and 10:30 UTC).
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
SELECT r.rep_id, k.kind,
       timestamptz '2026-10-01 00:00+00' + (d || ' days')::interval + (CASE WHEN i % 2 = 0 THEN '23:30' ELSE '10:30' END)::interval,
       CASE WHEN k.kind = 'revenue' THEN 1234.5 + i ELSE 1 + i % 3 END,
       'seed-' || r.rep_id || '-' || k.kind || '-' || d || '-' || i, 'seed'
  FROM quota.rep r
 CROSS JOIN (VALUES ('call'), ('email'), ('meeting'), ('site_visit'), ('revenue')) AS k(kind)
 CROSS JOIN generate_series(0, 55) AS d
 CROSS JOIN generate_series(1, 2) AS i
 WHERE (d + i + length(r.rep_id)) % 3 <> 0;

-- A retried row counts once; rows without an external id.
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
VALUES ('raj', 'call', '2026-10-15 09:00+01', 1, 'seed-raj-call-14-1', 'dialer')
ON CONFLICT (external_id) DO NOTHING;
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, source) VALUES
    ('raj', 'call', '2026-11-02 09:00 Europe/London', 7, 'manual'),
    ('kiri', 'call', '2026-11-02 00:10 Pacific/Chatham', 3, 'manual'),
    ('kiri', 'call', '2026-11-01 23:50 Pacific/Chatham', 4, 'manual');

-- Corrections and deletions (of October and November rows), and a rolled
-- back insert, before the period closes.
UPDATE quota.activity SET qty = qty + 10, occurred_at = occurred_at + interval '1 day'
 WHERE external_id LIKE 'seed-ana-call-1_-1';
UPDATE quota.activity SET rep_id = 'dev', kind = 'meeting' WHERE external_id LIKE 'seed-lena-email-2_-2';
DELETE FROM quota.activity WHERE external_id LIKE 'seed-%-revenue-3_-1';
BEGIN;
INSERT INTO quota.activity (rep_id, kind, qty, external_id) VALUES ('raj', 'call', 100, 'rolled-back');
ROLLBACK;

-- Close October (in each rep's zone), then keep writing November.
SELECT quota.close_period('2026-10-31');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
VALUES ('lena', 'site_visit', '2026-11-20 10:00 Europe/Helsinki', 2, 'after-close-1', 'crm'),
       ('kiri', 'revenue', '2026-11-21 09:00 Pacific/Chatham', 99999.9999, 'after-close-2', 'crm');
UPDATE quota.activity SET qty = 5 WHERE external_id = 'seed-raj-call-40-1';
DELETE FROM quota.activity WHERE external_id = 'seed-dev-meeting-45-2';
