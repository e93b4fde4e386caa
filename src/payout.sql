-- Payout tiers: bands of a measure (attainment or an amount) with a rate
-- each, the payout of a measure by the marginal or the retroactive method,
-- and plans that say which tiers and base apply to a rep.

CREATE TABLE quota.tier_set (
    tier_set_id text PRIMARY KEY,
    description text,
    measure     text NOT NULL CONSTRAINT tier_set_measure CHECK (measure IN ('attainment', 'amount'))
);
COMMENT ON TABLE quota.tier_set IS 'Sets of payout tiers; the bands of a set (quota.tier) cover every measure from 0 up, each measure in exactly one band. A set without bands cannot be paid on.';
COMMENT ON COLUMN quota.tier_set.tier_set_id IS 'Key of the tier set, chosen by the user.';
COMMENT ON COLUMN quota.tier_set.description IS 'What the tiers are for.';
COMMENT ON COLUMN quota.tier_set.measure IS 'attainment (bands of actual / target: 1.0 = 100 %) or amount (bands of the actual itself, such as revenue).';

CREATE TABLE quota.tier (
    tier_set_id text NOT NULL REFERENCES quota.tier_set ON DELETE CASCADE,
    band        numrange NOT NULL,
    rate        numeric NOT NULL CONSTRAINT tier_rate_not_negative CHECK (rate >= 0),
    CONSTRAINT tier_band_half_open CHECK (lower_inc(band) AND NOT lower_inf(band) AND NOT upper_inc(band)),
    CONSTRAINT tier_band_not_negative CHECK (lower(band) >= 0),
    CONSTRAINT tier_overlap EXCLUDE USING gist (tier_set_id WITH =, band WITH &&)
);
-- Added after the exclusion constraint so that its index is checked second:
-- a band entered twice is reported as an overlap (23P01), like any other.
ALTER TABLE quota.tier ADD CONSTRAINT tier_pkey PRIMARY KEY (tier_set_id, band);
COMMENT ON TABLE quota.tier IS 'The bands of each tier set and their rates. Bands of a set may not overlap; at commit they must also leave no gap, start at 0 and end unbounded above.';
COMMENT ON COLUMN quota.tier.tier_set_id IS 'The tier set the band belongs to.';
COMMENT ON COLUMN quota.tier.band IS 'The measures of the band, written half-open [lower, upper), such as [0.5,1.0) or [1.2,) for the last.';
COMMENT ON COLUMN quota.tier.rate IS 'What each unit of measure in the band earns, as a multiple of the plan''s base (1.5 = one and a half times; 0.06 = 6 % of an amount at base 1).';

CREATE FUNCTION quota.check_tiers(tier_set_id text) RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    previous numrange;
    this numrange;
BEGIN
    IF NOT EXISTS (SELECT FROM quota.tier_set s WHERE s.tier_set_id = check_tiers.tier_set_id) THEN
        RAISE EXCEPTION 'unknown tier set "%"', check_tiers.tier_set_id
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = coalesce('Known tier sets: '
                                  || (SELECT string_agg(s.tier_set_id, ', ' ORDER BY s.tier_set_id) FROM quota.tier_set s)
                                  || '.',
                                  'There are no tier sets yet: add one to quota.tier_set and its bands to quota.tier.');
    END IF;
    -- Bands do not overlap (tier_overlap), so in order of their lower
    -- bounds each must start where the one before ends.
    FOR this IN SELECT t.band FROM quota.tier t WHERE t.tier_set_id = check_tiers.tier_set_id ORDER BY lower(t.band) LOOP
        IF previous IS NULL AND lower(this) <> 0 THEN
            RAISE EXCEPTION 'tiers of "%" start at %, not at 0', check_tiers.tier_set_id, lower(this)
                USING ERRCODE = 'check_violation',
                      DETAIL = format('The lowest band is %s; measures from 0 up to %s fall in no band.', this, lower(this)),
                      HINT = format('Add a band [0,%s).', lower(this)),
                      SCHEMA = 'quota', TABLE = 'tier', CONSTRAINT = 'tier_bands_cover';
        ELSIF upper(previous) <> lower(this) THEN
            RAISE EXCEPTION 'tiers of "%" leave a gap between % and %', check_tiers.tier_set_id, upper(previous), lower(this)
                USING ERRCODE = 'check_violation',
                      DETAIL = format('No band covers [%s,%s): the band %s is followed by %s.', upper(previous), lower(this), previous, this),
                      HINT = format('Add a band [%s,%s), or move a bound so that the bands meet; bands are written [lower, upper).',
                                    upper(previous), lower(this)),
                      SCHEMA = 'quota', TABLE = 'tier', CONSTRAINT = 'tier_bands_cover';
        END IF;
        previous := this;
    END LOOP;
    IF previous IS NULL THEN
        RAISE EXCEPTION 'tier set "%" has no tiers', check_tiers.tier_set_id
            USING ERRCODE = 'check_violation',
                  HINT = 'Add its bands to quota.tier, covering every measure from 0 up, such as [0,) at a single rate.',
                  SCHEMA = 'quota', TABLE = 'tier', CONSTRAINT = 'tier_bands_cover';
    ELSIF NOT upper_inf(previous) THEN
        RAISE EXCEPTION 'tiers of "%" end at %', check_tiers.tier_set_id, upper(previous)
            USING ERRCODE = 'check_violation',
                  DETAIL = format('The highest band is %s; measures of %s and more fall in no band.', previous, upper(previous)),
                  HINT = format('Make the highest band unbounded above, such as [%s,), or add a band [%s,).', lower(previous), upper(previous)),
                  SCHEMA = 'quota', TABLE = 'tier', CONSTRAINT = 'tier_bands_cover';
    END IF;
    RETURN true;
END
$$;
COMMENT ON FUNCTION quota.check_tiers(text) IS 'Returns true when the bands of the tier set cover every measure from 0 up exactly once: the first starts at 0, each starts where the one before ends, the last is unbounded above. Raises an error saying where they do not (23514), or 22023 for an unknown tier set.';

CREATE FUNCTION quota.tier_bands_cover() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    changed text[];
    changed_set text;
BEGIN
    IF TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'ROW' OR TG_TABLE_SCHEMA <> 'quota' OR TG_TABLE_NAME <> 'tier' THEN
        RAISE EXCEPTION 'quota.tier_bands_cover() called as a % % trigger of %.%', TG_WHEN, TG_LEVEL, TG_TABLE_SCHEMA, TG_TABLE_NAME
            USING ERRCODE = 'trigger_protocol_violated',
                  HINT = 'It is the AFTER ... FOR EACH ROW constraint trigger of quota.tier only.';
    END IF;
    IF TG_OP = 'INSERT' THEN
        changed := ARRAY[NEW.tier_set_id];
    ELSIF TG_OP = 'DELETE' THEN
        changed := ARRAY[OLD.tier_set_id];
    ELSIF OLD.tier_set_id = NEW.tier_set_id THEN
        changed := ARRAY[NEW.tier_set_id];
    ELSE
        changed := ARRAY[OLD.tier_set_id, NEW.tier_set_id];
    END IF;
    -- No lock is needed against concurrent changes: a change that leaves
    -- the bands of a set covering every measure once replaces the bands it
    -- deletes (or moves) by bands covering the same measures, so changes to
    -- different bands add up to bands that still do, and changes to the
    -- same band wait for each other on its row.  A tier set deleted since
    -- (with its bands) is not checked.
    FOREACH changed_set IN ARRAY changed LOOP
        IF EXISTS (SELECT FROM quota.tier_set s WHERE s.tier_set_id = changed_set) THEN
            PERFORM quota.check_tiers(changed_set);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION quota.tier_bands_cover() IS 'Deferred constraint trigger of quota.tier: at commit (or SET CONSTRAINTS ... IMMEDIATE), quota.check_tiers() on every tier set whose bands changed, so bands can be entered one by one.';

CREATE CONSTRAINT TRIGGER tier_bands_cover AFTER INSERT OR UPDATE OR DELETE ON quota.tier
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION quota.tier_bands_cover();
COMMENT ON TRIGGER tier_bands_cover ON quota.tier IS 'At commit: each tier set whose bands changed has bands, and they leave no gap, start at 0 and end unbounded above.';
-- A new tier set is not checked until it has bands: pg_dump restores the
-- rows of quota.tier_set before those of quota.tier, in another
-- transaction.  quota.payout() refuses a tier set without bands.

CREATE FUNCTION quota.payout_invalid(measure numeric, tiers text, method text) RETURNS numeric
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF measure < 0 THEN
        RAISE EXCEPTION 'cannot pay out on a negative measure: %', measure
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'Tiers cover measures from 0 up.',
                  HINT = 'Give an attainment ratio (1.0 = 100 %) or an amount, 0 or more.';
    END IF;
    IF method NOT IN ('marginal', 'retroactive') THEN
        RAISE EXCEPTION 'unknown payout method "%"', method
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Use marginal (each slice of the measure earns the rate of its band) or retroactive (the whole measure earns the rate of the band it ends in).';
    END IF;
    -- An unknown tier set, or bands not yet complete in this transaction.
    PERFORM quota.check_tiers(tiers);
    RAISE EXCEPTION 'could not compute the payout of % on tiers "%" (%)', measure, tiers, method
        USING ERRCODE = 'internal_error';
END
$$;
COMMENT ON FUNCTION quota.payout_invalid(numeric, text, text) IS 'Raises the error that explains why quota.payout() found no payout: a negative measure, an unknown method or tier set, or bands that do not cover the measure. Never returns.';

CREATE FUNCTION quota.payout(measure numeric, base numeric, tiers text, method text) RETURNS numeric
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    -- slice: the part of [0, measure) in the band; holds: the band contains
    -- the measure.  The bands must cover [0, measure] (the slices add up to
    -- the measure and one band holds it); otherwise, and for a negative
    -- measure, an unknown tier set or method, there is no row and
    -- quota.payout_invalid() says why.
    SELECT coalesce(
        (SELECT payout.base * CASE payout.method
                    WHEN 'marginal' THEN sum(s.slice * t.rate)
                    WHEN 'retroactive' THEN payout.measure * max(t.rate) FILTER (WHERE s.holds)
                END
           FROM quota.tier t
          CROSS JOIN LATERAL (SELECT greatest(least(payout.measure, upper(t.band)) - lower(t.band), 0),
                                     t.band @> payout.measure) AS s(slice, holds)
          WHERE t.tier_set_id = payout.tiers AND payout.measure >= 0
         HAVING sum(s.slice) = payout.measure AND count(*) FILTER (WHERE s.holds) = 1),
        quota.payout_invalid(payout.measure, payout.tiers, payout.method));
END;
COMMENT ON FUNCTION quota.payout(numeric, numeric, text, text) IS 'Payout of a measure (0 or more) on a tier set, exactly: marginal = base * sum over the bands of the slice of [0, measure) in the band * its rate (like tax brackets); retroactive = base * measure * the rate of the band the measure is in. Unknown tier sets and methods and negative measures are errors (22023).';

CREATE TABLE quota.plan (
    plan_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rep_id      text NOT NULL REFERENCES quota.rep,
    kind        text REFERENCES quota.activity_kind,
    tier_set_id text NOT NULL REFERENCES quota.tier_set,
    base        numeric NOT NULL CONSTRAINT plan_base_not_negative CHECK (base >= 0),
    method      text NOT NULL CONSTRAINT plan_method CHECK (method IN ('marginal', 'retroactive')),
    valid       daterange NOT NULL,
    CONSTRAINT plan_valid_has_start CHECK (NOT isempty(valid) AND NOT lower_inf(valid)),
    CONSTRAINT plan_kind_overlap EXCLUDE USING gist (rep_id WITH =, kind WITH =, valid WITH &&),
    CONSTRAINT plan_score_overlap EXCLUDE USING gist (rep_id WITH =, valid WITH &&) WHERE (kind IS NULL)
);
COMMENT ON TABLE quota.plan IS 'Pay plans: the tiers, base and method that apply to a rep''s attainment of a kind, or to the rep''s monthly scoreboard score, over a range of dates; plans of one rep and kind (or for the score) do not overlap.';
COMMENT ON COLUMN quota.plan.plan_id IS 'Generated key of the plan.';
COMMENT ON COLUMN quota.plan.rep_id IS 'The rep paid.';
COMMENT ON COLUMN quota.plan.kind IS 'The kind whose attainment (or actual, on amount tiers) is paid, in the periods of the rep''s assignments of that kind; NULL for the rep''s monthly score of quota.scoreboard.';
COMMENT ON COLUMN quota.plan.tier_set_id IS 'The tiers that give the rates.';
COMMENT ON COLUMN quota.plan.base IS 'What a rate of 1 pays per unit of measure: the on-target pay for attainment tiers (attainment 1.0 at rate 1 pays the base), usually 1 for amount tiers (the rate is then a share of the amount).';
COMMENT ON COLUMN quota.plan.method IS 'marginal (each slice of the measure earns the rate of its band) or retroactive (the whole measure earns the rate of the band it ends in).';
COMMENT ON COLUMN quota.plan.valid IS 'Dates on which the plan applies, [start, end); the end may be open. A period with a day in the plan (for a kind, a day also in the rep''s assignment) is paid on in full; a period met by two plans is paid under each.';

SELECT pg_catalog.pg_extension_config_dump('quota.tier_set', '');
SELECT pg_catalog.pg_extension_config_dump('quota.tier', '');
SELECT pg_catalog.pg_extension_config_dump('quota.plan', '');
SELECT pg_catalog.pg_extension_config_dump('quota.plan_plan_id_seq', '');

CREATE FUNCTION quota.payout_as_of(as_of timestamptz)
    RETURNS TABLE (
        plan_id bigint, rep_id text, team_id text, kind text, period_unit text,
        period_start date, period_end date, measure numeric,
        tier_set_id text, method text, base numeric, payout numeric, final boolean)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT m.plan_id, m.rep_id, m.team_id, m.kind, m.period_unit, m.period_start, m.period_end,
           m.measure, m.tier_set_id, m.method, m.base,
           round(quota.payout(m.measure, m.base, m.tier_set_id, m.method), 2),
           m.final
      FROM (-- Plans for a kind: in every period of the rep's assignments of
            -- the kind that meets both an assignment and the plan, through
            -- the period containing as_of, the exact attainment (or the
            -- actual, on amount tiers) of the assignments' part of the
            -- period, as quota.progress_as_of() computes it.
            SELECT pl.plan_id, a.rep_id, r.team_id, a.kind, quota.unit(a.target) AS period_unit,
                   lower(p.period) AS period_start, upper(p.period) AS period_end,
                   CASE ts.measure
                       WHEN 'amount' THEN sum(act.qty)
                       ELSE quota.ratio(quota.attainment(sum(act.qty),
                                                         sum(quota.target_for(a.target, w.part, sc.holidays, sc.season,
                                                                              a.ramp_start, sc.ramp, sc.ramp_unit))))
                   END AS measure,
                   pl.tier_set_id, pl.method, pl.base,
                   bool_and(local.today >= upper(w.part)) AS final
              FROM quota.plan pl
              JOIN quota.tier_set ts ON ts.tier_set_id = pl.tier_set_id
              JOIN quota.assignment a ON a.rep_id = pl.rep_id AND a.kind = pl.kind
              JOIN quota.rep r ON r.rep_id = a.rep_id
             CROSS JOIN LATERAL quota.schedule(r.team_id, a.ramp_id, a.distribution_id) AS sc
             CROSS JOIN LATERAL quota.period_start('day', payout_as_of.as_of, r.time_zone) AS local(today)
             CROSS JOIN LATERAL quota.periods(quota.unit(a.target),
                                              a.valid * pl.valid
                                              * daterange(NULL, quota.period_end(quota.unit(a.target), local.today))) AS p(period)
             CROSS JOIN LATERAL (SELECT p.period * a.valid) AS w(part)
             CROSS JOIN LATERAL quota.rep_actual(a.rep_id, r.time_zone, a.kind, w.part, payout_as_of.as_of, local.today) AS act
             GROUP BY pl.plan_id, a.rep_id, r.team_id, a.kind, quota.unit(a.target), p.period,
                      ts.measure, pl.tier_set_id, pl.method, pl.base
            UNION ALL
            -- Plans for the score: the rep's monthly score, in every month
            -- of quota.scoreboard_as_of() that meets the plan.
            SELECT pl.plan_id, s.rep_id, s.team_id, NULL, 'month', s.period_start, s.period_end,
                   CASE ts.measure WHEN 'attainment' THEN s.score END,
                   pl.tier_set_id, pl.method, pl.base,
                   quota.period_start('day', payout_as_of.as_of, r.time_zone) >= s.period_end
              FROM quota.plan pl
              JOIN quota.tier_set ts ON ts.tier_set_id = pl.tier_set_id
              JOIN quota.scoreboard_as_of(payout_as_of.as_of, 'month') AS s
                ON s.rep_id = pl.rep_id AND daterange(s.period_start, s.period_end) && pl.valid
              JOIN quota.rep r ON r.rep_id = s.rep_id
             WHERE pl.kind IS NULL
           ) AS m;
END;
COMMENT ON FUNCTION quota.payout_as_of(timestamptz) IS 'Payout of every plan in every period it applies to, through the period containing as_of (in the rep''s time zone): for a kind, on the exact attainment (or actual, on amount tiers) of the rep''s assignments of that kind in the period, on their schedules; for the score, on the monthly scoreboard score. Reads the tables with the rights of its caller.';

CREATE VIEW quota.payouts AS
    SELECT plan_id, rep_id, team_id, kind, period_unit, period_start, period_end,
           measure, tier_set_id, method, base, payout, final
      FROM quota.payout_as_of(now());
COMMENT ON VIEW quota.payouts IS 'Payouts of every plan and period up to now: quota.payout_as_of(now()).';
COMMENT ON COLUMN quota.payouts.plan_id IS 'The plan paid under (quota.plan).';
COMMENT ON COLUMN quota.payouts.rep_id IS 'The rep.';
COMMENT ON COLUMN quota.payouts.team_id IS 'The rep''s team.';
COMMENT ON COLUMN quota.payouts.kind IS 'The kind whose attainment is paid; NULL for a plan on the monthly scoreboard score.';
COMMENT ON COLUMN quota.payouts.period_unit IS 'The unit of the periods: that of the rep''s quota of the kind, or month for the score.';
COMMENT ON COLUMN quota.payouts.period_start IS 'First day of the period.';
COMMENT ON COLUMN quota.payouts.period_end IS 'Day after the last day of the period (the period is [period_start, period_end)).';
COMMENT ON COLUMN quota.payouts.measure IS 'What the tiers apply to: the exact attainment actual / target (attainment tiers; NULL without a target), the actual (amount tiers), or the scoreboard score (4 decimals; NULL on amount tiers, which a score has not).';
COMMENT ON COLUMN quota.payouts.tier_set_id IS 'The plan''s tier set.';
COMMENT ON COLUMN quota.payouts.method IS 'The plan''s method: marginal or retroactive.';
COMMENT ON COLUMN quota.payouts.base IS 'The plan''s base: what a rate of 1 pays per unit of measure.';
COMMENT ON COLUMN quota.payouts.payout IS 'quota.payout(measure, base, tier_set_id, method), 2 decimals; NULL when the measure is.';
COMMENT ON COLUMN quota.payouts.final IS 'True when the period has ended on the rep''s wall clock (elapsed = 1); false while it runs. Activity of an ended period can still be corrected until quota.close_period() closes it.';

-- Trigger functions are the extension's own: nobody else may attach them
-- to a table (firing them needs no privilege).
REVOKE EXECUTE ON FUNCTION quota.tier_bands_cover() FROM PUBLIC;
