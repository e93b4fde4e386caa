-- security: functions and operators planted in a schema that comes before
-- pg_catalog on search_path are never called by the extension's install
-- script, triggers or functions.  Each planted object logs its call.  In a
-- database of its own, so that the extension is created afresh.
CREATE DATABASE regress_quota_security;
\c regress_quota_security
SET client_min_messages = warning;
CREATE EXTENSION btree_gist;
SET datestyle = 'ISO, YMD';
CREATE SCHEMA hostile;
CREATE TABLE hostile.calls (what text);
CREATE FUNCTION hostile.log(what text) RETURNS boolean
    LANGUAGE sql AS $$ INSERT INTO hostile.calls VALUES (what) RETURNING true $$;

CREATE FUNCTION hostile.text_eq(text, text) RETURNS boolean LANGUAGE sql
    AS $$ SELECT hostile.log('text = text') AND $1 OPERATOR(pg_catalog.=) $2 $$;
CREATE OPERATOR hostile.= (LEFTARG = text, RIGHTARG = text, FUNCTION = hostile.text_eq);
CREATE FUNCTION hostile.numeric_add(numeric, numeric) RETURNS numeric LANGUAGE sql
    AS $$ SELECT CASE WHEN hostile.log('numeric + numeric') THEN $1 OPERATOR(pg_catalog.+) $2 END $$;
CREATE OPERATOR hostile.+ (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = hostile.numeric_add);
CREATE FUNCTION hostile.date_le(date, date) RETURNS boolean LANGUAGE sql
    AS $$ SELECT hostile.log('date <= date') AND $1 OPERATOR(pg_catalog.<=) $2 $$;
CREATE OPERATOR hostile.<= (LEFTARG = date, RIGHTARG = date, FUNCTION = hostile.date_le);
CREATE FUNCTION hostile.lower(daterange) RETURNS date LANGUAGE sql
    AS $$ SELECT CASE WHEN hostile.log('lower(daterange)') THEN pg_catalog.lower($1) END $$;
CREATE FUNCTION hostile.now() RETURNS timestamptz LANGUAGE sql
    AS $$ SELECT CASE WHEN hostile.log('now()') THEN pg_catalog.now() END $$;
CREATE FUNCTION hostile.round(numeric, integer) RETURNS numeric LANGUAGE sql
    AS $$ SELECT CASE WHEN hostile.log('round(numeric, integer)') THEN pg_catalog.round($1, $2) END $$;
CREATE FUNCTION hostile.unnest(anyarray) RETURNS SETOF anyelement LANGUAGE sql
    AS $$ SELECT pg_catalog.unnest($1) WHERE hostile.log('unnest(anyarray)') $$;
CREATE FUNCTION hostile.sum_step(numeric, numeric) RETURNS numeric LANGUAGE sql
    AS $$ SELECT CASE WHEN hostile.log('sum(numeric)') THEN COALESCE($1, 0) OPERATOR(pg_catalog.+) $2 END $$;
CREATE AGGREGATE hostile.sum(numeric) (SFUNC = hostile.sum_step, STYPE = numeric);
CREATE FUNCTION hostile.max_step(date, date) RETURNS date LANGUAGE sql
    AS $$ SELECT CASE WHEN hostile.log('max(date)') THEN GREATEST($1, $2) END $$;
CREATE AGGREGATE hostile.max(date) (SFUNC = hostile.max_step, STYPE = date);
CREATE FUNCTION hostile.format(text, VARIADIC text[]) RETURNS text LANGUAGE sql
    AS $$ SELECT CASE WHEN hostile.log('format') THEN $1 END $$;

-- The extension is installed, used and checked with the planted schema
-- ahead of pg_catalog.
SET search_path = hostile, pg_catalog, public;
CREATE EXTENSION quota_ext;
RESET client_min_messages;

INSERT INTO quota.team (team_id, name) VALUES ('s_team', 'Team');
INSERT INTO quota.rep (rep_id, name, team_id, time_zone) VALUES ('s_rep', 'Rep', 's_team', 'Asia/Tokyo');
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES ('s_rep', 'call', '100/month', '[2026-10-01,)');
INSERT INTO quota.assignment (team_id, kind, target, valid) VALUES ('s_team', 'call', '300/month', '[2026-10-01,)');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id) VALUES
    ('s_rep', 'call', '2026-10-05 10:00+00', 40, 's-1'),
    ('s_rep', 'opportunity', '2026-10-06 10:00+00', 2, 's-2');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id)
VALUES ('s_rep', 'call', '2026-10-05 10:00+00', 40, 's-1') ON CONFLICT (external_id) DO NOTHING;
UPDATE quota.activity SET qty = 50 WHERE external_id OPERATOR(pg_catalog.=) 's-1';
DELETE FROM quota.activity WHERE external_id OPERATOR(pg_catalog.=) 's-2';
UPDATE quota.rep SET time_zone = 'Europe/Helsinki';
SELECT count(*) AS progress_rows FROM quota.progress_as_of('2026-11-15 12:00+00');
SELECT count(*) AS team_rows FROM quota.team_progress_as_of('2026-11-15 12:00+00');
SELECT count(*) AS score_rows FROM quota.scoreboard_as_of('2026-11-15 12:00+00');
SELECT count(*) AS conversion_rows FROM quota.conversion_as_of('2026-11-15 12:00+00');
SELECT quota.attain(qty, 100) AS attained FROM quota.activity;
SELECT quota.rebuild() AS totals_rebuilt;
SELECT count(*) AS disagreements FROM quota.verify();
SELECT quota.close_period('2026-10-31');
TRUNCATE quota.activity, quota.activity_credit;

-- Nothing planted was called, although every one of them would have been
-- chosen for the same call written in this session.
SELECT what, count(*) FROM hostile.calls GROUP BY what ORDER BY what;
SELECT 'a'::text = 'a', 1::numeric + 1, sum(1::numeric), max(date '2026-01-01'),
       lower(daterange('2026-01-01', '2026-02-01'));
SELECT what, count(*) FROM hostile.calls GROUP BY what ORDER BY what;
DELETE FROM hostile.calls;

\c contrib_regression
DROP DATABASE regress_quota_security;
