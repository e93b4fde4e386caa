-- quota_ext 0.3 -> 0.4: tables users already have, counted as activity
-- (quota.track(), quota.untrack(), quota.sources, quota.unmatched,
-- quota.late_change).  The daily totals get the tracking their rows came
-- from (0 for quota.activity) and the number of rows they count.

\echo Use "ALTER EXTENSION quota_ext UPDATE TO '0.4'" to load this file. \quit

-- Everything below names its schema; nothing resolves through the caller's
-- search_path.
SET LOCAL search_path = pg_catalog, pg_temp;

ALTER TABLE quota.daily_total
    ADD COLUMN tracking_id integer NOT NULL DEFAULT 0,
    ADD COLUMN rows bigint NOT NULL DEFAULT 0,
    DROP CONSTRAINT daily_total_pkey,
    ADD PRIMARY KEY (rep_id, kind, day, tracking_id, slot);
COMMENT ON TABLE quota.daily_total IS 'Totals of activity per rep, kind and day of the rep''s time zone, from quota.activity and from each tracked table, kept by triggers; a total is the sum of its slots (one per writing backend, 0 after quota.rebuild()). Written only by the extension.';
COMMENT ON COLUMN quota.daily_total.tracking_id IS 'Where the rows came from: 0 for quota.activity and its credits, else the tracking of quota.sources.';
COMMENT ON COLUMN quota.daily_total.rows IS 'How many rows this slot counts (a credit moves quantity, not rows).';

-- quota.credited() tells the rows of activity from the shares of credits;
-- verify() (which depends on it) is made anew in recount.sql's form.
DROP FUNCTION quota.verify();
DROP FUNCTION quota.credited();
CREATE FUNCTION quota.credited()
    RETURNS TABLE (rep_id text, kind text, occurred_at timestamptz, qty numeric, rows integer)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT a.rep_id, a.kind, a.occurred_at, a.qty, 1 FROM quota.activity a
    UNION ALL
    SELECT c.rep_id, c.kind, c.occurred_at, c.qty, 0 FROM quota.activity_credit c
    UNION ALL
    SELECT c.from_rep_id, c.kind, c.occurred_at, -c.qty, 0 FROM quota.activity_credit c;
END;
COMMENT ON FUNCTION quota.credited() IS 'Every quantity credited to a rep: each activity to its own rep (rows 1: the activity''s row), plus each credit to the rep credited and less the same from the activity''s rep (rows 0).';


CREATE OR REPLACE FUNCTION quota.close_period(through date) RETURNS date
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    closed date;
BEGIN
    IF through IS NULL OR NOT isfinite(through) THEN
        RAISE EXCEPTION 'cannot close the periods through %', coalesce(through::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give the last day to close, such as ''2026-10-31''.';
    END IF;
    -- Waits for writers of activity, credits and tracked tables in flight
    -- and holds new ones (and other closes) until this commits, so that
    -- nothing slips into the period while it closes.
    LOCK TABLE quota.activity, quota.activity_credit IN SHARE ROW EXCLUSIVE MODE;
    PERFORM quota.tracked_sources_locked();
    SELECT max(closed_through) INTO closed FROM quota.period_close;
    IF closed >= through THEN
        RAISE EXCEPTION 'periods are already closed through %', closed
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = format('quota.close_period(%L) would not close anything new.', through),
                  HINT = 'Closing is final; give a later day to close more.';
    END IF;
    INSERT INTO quota.period_close (closed_through) VALUES (through);
    RETURN through;
END
$$;
COMMENT ON FUNCTION quota.close_period(date) IS 'Locks all activity on or before the day given (in each rep''s time zone): inserting, changing or deleting it in quota.activity is then an error, and in a tracked table a late change (quota.late_change) that leaves the figures alone. Returns the day.';


CREATE OR REPLACE FUNCTION quota.conversion_as_of(as_of timestamptz, unit text DEFAULT 'month')
    RETURNS TABLE (
        rep_id text, team_id text, period_start date, period_end date,
        effort numeric, outcome_kind text, outcomes numeric, rate numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH rep_day AS (
        SELECT r.rep_id, r.team_id, r.time_zone,
               quota.period_start('day', conversion_as_of.as_of, r.time_zone) AS today
          FROM quota.rep r
    ), by_kind AS (
        -- Whole days before as_of's day from the totals, that day from the
        -- rows of quota.activity and their credits (and, for tracked
        -- tables, from the day's totals).
        SELECT rd.rep_id, rd.team_id, d.kind, quota.period(conversion_as_of.unit, d.day) AS period, d.qty
          FROM rep_day rd
          JOIN quota.daily_total d ON d.rep_id = rd.rep_id
           AND (d.day < rd.today OR (d.day = rd.today AND d.tracking_id <> 0))
        UNION ALL
        SELECT rd.rep_id, rd.team_id, x.kind, quota.period(conversion_as_of.unit, rd.today), x.qty
          FROM rep_day rd
          JOIN (SELECT a.rep_id, a.kind, a.occurred_at, a.qty FROM quota.activity a
                UNION ALL
                SELECT c.rep_id, c.kind, c.occurred_at, c.qty FROM quota.activity_credit c
                UNION ALL
                SELECT c.from_rep_id, c.kind, c.occurred_at, -c.qty FROM quota.activity_credit c) AS x
            ON x.rep_id = rd.rep_id
         WHERE x.occurred_at < conversion_as_of.as_of
           AND x.occurred_at >= conversion_as_of.as_of - interval '26 hours'
           AND quota.period_start('day', x.occurred_at, rd.time_zone) = rd.today
    ), by_period AS (
        SELECT b.rep_id, b.team_id, b.period,
               coalesce(sum(b.qty) FILTER (WHERE k.role = 'effort'), 0) AS effort
          FROM by_kind b JOIN quota.activity_kind k ON k.kind = b.kind
         GROUP BY b.rep_id, b.team_id, b.period
    )
    SELECT p.rep_id, p.team_id, lower(p.period), upper(p.period), p.effort, k.kind,
           coalesce(o.qty, 0), round(coalesce(o.qty, 0) / nullif(p.effort, 0), 4)
      FROM by_period p
     CROSS JOIN quota.activity_kind k
      LEFT JOIN LATERAL (SELECT sum(b.qty) AS qty
                           FROM by_kind b
                          WHERE b.rep_id = p.rep_id AND b.period = p.period AND b.kind = k.kind) AS o ON true
     WHERE k.role = 'outcome'
       -- Evaluated once, before any row: an unknown unit is an error even
       -- when there is nothing to report.
       AND quota.period_start(conversion_as_of.unit, date '2000-01-01') IS NOT NULL;
END;
COMMENT ON FUNCTION quota.conversion_as_of(timestamptz, text) IS 'Conversion of every rep in every period of the unit (default month) with activity credited before as_of: effort (the sum over kinds whose role is effort), the outcomes of each outcome kind, and their rate, outcomes / effort (NULL without effort); split credit counts by share.';


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
COMMENT ON FUNCTION quota.tracked_row_changed() IS 'Row trigger of a tracked table (its WHEN clause is the filter): counts an inserted row, takes back a deleted one, or one side of an update; a row that cannot be counted goes to quota.unmatched, a change of a closed day to quota.late_change.';
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
REVOKE EXECUTE ON FUNCTION quota.tracked_row_changed(), quota.tracked_rows_written(),
    quota.tracked_rows_truncated(), quota.rep_tracked_rows(), quota.tracked_sources_locked() FROM PUBLIC;

CREATE FUNCTION quota.activity_rebuilt(rep text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM quota.daily_total t
     WHERE t.tracking_id = 0 AND (activity_rebuilt.rep IS NULL OR t.rep_id = activity_rebuilt.rep);
    INSERT INTO quota.daily_total (rep_id, kind, day, tracking_id, slot, qty, rows)
    SELECT c.rep_id, c.kind, quota.period_start('day', c.occurred_at, r.time_zone), 0, 0, sum(c.qty), sum(c.rows)
      FROM quota.credited() c JOIN quota.rep r ON r.rep_id = c.rep_id
     WHERE activity_rebuilt.rep IS NULL OR c.rep_id = activity_rebuilt.rep
     GROUP BY 1, 2, 3
    HAVING sum(c.qty) <> 0 OR sum(c.rows) <> 0;
END
$$;
COMMENT ON FUNCTION quota.activity_rebuilt(text) IS 'Part of quota.rebuild(): recomputes the daily totals of quota.activity and its credits (of every rep, or of one).';

CREATE FUNCTION quota.tracking_rebuilt(tracking integer, rep text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM quota.daily_total t
     WHERE t.tracking_id = tracking_rebuilt.tracking AND (tracking_rebuilt.rep IS NULL OR t.rep_id = tracking_rebuilt.rep);
    -- The rows there now, less the late changes: a closed day keeps its figures.
    INSERT INTO quota.daily_total (rep_id, kind, day, tracking_id, slot, qty, rows)
    SELECT c.rep_id, c.kind, c.day, tracking_rebuilt.tracking, 0, sum(c.qty), sum(c.rows)
      FROM (SELECT x.rep_id, x.kind, x.day, x.qty, 1 AS rows
              FROM quota.tracked_rows(tracking_rebuilt.tracking, tracking_rebuilt.rep) x
             WHERE x.reason IS NULL
            UNION ALL
            SELECT l.rep_id, l.kind, l.day, -l.qty_change, -l.rows_change
              FROM quota.late_change l
             WHERE l.tracking_id = tracking_rebuilt.tracking
               AND (tracking_rebuilt.rep IS NULL OR l.rep_id = tracking_rebuilt.rep)) c
     GROUP BY 1, 2, 3
    HAVING sum(c.qty) <> 0 OR sum(c.rows) <> 0;
    IF tracking_rebuilt.rep IS NULL THEN
        DELETE FROM quota.unmatched u WHERE u.tracking_id = tracking_rebuilt.tracking;
        INSERT INTO quota.unmatched (tracking_id, source, row_key, rep_id, occurred_at, occurred_on, qty, reason)
        SELECT t.tracking_id, t.source, x.row_key, x.rep_id, x.occurred_at, x.occurred_on, x.qty, x.reason
          FROM quota.tracking t, quota.tracked_rows(tracking_rebuilt.tracking, NULL) x
         WHERE t.tracking_id = tracking_rebuilt.tracking AND x.reason IS NOT NULL;
    END IF;
END
$$;
COMMENT ON FUNCTION quota.tracking_rebuilt(integer, text) IS 'Part of quota.rebuild(), and of a restore: recomputes the daily totals of one tracked table (of every rep, or of one) from its rows less its late changes, and with every rep its rows in quota.unmatched.';

CREATE OR REPLACE FUNCTION quota.rebuild(rep_id text DEFAULT NULL) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    written bigint;
BEGIN
    -- Holds writers of activity, credits and tracked tables, and other
    -- rebuilds, until this commits; a rebuild of every rep holds the
    -- creation of reps too (which counts the rows waiting for them).
    LOCK TABLE quota.activity, quota.activity_credit IN SHARE ROW EXCLUSIVE MODE;
    PERFORM quota.tracked_sources_locked();
    IF rebuild.rep_id IS NULL THEN
        LOCK TABLE quota.rep IN SHARE MODE;
    END IF;
    -- What this transaction folded is written first, and so recounted.
    PERFORM quota.totals_written();
    PERFORM quota.activity_rebuilt(rebuild.rep_id);
    PERFORM quota.tracking_rebuilt(t.tracking_id, rebuild.rep_id) FROM quota.tracking t ORDER BY t.tracking_id;
    SELECT count(*) INTO written FROM quota.daily_total t WHERE rebuild.rep_id IS NULL OR t.rep_id = rebuild.rep_id;
    RETURN written;
END
$$;
COMMENT ON FUNCTION quota.rebuild(text) IS 'Recomputes the daily totals of every rep (or of one rep) from quota.activity, quota.activity_credit and every tracked table (less the late changes of closed days), and returns how many totals there are; blocks writers of activity and of tracked tables while it runs.';

CREATE FUNCTION quota.verify()
    RETURNS TABLE (rep_id text, kind text, day date, total numeric, recount numeric)
    LANGUAGE sql STABLE PARALLEL UNSAFE
BEGIN ATOMIC
    WITH totals AS (
        SELECT t.rep_id, t.kind, t.day, sum(t.qty) AS qty
          FROM quota.daily_total t
         GROUP BY t.rep_id, t.kind, t.day
    ), counted AS (
        SELECT c.rep_id, c.kind, quota.period_start('day', c.occurred_at, r.time_zone) AS day, c.qty
          FROM quota.credited() c JOIN quota.rep r ON r.rep_id = c.rep_id
        UNION ALL
        SELECT x.rep_id, x.kind, x.day, x.qty FROM quota.tracked_rows() x WHERE x.reason IS NULL
        UNION ALL
        SELECT l.rep_id, l.kind, l.day, -l.qty_change FROM quota.late_change l
    ), recount AS (
        SELECT c.rep_id, c.kind, c.day, sum(c.qty) AS qty
          FROM counted c
         GROUP BY c.rep_id, c.kind, c.day
    )
    SELECT coalesce(t.rep_id, c.rep_id), coalesce(t.kind, c.kind), coalesce(t.day, c.day),
           coalesce(t.qty, 0), coalesce(c.qty, 0)
      FROM totals t FULL JOIN recount c ON c.rep_id = t.rep_id AND c.kind = t.kind AND c.day = t.day
     WHERE coalesce(t.qty, 0) <> coalesce(c.qty, 0)
     ORDER BY 1, 2, 3;
END;
COMMENT ON FUNCTION quota.verify() IS 'Rows where the daily totals disagree with a recount of quota.activity, its credits and every tracked table (less the late changes of closed days); empty when healthy. Reading the tracked tables takes SELECT on them.';

-- Functions that change data are for the owner and whom the owner grants
-- them to (with them, the parts of a rebuild and the lock of the tracked
-- tables).
REVOKE EXECUTE ON FUNCTION quota.rebuild(text), quota.activity_rebuilt(text), quota.tracking_rebuilt(integer, text) FROM PUBLIC;

-- Roles the owner granted a rebuild or a close to keep them: they take the
-- parts of a rebuild and the lock of the tracked tables.
DO $$
DECLARE
    grantee text;
BEGIN
    FOR grantee IN
        SELECT DISTINCT a.grantee::regrole::text
          FROM pg_catalog.pg_proc p, pg_catalog.aclexplode(p.proacl) a
         WHERE p.oid = 'quota.rebuild(text)'::pg_catalog.regprocedure
           AND a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner AND a.grantee <> 0
    LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION quota.activity_rebuilt(text), quota.tracking_rebuilt(integer, text), '
                       'quota.tracked_sources_locked() TO %s', grantee);
    END LOOP;
    FOR grantee IN
        SELECT DISTINCT a.grantee::regrole::text
          FROM pg_catalog.pg_proc p, pg_catalog.aclexplode(p.proacl) a
         WHERE p.oid = 'quota.close_period(date)'::pg_catalog.regprocedure
           AND a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner AND a.grantee <> 0
    LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION quota.tracked_sources_locked() TO %s', grantee);
    END LOOP;
END
$$;

-- The rows of every total are counted anew.
SELECT quota.rebuild();
