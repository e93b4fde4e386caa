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

-- quota.month_total holds the sums of quota.daily_total (live_totals.sql):
-- whoever may read or write the one may the other, so grants made on
-- quota.daily_total (as README's roles do) follow to quota.month_total, and
-- row-level security covers both alike.
CREATE FUNCTION quota.month_total_grants_followed() RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    change record;
BEGIN
    -- Only the owner (or a member of its role) changes the table's grants:
    -- a GRANT of anyone else, on another table, leaves them to the owner's
    -- next one.
    IF NOT pg_has_role((SELECT c.relowner FROM pg_class c WHERE c.oid = 'quota.month_total'::regclass), 'USAGE') THEN
        RETURN;
    END IF;
    FOR change IN
        WITH granted AS (
            SELECT c.relname, a.grantee, a.privilege_type, a.is_grantable
              FROM pg_class c CROSS JOIN LATERAL aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
             WHERE c.oid IN ('quota.daily_total'::regclass, 'quota.month_total'::regclass)
               AND a.grantee <> c.relowner
        ), wanted AS (
            SELECT grantee, privilege_type, is_grantable FROM granted WHERE relname = 'daily_total'
        ), held AS (
            SELECT grantee, privilege_type, is_grantable FROM granted WHERE relname = 'month_total'
        )
        SELECT 'REVOKE' AS action, h.* FROM (SELECT * FROM held EXCEPT SELECT * FROM wanted) h
        UNION ALL
        SELECT 'GRANT', w.* FROM (SELECT * FROM wanted EXCEPT SELECT * FROM held) w
        ORDER BY 1 DESC  -- revokes first: a grant option given up is revoked with its privilege
    LOOP
        EXECUTE format('%s %s ON quota.month_total %s %s%s', change.action, change.privilege_type,
                       CASE change.action WHEN 'GRANT' THEN 'TO' ELSE 'FROM' END,
                       CASE change.grantee WHEN 0 THEN 'PUBLIC' ELSE change.grantee::regrole::text END,
                       CASE WHEN change.action = 'GRANT' AND change.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
    END LOOP;
END
$$;
COMMENT ON FUNCTION quota.month_total_grants_followed() IS 'Gives quota.month_total the privileges quota.daily_total has (but its owner''s), granting and revoking what differs; does nothing when called by a role that is not the table''s owner or a member of it.';

CREATE FUNCTION quota.month_total_grants_changed() RETURNS event_trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM quota.month_total_grants_followed();
END
$$;
COMMENT ON FUNCTION quota.month_total_grants_changed() IS 'Event trigger: after a GRANT or REVOKE, gives quota.month_total the privileges of quota.daily_total.';

CREATE EVENT TRIGGER quota_month_total_grants ON ddl_command_end
    WHEN TAG IN ('GRANT', 'REVOKE')
    EXECUTE FUNCTION quota.month_total_grants_changed();

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
                       ('month_total', own_rep),
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
COMMENT ON FUNCTION quota.rep_security_changed() IS 'Trigger of quota.rep_security: creates or drops the row-level security policies of quota.rep, quota.assignment, quota.activity, quota.daily_total, quota.month_total, quota.activity_credit and quota.assignment_history.';

CREATE TRIGGER rep_security_changed AFTER INSERT OR UPDATE OR DELETE ON quota.rep_security
    FOR EACH ROW EXECUTE FUNCTION quota.rep_security_changed();

CREATE FUNCTION quota.enable_rep_security(reps regrole) RETURNS void
    LANGUAGE sql
BEGIN ATOMIC
    INSERT INTO quota.rep_security (reps_role) VALUES (reps::text::name)
        ON CONFLICT (only_row) DO UPDATE SET reps_role = excluded.reps_role;
END;
COMMENT ON FUNCTION quota.enable_rep_security(regrole) IS 'Enables row-level security on quota.rep, quota.assignment, quota.activity, quota.daily_total, quota.month_total, quota.activity_credit and quota.assignment_history so that members of the role given see only the rows of the rep whose login (quota.rep.login) they are; other roles keep every row. Run again to change the role; quota.disable_rep_security() undoes it.';

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
-- (quota.month_total_grants_followed() stays PUBLIC: the event trigger calls
-- it in the session of whoever grants, and it does nothing but for the
-- table's owner.)
