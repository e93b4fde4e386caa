-- Schedules: what besides the quota says how an assignment's target is
-- spread (src/proration.c computes it): holidays for business days,
-- seasonal distributions and ramps.

-- Business days: holidays, for everyone or for a team and its sub-teams.

CREATE TABLE quota.holiday (
    holiday_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    day         date NOT NULL CONSTRAINT holiday_day_finite CHECK (isfinite(day)),
    team_id     text REFERENCES quota.team ON DELETE CASCADE,
    description text
);
CREATE UNIQUE INDEX holiday_team_day ON quota.holiday (team_id, day) WHERE team_id IS NOT NULL;
CREATE UNIQUE INDEX holiday_everyone_day ON quota.holiday (day) WHERE team_id IS NULL;
COMMENT ON TABLE quota.holiday IS 'Days off: with quota.proration = business_days, targets and elapsed time skip them as they skip Saturdays and Sundays.';
COMMENT ON COLUMN quota.holiday.holiday_id IS 'Generated key of the holiday.';
COMMENT ON COLUMN quota.holiday.day IS 'The day off, in the time zone of each rep.';
COMMENT ON COLUMN quota.holiday.team_id IS 'The team (with its sub-teams at any depth) that has the day off; NULL for everyone.';
COMMENT ON COLUMN quota.holiday.description IS 'What the holiday is.';
SELECT pg_catalog.pg_extension_config_dump('quota.holiday', '');
SELECT pg_catalog.pg_extension_config_dump('quota.holiday_holiday_id_seq', '');

CREATE FUNCTION quota.holidays(team_id text) RETURNS date[]
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH RECURSIVE chain (team_id) AS (
        SELECT t.team_id FROM quota.team t WHERE t.team_id = holidays.team_id
        UNION
        SELECT t.parent_id FROM chain JOIN quota.team t ON t.team_id = chain.team_id
         WHERE t.parent_id IS NOT NULL
    )
    SELECT coalesce(array_agg(DISTINCT h.day ORDER BY h.day), '{}')
      FROM quota.holiday h
     WHERE h.team_id IS NULL OR h.team_id IN (SELECT chain.team_id FROM chain);
END;
COMMENT ON FUNCTION quota.holidays(text) IS 'The holidays of a team: those for everyone and those of the team and of every team above it; for NULL (no team) those for everyone.';

-- Seasonality: distributions of a quarter, half or year over its months.

CREATE TABLE quota.distribution (
    distribution_id text PRIMARY KEY,
    description     text,
    period_unit     text NOT NULL CONSTRAINT distribution_period_unit CHECK (period_unit IN ('quarter', 'half', 'year'))
);
COMMENT ON TABLE quota.distribution IS 'Seasonal distributions: how a quarterly, half-yearly or yearly quota is shared among the months of its period (quota.distribution_month); named by an assignment''s distribution_id.';
COMMENT ON COLUMN quota.distribution.distribution_id IS 'Key of the distribution, chosen by the user.';
COMMENT ON COLUMN quota.distribution.description IS 'What the distribution is for.';
COMMENT ON COLUMN quota.distribution.period_unit IS 'The unit of the quotas it spreads: quarter (3 months), half (6) or year (12).';

CREATE TABLE quota.distribution_month (
    distribution_id text NOT NULL REFERENCES quota.distribution ON DELETE CASCADE,
    month           integer NOT NULL CONSTRAINT distribution_month_month CHECK (month BETWEEN 1 AND 12),
    percent         numeric NOT NULL CONSTRAINT distribution_month_percent CHECK (percent >= 0 AND percent <= 100),
    PRIMARY KEY (distribution_id, month)
);
COMMENT ON TABLE quota.distribution_month IS 'The percentage of each month of a distribution''s period. At commit every month of the period has one and they total exactly 100.';
COMMENT ON COLUMN quota.distribution_month.distribution_id IS 'The distribution.';
COMMENT ON COLUMN quota.distribution_month.month IS 'The month of the period, 1 for its first (with quota.fiscal_year_start = 4, month 1 of a year is April).';
COMMENT ON COLUMN quota.distribution_month.percent IS 'The share of the period''s amount owed in that month, in percent; within the month it is prorated like a monthly quota.';
SELECT pg_catalog.pg_extension_config_dump('quota.distribution', '');
SELECT pg_catalog.pg_extension_config_dump('quota.distribution_month', '');

CREATE FUNCTION quota.check_distribution(distribution_id text) RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    unit text;
    months integer;
    missing text;
    extra text;
    total numeric;
    mismatched text;
BEGIN
    SELECT d.period_unit INTO unit FROM quota.distribution d WHERE d.distribution_id = check_distribution.distribution_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown distribution "%"', check_distribution.distribution_id
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Add it to quota.distribution and its months to quota.distribution_month.';
    END IF;
    months := CASE unit WHEN 'quarter' THEN 3 WHEN 'half' THEN 6 ELSE 12 END;
    SELECT string_agg(m::text, ', ' ORDER BY m) INTO missing
      FROM generate_series(1, months) AS m
     WHERE NOT EXISTS (SELECT FROM quota.distribution_month dm
                        WHERE dm.distribution_id = check_distribution.distribution_id AND dm.month = m);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'distribution "%" has no percentage for month %', check_distribution.distribution_id, missing
            USING ERRCODE = 'check_violation',
                  DETAIL = format('A distribution of a %s needs months 1 to %s; a missing month is not taken as 0.', unit, months),
                  HINT = 'Add the missing months to quota.distribution_month, with percent 0 for a month that owes nothing.',
                  SCHEMA = 'quota', TABLE = 'distribution_month', CONSTRAINT = 'distribution_complete';
    END IF;
    SELECT string_agg(dm.month::text, ', ' ORDER BY dm.month) INTO extra
      FROM quota.distribution_month dm
     WHERE dm.distribution_id = check_distribution.distribution_id AND dm.month > months;
    IF extra IS NOT NULL THEN
        RAISE EXCEPTION 'distribution "%" of a % has a percentage for month %', check_distribution.distribution_id, unit, extra
            USING ERRCODE = 'check_violation',
                  DETAIL = format('A %s has %s months.', unit, months),
                  HINT = 'Delete those months, or change the distribution''s period_unit.',
                  SCHEMA = 'quota', TABLE = 'distribution_month', CONSTRAINT = 'distribution_complete';
    END IF;
    SELECT sum(dm.percent) INTO total
      FROM quota.distribution_month dm WHERE dm.distribution_id = check_distribution.distribution_id;
    IF total <> 100 THEN
        RAISE EXCEPTION 'the percentages of distribution "%" total %, not 100', check_distribution.distribution_id, total
            USING ERRCODE = 'check_violation',
                  HINT = format('Change the percentages by %s in all so that they total exactly 100.', 100 - total),
                  SCHEMA = 'quota', TABLE = 'distribution_month', CONSTRAINT = 'distribution_complete';
    END IF;
    SELECT string_agg(DISTINCT a.target::text, ', ') INTO mismatched
      FROM quota.assignment a
     WHERE a.distribution_id = check_distribution.distribution_id AND quota.unit(a.target) <> unit;
    IF mismatched IS NOT NULL THEN
        RAISE EXCEPTION 'distribution "%" spreads a %, but assignments naming it have quotas of another unit',
                        check_distribution.distribution_id, unit
            USING ERRCODE = 'check_violation',
                  DETAIL = format('Their quotas: %s.', mismatched),
                  HINT = 'A distribution spreads quotas of its own unit; keep the unit, or change those assignments first.',
                  SCHEMA = 'quota', TABLE = 'distribution', CONSTRAINT = 'distribution_complete';
    END IF;
    RETURN true;
END
$$;
COMMENT ON FUNCTION quota.check_distribution(text) IS 'Returns true when the distribution has a percentage for every month of its period and none beyond, they total exactly 100, and its assignments have quotas of its unit; raises an error saying what is wrong otherwise (23514).';

CREATE FUNCTION quota.season(distribution_id text) RETURNS numeric[]
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    -- A distribution without months is an error (quota.check_distribution
    -- says so), never an even spread.
    SELECT coalesce(array_agg(m.percent ORDER BY m.month),
                    CASE WHEN quota.check_distribution(season.distribution_id) THEN NULL::numeric[] END)
      FROM quota.distribution_month m
     WHERE m.distribution_id = season.distribution_id;
END;
COMMENT ON FUNCTION quota.season(text) IS 'The percentages of a distribution, in the order of its months, as quota.target_for takes them; an error for a distribution without months.';

CREATE FUNCTION quota.distribution_complete() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    changed text;
BEGIN
    FOREACH changed IN ARRAY ARRAY[CASE WHEN TG_OP <> 'DELETE' THEN NEW.distribution_id END,
                                   CASE WHEN TG_OP <> 'INSERT' THEN OLD.distribution_id END] LOOP
        -- A distribution deleted since (with its months) is not checked.
        IF changed IS NOT NULL AND EXISTS (SELECT FROM quota.distribution d WHERE d.distribution_id = changed) THEN
            PERFORM quota.check_distribution(changed);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION quota.distribution_complete() IS 'Deferred constraint trigger of quota.distribution and quota.distribution_month: at commit, quota.check_distribution() on every distribution that changed, so months can be entered one by one.';

-- A new distribution is not checked until it has months: pg_dump restores
-- the rows of quota.distribution before those of quota.distribution_month,
-- in another transaction.  quota.season() refuses one without months.
CREATE CONSTRAINT TRIGGER distribution_complete AFTER UPDATE ON quota.distribution
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION quota.distribution_complete();
COMMENT ON TRIGGER distribution_complete ON quota.distribution IS 'At commit: a distribution whose unit changed has every month of its new period, totalling 100.';
CREATE CONSTRAINT TRIGGER distribution_complete AFTER INSERT OR UPDATE OR DELETE ON quota.distribution_month
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION quota.distribution_complete();
COMMENT ON TRIGGER distribution_complete ON quota.distribution_month IS 'At commit: each distribution whose months changed has every month of its period, totalling 100.';

-- Ramps: factors by period since a new hire's start.

CREATE TABLE quota.ramp (
    ramp_id     text PRIMARY KEY,
    description text,
    period_unit text NOT NULL DEFAULT 'month'
        CONSTRAINT ramp_period_unit CHECK (period_unit IN ('day', 'week', 'month', 'quarter', 'half', 'year'))
);
COMMENT ON TABLE quota.ramp IS 'Ramp schedules for new hires: a factor for each period since the start (quota.ramp_step), such as 25 %, 50 %, 75 % over months 1-3; the full quota after the last step.';
COMMENT ON COLUMN quota.ramp.ramp_id IS 'Key of the ramp, chosen by the user.';
COMMENT ON COLUMN quota.ramp.description IS 'What the ramp is for.';
COMMENT ON COLUMN quota.ramp.period_unit IS 'The periods the steps count: month by default.';

CREATE TABLE quota.ramp_step (
    ramp_id text NOT NULL REFERENCES quota.ramp ON DELETE CASCADE,
    step    integer NOT NULL CONSTRAINT ramp_step_step CHECK (step >= 1),
    factor  numeric NOT NULL CONSTRAINT ramp_step_factor CHECK (factor >= 0 AND factor < 'Infinity'),
    PRIMARY KEY (ramp_id, step)
);
COMMENT ON TABLE quota.ramp_step IS 'The factor of each step of a ramp. At commit the steps of a ramp are 1, 2, ... with none missing.';
COMMENT ON COLUMN quota.ramp_step.ramp_id IS 'The ramp.';
COMMENT ON COLUMN quota.ramp_step.step IS 'The period since the start: 1 for the period the rep starts in (see quota.ramp_partial_period), 2 for the next...';
COMMENT ON COLUMN quota.ramp_step.factor IS 'What the target of the step''s days is multiplied by: 0.25 for 25 %.';
SELECT pg_catalog.pg_extension_config_dump('quota.ramp', '');
SELECT pg_catalog.pg_extension_config_dump('quota.ramp_step', '');

CREATE FUNCTION quota.check_ramp(ramp_id text) RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    steps integer;
    last_step integer;
BEGIN
    IF NOT EXISTS (SELECT FROM quota.ramp r WHERE r.ramp_id = check_ramp.ramp_id) THEN
        RAISE EXCEPTION 'unknown ramp "%"', check_ramp.ramp_id
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Add it to quota.ramp and its steps to quota.ramp_step.';
    END IF;
    SELECT count(*), max(s.step) INTO steps, last_step FROM quota.ramp_step s WHERE s.ramp_id = check_ramp.ramp_id;
    IF steps = 0 THEN
        RAISE EXCEPTION 'ramp "%" has no steps', check_ramp.ramp_id
            USING ERRCODE = 'check_violation',
                  HINT = 'Add its factors to quota.ramp_step, from step 1, or delete the ramp.',
                  SCHEMA = 'quota', TABLE = 'ramp_step', CONSTRAINT = 'ramp_steps_complete';
    ELSIF steps <> last_step THEN
        RAISE EXCEPTION 'ramp "%" is missing step %', check_ramp.ramp_id,
                        (SELECT min(n) FROM generate_series(1, last_step) AS n
                          WHERE NOT EXISTS (SELECT FROM quota.ramp_step s WHERE s.ramp_id = check_ramp.ramp_id AND s.step = n))
            USING ERRCODE = 'check_violation',
                  DETAIL = format('Its steps run to %s but only %s are given.', last_step, steps),
                  HINT = 'Number the steps 1, 2, 3... without gaps.',
                  SCHEMA = 'quota', TABLE = 'ramp_step', CONSTRAINT = 'ramp_steps_complete';
    END IF;
    RETURN true;
END
$$;
COMMENT ON FUNCTION quota.check_ramp(text) IS 'Returns true when the ramp has steps 1 to n without gaps; raises an error saying what is wrong otherwise (23514), or 22023 for an unknown ramp.';

CREATE FUNCTION quota.ramp_factors(ramp_id text) RETURNS numeric[]
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    -- A ramp without steps is an error (quota.check_ramp says so), never
    -- the full quota.
    SELECT coalesce(array_agg(s.factor ORDER BY s.step),
                    CASE WHEN quota.check_ramp(ramp_factors.ramp_id) THEN NULL::numeric[] END)
      FROM quota.ramp_step s
     WHERE s.ramp_id = ramp_factors.ramp_id;
END;
COMMENT ON FUNCTION quota.ramp_factors(text) IS 'The factors of a ramp, in the order of its steps, as quota.target_for takes them; an error for a ramp without steps.';

CREATE FUNCTION quota.ramp_unit(ramp_id text) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.period_unit FROM quota.ramp r WHERE r.ramp_id = ramp_unit.ramp_id;
END;
COMMENT ON FUNCTION quota.ramp_unit(text) IS 'The unit of the periods a ramp''s steps count.';

CREATE FUNCTION quota.ramp_steps_complete() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    changed text;
BEGIN
    FOREACH changed IN ARRAY ARRAY[CASE WHEN TG_OP <> 'DELETE' THEN NEW.ramp_id END,
                                   CASE WHEN TG_OP <> 'INSERT' THEN OLD.ramp_id END] LOOP
        -- A ramp deleted since (with its steps) is not checked.
        IF changed IS NOT NULL AND EXISTS (SELECT FROM quota.ramp r WHERE r.ramp_id = changed) THEN
            PERFORM quota.check_ramp(changed);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION quota.ramp_steps_complete() IS 'Deferred constraint trigger of quota.ramp_step: at commit, quota.check_ramp() on every ramp whose steps changed.';

-- A new ramp is not checked until it has steps: pg_dump restores the rows
-- of quota.ramp before those of quota.ramp_step, in another transaction.
-- quota.ramp_factors() refuses one without steps.
CREATE CONSTRAINT TRIGGER ramp_steps_complete AFTER INSERT OR UPDATE OR DELETE ON quota.ramp_step
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION quota.ramp_steps_complete();
COMMENT ON TRIGGER ramp_steps_complete ON quota.ramp_step IS 'At commit: each ramp whose steps changed has steps 1 to n without gaps.';

-- Assignments name a ramp and a distribution (the columns are in model.sql).

ALTER TABLE quota.assignment
    ADD CONSTRAINT assignment_ramp_id_fkey FOREIGN KEY (ramp_id) REFERENCES quota.ramp,
    ADD CONSTRAINT assignment_distribution_id_fkey FOREIGN KEY (distribution_id) REFERENCES quota.distribution;

CREATE FUNCTION quota.assignment_distribution_unit() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    unit text;
BEGIN
    SELECT d.period_unit INTO unit FROM quota.distribution d WHERE d.distribution_id = NEW.distribution_id;
    IF FOUND AND unit <> quota.unit(NEW.target) THEN
        RAISE EXCEPTION 'distribution "%" spreads a %, not a %', NEW.distribution_id, unit, quota.unit(NEW.target)
            USING ERRCODE = 'check_violation',
                  DETAIL = format('The assignment''s quota is %s.', NEW.target),
                  HINT = format('Name a distribution of quotas per %s, or none.', quota.unit(NEW.target)),
                  SCHEMA = 'quota', TABLE = 'assignment', COLUMN = 'distribution_id', CONSTRAINT = 'assignment_distribution_unit';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION quota.assignment_distribution_unit() IS 'Trigger of quota.assignment: the distribution named spreads quotas of the assignment''s unit.';

CREATE TRIGGER assignment_distribution_unit BEFORE INSERT OR UPDATE OF target, distribution_id ON quota.assignment
    FOR EACH ROW WHEN (NEW.distribution_id IS NOT NULL)
    EXECUTE FUNCTION quota.assignment_distribution_unit();

-- The schedule of an assignment: what quota.target_for and quota.elapsed
-- take besides the quota.

CREATE FUNCTION quota.schedule(team_id text, ramp_id text, distribution_id text)
    RETURNS TABLE (holidays date[], season numeric[], ramp numeric[], ramp_unit text)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN quota.proration() = 'business_days' THEN quota.holidays(schedule.team_id) END,
           quota.season(schedule.distribution_id),
           quota.ramp_factors(schedule.ramp_id),
           quota.ramp_unit(schedule.ramp_id);
END;
COMMENT ON FUNCTION quota.schedule(text, text, text) IS 'One row: the holidays (with quota.proration = business_days) of a team, the percentages of a distribution and the factors and unit of a ramp, NULL where there are none, for quota.target_for and quota.elapsed.';

-- Trigger functions are the extension's own: nobody else may attach them
-- to a table (firing them needs no privilege).
REVOKE EXECUTE ON FUNCTION quota.distribution_complete(), quota.ramp_steps_complete(), quota.assignment_distribution_unit() FROM PUBLIC;
