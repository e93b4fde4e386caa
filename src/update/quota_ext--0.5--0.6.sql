-- quota_ext 0.5 -> 0.6: progress at lookup speed.  Totals per calendar
-- month of the rep's days (quota.month_total) are written in the statement
-- that writes the daily ones, and progress reads whole months from them;
-- filters on the start of periods narrow what quota.periods() generates.

\echo Use "ALTER EXTENSION quota_ext UPDATE TO '0.6'" to load this file. \quit

-- Everything below names its schema; nothing resolves through the caller's
-- search_path.
SET LOCAL search_path = pg_catalog, pg_temp;

-- Writers of the totals wait until this commits, so that the month totals
-- filled below count every daily total: a writer takes its lock on
-- quota.daily_total before it learns whether quota.month_total exists.
LOCK TABLE quota.daily_total IN EXCLUSIVE MODE;

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

INSERT INTO quota.month_total (rep_id, kind, month, tracking_id, slot, qty)
SELECT d.rep_id, d.kind, quota.period_start('month', d.day), d.tracking_id, 0, sum(d.qty)
  FROM quota.daily_total d
 GROUP BY 1, 2, 3, 4;
COMMENT ON FUNCTION quota.activity_totals() IS 'Trigger of quota.activity and quota.activity_credit: for each row, checks the row changed and folds it into the deltas of the transaction (a credit moves its qty from the activity''s rep to the rep credited); for each statement, writes the deltas to quota.daily_total and quota.month_total and, after an update of activity, brings its credits up to date. Deltas that no statement trigger writes (the apply process of logical replication fires row triggers only) are written at commit.';
COMMENT ON FUNCTION quota.totals_written() IS 'Writes to quota.daily_total and quota.month_total the deltas this transaction has folded and not written yet (those a replica writes at commit), so that what reads the totals next sees them.';

CREATE FUNCTION quota.month_totals_rebuilt(tracking integer, rep text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM quota.month_total m
     WHERE m.tracking_id = month_totals_rebuilt.tracking
       AND (month_totals_rebuilt.rep IS NULL OR m.rep_id = month_totals_rebuilt.rep);
    INSERT INTO quota.month_total (rep_id, kind, month, tracking_id, slot, qty)
    SELECT d.rep_id, d.kind, quota.period_start('month', d.day), d.tracking_id, 0, sum(d.qty)
      FROM quota.daily_total d
     WHERE d.tracking_id = month_totals_rebuilt.tracking
       AND (month_totals_rebuilt.rep IS NULL OR d.rep_id = month_totals_rebuilt.rep)
     GROUP BY 1, 2, 3, 4;
END
$$;
COMMENT ON FUNCTION quota.month_totals_rebuilt(integer, text) IS 'Part of quota.rebuild(): recomputes the month totals of quota.activity (tracking 0) or of one tracked table, of every rep or of one, from their daily totals.';

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
    PERFORM quota.month_totals_rebuilt(0, activity_rebuilt.rep);
END
$$;
COMMENT ON FUNCTION quota.activity_rebuilt(text) IS 'Part of quota.rebuild(): recomputes the daily and month totals of quota.activity and its credits (of every rep, or of one).';

CREATE OR REPLACE FUNCTION quota.tracking_rebuilt(tracking integer, rep text) RETURNS void
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
    PERFORM quota.month_totals_rebuilt(tracking_rebuilt.tracking, tracking_rebuilt.rep);
    IF tracking_rebuilt.rep IS NULL THEN
        DELETE FROM quota.unmatched u WHERE u.tracking_id = tracking_rebuilt.tracking;
        INSERT INTO quota.unmatched (tracking_id, source, row_key, rep_id, occurred_at, occurred_on, qty, reason)
        SELECT t.tracking_id, t.source, x.row_key, x.rep_id, x.occurred_at, x.occurred_on, x.qty, x.reason
          FROM quota.tracking t, quota.tracked_rows(tracking_rebuilt.tracking, NULL) x
         WHERE t.tracking_id = tracking_rebuilt.tracking AND x.reason IS NOT NULL;
    END IF;
END
$$;
COMMENT ON FUNCTION quota.tracking_rebuilt(integer, text) IS 'Part of quota.rebuild(), and of a restore: recomputes the daily and month totals of one tracked table (of every rep, or of one) from its rows less its late changes, and with every rep its rows in quota.unmatched.';

COMMENT ON FUNCTION quota.rebuild(text) IS 'Recomputes the daily and month totals of every rep (or of one rep) from quota.activity, quota.activity_credit and every tracked table (less the late changes of closed days), and returns how many totals there are; blocks writers of activity and of tracked tables while it runs.';

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
    ), month_totals AS (
        SELECT m.rep_id, m.kind, m.month, sum(m.qty) AS qty
          FROM quota.month_total m
         GROUP BY m.rep_id, m.kind, m.month
    ), month_recount AS (
        SELECT c.rep_id, c.kind, quota.period_start('month', c.day) AS month, sum(c.qty) AS qty
          FROM recount c
         GROUP BY 1, 2, 3
    )
    SELECT coalesce(t.rep_id, c.rep_id), coalesce(t.kind, c.kind), coalesce(t.day, c.day),
           coalesce(t.qty, 0), coalesce(c.qty, 0)
      FROM totals t FULL JOIN recount c ON c.rep_id = t.rep_id AND c.kind = t.kind AND c.day = t.day
     WHERE coalesce(t.qty, 0) <> coalesce(c.qty, 0)
    UNION ALL
    SELECT coalesce(m.rep_id, c.rep_id), coalesce(m.kind, c.kind), coalesce(m.month, c.month),
           coalesce(m.qty, 0), coalesce(c.qty, 0)
      FROM month_totals m FULL JOIN month_recount c ON c.rep_id = m.rep_id AND c.kind = m.kind AND c.month = m.month
     WHERE coalesce(m.qty, 0) <> coalesce(c.qty, 0)
     ORDER BY 1, 2, 3;
END;
COMMENT ON FUNCTION quota.verify() IS 'Rows where the daily totals disagree with a recount of quota.activity, its credits and every tracked table (less the late changes of closed days), and rows (dated the first of the month, with the month''s figures) where a month total of quota.month_total disagrees with the same recount; empty when healthy. Reading the tracked tables takes SELECT on them.';

REVOKE EXECUTE ON FUNCTION quota.month_totals_rebuilt(integer, text) FROM PUBLIC;

-- A filter on the start of the periods of quota.periods() narrows the range
-- the function is given (src/period_filter.c): its support function has the
-- library loaded, with the planner hook that does it, before a plan is made.
CREATE FUNCTION quota.periods_support(internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'periods_support'
	LANGUAGE C STRICT;
COMMENT ON FUNCTION quota.periods_support(internal) IS
	'Planner support function of quota.periods(): loads the library whose planner hook narrows the range of quota.periods() to the starts a query filters on.';

ALTER FUNCTION quota.periods(text, daterange) SUPPORT quota.periods_support;

CREATE OR REPLACE FUNCTION quota.rep_actual(rep_id text, time_zone text, kind text, during daterange, as_of timestamptz)
    RETURNS TABLE (qty numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- The totals of the days from the range's first through as_of's day (in
    -- the rep's time zone): the months wholly inside them from the month
    -- totals, the days before and after those from the daily totals; less
    -- what was credited that day at or after as_of (the rep's activity and
    -- the shares credited to the rep, less the shares credited away), which
    -- for as_of = now() is next to none.  The sums stay subqueries in FROM,
    -- so each runs once per call, and those of an empty part not at all.
    SELECT coalesce(head.qty, 0) + coalesce(months.qty, 0) + coalesce(tail.qty, 0)
           - coalesce(after_as_of.qty, 0)
           - coalesce(credited_after.qty, 0) + coalesce(credited_away_after.qty, 0)
      FROM quota.period_start('day', rep_actual.as_of, rep_actual.time_zone) AS local(today),
           LATERAL (SELECT lower(rep_actual.during),
                           least(upper(rep_actual.during), local.today + 1)) AS days(first_day, end_day),
           -- the first month that starts on or after the first day, and the
           -- month of the end: the whole months are those in between
           LATERAL (SELECT quota.period_end('month', days.first_day - 1),
                           quota.period_start('month', days.end_day)) AS months_in(first_month, end_month),
           LATERAL (SELECT CASE WHEN months_in.first_month < months_in.end_month
                                THEN months_in.first_month ELSE days.end_day END) AS head_in(end_day),
           LATERAL (SELECT sum(d.qty) AS qty
                      FROM quota.daily_total d
                     WHERE days.first_day < head_in.end_day
                       AND d.rep_id = rep_actual.rep_id AND d.kind = rep_actual.kind
                       AND d.day >= days.first_day AND d.day < head_in.end_day) AS head,
           LATERAL (SELECT sum(m.qty) AS qty
                      FROM quota.month_total m
                     WHERE months_in.first_month < months_in.end_month
                       AND m.rep_id = rep_actual.rep_id AND m.kind = rep_actual.kind
                       AND m.month >= months_in.first_month AND m.month < months_in.end_month) AS months,
           LATERAL (SELECT sum(d.qty) AS qty
                      FROM quota.daily_total d
                     WHERE months_in.first_month < months_in.end_month AND months_in.end_month < days.end_day
                       AND d.rep_id = rep_actual.rep_id AND d.kind = rep_actual.kind
                       AND d.day >= months_in.end_month AND d.day < days.end_day) AS tail,
           LATERAL (SELECT sum(x.qty) AS qty
                      FROM quota.activity x
                     WHERE local.today <@ rep_actual.during
                       AND x.rep_id = rep_actual.rep_id AND x.kind = rep_actual.kind
                       AND x.occurred_at >= rep_actual.as_of
                       AND x.occurred_at < rep_actual.as_of + interval '26 hours'
                       AND quota.period_start('day', x.occurred_at, rep_actual.time_zone) = local.today) AS after_as_of,
           LATERAL (SELECT sum(c.qty) AS qty
                      FROM quota.activity_credit c
                     WHERE local.today <@ rep_actual.during
                       AND c.rep_id = rep_actual.rep_id AND c.kind = rep_actual.kind
                       AND c.occurred_at >= rep_actual.as_of
                       AND c.occurred_at < rep_actual.as_of + interval '26 hours'
                       AND quota.period_start('day', c.occurred_at, rep_actual.time_zone) = local.today) AS credited_after,
           LATERAL (SELECT sum(c.qty) AS qty
                      FROM quota.activity_credit c
                     WHERE local.today <@ rep_actual.during
                       AND c.from_rep_id = rep_actual.rep_id AND c.kind = rep_actual.kind
                       AND c.occurred_at >= rep_actual.as_of
                       AND c.occurred_at < rep_actual.as_of + interval '26 hours'
                       AND quota.period_start('day', c.occurred_at, rep_actual.time_zone) = local.today) AS credited_away_after;
END;
COMMENT ON FUNCTION quota.rep_actual(text, text, text, daterange, timestamptz) IS 'One row: the quantity credited to a rep for a kind (the rep''s activity, plus shares of others'' activity credited to the rep, less shares of the rep''s activity credited to others) on the days of a date range (in the rep''s time zone, given) before a moment. Inlined into the progress views.';

CREATE OR REPLACE FUNCTION quota.rep_security_changed() RETURNS trigger
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
COMMENT ON FUNCTION quota.enable_rep_security(regrole) IS 'Enables row-level security on quota.rep, quota.assignment, quota.activity, quota.daily_total, quota.month_total, quota.activity_credit and quota.assignment_history so that members of the role given see only the rows of the rep whose login (quota.rep.login) they are; other roles keep every row. Run again to change the role; quota.disable_rep_security() undoes it.';

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

-- The grants made on quota.daily_total before the update.
SELECT quota.month_total_grants_followed();

-- Row-level security, where enabled, covers the month totals too.
UPDATE quota.rep_security SET reps_role = reps_role;
