-- The public contract of quota_ext: the schema, its tables and columns with
-- their types, the progress view that BI tools read, the shipped kinds, the
-- comments on every object, and the security properties of its functions.
BEGIN;
SELECT plan(123);

-- The extension lives in schema quota and cannot be moved out of it: its
-- functions name quota.* explicitly.
SELECT has_schema('quota', 'schema quota exists');
SELECT is((SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'quota_ext'),
          'quota', 'quota_ext is installed in schema quota');
SELECT is((SELECT extrelocatable FROM pg_extension WHERE extname = 'quota_ext'),
          false, 'quota_ext is not relocatable');

-- Tables.
SELECT tables_are('quota', ARRAY['team', 'rep', 'activity_kind', 'assignment', 'activity',
                                 'period_close', 'daily_total', 'tier_set', 'tier', 'plan', 'rep_security',
                                 'holiday', 'distribution', 'distribution_month', 'ramp', 'ramp_step',
                                 'assignment_history', 'activity_credit', 'tracking', 'unmatched', 'late_change',
                                 'rep_zone_change', 'period_reopen', 'month_total'],
                  'schema quota has exactly the documented tables');

SELECT has_table('quota', 'team', 'table quota.team exists');
SELECT columns_are('quota', 'team', ARRAY['team_id', 'name', 'parent_id', 'time_zone'], 'quota.team has its columns');
SELECT col_type_is('quota', 'team', 'team_id', 'text', 'team.team_id is text');
SELECT col_type_is('quota', 'team', 'name', 'text', 'team.name is text');
SELECT col_type_is('quota', 'team', 'parent_id', 'text', 'team.parent_id is text');
SELECT col_is_pk('quota', 'team', 'team_id', 'team_id is the key of quota.team');

SELECT has_table('quota', 'rep', 'table quota.rep exists');
SELECT columns_are('quota', 'rep', ARRAY['rep_id', 'name', 'team_id', 'time_zone', 'active', 'login'], 'quota.rep has its columns');
SELECT col_type_is('quota', 'rep', 'rep_id', 'text', 'rep.rep_id is text');
SELECT col_type_is('quota', 'rep', 'name', 'text', 'rep.name is text');
SELECT col_type_is('quota', 'rep', 'team_id', 'text', 'rep.team_id is text');
SELECT col_type_is('quota', 'rep', 'time_zone', 'text', 'rep.time_zone is text');
SELECT col_type_is('quota', 'rep', 'active', 'boolean', 'rep.active is boolean');
SELECT col_is_pk('quota', 'rep', 'rep_id', 'rep_id is the key of quota.rep');
SELECT col_default_is('quota', 'rep', 'time_zone', 'UTC', 'a rep''s time zone defaults to UTC');

SELECT has_table('quota', 'activity_kind', 'table quota.activity_kind exists');
SELECT columns_are('quota', 'activity_kind', ARRAY['kind', 'description', 'measure', 'weight', 'role'], 'quota.activity_kind has its columns');
SELECT col_type_is('quota', 'activity_kind', 'kind', 'text', 'activity_kind.kind is text');
SELECT col_type_is('quota', 'activity_kind', 'description', 'text', 'activity_kind.description is text');
SELECT col_type_is('quota', 'activity_kind', 'measure', 'text', 'activity_kind.measure is text');
SELECT col_type_is('quota', 'activity_kind', 'weight', 'numeric', 'activity_kind.weight is numeric');
SELECT col_is_pk('quota', 'activity_kind', 'kind', 'kind is the key of quota.activity_kind');

SELECT has_table('quota', 'assignment', 'table quota.assignment exists');
SELECT columns_are('quota', 'assignment', ARRAY['assignment_id', 'rep_id', 'team_id', 'kind', 'target', 'valid',
                                                'ramp_id', 'ramp_start', 'distribution_id'], 'quota.assignment has its columns');
SELECT col_type_is('quota', 'assignment', 'ramp_start', 'date', 'assignment.ramp_start is date');
SELECT col_type_is('quota', 'assignment', 'assignment_id', 'bigint', 'assignment.assignment_id is bigint');
SELECT col_type_is('quota', 'assignment', 'rep_id', 'text', 'assignment.rep_id is text');
SELECT col_type_is('quota', 'assignment', 'team_id', 'text', 'assignment.team_id is text');
SELECT col_type_is('quota', 'assignment', 'kind', 'text', 'assignment.kind is text');
SELECT col_type_is('quota', 'assignment', 'target', 'quota', 'quota', 'assignment.target is quota.quota');
SELECT col_type_is('quota', 'assignment', 'valid', 'daterange', 'assignment.valid is daterange');
SELECT col_is_pk('quota', 'assignment', 'assignment_id', 'assignment_id is the key of quota.assignment');

-- The tables of plans (0.2).
SELECT columns_are('quota', 'holiday', ARRAY['holiday_id', 'day', 'team_id', 'description'], 'quota.holiday has its columns');
SELECT columns_are('quota', 'distribution', ARRAY['distribution_id', 'description', 'period_unit'], 'quota.distribution has its columns');
SELECT columns_are('quota', 'distribution_month', ARRAY['distribution_id', 'month', 'percent'], 'quota.distribution_month has its columns');
SELECT col_type_is('quota', 'distribution_month', 'percent', 'numeric', 'distribution_month.percent is numeric (exact)');
SELECT columns_are('quota', 'ramp', ARRAY['ramp_id', 'description', 'period_unit'], 'quota.ramp has its columns');
SELECT columns_are('quota', 'ramp_step', ARRAY['ramp_id', 'step', 'factor'], 'quota.ramp_step has its columns');
SELECT columns_are('quota', 'assignment_history', ARRAY['history_id', 'assignment_id', 'rep_id', 'team_id', 'kind', 'operation',
                                                        'changed_at', 'changed_by', 'old_row', 'new_row'], 'quota.assignment_history has its columns');
SELECT col_type_is('quota', 'assignment_history', 'new_row', 'jsonb', 'assignment_history.new_row is jsonb');
SELECT columns_are('quota', 'activity_credit', ARRAY['activity_id', 'rep_id', 'share', 'from_rep_id', 'kind', 'occurred_at', 'qty'],
                   'quota.activity_credit has its columns');
SELECT col_type_is('quota', 'activity_credit', 'qty', 'numeric', 'activity_credit.qty is numeric (exact)');
SELECT col_is_pk('quota', 'activity_credit', ARRAY['activity_id', 'rep_id'], '(activity_id, rep_id) is the key of quota.activity_credit');
SELECT fk_ok('quota', 'activity_credit', 'activity_id', 'quota', 'activity', 'activity_id', 'a credit belongs to an activity');
SELECT has_function('quota', 'change_quota', ARRAY['text', 'text', 'quota.quota', 'date'], 'quota.change_quota(text, text, quota, date) exists');
SELECT volatility_is('quota', 'change_quota', ARRAY['text', 'text', 'quota.quota', 'date'], 'volatile', 'quota.change_quota() is VOLATILE (it writes)');
SELECT ok(NOT has_function_privilege('public', 'quota.change_quota(text, text, quota.quota, date)', 'EXECUTE'),
          'quota.change_quota() is not executable by PUBLIC');
SELECT function_lang_is('quota', 'assignment_history', ARRAY[]::text[], 'c', 'quota.assignment_history() is written in C (it writes as the owner)');
SELECT volatility_is('quota', 'target_for', ARRAY['quota.quota', 'daterange', 'date[]', 'numeric[]', 'date', 'numeric[]', 'text'], 'stable',
                     'quota.target_for on a schedule is STABLE (it reads quota.proration and quota.ramp_partial_period)');
SELECT isnt_strict('quota', 'target_for', ARRAY['quota.quota', 'daterange', 'date[]', 'numeric[]', 'date', 'numeric[]', 'text'],
                   'quota.target_for on a schedule is not STRICT (NULL means no holidays, season or ramp)');

SELECT has_table('quota', 'activity', 'table quota.activity exists');
SELECT columns_are('quota', 'activity', ARRAY['activity_id', 'rep_id', 'kind', 'occurred_at', 'qty', 'external_id', 'source', 'recorded_at'], 'quota.activity has its columns');
SELECT col_type_is('quota', 'activity', 'activity_id', 'bigint', 'activity.activity_id is bigint');
SELECT col_type_is('quota', 'activity', 'rep_id', 'text', 'activity.rep_id is text');
SELECT col_type_is('quota', 'activity', 'kind', 'text', 'activity.kind is text');
SELECT col_type_is('quota', 'activity', 'occurred_at', 'timestamp with time zone', 'activity.occurred_at is timestamptz');
SELECT col_type_is('quota', 'activity', 'qty', 'numeric', 'activity.qty is numeric (exact: revenue is money)');
SELECT col_type_is('quota', 'activity', 'external_id', 'text', 'activity.external_id is text');
SELECT col_type_is('quota', 'activity', 'source', 'text', 'activity.source is text');
SELECT col_type_is('quota', 'activity', 'recorded_at', 'timestamp with time zone', 'activity.recorded_at is timestamptz');
SELECT col_is_pk('quota', 'activity', 'activity_id', 'activity_id is the key of quota.activity');
SELECT col_is_unique('quota', 'activity', 'external_id', 'activity.external_id is unique (retries count once)');

SELECT has_table('quota', 'period_close', 'table quota.period_close exists');
SELECT columns_are('quota', 'period_close', ARRAY['closed_through', 'closed_at', 'closed_by'], 'quota.period_close has its columns');
-- 0.5: reopenings and the changes of time zone kept for closed days.
SELECT columns_are('quota', 'period_reopen', ARRAY['reopened_from', 'closed_through', 'reason', 'reopened_at', 'reopened_by'],
                   'quota.period_reopen has its columns');
SELECT columns_are('quota', 'rep_zone_change', ARRAY['rep_id', 'boundary', 'time_zone', 'first_day', 'changed_at', 'changed_by'],
                   'quota.rep_zone_change has its columns');
SELECT ok(NOT has_function_privilege('public', 'quota.reopen_period(date, text)', 'EXECUTE')
          AND NOT has_function_privilege('public', 'quota.begin_restore()', 'EXECUTE')
          AND NOT has_function_privilege('public', 'quota.end_restore()', 'EXECUTE'),
          'PUBLIC may not reopen periods nor begin or end a restore');
SELECT is(quota.rep_day('nobody', now()), NULL, 'quota.rep_day() of an unknown rep is NULL');
SELECT col_type_is('quota', 'period_close', 'closed_through', 'date', 'period_close.closed_through is date');

SELECT has_table('quota', 'daily_total', 'table quota.daily_total exists');
SELECT columns_are('quota', 'daily_total', ARRAY['rep_id', 'kind', 'day', 'slot', 'qty', 'tracking_id', 'rows'], 'quota.daily_total has its columns');
SELECT col_is_pk('quota', 'daily_total', ARRAY['rep_id', 'kind', 'day', 'tracking_id', 'slot'], 'a total is one slot of one tracking''s rep, kind and day');

-- Tracked tables: what is tracked, what is not counted, what changed after a close.
SELECT columns_are('quota', 'tracking', ARRAY['tracking_id', 'source', 'kind', 'rep_column', 'rep_type',
                   'occurred_at_column', 'occurred_at_type', 'qty_column', 'qty_type', 'tracked_at', 'tracked_by'],
                   'quota.tracking has its columns');
SELECT col_type_is('quota', 'tracking', 'source', 'regclass', 'tracking.source is regclass');
SELECT columns_are('quota', 'unmatched', ARRAY['tracking_id', 'source', 'row_key', 'rep_id', 'occurred_at',
                   'occurred_on', 'qty', 'reason', 'noted_at'], 'quota.unmatched has its columns');
SELECT columns_are('quota', 'late_change', ARRAY['late_change_id', 'tracking_id', 'source', 'row_key', 'rep_id',
                   'kind', 'day', 'qty_change', 'rows_change', 'changed_at'], 'quota.late_change has its columns');
SELECT results_eq(
    $$SELECT column_name::text COLLATE "default", data_type::text COLLATE "default" FROM information_schema.columns
       WHERE table_schema = 'quota' AND table_name = 'sources' ORDER BY ordinal_position$$,
    $$VALUES ('tracking_id', 'integer'), ('source', 'regclass'), ('kind', 'text'), ('rep_column', 'name'),
             ('occurred_at_column', 'name'), ('qty_column', 'name'), ('filter', 'text'),
             ('rows_counted', 'bigint'), ('rows_unmatched', 'bigint'), ('late_changes', 'bigint'),
             ('tracked_at', 'timestamp with time zone'), ('tracked_by', 'text')$$,
    'quota.sources has its 12 columns in order');
SELECT has_function('quota', 'track', ARRAY['regclass', 'text', 'text', 'text', 'text', 'text'], 'quota.track() exists');
SELECT volatility_is('quota', 'track', ARRAY['regclass', 'text', 'text', 'text', 'text', 'text'], 'volatile', 'quota.track() is VOLATILE (it writes)');
SELECT has_function('quota', 'untrack', ARRAY['regclass', 'text'], 'quota.untrack() exists');
SELECT is((SELECT count(*)::int FROM pg_event_trigger e JOIN pg_depend d ON d.objid = e.oid AND d.deptype = 'e'
            WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'quota_ext')
              AND e.evtname LIKE 'quota\_tracked\_%'), 3,
          'three event triggers keep tracked tables in step with DDL, members of the extension');
SELECT is((SELECT array_agg(e.evtevent || ' ' || array_to_string(e.evttags, ','))
             FROM pg_event_trigger e JOIN pg_depend d ON d.objid = e.oid AND d.deptype = 'e'
            WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'quota_ext')
              AND e.evtname = 'quota_month_total_grants'), ARRAY['ddl_command_end GRANT,REVOKE'],
          'an event trigger, member of the extension, makes grants on quota.daily_total follow to quota.month_total');
SELECT col_type_is('quota', 'daily_total', 'day', 'date', 'daily_total.day is date');
SELECT col_type_is('quota', 'daily_total', 'qty', 'numeric', 'daily_total.qty is numeric');

-- The view BI tools read: ordinary columns, in this order, of these types.
SELECT has_view('quota', 'progress', 'view quota.progress exists');
SELECT results_eq(
    $$SELECT column_name::text COLLATE "default", data_type::text COLLATE "default" FROM information_schema.columns
       WHERE table_schema = 'quota' AND table_name = 'progress' ORDER BY ordinal_position$$,
    $$VALUES ('rep_id', 'text'), ('team_id', 'text'), ('kind', 'text'), ('period_unit', 'text'),
             ('period_start', 'date'), ('period_end', 'date'),
             ('target', 'numeric'), ('actual', 'numeric'), ('attainment', 'numeric'),
             ('shortfall', 'numeric'), ('surplus', 'numeric'), ('met', 'boolean'),
             ('elapsed', 'numeric'), ('expected_to_date', 'numeric'), ('projected', 'numeric'),
             ('pace', 'numeric'), ('status', 'text'),
             ('attainment_rank', 'integer'), ('shortfall_rank', 'integer')$$,
    'quota.progress has its 19 columns in order, all of built-in types');

-- The shipped kinds: every kind counts things except revenue, an amount.
SELECT bag_eq(
    $$SELECT kind, measure FROM quota.activity_kind$$,
    $$VALUES ('call', 'count'), ('email', 'count'), ('social_contact', 'count'),
             ('statement_of_work', 'count'), ('demo', 'count'), ('meeting', 'count'),
             ('new_customer', 'count'), ('opportunity', 'count'), ('revenue', 'amount'),
             ('units_sold', 'count')$$,
    'CREATE EXTENSION ships the ten kinds of the domain, revenue being an amount');

-- Functions: existence, language and volatility of the ones users call.
SELECT has_function('quota', 'progress_as_of', ARRAY['timestamp with time zone'], 'quota.progress_as_of(timestamptz) exists');
SELECT function_lang_is('quota', 'progress_as_of', ARRAY['timestamp with time zone'], 'sql', 'quota.progress_as_of is SQL (inlinable by BI queries)');
SELECT volatility_is('quota', 'progress_as_of', ARRAY['timestamp with time zone'], 'stable', 'quota.progress_as_of is STABLE');
-- Its rows without the ranks, which a filter on rep_id reaches, both inlinable.
SELECT function_lang_is('quota', 'progress_unranked_as_of', ARRAY['timestamp with time zone'], 'sql',
                        'quota.progress_unranked_as_of(timestamptz) is SQL (inlinable)');
SELECT volatility_is('quota', 'progress_exact_as_of', ARRAY['timestamp with time zone'], 'stable',
                     'quota.progress_exact_as_of(timestamptz) is STABLE');
-- A rep's actual: the reports give it the moment's day, which they have
-- per rep; the call without it computes that day.
SELECT has_function('quota', 'rep_actual', ARRAY['text', 'text', 'text', 'daterange', 'timestamp with time zone', 'date'],
                    'quota.rep_actual(text, text, text, daterange, timestamptz, date) exists');
SELECT volatility_is('quota', 'rep_actual', ARRAY['text', 'text', 'text', 'daterange', 'timestamp with time zone'], 'stable',
                     'quota.rep_actual(text, text, text, daterange, timestamptz) is STABLE');
-- Team progress and the scoreboard of some periods run as whole functions
-- (no JIT), told the starts by the planner; the calls without the starts
-- are inlined into them, so that a filter reaches them.
SELECT has_function('quota', 'team_progress_as_of', ARRAY['timestamp with time zone', 'daterange'],
                    'quota.team_progress_as_of(timestamptz, daterange) exists');
SELECT has_function('quota', 'scoreboard_as_of', ARRAY['timestamp with time zone', 'text', 'daterange'],
                    'quota.scoreboard_as_of(timestamptz, text, daterange) exists');
SELECT is((SELECT string_agg(format('%s %s %s', p.oid::regprocedure, p.prosupport,
                                     coalesce(array_to_string(p.proconfig, ','), '(no settings)')),
                              '; ' ORDER BY p.oid::regprocedure::text COLLATE "C")
              FROM pg_proc p
             WHERE p.pronamespace = 'quota'::regnamespace AND p.proname IN ('team_progress_as_of', 'scoreboard_as_of')),
          'quota.scoreboard_as_of(timestamp with time zone,text) - (no settings); '
          'quota.scoreboard_as_of(timestamp with time zone,text,daterange) quota.periods_support jit=off; '
          'quota.team_progress_as_of(timestamp with time zone) - (no settings); '
          'quota.team_progress_as_of(timestamp with time zone,daterange) quota.periods_support jit=off',
    'the functions of some periods have the support function and jit = off; the others neither (inlinable)');
SELECT ok((SELECT prosupport = 'quota.periods_support'::regproc FROM pg_proc WHERE oid = 'quota.periods(text, daterange)'::regprocedure),
          'quota.periods() has the support function');
SELECT has_function('quota', 'verify', ARRAY[]::text[], 'quota.verify() exists');
SELECT volatility_is('quota', 'verify', ARRAY[]::text[], 'stable', 'quota.verify() is STABLE');
SELECT has_function('quota', 'rebuild', ARRAY['text'], 'quota.rebuild(text) exists');
SELECT volatility_is('quota', 'rebuild', ARRAY['text'], 'volatile', 'quota.rebuild() is VOLATILE (it writes)');
SELECT has_function('quota', 'close_period', ARRAY['date'], 'quota.close_period(date) exists');
SELECT volatility_is('quota', 'close_period', ARRAY['date'], 'volatile', 'quota.close_period() is VOLATILE (it writes)');
SELECT has_function('quota', 'activity_totals', ARRAY[]::text[], 'quota.activity_totals() exists');
SELECT function_lang_is('quota', 'activity_totals', ARRAY[]::text[], 'c', 'quota.activity_totals() is written in C');
SELECT function_returns('quota', 'activity_totals', ARRAY[]::text[], 'trigger', 'quota.activity_totals() is a trigger function');
SELECT has_function('quota', 'target_for', ARRAY['quota.quota', 'daterange'], 'quota.target_for(quota, daterange) exists');
SELECT volatility_is('quota', 'target_for', ARRAY['quota.quota', 'daterange'], 'stable', 'quota.target_for is STABLE (it reads quota.week_start and quota.fiscal_year_start)');
SELECT has_function('quota', 'elapsed', ARRAY['daterange', 'timestamp with time zone', 'text'], 'quota.elapsed(daterange, timestamptz, text) exists');
SELECT has_function('quota', 'period_start', ARRAY['text', 'timestamp with time zone', 'text'], 'quota.period_start(text, timestamptz, text) exists');

SELECT trigger_is('quota', 'activity', 'activity_totals', 'quota', 'activity_totals', 'each row changed in quota.activity runs quota.activity_totals()');
SELECT trigger_is('quota', 'activity', 'activity_totals_written', 'quota', 'activity_totals', 'each statement on quota.activity runs quota.activity_totals()');

-- Every table, view, column, function and type of schema quota is commented:
-- BI tools show these comments.  Each list below must be empty.
SELECT is_empty(
    $$SELECT c.oid::regclass::text FROM pg_class c
       WHERE c.relnamespace = 'quota'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
         AND obj_description(c.oid, 'pg_class') IS NULL$$,
    'every table and view of schema quota has a comment');
SELECT is_empty(
    $$SELECT c.oid::regclass::text || '.' || a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
       WHERE c.relnamespace = 'quota'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
         AND a.attnum > 0 AND NOT a.attisdropped
         AND col_description(c.oid, a.attnum) IS NULL$$,
    'every column of every table and view of schema quota has a comment');
SELECT is_empty(
    $$SELECT p.oid::regprocedure::text FROM pg_proc p
       WHERE p.pronamespace = 'quota'::regnamespace AND obj_description(p.oid, 'pg_proc') IS NULL$$,
    'every function of schema quota has a comment');
SELECT is_empty(
    $$SELECT t.oid::regtype::text FROM pg_type t
       WHERE t.typnamespace = 'quota'::regnamespace AND t.typtype IN ('b', 'd', 'e', 'r') AND t.typcategory <> 'A'
         AND obj_description(t.oid, 'pg_type') IS NULL$$,
    'every type of schema quota has a comment');

-- No function runs with its owner's rights.
SELECT is_empty(
    $$SELECT p.oid::regprocedure::text FROM pg_proc p
       WHERE p.pronamespace = 'quota'::regnamespace AND p.prosecdef$$,
    'no function of schema quota is SECURITY DEFINER');
-- Sanity of the query above: schema quota does have functions to look at.
SELECT cmp_ok((SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'quota'::regnamespace), '>=', 30,
              'schema quota holds the extension''s functions (the checks above are not vacuous)');

SELECT * FROM finish();
ROLLBACK;
