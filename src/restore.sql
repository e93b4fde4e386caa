-- Restoring a dump in parallel (pg_restore -j): the data of the
-- extension's tables loads in any order, table by table in sessions of
-- its own, so quota.begin_restore() has the new sessions of the database
-- load it as PostgreSQL loads user tables (as a replica: no foreign key
-- checks, no triggers but those that fire ALWAYS, and these leave the rows
-- alone while quota.restoring is on), and quota.end_restore() then checks
-- the foreign keys, enables ALWAYS again what pg_restore --disable-triggers
-- left enabled otherwise, and counts every total.

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
