-- The history of assignments (src/history.c), written by the extension
-- only, and effective-dated changes of a rep's quota.

-- History of assignments, written by the extension only.

CREATE TABLE quota.assignment_history (
    history_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assignment_id bigint NOT NULL,
    rep_id        text,
    team_id       text,
    kind          text NOT NULL,
    operation     text NOT NULL CONSTRAINT assignment_history_operation CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')),
    changed_at    timestamptz NOT NULL DEFAULT now(),
    changed_by    name NOT NULL,
    old_row       jsonb,
    new_row       jsonb
);
CREATE INDEX assignment_history_assignment ON quota.assignment_history (assignment_id, history_id);
COMMENT ON TABLE quota.assignment_history IS 'Every insert, update and delete of quota.assignment (and the rows a TRUNCATE removed), written by a trigger as the table''s owner; nobody else may write it, and its rows cannot be changed.';
COMMENT ON COLUMN quota.assignment_history.history_id IS 'Generated key, in the order of the changes.';
COMMENT ON COLUMN quota.assignment_history.assignment_id IS 'The assignment changed.';
COMMENT ON COLUMN quota.assignment_history.rep_id IS 'Its rep (after the change, or before a delete).';
COMMENT ON COLUMN quota.assignment_history.team_id IS 'Its team, for a team quota.';
COMMENT ON COLUMN quota.assignment_history.kind IS 'Its kind.';
COMMENT ON COLUMN quota.assignment_history.operation IS 'INSERT, UPDATE, DELETE or TRUNCATE.';
COMMENT ON COLUMN quota.assignment_history.changed_at IS 'When: the start of the changing transaction.';
COMMENT ON COLUMN quota.assignment_history.changed_by IS 'Who: the role that made the change (current_user).';
COMMENT ON COLUMN quota.assignment_history.old_row IS 'The assignment before the change, as JSON; NULL for an insert.';
COMMENT ON COLUMN quota.assignment_history.new_row IS 'The assignment after the change, as JSON; NULL for a delete.';
SELECT pg_catalog.pg_extension_config_dump('quota.assignment_history', '');
SELECT pg_catalog.pg_extension_config_dump('quota.assignment_history_history_id_seq', '');

CREATE FUNCTION quota.assignment_history() RETURNS trigger
    AS 'MODULE_PATHNAME', 'assignment_history' LANGUAGE C;
COMMENT ON FUNCTION quota.assignment_history() IS 'Trigger of quota.assignment: writes each change to quota.assignment_history as the table''s owner, naming the role that made it.';

CREATE TRIGGER assignment_history AFTER INSERT OR UPDATE OR DELETE ON quota.assignment
    FOR EACH ROW EXECUTE FUNCTION quota.assignment_history();
CREATE TRIGGER assignment_history_truncate BEFORE TRUNCATE ON quota.assignment
    FOR EACH STATEMENT EXECUTE FUNCTION quota.assignment_history();

CREATE FUNCTION quota.history_append_only() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'cannot % quota.assignment_history', lower(TG_OP)
        USING ERRCODE = 'insufficient_privilege',
              DETAIL = 'The history of assignments is only ever added to.',
              HINT = 'Change quota.assignment instead; the change is added to the history.';
END
$$;
COMMENT ON FUNCTION quota.history_append_only() IS 'Trigger of quota.assignment_history: refuses updates, deletes and TRUNCATE.';

CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON quota.assignment_history
    FOR EACH ROW EXECUTE FUNCTION quota.history_append_only();
CREATE TRIGGER history_append_only_truncate BEFORE TRUNCATE ON quota.assignment_history
    FOR EACH STATEMENT EXECUTE FUNCTION quota.history_append_only();

-- Effective-dated changes.

CREATE FUNCTION quota.change_quota(rep_id text, kind text, new_quota quota.quota, from_day date) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    current quota.assignment;
    next_start date;
    changed bigint;
BEGIN
    IF rep_id IS NULL OR kind IS NULL OR new_quota IS NULL OR from_day IS NULL OR NOT isfinite(from_day) THEN
        RAISE EXCEPTION 'quota.change_quota() needs a rep, a kind, a quota and a finite day'
            USING ERRCODE = 'null_value_not_allowed',
                  HINT = 'Call it as quota.change_quota(''raj'', ''call'', ''180/month'', ''2026-11-16'').';
    END IF;
    -- The assignment in force on from_day, locked against a concurrent change.
    SELECT a.* INTO current
      FROM quota.assignment a
     WHERE a.rep_id = change_quota.rep_id AND a.kind = change_quota.kind AND a.valid @> from_day
       FOR UPDATE;
    IF NOT FOUND THEN
        -- None: the new quota runs from from_day until the next one starts.
        SELECT min(lower(a.valid)) INTO next_start
          FROM quota.assignment a
         WHERE a.rep_id = change_quota.rep_id AND a.kind = change_quota.kind AND lower(a.valid) > from_day;
        INSERT INTO quota.assignment (rep_id, kind, target, valid)
        VALUES (change_quota.rep_id, change_quota.kind, new_quota, daterange(from_day, next_start))
        RETURNING assignment_id INTO changed;
    ELSIF lower(current.valid) = from_day THEN
        UPDATE quota.assignment a SET target = new_quota,
               distribution_id = CASE WHEN quota.unit(new_quota) = quota.unit(current.target) THEN a.distribution_id END
         WHERE a.assignment_id = current.assignment_id
        RETURNING assignment_id INTO changed;
    ELSE
        -- The old quota ends the day before; the new one takes the rest of
        -- its dates, its ramp and (for the same unit) its distribution.
        UPDATE quota.assignment a SET valid = daterange(lower(current.valid), from_day)
         WHERE a.assignment_id = current.assignment_id;
        INSERT INTO quota.assignment (rep_id, kind, target, valid, ramp_id, ramp_start, distribution_id)
        VALUES (change_quota.rep_id, change_quota.kind, new_quota, daterange(from_day, upper(current.valid)),
                current.ramp_id, current.ramp_start,
                CASE WHEN quota.unit(new_quota) = quota.unit(current.target) THEN current.distribution_id END)
        RETURNING assignment_id INTO changed;
    END IF;
    RETURN changed;
END
$$;
COMMENT ON FUNCTION quota.change_quota(text, text, quota.quota, date) IS 'Gives a rep a new quota of a kind from a day: the assignment in force that day ends the day before and a new one (same end, ramp and, for the same unit, distribution) starts on it; one starting that very day is changed in place; without one, the new quota runs until the next assignment. Returns the id of the assignment holding the new quota. Both are in quota.assignment_history.';

-- Functions that change data are for the owner and whom the owner grants
-- them to.
REVOKE EXECUTE ON FUNCTION quota.change_quota(text, text, quota.quota, date) FROM PUBLIC;
-- Trigger functions are the extension's own: nobody else may attach them
-- to a table (firing them needs no privilege).
REVOKE EXECUTE ON FUNCTION quota.assignment_history(), quota.history_append_only() FROM PUBLIC;
