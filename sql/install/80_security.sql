
-- Row-level security for reps, ready to enable, and who may run what.

CREATE FUNCTION quota.enable_rep_security(reps regrole) RETURNS void
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
                       ('daily_total', own_rep)) AS t(name, own_rows)
    LOOP
        EXECUTE format('DROP POLICY IF EXISTS every_row ON quota.%I', rep_table.name);
        EXECUTE format('DROP POLICY IF EXISTS rep_own_rows ON quota.%I', rep_table.name);
        EXECUTE format('CREATE POLICY every_row ON quota.%I USING (true) WITH CHECK (true)', rep_table.name);
        EXECUTE format('CREATE POLICY rep_own_rows ON quota.%I AS RESTRICTIVE TO %s USING (%s) WITH CHECK (%s)',
                       rep_table.name, reps, rep_table.own_rows, rep_table.own_rows);
        EXECUTE format('ALTER TABLE quota.%I ENABLE ROW LEVEL SECURITY', rep_table.name);
    END LOOP;
END
$$;
COMMENT ON FUNCTION quota.enable_rep_security(regrole) IS 'Enables row-level security on quota.rep, quota.assignment, quota.activity and quota.daily_total so that members of the role given see only the rows of the rep whose login (quota.rep.login) they are; other roles keep every row. Run again to change the role; quota.disable_rep_security() undoes it.';

CREATE FUNCTION quota.disable_rep_security() RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['rep', 'assignment', 'activity', 'daily_total'] LOOP
        EXECUTE format('ALTER TABLE quota.%I DISABLE ROW LEVEL SECURITY', name);
        EXECUTE format('DROP POLICY IF EXISTS every_row ON quota.%I', name);
        EXECUTE format('DROP POLICY IF EXISTS rep_own_rows ON quota.%I', name);
    END LOOP;
END
$$;
COMMENT ON FUNCTION quota.disable_rep_security() IS 'Disables the row-level security of quota.enable_rep_security() and drops its policies.';

-- Functions that change data or security are for the owner and whom the
-- owner grants them to.
REVOKE EXECUTE ON FUNCTION quota.rebuild(text), quota.close_period(date),
    quota.enable_rep_security(regrole), quota.disable_rep_security() FROM PUBLIC;
