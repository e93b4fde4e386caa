-- test/fuzz/rep_setup.sql: run by test/fuzz/run as the superuser in a new
-- database (:db) for the run as a rep: the extension, reps under row-level
-- security (README.md, "Roles and row-level security"), and rows of every
-- table the policies cover, for one rep (fz_own, whose login is :login, a
-- member of :reps) and for others.
--
-- Every rep but fz_own has the marker :token in its rep_id (fz_partner,
-- which shares credit with fz_own, in its name and in its activity's
-- external ids and sources), and so do the rows of a tracked table the
-- rep may not read: a row of another rep the rep role can read shows the
-- marker.  The rows of fz_own never carry it; the rows the policy lets
-- fz_own read that name another rep (credits to or from fz_partner) carry
-- fz_partner, not the marker.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION quota_ext CASCADE;
\ir values.sql

\set ana :token '_ana'
\set raj :token '_raj'
\set kiri :token '_kiri'
\set unknown :token '_unknown'

INSERT INTO quota.team (team_id, name, parent_id, time_zone) VALUES
    ('fz_sales', 'Sales', NULL, 'Europe/Helsinki'),
    ('fz_inside', 'Inside sales', 'fz_sales', 'Europe/London');
INSERT INTO quota.rep (rep_id, name, team_id, time_zone, active) VALUES
    ('fz_own', 'Own rep', 'fz_inside', 'Europe/Helsinki', true),
    ('fz_partner', 'Partner ' || :'token', 'fz_inside', 'Europe/London', true),
    (:'ana', 'Ana ' || :'token', 'fz_inside', 'America/Sao_Paulo', true),
    (:'raj', 'Raj ' || :'token', 'fz_sales', 'Europe/London', true),
    (:'kiri', 'Kiri ' || :'token', NULL, 'UTC', false);
INSERT INTO quota.holiday (day, team_id, description) VALUES
    ('2026-12-24', 'fz_inside', 'Christmas Eve'),
    ('2026-12-25', NULL, 'Christmas Day');

-- Quotas of each rep, a team's own quota (rep_id NULL: no rep sees it), and
-- changes of quota, which write the history.
INSERT INTO quota.assignment (rep_id, team_id, kind, target, valid) VALUES
    ('fz_own', NULL, 'call', '140/month', '[2026-01-01,)'),
    ('fz_own', NULL, 'email', '250/month', '[2026-01-01,)'),
    ('fz_own', NULL, 'revenue', '20000/month', '[2026-01-01,)'),
    ('fz_partner', NULL, 'revenue', '50000/month', '[2026-01-01,)'),
    (:'ana', NULL, 'call', '140/month', '[2026-01-01,)'),
    (:'raj', NULL, 'call', '250/week', '[2026-10-26,)'),
    (:'raj', NULL, 'revenue', '40000/quarter', '[2026-01-01,)'),
    (:'kiri', NULL, 'call', '100/month', '[2026-01-01,2026-11-01)'),
    (NULL, 'fz_inside', 'call', '600/month', '[2026-01-01,)');
SELECT quota.change_quota('fz_own', 'call', '180/month', '2026-11-16') IS NOT NULL AS changed;
SELECT quota.change_quota(:'ana', 'call', '160/month', '2026-11-16') IS NOT NULL AS changed;

-- Activity from October to yesterday (2 December 2026 when this was written:
-- the current month has rows for the views that read now()).
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
SELECT r.rep_id, k.kind, date '2026-10-01' + i + time '10:00' AT TIME ZONE r.time_zone, 1 + i % 3,
       CASE r.rep_id WHEN 'fz_own' THEN 'own' ELSE :'token' END || '-' || r.rep_id || '-' || k.kind || '-' || i,
       CASE r.rep_id WHEN 'fz_own' THEN 'crm' ELSE :'token' END
  FROM quota.rep r
 CROSS JOIN (VALUES ('call'), ('email'), ('opportunity')) AS k(kind)
 CROSS JOIN generate_series(0, 63) AS i
 WHERE date '2026-10-01' + i < current_date;
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source) VALUES
    ('fz_own', 'revenue', '2026-11-18 14:00 Europe/Helsinki', 10000, 'own-deal-1', 'crm'),
    ('fz_partner', 'revenue', '2026-11-19 14:00 Europe/London', 20000, :'token' || '-partner-deal-1', :'token'),
    (:'raj', 'revenue', '2026-11-20 14:00 Europe/London', 30000, :'token' || '-raj-deal-1', :'token');
-- Split credit: fz_own's deal shared with fz_partner, fz_partner's with
-- fz_own (both visible to fz_own), and one between two other reps.
BEGIN;
INSERT INTO quota.activity_credit (activity_id, rep_id, share)
SELECT a.activity_id, c.rep_id, c.share
  FROM quota.activity a
  JOIN (VALUES ('own-deal-1', 'fz_own', 60), ('own-deal-1', 'fz_partner', 40),
               (:'token' || '-partner-deal-1', 'fz_partner', 70), (:'token' || '-partner-deal-1', 'fz_own', 30),
               (:'token' || '-raj-deal-1', :'raj', 50), (:'token' || '-raj-deal-1', :'ana', 50))
       AS c(external_id, rep_id, share) USING (external_id);
COMMIT;

-- A tracked table the reps may not read: rows of fz_own and of another rep,
-- one of an unknown rep (unmatched), one filtered out; after September is
-- closed, rows on a closed day (late changes).
CREATE SCHEMA fz_crm;
CREATE TABLE fz_crm.calls (
    call_id    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner      text,
    started_at timestamptz,
    direction  text NOT NULL,
    note       text
);
INSERT INTO fz_crm.calls (owner, started_at, direction, note) VALUES
    ('fz_own', '2026-11-10 09:00 Europe/Helsinki', 'outbound', 'own call'),
    ('fz_own', '2026-11-11 09:00 Europe/Helsinki', 'outbound', 'own call'),
    ('fz_own', '2026-11-12 09:00 Europe/Helsinki', 'inbound', 'own call'),
    (:'ana', '2026-11-10 09:00 America/Sao_Paulo', 'outbound', :'token'),
    (:'unknown', '2026-11-10 09:00+00', 'outbound', :'token');
SELECT quota.track('fz_crm.calls', kind => 'call', rep => 'owner', occurred_at => 'started_at',
                   filter => $$direction = 'outbound'$$) AS tracked;
SELECT quota.close_period('2026-09-30');
INSERT INTO fz_crm.calls (owner, started_at, direction, note) VALUES
    ('fz_own', '2026-09-15 09:00 Europe/Helsinki', 'outbound', 'own late call'),
    (:'ana', '2026-09-15 09:00 America/Sao_Paulo', 'outbound', :'token');

-- The reps: what README.md grants them, the history of their quotas and
-- the views over those tables, and their own activity to record and correct (sqlsmith rolls every statement
-- back).
GRANT USAGE ON SCHEMA quota TO :"reps";
GRANT SELECT ON quota.rep, quota.team, quota.activity_kind, quota.assignment,
                quota.activity, quota.activity_credit, quota.daily_total,
                quota.ramp, quota.ramp_step, quota.distribution, quota.distribution_month,
                quota.holiday TO :"reps";
GRANT SELECT ON quota.assignment_history TO :"reps";
GRANT SELECT ON quota.progress, quota.team_progress, quota.scoreboard, quota.conversion,
                quota.team_membership TO :"reps";
GRANT INSERT, UPDATE, DELETE ON quota.activity TO :"reps";
GRANT SELECT, INSERT, UPDATE, DELETE ON public.fuzz_values TO :"reps";
SELECT quota.enable_rep_security(:'reps');
UPDATE quota.rep SET login = :'login' WHERE rep_id = 'fz_own';
ALTER ROLE :"login" IN DATABASE :"db" SET search_path = quota, public;
ANALYZE;

-- Every table the policies cover has rows of fz_own and rows of others.
DO $$
DECLARE
    missing text;
BEGIN
    SELECT string_agg(t.rel, ', ' ORDER BY t.rel) INTO missing
      FROM (SELECT 'rep' AS rel, count(*) FILTER (WHERE rep_id = 'fz_own') AS own, count(*) FILTER (WHERE rep_id <> 'fz_own') AS others FROM quota.rep
            UNION ALL SELECT 'assignment', count(*) FILTER (WHERE rep_id = 'fz_own'), count(*) FILTER (WHERE rep_id IS DISTINCT FROM 'fz_own') FROM quota.assignment
            UNION ALL SELECT 'assignment_history', count(*) FILTER (WHERE rep_id = 'fz_own'), count(*) FILTER (WHERE rep_id IS DISTINCT FROM 'fz_own') FROM quota.assignment_history
            UNION ALL SELECT 'activity', count(*) FILTER (WHERE rep_id = 'fz_own'), count(*) FILTER (WHERE rep_id <> 'fz_own') FROM quota.activity
            UNION ALL SELECT 'activity_credit', count(*) FILTER (WHERE 'fz_own' IN (rep_id, from_rep_id)), count(*) FILTER (WHERE 'fz_own' NOT IN (rep_id, from_rep_id)) FROM quota.activity_credit
            UNION ALL SELECT 'daily_total', count(*) FILTER (WHERE rep_id = 'fz_own'), count(*) FILTER (WHERE rep_id <> 'fz_own') FROM quota.daily_total
            UNION ALL SELECT 'unmatched', 1, count(*) FROM quota.unmatched
            UNION ALL SELECT 'late_change', count(*) FILTER (WHERE rep_id = 'fz_own'), count(*) FILTER (WHERE rep_id <> 'fz_own') FROM quota.late_change) AS t
     WHERE t.own = 0 OR t.others = 0;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'rep_setup.sql: no rows of fz_own, or none of other reps, in %', missing;
    END IF;
END
$$;
