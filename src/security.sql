-- Row-level security for reps, ready to enable: a rep's login sees only the
-- rep's own rows.

CREATE TABLE quota.rep_security (
    only_row  boolean PRIMARY KEY DEFAULT true CONSTRAINT rep_security_one_row CHECK (only_row),
    reps_role name NOT NULL
);
COMMENT ON TABLE quota.rep_security IS 'Whether reps see only their own rows: the role whose members are reps, set by quota.enable_rep_security(); its row makes the policies, so pg_dump carries them.';
COMMENT ON COLUMN quota.rep_security.only_row IS 'Always true: the table has at most one row.';
COMMENT ON COLUMN quota.rep_security.reps_role IS 'The role whose members see only the rows of the rep whose login they are.';
SELECT pg_catalog.pg_extension_config_dump('quota.rep_security', '');

CREATE FUNCTION quota.rep_security_changed() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    own_rep CONSTANT text := 'rep_id IN (SELECT r.rep_id FROM quota.rep r)';
    rep_table record;
BEGIN
    -- Members of the reps role see (and, where granted, write) the rows of
    -- the rep whose login they are: quota.rep shows them that one row, and
    -- the other tables follow it.  Everyone else keeps every row their
    -- privileges allow.
    FOR rep_table IN
        SELECT t.name, t.own_rows
          FROM (VALUES ('rep', 'login = current_user'),
                       ('assignment', own_rep),
                       ('activity', own_rep),
                       ('daily_total', own_rep),
                       ('activity_credit', own_rep || ' OR from_rep_id IN (SELECT r.rep_id FROM quota.rep r)'),
                       ('assignment_history', own_rep)) AS t(name, own_rows)
    LOOP
        EXECUTE format('DROP POLICY IF EXISTS every_row ON quota.%I', rep_table.name);
        EXECUTE format('DROP POLICY IF EXISTS rep_own_rows ON quota.%I', rep_table.name);
        IF TG_OP = 'DELETE' THEN
            EXECUTE format('ALTER TABLE quota.%I DISABLE ROW LEVEL SECURITY', rep_table.name);
        ELSE
            EXECUTE format('CREATE POLICY every_row ON quota.%I USING (true) WITH CHECK (true)', rep_table.name);
            EXECUTE format('CREATE POLICY rep_own_rows ON quota.%I AS RESTRICTIVE TO %I USING (%s) WITH CHECK (%s)',
                           rep_table.name, NEW.reps_role, rep_table.own_rows, rep_table.own_rows);
            EXECUTE format('ALTER TABLE quota.%I ENABLE ROW LEVEL SECURITY', rep_table.name);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION quota.rep_security_changed() IS 'Trigger of quota.rep_security: creates or drops the row-level security policies of quota.rep, quota.assignment, quota.activity, quota.daily_total, quota.activity_credit and quota.assignment_history.';

CREATE TRIGGER rep_security_changed AFTER INSERT OR UPDATE OR DELETE ON quota.rep_security
    FOR EACH ROW EXECUTE FUNCTION quota.rep_security_changed();

CREATE FUNCTION quota.enable_rep_security(reps regrole) RETURNS void
    LANGUAGE sql
BEGIN ATOMIC
    INSERT INTO quota.rep_security (reps_role) VALUES (reps::text::name)
        ON CONFLICT (only_row) DO UPDATE SET reps_role = excluded.reps_role;
END;
COMMENT ON FUNCTION quota.enable_rep_security(regrole) IS 'Enables row-level security on quota.rep, quota.assignment, quota.activity, quota.daily_total, quota.activity_credit and quota.assignment_history so that members of the role given see only the rows of the rep whose login (quota.rep.login) they are; other roles keep every row. Run again to change the role; quota.disable_rep_security() undoes it.';

CREATE FUNCTION quota.disable_rep_security() RETURNS void
    LANGUAGE sql
BEGIN ATOMIC
    DELETE FROM quota.rep_security;
END;
COMMENT ON FUNCTION quota.disable_rep_security() IS 'Disables the row-level security of quota.enable_rep_security() and drops its policies.';

-- Functions that change data or security are for the owner and whom the
-- owner grants them to.
REVOKE EXECUTE ON FUNCTION quota.enable_rep_security(regrole), quota.disable_rep_security() FROM PUBLIC;
-- Trigger functions are the extension's own: nobody else may attach them
-- to a table (firing them needs no privilege).
REVOKE EXECUTE ON FUNCTION quota.rep_security_changed() FROM PUBLIC;
