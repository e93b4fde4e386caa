-- quota_ext 0.4 -> 0.5: a closed day keeps its figures when its rep's
-- time zone changes (quota.rep_zone_change, quota.rep_day()); closed
-- periods reopened only by quota.reopen_period(), logged; parallel and
-- data-only restores (quota.begin_restore(), quota.end_restore()); the
-- triggers that keep the totals stay enabled ALWAYS through DDL.

\echo Use "ALTER EXTENSION quota_ext UPDATE TO '0.5'" to load this file. \quit

-- Everything below names its schema; nothing resolves through the caller's
-- search_path.
SET LOCAL search_path = pg_catalog, pg_temp;

ALTER TABLE quota.activity_kind ENABLE ALWAYS TRIGGER activity_kind_restored;

COMMENT ON FUNCTION quota.cached_rows_changed() IS 'Trigger of quota.rep, quota.rep_zone_change, quota.period_close and quota.tracking: makes every session forget the time zones, closed day and trackings it cached for the totals triggers.';

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

CREATE OR REPLACE FUNCTION quota.rep_time_zone_changed() RETURNS trigger
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

REVOKE EXECUTE ON FUNCTION quota.reopen_period(date, text), quota.rep_zone_change_counted() FROM PUBLIC;

CREATE OR REPLACE FUNCTION quota.activity_rebuilt(rep text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM quota.daily_total t
     WHERE t.tracking_id = 0 AND (activity_rebuilt.rep IS NULL OR t.rep_id = activity_rebuilt.rep);
    INSERT INTO quota.daily_total (rep_id, kind, day, tracking_id, slot, qty, rows)
    SELECT c.rep_id, c.kind, quota.rep_day(c.rep_id, c.occurred_at), 0, 0, sum(c.qty), sum(c.rows)
      FROM quota.credited() c
     WHERE activity_rebuilt.rep IS NULL OR c.rep_id = activity_rebuilt.rep
     GROUP BY 1, 2, 3
    HAVING sum(c.qty) <> 0 OR sum(c.rows) <> 0;
END
$$;
COMMENT ON FUNCTION quota.activity_rebuilt(text) IS 'Part of quota.rebuild(): recomputes the daily totals of quota.activity and its credits (of every rep, or of one).';

CREATE OR REPLACE FUNCTION quota.verify()
    RETURNS TABLE (rep_id text, kind text, day date, total numeric, recount numeric)
    LANGUAGE sql STABLE PARALLEL UNSAFE
BEGIN ATOMIC
    WITH totals AS (
        SELECT t.rep_id, t.kind, t.day, sum(t.qty) AS qty
          FROM quota.daily_total t
         GROUP BY t.rep_id, t.kind, t.day
    ), counted AS (
        SELECT c.rep_id, c.kind, quota.rep_day(c.rep_id, c.occurred_at) AS day, c.qty
          FROM quota.credited() c
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

CREATE OR REPLACE FUNCTION quota.activity_credit_truncated() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    closed date := (SELECT max(p.closed_through) FROM quota.period_close p);
    credit record;
BEGIN
    SELECT c.activity_id, r.rep_id, quota.rep_day(r.rep_id, c.occurred_at) AS day INTO credit
      FROM quota.activity_credit c
      CROSS JOIN LATERAL (VALUES (c.rep_id), (c.from_rep_id)) AS r(rep_id)
     WHERE quota.rep_day(r.rep_id, c.occurred_at) <= closed
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'cannot truncate quota.activity_credit: it holds credit of a closed period'
            USING ERRCODE = 'check_violation',
                  DETAIL = format('Activity on or before %s is closed; the credit of activity %s is on %s for rep "%s".',
                                  closed, credit.activity_id, credit.day, credit.rep_id),
                  HINT = 'Delete the credits of open periods with DELETE instead.';
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION quota.activity_credit_truncated() IS 'Trigger of quota.activity_credit: refuses a TRUNCATE that would remove credit of a closed period.';

CREATE FUNCTION quota.always_triggers_enabled() RETURNS bigint
    LANGUAGE C STRICT VOLATILE
    AS 'MODULE_PATHNAME', 'always_triggers_enabled';
COMMENT ON FUNCTION quota.always_triggers_enabled() IS 'Part of quota.end_restore(): enables ALWAYS again every trigger that keeps the totals and is enabled otherwise (as pg_restore --disable-triggers leaves them); returns how many.';

CREATE FUNCTION quota.restore_in_progress() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT EXISTS (SELECT FROM pg_catalog.pg_db_role_setting s, pg_catalog.pg_database d
                    WHERE d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database()
                      AND s.setdatabase OPERATOR(pg_catalog.=) d.oid AND s.setrole OPERATOR(pg_catalog.=) 0
                      AND 'quota.restoring=on' OPERATOR(pg_catalog.=) ANY (s.setconfig));
END;
COMMENT ON FUNCTION quota.restore_in_progress() IS 'Whether quota.begin_restore() has been called in this database and quota.end_restore() not yet.';

CREATE FUNCTION quota.begin_restore() RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = current_user) THEN
        RAISE EXCEPTION 'permission denied to begin a restore'
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = 'quota.begin_restore() sets session_replication_role for the database, which only a superuser may.',
                  HINT = 'Restore as a superuser.';
    END IF;
    IF quota.restore_in_progress() THEN
        RAISE EXCEPTION 'a restore of database % is already in progress', current_database()
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Run pg_restore, then SELECT quota.end_restore().';
    END IF;
    IF EXISTS (SELECT FROM quota.team) OR EXISTS (SELECT FROM quota.rep) OR EXISTS (SELECT FROM quota.activity)
       OR EXISTS (SELECT FROM quota.tracking) OR EXISTS (SELECT FROM quota.period_close) THEN
        RAISE EXCEPTION 'quota_ext already holds data'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'A dump is restored into the extension just created.',
                  HINT = 'Restore into a new database, or run DROP EXTENSION quota_ext CASCADE and CREATE EXTENSION quota_ext first.';
    END IF;
    -- The dump brings the shipped kinds again, with the values they had
    -- (also under pg_restore --disable-triggers, where activity_kind_restored
    -- does not fire to replace them).
    DELETE FROM quota.activity_kind;
    EXECUTE format('ALTER DATABASE %I SET session_replication_role = replica', current_database());
    EXECUTE format('ALTER DATABASE %I SET quota.restoring = on', current_database());
    RAISE NOTICE 'new sessions of database % now load the tables of quota_ext without checks or totals', current_database()
        USING HINT = 'Run pg_restore now, then SELECT quota.end_restore().';
END
$$;
COMMENT ON FUNCTION quota.begin_restore() IS 'Prepares a database whose quota_ext was just created for pg_restore (also -j, --data-only, --disable-triggers): new sessions load the extension''s tables in any order, unchecked and uncounted, until quota.end_restore(). Superuser only.';

CREATE FUNCTION quota.end_restore() RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET client_min_messages = warning
AS $$
DECLARE
    foreign_key record;
BEGIN
    IF NOT (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = current_user) THEN
        RAISE EXCEPTION 'permission denied to end a restore'
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = 'quota.end_restore() resets session_replication_role for the database, which only a superuser may.',
                  HINT = 'Call it as the superuser who called quota.begin_restore().';
    END IF;
    IF NOT quota.restore_in_progress() THEN
        RAISE EXCEPTION 'no restore of database % is in progress', current_database()
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'quota.begin_restore() begins one, before pg_restore.';
    END IF;
    EXECUTE format('ALTER DATABASE %I RESET session_replication_role', current_database());
    EXECUTE format('ALTER DATABASE %I RESET quota.restoring', current_database());
    PERFORM set_config('session_replication_role', 'origin', false);
    PERFORM set_config('quota.restoring', 'off', false);
    -- The foreign keys between the extension's tables went unchecked while
    -- the data loaded: each is made anew, which checks every row.
    FOR foreign_key IN
        SELECT c.conrelid::regclass AS tab, c.conname, pg_get_constraintdef(c.oid) AS definition
          FROM pg_constraint c
          JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.conrelid AND d.deptype = 'e'
          JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'quota_ext'
         WHERE c.contype = 'f'
         ORDER BY c.conrelid, c.conname
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I, ADD CONSTRAINT %I %s',
                       foreign_key.tab, foreign_key.conname, foreign_key.conname, foreign_key.definition);
    END LOOP;
    PERFORM quota.always_triggers_enabled();
    -- The policies of row-level security are made by the trigger of
    -- quota.rep_security, which did not fire while its row loaded.
    UPDATE quota.rep_security SET reps_role = reps_role;
    RETURN quota.rebuild();
END
$$;
COMMENT ON FUNCTION quota.end_restore() IS 'Ends what quota.begin_restore() began, once pg_restore is done: checks the foreign keys between the extension''s tables, enables ALWAYS the triggers that keep the totals, and recomputes every total (quota.rebuild()); returns how many totals there are. Superuser only.';

-- For superusers only (they check it themselves too).
REVOKE EXECUTE ON FUNCTION quota.begin_restore(), quota.end_restore(), quota.always_triggers_enabled() FROM PUBLIC;
