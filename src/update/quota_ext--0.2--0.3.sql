-- quota_ext 0.2 -> 0.3: every row counts, however it arrives.  The totals
-- of quota.activity and quota.activity_credit are captured by row triggers
-- (the apply process of logical replication fires row triggers only) that
-- fire whatever session_replication_role is, and written once per
-- statement, or at commit where no statement trigger fires.

\echo Use "ALTER EXTENSION quota_ext UPDATE TO '0.3'" to load this file. \quit

-- Everything below names its schema; nothing resolves through the caller's
-- search_path.
SET LOCAL search_path = pg_catalog, pg_temp;

-- The statement triggers over transition tables give way to row triggers
-- (src/live_totals.c).  What a statement of this transaction folded before
-- the update is already written: statement triggers write at its end.
DROP TRIGGER activity_totals_insert ON quota.activity;
DROP TRIGGER activity_totals_update ON quota.activity;
DROP TRIGGER activity_totals_delete ON quota.activity;
DROP TRIGGER activity_totals_truncate ON quota.activity;
DROP TRIGGER activity_credit_totals_insert ON quota.activity_credit;
DROP TRIGGER activity_credit_totals_update ON quota.activity_credit;
DROP TRIGGER activity_credit_totals_delete ON quota.activity_credit;
DROP TRIGGER activity_credit_totals_truncate ON quota.activity_credit;
DROP TRIGGER rep_cached_rows ON quota.rep;
DROP TRIGGER period_close_cached_rows ON quota.period_close;

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

ALTER TABLE quota.rep ENABLE ALWAYS TRIGGER rep_time_zone_changed;

CREATE OR REPLACE FUNCTION quota.rebuild(rep_id text DEFAULT NULL) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    written bigint;
BEGIN
    -- Holds writers of activity and credits, and other rebuilds, until this commits.
    LOCK TABLE quota.activity, quota.activity_credit IN SHARE ROW EXCLUSIVE MODE;
    -- What this transaction folded is written first, and so recounted.
    PERFORM quota.totals_written();
    DELETE FROM quota.daily_total t WHERE rebuild.rep_id IS NULL OR t.rep_id = rebuild.rep_id;
    INSERT INTO quota.daily_total (rep_id, kind, day, slot, qty)
    SELECT c.rep_id, c.kind, quota.period_start('day', c.occurred_at, r.time_zone), 0, sum(c.qty)
      FROM quota.credited() c JOIN quota.rep r ON r.rep_id = c.rep_id
     WHERE rebuild.rep_id IS NULL OR c.rep_id = rebuild.rep_id
     GROUP BY 1, 2, 3
    HAVING sum(c.qty) <> 0;
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END
$$;
COMMENT ON FUNCTION quota.rebuild(text) IS 'Recomputes the daily totals of every rep (or of one rep) from quota.activity and quota.activity_credit and returns how many totals it wrote; blocks writers of activity while it runs.';

