-- Tracked tables (src/tracking.c, src/tracked_rows.c, src/tracking_ddl.c): tables
-- users already have (CRM calls, emails, invoices...), counted as activity
-- with quota.activity; what cannot be counted and what changed after a close.

CREATE TABLE quota.tracking (
    tracking_id        integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source             regclass NOT NULL,
    kind               text NOT NULL REFERENCES quota.activity_kind,
    rep_column         name NOT NULL,
    rep_type           regtype NOT NULL,
    occurred_at_column name NOT NULL,
    occurred_at_type   regtype NOT NULL,
    qty_column         name,
    qty_type           regtype,
    tracked_at         timestamptz NOT NULL DEFAULT now(),
    tracked_by         text NOT NULL,
    CONSTRAINT tracking_qty_type CHECK ((qty_column IS NULL) = (qty_type IS NULL))
);
COMMENT ON TABLE quota.tracking IS 'Tables counted as activity, written by quota.track() and quota.untrack(); the filter is the WHEN clause of the tracking''s triggers. quota.sources shows it.';
COMMENT ON COLUMN quota.tracking.tracking_id IS 'Generated key of the tracking; the tracking_id of its daily totals.';
COMMENT ON COLUMN quota.tracking.source IS 'The table tracked (a partitioned table covers its partitions).';
COMMENT ON COLUMN quota.tracking.kind IS 'The kind its rows count as.';
COMMENT ON COLUMN quota.tracking.rep_column IS 'The column whose text is the rep_id.';
COMMENT ON COLUMN quota.tracking.rep_type IS 'Its type, which may not change while tracked.';
COMMENT ON COLUMN quota.tracking.occurred_at_column IS 'The timestamptz or date column a row counts on the day of (in the rep''s time zone).';
COMMENT ON COLUMN quota.tracking.occurred_at_type IS 'Its type, which may not change while tracked.';
COMMENT ON COLUMN quota.tracking.qty_column IS 'The numeric column a row counts as, or NULL: each row counts 1.';
COMMENT ON COLUMN quota.tracking.qty_type IS 'Its type, which may not change while tracked.';
COMMENT ON COLUMN quota.tracking.tracked_at IS 'When quota.track() was called.';
COMMENT ON COLUMN quota.tracking.tracked_by IS 'Who called it.';

CREATE TABLE quota.unmatched (
    tracking_id integer NOT NULL REFERENCES quota.tracking ON DELETE CASCADE,
    source      regclass NOT NULL,
    row_key     text,
    rep_id      text,
    occurred_at timestamptz,
    occurred_on date,
    qty         numeric,
    reason      text NOT NULL CONSTRAINT unmatched_reason CHECK (reason IN (
                    'rep is null', 'unknown rep', 'time is null', 'time is not finite',
                    'qty is null', 'qty is not finite')),
    noted_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX unmatched_rep ON quota.unmatched (rep_id);
CREATE INDEX unmatched_row ON quota.unmatched (tracking_id, row_key);
COMMENT ON TABLE quota.unmatched IS 'Rows of tracked tables that are not counted, and why; a row of an unknown rep is counted when the rep is created, the others when the row is corrected. Written only by the extension; a role sees the rows of tables it may read.';
COMMENT ON COLUMN quota.unmatched.tracking_id IS 'The tracking (quota.sources).';
COMMENT ON COLUMN quota.unmatched.source IS 'The table the row is in.';
COMMENT ON COLUMN quota.unmatched.row_key IS 'The row''s primary key, as text ((a,b) for several columns); NULL for a table without one.';
COMMENT ON COLUMN quota.unmatched.rep_id IS 'The rep the row names, if any.';
COMMENT ON COLUMN quota.unmatched.occurred_at IS 'The row''s time (a timestamptz column), if any.';
COMMENT ON COLUMN quota.unmatched.occurred_on IS 'The row''s day (a date column), if any.';
COMMENT ON COLUMN quota.unmatched.qty IS 'The row''s quantity, if any.';
COMMENT ON COLUMN quota.unmatched.reason IS 'Why it is not counted: rep is null, unknown rep, time is null, time is not finite, qty is null, qty is not finite.';
COMMENT ON COLUMN quota.unmatched.noted_at IS 'When the row was found unmatched.';

CREATE TABLE quota.late_change (
    late_change_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tracking_id    integer NOT NULL REFERENCES quota.tracking ON DELETE CASCADE,
    source         regclass NOT NULL,
    row_key        text,
    rep_id         text NOT NULL,
    kind           text NOT NULL,
    day            date NOT NULL,
    qty_change     numeric NOT NULL,
    rows_change    integer NOT NULL,
    changed_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX late_change_tracking ON quota.late_change (tracking_id, rep_id);
COMMENT ON TABLE quota.late_change IS 'Changes of tracked rows on closed days, which the closed figures do not count: a row written, changed or deleted after its period closed. Written only by the extension; a role sees the rows of tables it may read.';
COMMENT ON COLUMN quota.late_change.late_change_id IS 'Generated key, in the order of the changes.';
COMMENT ON COLUMN quota.late_change.tracking_id IS 'The tracking (quota.sources).';
COMMENT ON COLUMN quota.late_change.source IS 'The table the row is in.';
COMMENT ON COLUMN quota.late_change.row_key IS 'The row''s primary key, as text; NULL for a table without one.';
COMMENT ON COLUMN quota.late_change.rep_id IS 'The rep the change would count for.';
COMMENT ON COLUMN quota.late_change.kind IS 'The kind.';
COMMENT ON COLUMN quota.late_change.day IS 'The closed day (in the rep''s time zone) it would change.';
COMMENT ON COLUMN quota.late_change.qty_change IS 'The change of the day''s total it would make: the qty of a row that arrived, minus that of a row that left.';
COMMENT ON COLUMN quota.late_change.rows_change IS '+1 for a row that arrived, -1 for a row that left.';
COMMENT ON COLUMN quota.late_change.changed_at IS 'When the change was made.';

-- A role sees the rows of the tables it may read.
ALTER TABLE quota.unmatched ENABLE ROW LEVEL SECURITY;
ALTER TABLE quota.late_change ENABLE ROW LEVEL SECURITY;
CREATE POLICY source_readable ON quota.unmatched FOR SELECT
    USING (pg_catalog.has_table_privilege(source::pg_catalog.oid, 'SELECT'));
CREATE POLICY source_readable ON quota.late_change FOR SELECT
    USING (pg_catalog.has_table_privilege(source::pg_catalog.oid, 'SELECT'));
GRANT SELECT ON quota.unmatched, quota.late_change TO PUBLIC;

-- The trackings and their late changes go into pg_dump; the rows that
-- wait and the totals are recounted when a restore creates the
-- tracking's triggers.
SELECT pg_catalog.pg_extension_config_dump('quota.tracking', '');
SELECT pg_catalog.pg_extension_config_dump('quota.tracking_tracking_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('quota.late_change', '');
SELECT pg_catalog.pg_extension_config_dump('quota.late_change_late_change_id_seq', '');

CREATE TRIGGER tracking_cached_rows AFTER INSERT OR UPDATE OR DELETE ON quota.tracking
    FOR EACH ROW EXECUTE FUNCTION quota.cached_rows_changed();
ALTER TABLE quota.tracking ENABLE ALWAYS TRIGGER tracking_cached_rows;

CREATE FUNCTION quota.track(source regclass, kind text, rep text, occurred_at text,
                            qty text DEFAULT NULL, filter text DEFAULT NULL)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'track' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION quota.track(regclass, text, text, text, text, text) IS 'Counts the rows of a table you own (those satisfying filter, a boolean expression over its columns) as activity of kind: qty (a numeric column; NULL: 1 a row) for the rep whose id is the text of column rep, on the day of occurred_at (timestamptz or date) in the rep''s time zone. Rows already there count at once; returns how many it counted. Takes INSERT on quota.activity.';

CREATE FUNCTION quota.untrack(source regclass, kind text DEFAULT NULL)
    RETURNS integer
    AS 'MODULE_PATHNAME', 'untrack' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION quota.untrack(regclass, text) IS 'Stops counting a table you own (as the kind given, or at all) and removes its totals, unmatched rows and late changes; returns how many trackings it removed.';

CREATE FUNCTION quota.tracked_filter(tracking integer, source oid) RETURNS text
    AS 'MODULE_PATHNAME', 'tracked_filter' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.tracked_filter(integer, oid) IS 'The filter of a tracking as it reads now (the WHEN clause of its insert trigger, with the columns'' current names), or NULL without one.';

CREATE FUNCTION quota.tracked_rows(tracking integer DEFAULT NULL, rep text DEFAULT NULL)
    RETURNS TABLE (tracking_id integer, row_key text, rep_id text, kind text,
                   occurred_at timestamptz, occurred_on date, day date, qty numeric, reason text)
    AS 'MODULE_PATHNAME', 'tracked_rows' LANGUAGE C STABLE PARALLEL UNSAFE;
COMMENT ON FUNCTION quota.tracked_rows(integer, text) IS 'Every row of the tracked tables (of one tracking, of one rep, if given) that satisfies its filter, read now: the day it counts on in its rep''s time zone, or why it cannot be counted (reason, with the row''s key). The filter is evaluated as the table''s owner. Takes SELECT on the tables.';

CREATE FUNCTION quota.tracked_sources_locked() RETURNS void
    AS 'MODULE_PATHNAME', 'tracked_sources_locked' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION quota.tracked_sources_locked() IS 'Part of quota.close_period() and quota.rebuild(): locks every tracked table and its partitions against writers until the transaction ends.';

CREATE VIEW quota.sources AS
    SELECT t.tracking_id, t.source, t.kind, t.rep_column, t.occurred_at_column, t.qty_column,
           quota.tracked_filter(t.tracking_id, t.source::oid) AS filter,
           coalesce((SELECT sum(d.rows) FROM quota.daily_total d WHERE d.tracking_id = t.tracking_id), 0)::bigint AS rows_counted,
           (SELECT count(*) FROM quota.unmatched u WHERE u.tracking_id = t.tracking_id) AS rows_unmatched,
           (SELECT count(*) FROM quota.late_change l WHERE l.tracking_id = t.tracking_id) AS late_changes,
           t.tracked_at, t.tracked_by
      FROM quota.tracking t
     WHERE pg_catalog.has_table_privilege(t.source::oid, 'SELECT');
COMMENT ON VIEW quota.sources IS 'The tracked tables (those you may read), one row per tracking, with the rows counted.';
COMMENT ON COLUMN quota.sources.tracking_id IS 'The tracking; quota.untrack() removes it.';
COMMENT ON COLUMN quota.sources.source IS 'The table tracked.';
COMMENT ON COLUMN quota.sources.kind IS 'The kind its rows count as.';
COMMENT ON COLUMN quota.sources.rep_column IS 'The column naming the rep.';
COMMENT ON COLUMN quota.sources.occurred_at_column IS 'The column of the time (or day).';
COMMENT ON COLUMN quota.sources.qty_column IS 'The column of the quantity, or NULL: each row counts 1.';
COMMENT ON COLUMN quota.sources.filter IS 'The filter, as it reads now; NULL: every row.';
COMMENT ON COLUMN quota.sources.rows_counted IS 'How many rows the totals count.';
COMMENT ON COLUMN quota.sources.rows_unmatched IS 'How many rows are not counted (quota.unmatched).';
COMMENT ON COLUMN quota.sources.late_changes IS 'How many changes of closed days were kept aside (quota.late_change).';
COMMENT ON COLUMN quota.sources.tracked_at IS 'When the table was tracked.';
COMMENT ON COLUMN quota.sources.tracked_by IS 'Who tracked it.';
GRANT SELECT ON quota.sources TO PUBLIC;

-- The triggers quota.track() attaches to a tracked table, enabled ALWAYS.
CREATE FUNCTION quota.tracked_row_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'tracked_row_changed' LANGUAGE C;
COMMENT ON FUNCTION quota.tracked_row_changed() IS 'Row trigger of a tracked table (its WHEN clause is the filter): takes back a deleted row, or counts one side of an update (an inserted row, for a tracking made before 0.11); a row that cannot be counted goes to quota.unmatched, a change of a closed day to quota.late_change.';
CREATE FUNCTION quota.tracked_row_inserted() RETURNS trigger
    AS 'MODULE_PATHNAME', 'tracked_row_inserted' LANGUAGE C;
COMMENT ON FUNCTION quota.tracked_row_inserted() IS 'Row trigger of the inserts into a tracked table, one for all its trackings: counts the row for each tracking whose filter (the WHEN clause of its update trigger over the new row) it satisfies, evaluated with the writer''s rights; a row that cannot be counted goes to quota.unmatched, one of a closed day to quota.late_change.';
CREATE FUNCTION quota.tracked_rows_written() RETURNS trigger
    AS 'MODULE_PATHNAME', 'tracked_rows_written' LANGUAGE C;
COMMENT ON FUNCTION quota.tracked_rows_written() IS 'Statement trigger of a tracked table: writes the totals its rows changed.';
CREATE FUNCTION quota.tracked_rows_truncated() RETURNS trigger
    AS 'MODULE_PATHNAME', 'tracked_rows_truncated' LANGUAGE C;
COMMENT ON FUNCTION quota.tracked_rows_truncated() IS 'Trigger BEFORE TRUNCATE of a tracked table or partition: takes its rows back from the totals (closed days keep theirs: late changes).';

-- Reps created later count the rows that waited for them.
CREATE FUNCTION quota.rep_tracked_rows() RETURNS trigger
    AS 'MODULE_PATHNAME', 'rep_tracked_rows' LANGUAGE C;
COMMENT ON FUNCTION quota.rep_tracked_rows() IS 'Trigger of quota.rep: a rep created (or renamed) counts the rows of tracked tables that waited for it; a rep whose rows tracked tables count cannot be deleted or renamed.';
CREATE TRIGGER rep_tracked_rows AFTER INSERT OR UPDATE OF rep_id OR DELETE ON quota.rep
    FOR EACH ROW EXECUTE FUNCTION quota.rep_tracked_rows();
ALTER TABLE quota.rep ENABLE ALWAYS TRIGGER rep_tracked_rows;

-- DDL on tracked tables.
CREATE FUNCTION quota.tracked_ddl_started() RETURNS event_trigger
    AS 'MODULE_PATHNAME', 'tracked_ddl_started' LANGUAGE C;
COMMENT ON FUNCTION quota.tracked_ddl_started() IS 'Event trigger: before a partition of a tracked table is detached or dropped (also with its schema or owner), takes its rows back; refuses to drop a tracking''s trigger or change the type of a tracked column; follows a renamed tracked column.';
CREATE FUNCTION quota.tracked_ddl_ended() RETURNS event_trigger
    AS 'MODULE_PATHNAME', 'tracked_ddl_ended' LANGUAGE C;
COMMENT ON FUNCTION quota.tracked_ddl_ended() IS 'Event trigger: refuses to disable a tracking''s trigger; counts the rows of a partition attached; recounts a tracking whose triggers a restore creates.';
CREATE FUNCTION quota.tracked_table_dropped() RETURNS event_trigger
    AS 'MODULE_PATHNAME', 'tracked_table_dropped' LANGUAGE C;
COMMENT ON FUNCTION quota.tracked_table_dropped() IS 'Event trigger: refuses to drop a tracked column (also with its domain); removes the trackings (and totals) of a dropped table, with a notice.';

CREATE EVENT TRIGGER quota_tracked_ddl_started ON ddl_command_start
    WHEN TAG IN ('ALTER TABLE', 'DROP TABLE', 'DROP TRIGGER', 'DROP SCHEMA', 'DROP OWNED')
    EXECUTE FUNCTION quota.tracked_ddl_started();
CREATE EVENT TRIGGER quota_tracked_ddl_ended ON ddl_command_end
    WHEN TAG IN ('ALTER TABLE', 'CREATE TABLE', 'CREATE TRIGGER')
    EXECUTE FUNCTION quota.tracked_ddl_ended();
CREATE EVENT TRIGGER quota_tracked_table_dropped ON sql_drop
    EXECUTE FUNCTION quota.tracked_table_dropped();

-- Trigger functions are the extension's own: nobody else may attach them
-- to a table (firing them needs no privilege); the lock is for the
-- owner and whom the owner grants quota.close_period() or
-- quota.rebuild() to.
REVOKE EXECUTE ON FUNCTION quota.tracked_row_changed(), quota.tracked_row_inserted(), quota.tracked_rows_written(),
    quota.tracked_rows_truncated(), quota.rep_tracked_rows(), quota.tracked_sources_locked() FROM PUBLIC;
