-- Live totals (src/live_totals.c): the totals of activity per rep, kind
-- and day, kept by the row triggers of quota.activity and
-- quota.activity_credit (and of tracked tables, tracking.sql) and written
-- once per statement (or at commit); the day a row counts on; closing and
-- reopening periods.  Rebuilding and verifying them is in recount.sql.

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

-- The same totals per calendar month of the rep's days, written in the
-- statement that writes the daily ones, so that a month (or a quarter, a
-- year) of progress reads one total, not one per day.
CREATE TABLE quota.month_total (
    rep_id      text NOT NULL,
    kind        text NOT NULL,
    month       date NOT NULL,
    tracking_id integer NOT NULL,
    slot        integer NOT NULL,
    qty         numeric NOT NULL,
    PRIMARY KEY (rep_id, kind, month, tracking_id, slot)
);
COMMENT ON TABLE quota.month_total IS 'Totals of activity per rep, kind and calendar month of the rep''s days: the sums of quota.daily_total over the days of each month, written with them. A total is the sum of its slots. Written only by the extension.';
COMMENT ON COLUMN quota.month_total.rep_id IS 'The rep.';
COMMENT ON COLUMN quota.month_total.kind IS 'The kind of activity.';
COMMENT ON COLUMN quota.month_total.month IS 'The first day of the month, in the rep''s time zone.';
COMMENT ON COLUMN quota.month_total.tracking_id IS 'Where the rows came from: 0 for quota.activity and its credits, else the tracking of quota.sources.';
COMMENT ON COLUMN quota.month_total.slot IS 'Which backend added to this part of the total; sum over slots.';
COMMENT ON COLUMN quota.month_total.qty IS 'Sum of the quantities in this slot.';
-- Progress and the scoreboard read one month of every rep at once
-- (progress.sql); writers add to qty only, so their updates stay heap-only.
CREATE INDEX month_total_month ON quota.month_total (month);
COMMENT ON INDEX quota.month_total_month IS 'The totals of one month, every rep''s: what progress and the scoreboard join for the months that have ended.';

CREATE FUNCTION quota.activity_totals() RETURNS trigger
    AS 'MODULE_PATHNAME', 'activity_totals' LANGUAGE C;
COMMENT ON FUNCTION quota.activity_totals() IS 'Trigger of quota.activity and quota.activity_credit: for each row, checks the row changed and folds it into the deltas of the transaction (a credit moves its qty from the activity''s rep to the rep credited); for each statement, writes the deltas to quota.daily_total and quota.month_total and, after an update of activity, brings its credits up to date. Deltas that no statement trigger writes (the apply process of logical replication fires row triggers only) are written at commit.';

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
COMMENT ON FUNCTION quota.totals_written() IS 'Writes to quota.daily_total and quota.month_total the deltas this transaction has folded and not written yet (those a replica writes at commit), so that what reads the totals next sees them.';

CREATE FUNCTION quota.cached_rows_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'cached_rows_changed' LANGUAGE C;
COMMENT ON FUNCTION quota.cached_rows_changed() IS 'Trigger of quota.rep, quota.rep_zone_change, quota.period_close and quota.tracking: makes every session forget the time zones, closed day and trackings it cached for the totals triggers.';

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

-- A rep's time zone changed while periods are closed applies from the
-- first open day: the moments before keep the zones they were counted in,
-- so that a closed day keeps its figures.
CREATE TABLE quota.rep_zone_change (
    rep_id     text NOT NULL REFERENCES quota.rep ON DELETE CASCADE,
    boundary   timestamptz NOT NULL,
    time_zone  text NOT NULL CONSTRAINT rep_zone_change_time_zone_known CHECK (quota.time_zone_valid(time_zone)),
    first_day  date NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now(),
    changed_by text NOT NULL DEFAULT current_user,
    PRIMARY KEY (rep_id, boundary)
);
COMMENT ON TABLE quota.rep_zone_change IS 'Changes of a rep''s time zone made while periods were closed, written by the trigger of quota.rep: a moment before boundary counts on its day in time_zone (or an earlier change''s zone), a moment from boundary on in the next zone, on first_day or later.';
COMMENT ON COLUMN quota.rep_zone_change.rep_id IS 'The rep.';
COMMENT ON COLUMN quota.rep_zone_change.boundary IS 'The moment the next zone took over: the start of first_day in the zone before, or a later change''s boundary.';
COMMENT ON COLUMN quota.rep_zone_change.time_zone IS 'The zone the rep''s moments before boundary count in.';
COMMENT ON COLUMN quota.rep_zone_change.first_day IS 'The first open day when the zone changed: no moment from boundary on counts before it.';
COMMENT ON COLUMN quota.rep_zone_change.changed_at IS 'When the zone changed.';
COMMENT ON COLUMN quota.rep_zone_change.changed_by IS 'Who changed it.';
SELECT pg_catalog.pg_extension_config_dump('quota.rep_zone_change', '');

-- A change that arrives otherwise than by a change of quota.rep (as
-- restoring a dump loads it, after the rep's activity) derives the rep's
-- totals of activity again; tracked tables are recounted when a restore
-- creates their triggers, and by quota.rebuild() after a change of zone.
CREATE FUNCTION quota.rep_zone_change_counted() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF current_setting('quota.restoring', true) = 'on' THEN
        RETURN NULL;            -- quota.end_restore() counts every total
    END IF;
    PERFORM quota.activity_rebuilt(NEW.rep_id);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION quota.rep_zone_change_counted() IS 'Trigger of quota.rep_zone_change: derives again the daily totals of quota.activity of the rep whose change of time zone arrived.';

CREATE TRIGGER rep_zone_change_counted AFTER INSERT ON quota.rep_zone_change
    FOR EACH ROW EXECUTE FUNCTION quota.rep_zone_change_counted();
ALTER TABLE quota.rep_zone_change ENABLE ALWAYS TRIGGER rep_zone_change_counted;
CREATE TRIGGER rep_zone_change_cached_rows AFTER INSERT OR UPDATE OR DELETE ON quota.rep_zone_change
    FOR EACH STATEMENT EXECUTE FUNCTION quota.cached_rows_changed();
CREATE TRIGGER rep_zone_change_cached_rows_truncated AFTER TRUNCATE ON quota.rep_zone_change
    FOR EACH STATEMENT EXECUTE FUNCTION quota.cached_rows_changed();
ALTER TABLE quota.rep_zone_change ENABLE ALWAYS TRIGGER rep_zone_change_cached_rows,
    ENABLE ALWAYS TRIGGER rep_zone_change_cached_rows_truncated;

CREATE FUNCTION quota.rep_day(rep_id text, at timestamptz) RETURNS date
    AS 'MODULE_PATHNAME', 'rep_day_of' LANGUAGE C STRICT STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION quota.rep_day(text, timestamptz) IS 'The day a moment counts on for a rep, as the totals count it: its local day in the rep''s time zone, or in the zone the rep had then when the zone changed while periods were closed (quota.rep_zone_change); NULL for an unknown rep.';

CREATE FUNCTION quota.rep_time_zone_changed() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    closed date := (SELECT max(p.closed_through) FROM quota.period_close p);
    last_change quota.rep_zone_change;
BEGIN
    -- The new zone applies from the first open day.  After a change since
    -- the last close, the zone between governed open days only: nothing
    -- more to keep.
    IF closed IS NOT NULL THEN
        SELECT * INTO last_change FROM quota.rep_zone_change c
         WHERE c.rep_id = NEW.rep_id ORDER BY c.boundary DESC LIMIT 1;
        IF NOT FOUND OR last_change.first_day <= closed THEN
            INSERT INTO quota.rep_zone_change (rep_id, boundary, time_zone, first_day)
            VALUES (NEW.rep_id, greatest((closed + 1)::timestamp AT TIME ZONE OLD.time_zone, last_change.boundary),
                    OLD.time_zone, closed + 1);
        END IF;
    END IF;
    PERFORM quota.rebuild(NEW.rep_id);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION quota.rep_time_zone_changed() IS 'Trigger of quota.rep: a rep''s new time zone applies from the first open day (quota.rep_zone_change keeps the zone of the closed days), and the rep''s daily totals are derived again.';

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

CREATE TABLE quota.period_reopen (
    reopened_from  date NOT NULL,
    closed_through date NOT NULL,
    reason         text NOT NULL CONSTRAINT period_reopen_reason_given CHECK (btrim(reason) <> ''),
    reopened_at    timestamptz NOT NULL DEFAULT now(),
    reopened_by    text NOT NULL DEFAULT current_user
);
COMMENT ON TABLE quota.period_reopen IS 'Log of quota.reopen_period(): the days reopened and why.';
COMMENT ON COLUMN quota.period_reopen.reopened_from IS 'First day reopened: the days from it on were open again.';
COMMENT ON COLUMN quota.period_reopen.closed_through IS 'The last closed day before the reopening.';
COMMENT ON COLUMN quota.period_reopen.reason IS 'Why the days were reopened.';
COMMENT ON COLUMN quota.period_reopen.reopened_at IS 'When.';
COMMENT ON COLUMN quota.period_reopen.reopened_by IS 'Who reopened them.';
SELECT pg_catalog.pg_extension_config_dump('quota.period_reopen', '');

CREATE FUNCTION quota.reopen_period("from" date, reason text) RETURNS date
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    closed date;
    earliest quota.period_close;
    late record;
BEGIN
    IF NOT pg_has_role(current_user, (SELECT c.relowner FROM pg_class c WHERE c.oid = 'quota.period_close'::regclass), 'MEMBER') THEN
        RAISE EXCEPTION 'permission denied to reopen a period'
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = 'Only the owner of quota_ext''s tables reopens closed periods.',
                  HINT = 'Ask the owner of the extension.';
    END IF;
    IF reopen_period."from" IS NULL OR NOT isfinite(reopen_period."from") THEN
        RAISE EXCEPTION 'cannot reopen the periods from %', coalesce(reopen_period."from"::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give the first day to reopen, such as ''2026-10-01''.';
    END IF;
    IF reopen_period.reason IS NULL OR btrim(reopen_period.reason) = '' THEN
        RAISE EXCEPTION 'a reopening needs a reason'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Say why the period is reopened: it is logged in quota.period_reopen.';
    END IF;
    -- As quota.close_period(): nothing slips in or out while it changes.
    LOCK TABLE quota.activity, quota.activity_credit IN SHARE ROW EXCLUSIVE MODE;
    PERFORM quota.tracked_sources_locked();
    PERFORM quota.totals_written();
    SELECT max(p.closed_through) INTO closed FROM quota.period_close p;
    IF closed IS NULL OR closed < reopen_period."from" THEN
        RAISE EXCEPTION 'no period is closed on or after %', reopen_period."from"
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = format('The periods are closed through %s.', coalesce(closed::text, 'no day')),
                  HINT = 'Give a day on or before the last closed one.';
    END IF;
    -- The closes that reach the days reopened go; the days before them
    -- stay closed, by the earliest of those closes.
    SELECT * INTO earliest FROM quota.period_close p
     WHERE p.closed_through >= reopen_period."from" ORDER BY p.closed_through, p.closed_at LIMIT 1;
    DELETE FROM quota.period_close p WHERE p.closed_through >= reopen_period."from";
    IF coalesce((SELECT max(p.closed_through) FROM quota.period_close p) < reopen_period."from" - 1, true) THEN
        INSERT INTO quota.period_close (closed_through, closed_at, closed_by)
        VALUES (reopen_period."from" - 1, earliest.closed_at, earliest.closed_by);
    END IF;
    INSERT INTO quota.period_reopen (reopened_from, closed_through, reason)
    VALUES (reopen_period."from", closed, reopen_period.reason);
    -- The late changes of the days reopened count again: the totals of
    -- those tracked tables and reps follow their rows.
    FOR late IN
        SELECT DISTINCT l.tracking_id, l.rep_id FROM quota.late_change l
         WHERE l.day >= reopen_period."from" ORDER BY 1, 2
    LOOP
        DELETE FROM quota.late_change l
         WHERE l.tracking_id = late.tracking_id AND l.rep_id = late.rep_id AND l.day >= reopen_period."from";
        PERFORM quota.tracking_rebuilt(late.tracking_id, late.rep_id);
    END LOOP;
    RETURN reopen_period."from" - 1;
END
$$;
COMMENT ON FUNCTION quota.reopen_period(date, text) IS 'Reopens the days from the one given on (owner only): activity there can change again, the late changes of tracked tables on those days count again, and quota.period_reopen logs it with the reason. Returns the last day still closed. A rep''s zone changed while the days were closed keeps applying from the day it applied from.';

-- Functions that change data or security are for the owner and whom the
-- owner grants them to.
REVOKE EXECUTE ON FUNCTION quota.close_period(date), quota.reopen_period(date, text) FROM PUBLIC;
-- Trigger functions are the extension's own: nobody else may attach them
-- to a table (firing them needs no privilege).
REVOKE EXECUTE ON FUNCTION quota.activity_totals(), quota.cached_rows_changed(), quota.rep_time_zone_changed(),
    quota.rep_zone_change_counted() FROM PUBLIC;
