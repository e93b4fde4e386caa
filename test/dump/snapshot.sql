-- test/dump/snapshot.sql: prints, in a fixed order, everything that must
-- survive a dump and restore (or an extension update): the rows of the
-- extension's tables, the totals summed per rep, kind and day, the
-- trackings of tracked tables (0.4) with their totals, unmatched rows, late
-- changes and triggers, the changes of time zone and reopenings (0.5), progress and the other reports at a fixed moment,
-- and quota.verify().  Two databases holding the same data print the same
-- text.
--   psql -XAtq -v part=data|reports|all -f snapshot.sql
\set ON_ERROR_STOP on
\pset null '<null>'
\pset fieldsep '|'
SET client_min_messages = warning;
SET TimeZone = 'UTC';
SET extra_float_digits = 3;
SELECT :'part' IN ('data', 'all') AS want_data, :'part' IN ('reports', 'all') AS want_reports,
       to_regclass('quota.activity_credit') IS NOT NULL AS has_plans,
       to_regclass('quota.tracking') IS NOT NULL AS has_tracking,
       to_regclass('quota.rep_zone_change') IS NOT NULL AS has_zone_changes \gset

\if :want_data
\echo == team
SELECT * FROM quota.team ORDER BY team_id;
\echo == rep
SELECT * FROM quota.rep ORDER BY rep_id;
\echo == activity_kind
SELECT * FROM quota.activity_kind ORDER BY kind;
\echo == assignment
SELECT assignment_id, rep_id, team_id, kind, target, valid FROM quota.assignment ORDER BY assignment_id;
\echo == activity
SELECT * FROM quota.activity ORDER BY activity_id;
\echo == period_close
SELECT * FROM quota.period_close ORDER BY closed_through, closed_at;
\echo == sequences
SELECT 'activity', last_value, is_called FROM quota.activity_activity_id_seq
UNION ALL
SELECT 'assignment', last_value, is_called FROM quota.assignment_assignment_id_seq;
\echo == totals (summed over slots, non-zero)
SELECT rep_id, kind, day, sum(qty) FROM quota.daily_total
 GROUP BY 1, 2, 3 HAVING sum(qty) <> 0 ORDER BY 1, 2, 3;
\echo == totals grand sum
SELECT sum(qty) FROM quota.daily_total;
\echo == policies and row-level security
SELECT tablename, policyname, permissive, roles, cmd, qual, with_check
  FROM pg_policies WHERE schemaname = 'quota' ORDER BY 1, 2;
SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class
 WHERE relnamespace = 'quota'::regnamespace AND relkind = 'r' AND (relrowsecurity OR relforcerowsecurity) ORDER BY 1;
\echo == verify
SELECT * FROM quota.verify();
\if :has_plans
\echo == plans: assignment schedules
SELECT assignment_id, ramp_id, ramp_start, distribution_id FROM quota.assignment ORDER BY assignment_id;
\echo == plans: holiday
SELECT * FROM quota.holiday ORDER BY holiday_id;
\echo == plans: distribution
SELECT * FROM quota.distribution d JOIN quota.distribution_month m USING (distribution_id) ORDER BY 1, m.month;
\echo == plans: ramp
SELECT * FROM quota.ramp r JOIN quota.ramp_step s USING (ramp_id) ORDER BY 1, s.step;
\echo == plans: assignment_history
SELECT * FROM quota.assignment_history ORDER BY history_id;
SELECT last_value, is_called FROM quota.assignment_history_history_id_seq;
\echo == plans: activity_credit
SELECT * FROM quota.activity_credit ORDER BY activity_id, rep_id;
\endif
\if :has_tracking
-- Tracked tables: the trackings as quota.sources shows them (ids, filters
-- as they read now, rows counted), the totals of each tracking (summed
-- over slots: each row counted once), the rows waiting (unmatched; noted_at
-- is when a restore recounted them), the late changes, the triggers on the
-- tracked tables and what a recount of them finds.
\echo == tracking: sources
SELECT tracking_id, source::text, kind, rep_column, occurred_at_column, qty_column, filter,
       rows_counted, rows_unmatched, late_changes, tracked_at, tracked_by
  FROM quota.sources ORDER BY tracking_id;
\echo == tracking: totals per tracking (summed over slots, non-zero)
SELECT tracking_id, rep_id, kind, day, sum(qty), sum(rows) FROM quota.daily_total WHERE tracking_id <> 0
 GROUP BY 1, 2, 3, 4 HAVING sum(qty) <> 0 OR sum(rows) <> 0 ORDER BY 1, 2, 3, 4;
\echo == tracking: unmatched
SELECT tracking_id, source::text, row_key, rep_id, occurred_at, occurred_on, qty, reason
  FROM quota.unmatched ORDER BY tracking_id, row_key, reason;
\echo == tracking: late_change
SELECT late_change_id, tracking_id, source::text, row_key, rep_id, kind, day, qty_change, rows_change, changed_at
  FROM quota.late_change ORDER BY late_change_id;
\echo == tracking: sequences
SELECT 'tracking', last_value, is_called FROM quota.tracking_tracking_id_seq
UNION ALL
SELECT 'late_change', last_value, is_called FROM quota.late_change_late_change_id_seq;
\echo == tracking: triggers of the tracked tables
SELECT t.tgrelid::regclass::text, t.tgname, pg_get_triggerdef(t.oid), t.tgenabled
  FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
 WHERE p.pronamespace = 'quota'::regnamespace AND p.proname LIKE 'tracked\_%' AND t.tgrelid <> ALL (
           SELECT objid FROM pg_depend WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
               AND classid = 'pg_class'::regclass)
 ORDER BY 1, 2;
\echo == tracking: rows of the tracked tables (quota.tracked_rows())
SELECT * FROM quota.tracked_rows() ORDER BY tracking_id, rep_id, day, occurred_at, occurred_on, qty, row_key;
\endif
\if :has_zone_changes
-- 0.5: the changes of time zone kept for closed days, and the reopenings.
\echo == zone changes and reopenings
SELECT rep_id, boundary, time_zone, first_day, changed_at, changed_by FROM quota.rep_zone_change ORDER BY 1, 2;
SELECT reopened_from, closed_through, reason, reopened_at, reopened_by FROM quota.period_reopen ORDER BY reopened_at, reopened_from;
\endif
\endif

\if :want_reports
\echo == progress_as_of 2026-11-20 12:00 UTC
SELECT * FROM quota.progress_as_of('2026-11-20 12:00+00')
 ORDER BY rep_id, kind, period_unit, period_start;
\echo == team_progress_as_of
SELECT * FROM quota.team_progress_as_of('2026-11-20 12:00+00')
 ORDER BY team_id, kind, period_unit, period_start;
\echo == scoreboard_as_of (month)
SELECT * FROM quota.scoreboard_as_of('2026-11-20 12:00+00', 'month') ORDER BY rep_id, period_start;
\echo == conversion_as_of (week)
SELECT * FROM quota.conversion_as_of('2026-11-20 12:00+00', 'week') ORDER BY rep_id, period_start, outcome_kind;
\endif
