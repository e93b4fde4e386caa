-- Live totals (src/live_totals.c): the totals of activity per rep, kind
-- and day, kept by the row triggers of quota.activity and
-- quota.activity_credit (and of tracked tables, tracking.sql) and written
-- once per statement (or at commit); closing periods.  Rebuilding and
-- verifying them is in recount.sql.

CREATE TABLE quota.daily_total (
    rep_id      text NOT NULL,
    kind        text NOT NULL,
    day         date NOT NULL,
    slot        integer NOT NULL,
    qty         numeric NOT NULL,
    tracking_id integer NOT NULL DEFAULT 0,
    rows        bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (rep_id, kind, day, tracking_id, slot)
);
COMMENT ON TABLE quota.daily_total IS 'Totals of activity per rep, kind and day of the rep''s time zone, from quota.activity and from each tracked table, kept by triggers; a total is the sum of its slots (one per writing backend, 0 after quota.rebuild()). Written only by the extension.';
COMMENT ON COLUMN quota.daily_total.rep_id IS 'The rep.';
COMMENT ON COLUMN quota.daily_total.kind IS 'The kind of activity.';
COMMENT ON COLUMN quota.daily_total.day IS 'The day, in the rep''s time zone.';
COMMENT ON COLUMN quota.daily_total.tracking_id IS 'Where the rows came from: 0 for quota.activity and its credits, else the tracking of quota.sources.';
COMMENT ON COLUMN quota.daily_total.slot IS 'Which backend added to this part of the total; sum over slots.';
COMMENT ON COLUMN quota.daily_total.qty IS 'Sum of the quantities in this slot.';
COMMENT ON COLUMN quota.daily_total.rows IS 'How many rows this slot counts (a credit moves quantity, not rows).';

CREATE FUNCTION quota.activity_totals() RETURNS trigger
    AS 'MODULE_PATHNAME', 'activity_totals' LANGUAGE C;
COMMENT ON FUNCTION quota.activity_totals() IS 'Trigger of quota.activity and quota.activity_credit: for each row, checks the row changed and folds it into the deltas of the transaction (a credit moves its qty from the activity''s rep to the rep credited); for each statement, writes the deltas to quota.daily_total and, after an update of activity, brings its credits up to date. Deltas that no statement trigger writes (the apply process of logical replication fires row triggers only) are written at commit.';

-- Row triggers capture every row, however it arrives: also from the apply
-- process of a subscription and from sessions that set
-- session_replication_role = replica (ENABLE ALWAYS).  The statement
-- triggers write the deltas once per statement.
CREATE TRIGGER activity_totals AFTER INSERT OR UPDATE OR DELETE ON quota.activity
    FOR EACH ROW EXECUTE FUNCTION quota.activity_totals();
CREATE TRIGGER activity_totals_written AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON quota.activity
    FOR EACH STATEMENT EXECUTE FUNCTION quota.activity_totals();
CREATE TRIGGER activity_credit_totals AFTER INSERT OR UPDATE OR DELETE ON quota.activity_credit
    FOR EACH ROW EXECUTE FUNCTION quota.activity_totals();
CREATE TRIGGER activity_credit_totals_written AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON quota.activity_credit
    FOR EACH STATEMENT EXECUTE FUNCTION quota.activity_totals();
ALTER TABLE quota.activity ENABLE ALWAYS TRIGGER activity_totals, ENABLE ALWAYS TRIGGER activity_totals_written;
ALTER TABLE quota.activity_credit ENABLE ALWAYS TRIGGER activity_credit_totals, ENABLE ALWAYS TRIGGER activity_credit_totals_written;

CREATE FUNCTION quota.totals_written() RETURNS void
    AS 'MODULE_PATHNAME', 'totals_written' LANGUAGE C PARALLEL UNSAFE;
COMMENT ON FUNCTION quota.totals_written() IS 'Writes to quota.daily_total the deltas this transaction has folded and not written yet (those a replica writes at commit), so that what reads the totals next sees them.';

CREATE FUNCTION quota.cached_rows_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'cached_rows_changed' LANGUAGE C;
COMMENT ON FUNCTION quota.cached_rows_changed() IS 'Trigger of quota.rep and quota.period_close: makes every session forget the time zones and closed day it cached for the totals triggers.';

CREATE TRIGGER rep_cached_rows AFTER UPDATE OR DELETE ON quota.rep
    FOR EACH ROW EXECUTE FUNCTION quota.cached_rows_changed();
CREATE TRIGGER rep_cached_rows_truncated AFTER TRUNCATE ON quota.rep
    FOR EACH STATEMENT EXECUTE FUNCTION quota.cached_rows_changed();
CREATE TRIGGER period_close_cached_rows AFTER INSERT OR UPDATE OR DELETE ON quota.period_close
    FOR EACH ROW EXECUTE FUNCTION quota.cached_rows_changed();
CREATE TRIGGER period_close_cached_rows_truncated AFTER TRUNCATE ON quota.period_close
    FOR EACH STATEMENT EXECUTE FUNCTION quota.cached_rows_changed();
ALTER TABLE quota.rep ENABLE ALWAYS TRIGGER rep_cached_rows, ENABLE ALWAYS TRIGGER rep_cached_rows_truncated;
ALTER TABLE quota.period_close ENABLE ALWAYS TRIGGER period_close_cached_rows,
    ENABLE ALWAYS TRIGGER period_close_cached_rows_truncated;

CREATE FUNCTION quota.rep_time_zone_changed() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM quota.rebuild(NEW.rep_id);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION quota.rep_time_zone_changed() IS 'Trigger of quota.rep: re-derives the daily totals of a rep whose time zone changed.';

CREATE TRIGGER rep_time_zone_changed AFTER UPDATE OF time_zone ON quota.rep
    FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone)
    EXECUTE FUNCTION quota.rep_time_zone_changed();
ALTER TABLE quota.rep ENABLE ALWAYS TRIGGER rep_time_zone_changed;

CREATE FUNCTION quota.close_period(through date) RETURNS date
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

-- Functions that change data or security are for the owner and whom the
-- owner grants them to.
REVOKE EXECUTE ON FUNCTION quota.close_period(date) FROM PUBLIC;
-- Trigger functions are the extension's own: nobody else may attach them
-- to a table (firing them needs no privilege).
REVOKE EXECUTE ON FUNCTION quota.activity_totals(), quota.cached_rows_changed(), quota.rep_time_zone_changed() FROM PUBLIC;
