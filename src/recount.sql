-- Rebuilding and verifying the live totals (live_totals.sql) from what
-- they count: quota.activity and its credits, and every tracked table
-- (tracking.sql) less the late changes of closed days.

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

CREATE FUNCTION quota.activity_rebuilt(rep text) RETURNS void
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

CREATE FUNCTION quota.rebuild(rep_id text DEFAULT NULL) RETURNS bigint
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
COMMENT ON FUNCTION quota.rebuild(text) IS 'Recomputes the daily and month totals of every rep (or of one rep) from quota.activity, quota.activity_credit and every tracked table (less the late changes of closed days), and returns how many totals there are; blocks writers of activity and of tracked tables while it runs.';

CREATE FUNCTION quota.verify()
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

-- Functions that change data are for the owner and whom the owner grants
-- them to (with them, the parts of a rebuild and the lock of the tracked
-- tables).
REVOKE EXECUTE ON FUNCTION quota.rebuild(text), quota.activity_rebuilt(text), quota.tracking_rebuilt(integer, text),
    quota.month_totals_rebuilt(integer, text) FROM PUBLIC;
