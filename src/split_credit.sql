-- Split credit: one activity shared among reps by percentage.  The credits
-- move totals as activity does: their statement triggers are in
-- live_totals.sql.

CREATE TABLE quota.activity_credit (
    activity_id bigint NOT NULL REFERENCES quota.activity ON DELETE CASCADE,
    rep_id      text NOT NULL REFERENCES quota.rep,
    share       numeric NOT NULL CONSTRAINT activity_credit_share CHECK (share > 0 AND share <= 100),
    from_rep_id text NOT NULL,
    kind        text NOT NULL,
    occurred_at timestamptz NOT NULL,
    qty         numeric NOT NULL,
    PRIMARY KEY (activity_id, rep_id)
);
CREATE INDEX activity_credit_rep_kind_time ON quota.activity_credit (rep_id, kind, occurred_at);
CREATE INDEX activity_credit_from_rep_kind_time ON quota.activity_credit (from_rep_id, kind, occurred_at);
COMMENT ON TABLE quota.activity_credit IS 'Split credit: the reps an activity is credited to and their shares, which total exactly 100 at commit. An activity without rows here credits its own rep in full. Totals, progress, rankings, teams and conversion count the shares.';
COMMENT ON COLUMN quota.activity_credit.activity_id IS 'The activity shared.';
COMMENT ON COLUMN quota.activity_credit.rep_id IS 'A rep credited (the activity''s own rep, too, if it keeps a share).';
COMMENT ON COLUMN quota.activity_credit.share IS 'The rep''s share of the activity, in percent (60 for 60 %).';
COMMENT ON COLUMN quota.activity_credit.from_rep_id IS 'The activity''s own rep, whose full credit the shares replace; kept by the extension.';
COMMENT ON COLUMN quota.activity_credit.kind IS 'The activity''s kind; kept by the extension.';
COMMENT ON COLUMN quota.activity_credit.occurred_at IS 'When the activity happened; kept by the extension.';
COMMENT ON COLUMN quota.activity_credit.qty IS 'The quantity credited: the activity''s qty * share / 100, exactly; kept by the extension.';
SELECT pg_catalog.pg_extension_config_dump('quota.activity_credit', '');

CREATE FUNCTION quota.activity_credit_copied() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    shared quota.activity;
BEGIN
    -- Locked so that a concurrent change of the activity waits for this
    -- credit, and then brings it up to date (or this waits for the change,
    -- and copies the changed values).
    SELECT a.* INTO shared FROM quota.activity a WHERE a.activity_id = NEW.activity_id FOR SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'activity % does not exist', NEW.activity_id
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'Insert the activity first, then its credits, in a later statement.',
                  SCHEMA = 'quota', TABLE = 'activity_credit', COLUMN = 'activity_id';
    END IF;
    NEW.from_rep_id := shared.rep_id;
    NEW.kind := shared.kind;
    NEW.occurred_at := shared.occurred_at;
    -- Exact: a share is a decimal percentage, so qty * share / 100 has a
    -- finite decimal expansion; trailing zeros are dropped.
    NEW.qty := trim_scale(shared.qty * NEW.share * 0.01);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION quota.activity_credit_copied() IS 'Trigger of quota.activity_credit: copies the activity''s rep, kind and time into the credit and computes its qty.';

CREATE TRIGGER activity_credit_copied BEFORE INSERT OR UPDATE ON quota.activity_credit
    FOR EACH ROW EXECUTE FUNCTION quota.activity_credit_copied();

CREATE FUNCTION quota.activity_shares_total() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    changed bigint;
    total numeric;
BEGIN
    FOREACH changed IN ARRAY ARRAY[CASE WHEN TG_OP <> 'DELETE' THEN NEW.activity_id END,
                                   CASE WHEN TG_OP <> 'INSERT' THEN OLD.activity_id END] LOOP
        CONTINUE WHEN changed IS NULL;
        SELECT sum(c.share) INTO total FROM quota.activity_credit c WHERE c.activity_id = changed;
        IF total <> 100 THEN
            RAISE EXCEPTION 'the shares of activity % total %, not 100', changed, total
                USING ERRCODE = 'check_violation',
                      DETAIL = (SELECT 'Shares: ' || string_agg(format('%s %s', c.rep_id, c.share), ', ' ORDER BY c.rep_id) || '.'
                                  FROM quota.activity_credit c WHERE c.activity_id = changed),
                      HINT = 'Make the shares of one activity add up to exactly 100, or delete them all to credit its own rep in full.',
                      SCHEMA = 'quota', TABLE = 'activity_credit', CONSTRAINT = 'activity_shares_total';
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION quota.activity_shares_total() IS 'Deferred constraint trigger of quota.activity_credit: at commit, the shares of every activity whose credits changed total exactly 100 (or it has none).';

CREATE CONSTRAINT TRIGGER activity_shares_total AFTER INSERT OR UPDATE OR DELETE ON quota.activity_credit
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION quota.activity_shares_total();
COMMENT ON TRIGGER activity_shares_total ON quota.activity_credit IS 'At commit: the shares of each activity total exactly 100.';

CREATE FUNCTION quota.activity_credit_truncated() RETURNS trigger
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

CREATE TRIGGER activity_credit_truncated BEFORE TRUNCATE ON quota.activity_credit
    FOR EACH STATEMENT EXECUTE FUNCTION quota.activity_credit_truncated();

-- Every credited quantity, for rebuilding and verifying the totals: the
-- activity in full to its rep, each credit moved from it to the rep credited.

CREATE FUNCTION quota.credited()
    RETURNS TABLE (rep_id text, kind text, occurred_at timestamptz, qty numeric, rows integer)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT a.rep_id, a.kind, a.occurred_at, a.qty, 1 FROM quota.activity a
    UNION ALL
    SELECT c.rep_id, c.kind, c.occurred_at, c.qty, 0 FROM quota.activity_credit c
    UNION ALL
    SELECT c.from_rep_id, c.kind, c.occurred_at, -c.qty, 0 FROM quota.activity_credit c;
END;
COMMENT ON FUNCTION quota.credited() IS 'Every quantity credited to a rep: each activity to its own rep (rows 1: the activity''s row), plus each credit to the rep credited and less the same from the activity''s rep (rows 0).';

-- Trigger functions are the extension's own: nobody else may attach them
-- to a table (firing them needs no privilege).
REVOKE EXECUTE ON FUNCTION quota.activity_credit_copied(), quota.activity_shares_total(), quota.activity_credit_truncated() FROM PUBLIC;
