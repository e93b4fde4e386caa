-- quota_ext: activity and sales quotas inside PostgreSQL.
--
-- The install script of the current version, built by the Makefile from the
-- SQL of each concept, in this order: the quota type (src/quota.sql), the
-- attainment type and its aggregates (attainment.sql), periods and time
-- zones (period.sql), proration (proration.sql), the data model
-- (model.sql), schedules: holidays, seasonality and ramps (schedule.sql),
-- the history of assignments and effective-dated changes (history.sql),
-- split credit (split_credit.sql), live totals (live_totals.sql),
-- progress (progress.sql), teams (teams.sql), the scoreboard and conversion
-- (scoreboard.sql), payouts (payout.sql) and row-level security
-- (security.sql).  Released scripts are in src/update/, frozen.

\echo Use "CREATE EXTENSION quota_ext" to load this file. \quit

-- Everything below names its schema; nothing resolves through the caller's
-- search_path.
SET LOCAL search_path = pg_catalog, pg_temp;
