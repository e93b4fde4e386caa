-- quota_ext 0.1 -> 0.2: plans.  Effective-dated quota changes and their
-- history, ramps for new hires, seasonal distributions, business days and
-- holidays, and split credit of one activity among several reps.

\echo Use "ALTER EXTENSION quota_ext UPDATE TO '0.2'" to load this file. \quit

-- Everything below names its schema; nothing resolves through the caller's
-- search_path.
SET LOCAL search_path = pg_catalog, pg_temp;

-- Proration on a schedule (src/proration.c).  Each day of a period weighs
-- 1 (quota.proration = calendar_days) or 1 on Monday to Friday less holidays
-- (business_days); a seasonal distribution shares a period among its months
-- by percentages; a ramp scales the days of each of its steps by a factor.

CREATE FUNCTION quota.proration() RETURNS text
    AS 'MODULE_PATHNAME', 'proration'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.proration() IS 'The setting quota.proration: calendar_days (every day weighs the same) or business_days (Monday to Friday less holidays).';

COMMENT ON FUNCTION quota.target_for(quota.quota, daterange) IS
	'Returns the exact target of the quota over the bounded date range: for each period p of its unit, amount * days(p within the range) / days(p), summed, counting the days of quota.proration (calendar days, or Monday to Friday); 0 for an empty range.';
COMMENT ON FUNCTION quota.elapsed(daterange, timestamptz, text) IS
	'Returns the fraction (0 to 1) of the date window elapsed at the moment, on the wall clock of the time zone: every calendar day weighing the same, or with quota.proration = business_days every day from Monday to Friday.';

CREATE FUNCTION quota.target_for(target quota.quota, during daterange, holidays date[],
                                 season numeric[] DEFAULT NULL, ramp_start date DEFAULT NULL,
                                 ramp numeric[] DEFAULT NULL, ramp_unit text DEFAULT 'month')
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'quota_target_for_schedule'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION quota.target_for(quota.quota, daterange, date[], numeric[], date, numeric[], text) IS
	'Returns the exact target of the quota over the bounded date range on a schedule: each period p owes amount * weight(p within the range) / weight(p), where a day weighs 1 (quota.proration = business_days: Monday to Friday, not in holidays), the season (percentages of each month of a quarter, half or year, totalling 100) shares the period among its months, and the ramp multiplies the days of step k (the k-th period of ramp_unit from ramp_start) by its k-th factor, 0 before ramp_start and 1 after the last step. NULL arguments are none; NULL for a NULL target or range.';

CREATE FUNCTION quota.elapsed(during daterange, at timestamptz, time_zone text, target quota.quota,
                              holidays date[], season numeric[] DEFAULT NULL, ramp_start date DEFAULT NULL,
                              ramp numeric[] DEFAULT NULL, ramp_unit text DEFAULT 'month')
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'elapsed_fraction_schedule'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION quota.elapsed(daterange, timestamptz, text, quota.quota, date[], numeric[], date, numeric[], text) IS
	'Returns the fraction (0 to 1) of the target of the window due at the moment, on the wall clock of the time zone: the weight of its days before that day plus the day''s weight times the part of it gone, over the weight of the window, with the weights of quota.target_for on the same schedule; by calendar time when the window weighs nothing. NULL for a NULL window, moment, zone or target.';

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

-- Assignments name a ramp and a distribution.

ALTER TABLE quota.assignment
    ADD COLUMN ramp_id text REFERENCES quota.ramp,
    ADD COLUMN ramp_start date,
    ADD COLUMN distribution_id text REFERENCES quota.distribution,
    ADD CONSTRAINT assignment_ramp_start CHECK ((ramp_id IS NULL) = (ramp_start IS NULL) AND isfinite(ramp_start));
COMMENT ON COLUMN quota.assignment.valid IS 'Dates on which the quota applies, [start, end); the end may be open. Partial periods are prorated by the days of quota.proration (calendar days or business days).';
COMMENT ON COLUMN quota.assignment.ramp_id IS 'The ramp that scales the target of each period since ramp_start, or NULL.';
COMMENT ON COLUMN quota.assignment.ramp_start IS 'The day the ramp starts (the rep''s start), set exactly when ramp_id is; days before it owe nothing.';
COMMENT ON COLUMN quota.assignment.distribution_id IS 'The seasonal distribution that shares each period among its months instead of by days, or NULL; its unit must be the quota''s.';

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

-- Split credit: one activity shared among reps by percentage.

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

CREATE TRIGGER activity_credit_totals_insert AFTER INSERT ON quota.activity_credit
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quota.activity_totals();
CREATE TRIGGER activity_credit_totals_update AFTER UPDATE ON quota.activity_credit
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quota.activity_totals();
CREATE TRIGGER activity_credit_totals_delete AFTER DELETE ON quota.activity_credit
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION quota.activity_totals();
CREATE TRIGGER activity_credit_totals_truncate AFTER TRUNCATE ON quota.activity_credit
    FOR EACH STATEMENT EXECUTE FUNCTION quota.activity_totals();
COMMENT ON FUNCTION quota.activity_totals() IS 'Statement trigger of quota.activity and quota.activity_credit: checks the changed rows and folds them into quota.daily_total (a credit moves its qty from the activity''s rep to the rep credited); after an update of activity, brings its credits up to date.';

-- Roles that could read progress keep reading it: progress now reads the
-- credits of activity and the ramps, distributions and holidays of
-- assignments.
DO $$
DECLARE
    grant_to record;
BEGIN
    FOR grant_to IN
        SELECT DISTINCT g.grantee::regrole::text AS reader, t.new_table
          FROM (VALUES ('quota.activity', 'quota.activity_credit'),
                       ('quota.assignment', 'quota.ramp'),
                       ('quota.assignment', 'quota.ramp_step'),
                       ('quota.assignment', 'quota.distribution'),
                       ('quota.assignment', 'quota.distribution_month'),
                       ('quota.assignment', 'quota.holiday')) AS t(old_table, new_table)
          JOIN pg_catalog.pg_class c ON c.oid = t.old_table::pg_catalog.regclass
         CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) AS g
         WHERE g.privilege_type = 'SELECT' AND g.grantee <> c.relowner AND g.grantee <> 0
    LOOP
        EXECUTE pg_catalog.format('GRANT SELECT ON %s TO %s', grant_to.new_table, grant_to.reader);
    END LOOP;
END
$$;

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
    SELECT c.activity_id, r.rep_id, quota.period_start('day', c.occurred_at, r.time_zone) AS day INTO credit
      FROM quota.activity_credit c
      JOIN quota.rep r ON r.rep_id IN (c.rep_id, c.from_rep_id)
     WHERE quota.period_start('day', c.occurred_at, r.time_zone) <= closed
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

CREATE OR REPLACE FUNCTION quota.close_period(through date) RETURNS date
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    closed date;
BEGIN
    IF through IS NULL OR NOT isfinite(through) THEN
        RAISE EXCEPTION 'cannot close the periods through %', coalesce(through::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give the last day to close, such as ''2026-10-31''.';
    END IF;
    -- Waits for writers of activity and credits in flight and holds new
    -- ones (and other closes) until this commits, so that nothing slips
    -- into the period while it closes.
    LOCK TABLE quota.activity, quota.activity_credit IN SHARE ROW EXCLUSIVE MODE;
    SELECT max(closed_through) INTO closed FROM quota.period_close;
    IF closed >= through THEN
        RAISE EXCEPTION 'periods are already closed through %', closed
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = format('quota.close_period(%L) would not close anything new.', through),
                  HINT = 'Closing is final; give a later day to close more.';
    END IF;
    INSERT INTO quota.period_close (closed_through) VALUES (through);
    RETURN through;
END
$$;

-- Every credited quantity, for rebuilding and verifying the totals: the
-- activity in full to its rep, each credit moved from it to the rep credited.

CREATE FUNCTION quota.credited()
    RETURNS TABLE (rep_id text, kind text, occurred_at timestamptz, qty numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT a.rep_id, a.kind, a.occurred_at, a.qty FROM quota.activity a
    UNION ALL
    SELECT c.rep_id, c.kind, c.occurred_at, c.qty FROM quota.activity_credit c
    UNION ALL
    SELECT c.from_rep_id, c.kind, c.occurred_at, -c.qty FROM quota.activity_credit c;
END;
COMMENT ON FUNCTION quota.credited() IS 'Every quantity credited to a rep: each activity to its own rep, plus each credit to the rep credited and less the same from the activity''s rep.';

CREATE OR REPLACE FUNCTION quota.rebuild(rep_id text DEFAULT NULL) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    written bigint;
BEGIN
    -- Holds writers of activity and credits, and other rebuilds, until this commits.
    LOCK TABLE quota.activity, quota.activity_credit IN SHARE ROW EXCLUSIVE MODE;
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

CREATE OR REPLACE FUNCTION quota.verify()
    RETURNS TABLE (rep_id text, kind text, day date, total numeric, recount numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH totals AS (
        SELECT t.rep_id, t.kind, t.day, sum(t.qty) AS qty
          FROM quota.daily_total t
         GROUP BY t.rep_id, t.kind, t.day
    ), recount AS (
        SELECT c.rep_id, c.kind, quota.period_start('day', c.occurred_at, r.time_zone) AS day, sum(c.qty) AS qty
          FROM quota.credited() c JOIN quota.rep r ON r.rep_id = c.rep_id
         GROUP BY 1, 2, 3
    )
    SELECT coalesce(t.rep_id, c.rep_id), coalesce(t.kind, c.kind), coalesce(t.day, c.day),
           coalesce(t.qty, 0), coalesce(c.qty, 0)
      FROM totals t FULL JOIN recount c ON c.rep_id = t.rep_id AND c.kind = t.kind AND c.day = t.day
     WHERE coalesce(t.qty, 0) <> coalesce(c.qty, 0)
     ORDER BY 1, 2, 3;
END;
COMMENT ON FUNCTION quota.verify() IS 'Rows where the daily totals disagree with a recount of quota.activity and its credits; empty when healthy.';

CREATE OR REPLACE FUNCTION quota.rep_actual(rep_id text, time_zone text, kind text, during daterange, as_of timestamptz)
    RETURNS TABLE (qty numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- The daily totals through as_of's day (in the rep's time zone), less
    -- what was credited that day at or after as_of (the rep's activity and
    -- the shares credited to the rep, less the shares credited away), which
    -- for as_of = now() is next to none.  The sums stay subqueries in FROM,
    -- so each runs once per call.
    SELECT coalesce(through_today.qty, 0) - coalesce(after_as_of.qty, 0)
           - coalesce(credited_after.qty, 0) + coalesce(credited_away_after.qty, 0)
      FROM quota.period_start('day', rep_actual.as_of, rep_actual.time_zone) AS local(today),
           LATERAL (SELECT sum(d.qty) AS qty
                      FROM quota.daily_total d
                     WHERE d.rep_id = rep_actual.rep_id AND d.kind = rep_actual.kind
                       AND d.day >= lower(rep_actual.during)
                       AND d.day < least(upper(rep_actual.during), local.today + 1)) AS through_today,
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

-- The figures of a period that knows whether it has ended: with business
-- days, the whole target can be due (elapsed 1) on a weekend before the
-- period ends, which is not yet missed.

CREATE FUNCTION quota.figures(target numeric, actual numeric, elapsed numeric, ended boolean)
    RETURNS TABLE (
        target numeric, actual numeric, attainment numeric,
        shortfall numeric, surplus numeric, met boolean,
        elapsed numeric, expected_to_date numeric, projected numeric, pace numeric,
        status text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT f.target, f.actual, f.attainment, f.shortfall, f.surplus, f.met,
           f.elapsed, f.expected_to_date, f.projected, f.pace,
           CASE WHEN f.status = 'missed' AND NOT figures.ended THEN 'behind'
                WHEN f.status <> 'met' AND figures.ended THEN 'missed'
                ELSE f.status END
      FROM quota.figures(figures.target, figures.actual, figures.elapsed) AS f;
END;
COMMENT ON FUNCTION quota.figures(numeric, numeric, numeric, boolean) IS 'One row: the figures of quota.figures(target, actual, elapsed), with the status of a period that has ended or not: missed only once it has ended unmet, behind while it runs with less than the target done however much of it is due.';

-- Progress follows the schedule of each assignment, and gives one row per
-- rep, kind, unit and period however many assignments meet it (a quota
-- changed mid-period is prorated across the change).

CREATE OR REPLACE FUNCTION quota.progress_as_of(as_of timestamptz)
    RETURNS TABLE (
        rep_id text, team_id text, kind text, period_unit text,
        period_start date, period_end date,
        target numeric, actual numeric, attainment numeric,
        shortfall numeric, surplus numeric, met boolean,
        elapsed numeric, expected_to_date numeric, projected numeric, pace numeric,
        status text, attainment_rank integer, shortfall_rank integer)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT g.rep_id, g.team_id, g.kind, g.period_unit, g.period_start, g.period_end,
           f.target, f.actual, f.attainment, f.shortfall, f.surplus, f.met,
           f.elapsed, f.expected_to_date, f.projected, f.pace, f.status,
           CASE WHEN g.target > 0 THEN
               rank() OVER (PARTITION BY g.kind, g.period_unit, g.period_start, g.target > 0
                            ORDER BY quota.attainment(g.actual, g.target) DESC)::integer END,
           CASE WHEN g.actual < g.target THEN
               rank() OVER (PARTITION BY g.kind, g.period_unit, g.period_start, g.actual < g.target
                            ORDER BY g.target - g.actual DESC)::integer END
      FROM (SELECT a.rep_id, r.team_id, a.kind, quota.unit(a.target) AS period_unit,
                   lower(p.period) AS period_start, upper(p.period) AS period_end,
                   sum(t.target) AS target,
                   sum(act.qty) AS actual,
                   -- One assignment: its elapsed fraction.  Several (a change
                   -- mid-period): the part of their summed target due by now,
                   -- or of their days when they owe nothing.
                   CASE WHEN count(*) = 1 THEN min(t.elapsed)
                        ELSE coalesce(sum(t.target * t.elapsed) / nullif(sum(t.target), 0),
                                      sum(t.days * t.elapsed) / sum(t.days)) END AS elapsed,
                   bool_and(local.today >= upper(w.part)) AS ended
              FROM quota.assignment a
              JOIN quota.rep r ON r.rep_id = a.rep_id
             CROSS JOIN LATERAL quota.schedule(r.team_id, a.ramp_id, a.distribution_id) AS s
             CROSS JOIN LATERAL quota.period_start('day', progress_as_of.as_of, r.time_zone) AS local(today)
             CROSS JOIN LATERAL quota.periods(quota.unit(a.target),
                                              a.valid * daterange(NULL, quota.period_end(quota.unit(a.target), local.today))) AS p(period)
             CROSS JOIN LATERAL (SELECT p.period * a.valid) AS w(part)
             CROSS JOIN LATERAL (SELECT quota.target_for(a.target, w.part, s.holidays, s.season,
                                                         a.ramp_start, s.ramp, s.ramp_unit),
                                        quota.elapsed(w.part, progress_as_of.as_of, r.time_zone, a.target,
                                                      s.holidays, s.season, a.ramp_start, s.ramp, s.ramp_unit),
                                        upper(w.part) - lower(w.part)) AS t(target, elapsed, days)
             CROSS JOIN LATERAL quota.rep_actual(a.rep_id, r.time_zone, a.kind, w.part, progress_as_of.as_of) AS act
             GROUP BY a.rep_id, r.team_id, a.kind, quota.unit(a.target), p.period
           ) AS g
     CROSS JOIN LATERAL quota.figures(g.target, g.actual, g.elapsed, g.ended) AS f
     WHERE progress_as_of.as_of IS NOT NULL;  -- no moment, no rows (checked once, first)
END;
COMMENT ON FUNCTION quota.progress_as_of(timestamptz) IS 'Progress of every rep and kind in every period of the unit of its quotas, from the first period of its assignments through the one containing as_of (in the rep''s time zone): target (prorated across quota changes, on the schedule of quota.proration, ramps and distributions), actual (with split credit), attainment, shortfall, pace and ranks. Filters on kind and period_start reach the computation.';
COMMENT ON VIEW quota.progress IS 'Progress of every rep, kind and period up to now: quota.progress_as_of(now()).';
COMMENT ON COLUMN quota.progress.target IS 'Target for the period: the sum over the rep''s assignments of the kind that meet it, each prorated by the days of quota.proration it covers, shared by its distribution and scaled by its ramp; 2 decimals.';
COMMENT ON COLUMN quota.progress.actual IS 'Quantity credited to the rep (split credit counted by share) in the assignments'' part of the period before the moment of the report.';
COMMENT ON COLUMN quota.progress.elapsed IS 'Fraction of the target due by the moment of the report, on the rep''s wall clock (the elapsed days of the assignments'' part of the period, weighted as the target is), 0 to 1; 4 decimals.';

CREATE OR REPLACE FUNCTION quota.team_progress_as_of(as_of timestamptz)
    RETURNS TABLE (
        team_id text, parent_id text, kind text, period_unit text,
        period_start date, period_end date,
        target numeric, actual numeric, attainment numeric,
        shortfall numeric, surplus numeric, met boolean,
        elapsed numeric, expected_to_date numeric, projected numeric, pace numeric,
        status text, attainment_rank integer, shortfall_rank integer,
        members integer, sibling_rank integer)
    LANGUAGE sql STABLE PARALLEL SAFE
    -- Teams are few, so this runs as a whole rather than inlined; estimates
    -- over the recursive hierarchy are far too high and would start JIT
    -- compilation that costs more than the query.
    SET jit = off
BEGIN ATOMIC
    WITH own_part AS (
        -- The periods of the teams' own assignments, in the team's time zone
        -- and on its schedule; every rep of the team and its sub-teams counts.
        SELECT a.team_id, a.kind, quota.unit(a.target) AS period_unit, p.period,
               quota.target_for(a.target, p.period * a.valid, s.holidays, s.season,
                                a.ramp_start, s.ramp, s.ramp_unit) AS target,
               quota.elapsed(p.period * a.valid, team_progress_as_of.as_of, t.time_zone, a.target,
                             s.holidays, s.season, a.ramp_start, s.ramp, s.ramp_unit) AS elapsed,
               upper(p.period * a.valid) - lower(p.period * a.valid) AS days,
               local.today >= upper(p.period * a.valid) AS ended,
               coalesce(act.qty, 0) AS actual, act.members
          FROM quota.assignment a
          JOIN quota.team t ON t.team_id = a.team_id
         CROSS JOIN LATERAL quota.schedule(t.team_id, a.ramp_id, a.distribution_id) AS s
         CROSS JOIN LATERAL quota.period_start('day', team_progress_as_of.as_of, t.time_zone) AS local(today)
         CROSS JOIN LATERAL quota.periods(quota.unit(a.target),
                                          a.valid * daterange(NULL, quota.period_end(quota.unit(a.target), local.today))) AS p(period)
         CROSS JOIN LATERAL (
                SELECT sum(ra.qty) AS qty, count(*)::integer AS members
                  FROM quota.team_members() m
                  JOIN quota.rep r ON r.rep_id = m.rep_id
                 CROSS JOIN LATERAL quota.rep_actual(m.rep_id, r.time_zone, a.kind, p.period * a.valid,
                                                     team_progress_as_of.as_of) AS ra
                 WHERE m.team_id = a.team_id) AS act
    ), own AS (
        SELECT o.team_id, o.kind, o.period_unit, o.period,
               sum(o.target) AS target, sum(o.actual) AS actual, max(o.members) AS members,
               CASE WHEN count(*) = 1 THEN min(o.elapsed)
                    ELSE coalesce(sum(o.target * o.elapsed) / nullif(sum(o.target), 0),
                                  sum(o.days * o.elapsed) / sum(o.days)) END AS elapsed,
               bool_and(o.ended) AS ended
          FROM own_part o
         GROUP BY o.team_id, o.kind, o.period_unit, o.period
    ), from_members AS (
        -- Where a team has no quota of its own for a kind, unit and period,
        -- it is the sum of its members' rows: their targets, their actuals,
        -- counted by the members who hold such a quota; the period elapses
        -- on the team's clock and holidays, weighted by the members' targets.
        SELECT m.team_id, a.kind, quota.unit(a.target) AS period_unit, p.period,
               sum(tf.target) AS target, sum(ra.qty) AS actual, count(DISTINCT m.rep_id)::integer AS members,
               CASE WHEN count(*) = 1 THEN min(tf.elapsed)
                    ELSE coalesce(sum(tf.target * tf.elapsed) / nullif(sum(tf.target), 0), min(tf.team_elapsed)) END AS elapsed,
               bool_and(team_local.today >= upper(p.period)) AS ended
          FROM quota.team_members() m
          JOIN quota.team t ON t.team_id = m.team_id
         CROSS JOIN LATERAL quota.period_start('day', team_progress_as_of.as_of, t.time_zone) AS team_local(today)
          JOIN quota.rep r ON r.rep_id = m.rep_id
          JOIN quota.assignment a ON a.rep_id = m.rep_id
         CROSS JOIN LATERAL quota.schedule(r.team_id, a.ramp_id, a.distribution_id) AS s
         CROSS JOIN LATERAL quota.period_start('day', team_progress_as_of.as_of, r.time_zone) AS local(today)
         CROSS JOIN LATERAL quota.periods(quota.unit(a.target),
                                          a.valid * daterange(NULL, quota.period_end(quota.unit(a.target), local.today))) AS p(period)
         CROSS JOIN LATERAL (
                SELECT quota.target_for(a.target, p.period * a.valid, s.holidays, s.season,
                                        a.ramp_start, s.ramp, s.ramp_unit),
                       quota.elapsed(p.period, team_progress_as_of.as_of, t.time_zone, a.target,
                                     th.holidays, s.season, a.ramp_start, s.ramp, s.ramp_unit),
                       quota.elapsed(p.period, team_progress_as_of.as_of, t.time_zone, a.target, th.holidays)
                  FROM quota.schedule(t.team_id, NULL, NULL) AS th) AS tf(target, elapsed, team_elapsed)
         CROSS JOIN LATERAL quota.rep_actual(m.rep_id, r.time_zone, a.kind, p.period * a.valid,
                                             team_progress_as_of.as_of) AS ra
         WHERE NOT EXISTS (SELECT FROM own o
                            WHERE o.team_id = m.team_id AND o.kind = a.kind
                              AND o.period_unit = quota.unit(a.target) AND o.period = p.period)
         GROUP BY m.team_id, a.kind, quota.unit(a.target), p.period
    ), team_period AS (
        SELECT o.team_id, o.kind, o.period_unit, o.period, o.target, o.actual, o.members, o.elapsed, o.ended FROM own o
        UNION ALL
        SELECT f.team_id, f.kind, f.period_unit, f.period, f.target, f.actual, f.members, f.elapsed, f.ended FROM from_members f
    )
    SELECT p.team_id, p.parent_id, p.kind, p.period_unit, p.period_start, p.period_end,
           f.target, f.actual, f.attainment, f.shortfall, f.surplus, f.met,
           f.elapsed, f.expected_to_date, f.projected, f.pace, f.status,
           CASE WHEN p.target > 0 THEN
               rank() OVER (PARTITION BY p.kind, p.period_unit, p.period_start, p.target > 0
                            ORDER BY quota.attainment(p.actual, p.target) DESC)::integer END,
           CASE WHEN p.actual < p.target THEN
               rank() OVER (PARTITION BY p.kind, p.period_unit, p.period_start, p.actual < p.target
                            ORDER BY p.target - p.actual DESC)::integer END,
           p.members,
           CASE WHEN p.target > 0 THEN
               rank() OVER (PARTITION BY p.kind, p.period_unit, p.period_start, p.parent_id, p.target > 0
                            ORDER BY quota.attainment(p.actual, p.target) DESC)::integer END
      FROM (SELECT tp.team_id, t.parent_id, tp.kind, tp.period_unit,
                   lower(tp.period) AS period_start, upper(tp.period) AS period_end,
                   tp.target, tp.actual, tp.members, tp.elapsed, tp.ended
              FROM team_period tp
              JOIN quota.team t ON t.team_id = tp.team_id
           ) AS p
     CROSS JOIN LATERAL quota.figures(p.target, p.actual, p.elapsed, p.ended) AS f
     WHERE team_progress_as_of.as_of IS NOT NULL;  -- no moment, no rows (checked once, first)
END;

CREATE OR REPLACE FUNCTION quota.scoreboard_as_of(as_of timestamptz, unit text DEFAULT 'month')
    RETURNS TABLE (
        rep_id text, team_id text, period_start date, period_end date,
        kinds integer, score numeric, met_all boolean,
        rank integer, over_quota_rank integer)
    LANGUAGE sql STABLE PARALLEL SAFE
    -- Scores are computed for every rep and period at once, so this runs as
    -- a whole rather than inlined; the estimates over the assignments'
    -- periods and the per-period actuals would start JIT compilation that
    -- costs more than the query.
    SET jit = off
BEGIN ATOMIC
    SELECT s.rep_id, s.team_id, s.period_start, s.period_end, s.kinds,
           s.score, s.met_all,
           rank() OVER (PARTITION BY s.period_start ORDER BY s.score DESC NULLS LAST)::integer,
           CASE WHEN s.met_all THEN
               rank() OVER (PARTITION BY s.period_start, s.met_all ORDER BY s.score DESC NULLS LAST)::integer END
      FROM (SELECT k.rep_id, k.team_id, lower(k.period) AS period_start, upper(k.period) AS period_end,
                   count(*)::integer AS kinds,
                   -- Rounded before ranking: equal scores shown are one rank.
                   round(sum(k.weight * least(k.actual / k.target, quota.score_cap()))
                         / nullif(sum(k.weight), 0), 4) AS score,
                   bool_and(k.actual >= k.target) AS met_all
              FROM (-- Per rep, period of the unit and kind: the targets of the
                    -- rep's assignments over the period on their schedules,
                    -- and the actual of the days they cover.
                    SELECT a.rep_id, r.team_id, a.kind, p.period, ak.weight,
                           sum(quota.target_for(a.target, p.period * a.valid, sc.holidays, sc.season,
                                                a.ramp_start, sc.ramp, sc.ramp_unit)) AS target,
                           sum(act.qty) AS actual
                      FROM quota.assignment a
                      JOIN quota.rep r ON r.rep_id = a.rep_id
                      JOIN quota.activity_kind ak ON ak.kind = a.kind
                     CROSS JOIN LATERAL quota.schedule(r.team_id, a.ramp_id, a.distribution_id) AS sc
                     CROSS JOIN LATERAL quota.period_start('day', scoreboard_as_of.as_of, r.time_zone) AS local(today)
                     CROSS JOIN LATERAL quota.periods(scoreboard_as_of.unit,
                                                      a.valid * daterange(NULL, quota.period_end(scoreboard_as_of.unit, local.today))) AS p(period)
                     CROSS JOIN LATERAL quota.rep_actual(a.rep_id, r.time_zone, a.kind, p.period * a.valid,
                                                         scoreboard_as_of.as_of) AS act
                     GROUP BY a.rep_id, r.team_id, a.kind, p.period, ak.weight
                   ) AS k
             WHERE k.target > 0
             GROUP BY k.rep_id, k.team_id, k.period
           ) AS s
     -- Evaluated once, before any row: an unknown unit is an error even
     -- when there is nothing to report, and no moment gives no rows.
     WHERE quota.period_start(scoreboard_as_of.unit, date '2000-01-01') IS NOT NULL
       AND scoreboard_as_of.as_of IS NOT NULL;
END;

CREATE OR REPLACE FUNCTION quota.conversion_as_of(as_of timestamptz, unit text DEFAULT 'month')
    RETURNS TABLE (
        rep_id text, team_id text, period_start date, period_end date,
        effort numeric, outcome_kind text, outcomes numeric, rate numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH rep_day AS (
        SELECT r.rep_id, r.team_id, r.time_zone,
               quota.period_start('day', conversion_as_of.as_of, r.time_zone) AS today
          FROM quota.rep r
    ), by_kind AS (
        -- Whole days before as_of's day from the totals, that day from the
        -- rows and their credits.
        SELECT rd.rep_id, rd.team_id, d.kind, quota.period(conversion_as_of.unit, d.day) AS period, d.qty
          FROM rep_day rd
          JOIN quota.daily_total d ON d.rep_id = rd.rep_id AND d.day < rd.today
        UNION ALL
        SELECT rd.rep_id, rd.team_id, x.kind, quota.period(conversion_as_of.unit, rd.today), x.qty
          FROM rep_day rd
          JOIN (SELECT a.rep_id, a.kind, a.occurred_at, a.qty FROM quota.activity a
                UNION ALL
                SELECT c.rep_id, c.kind, c.occurred_at, c.qty FROM quota.activity_credit c
                UNION ALL
                SELECT c.from_rep_id, c.kind, c.occurred_at, -c.qty FROM quota.activity_credit c) AS x
            ON x.rep_id = rd.rep_id
         WHERE x.occurred_at < conversion_as_of.as_of
           AND x.occurred_at >= conversion_as_of.as_of - interval '26 hours'
           AND quota.period_start('day', x.occurred_at, rd.time_zone) = rd.today
    ), by_period AS (
        SELECT b.rep_id, b.team_id, b.period,
               coalesce(sum(b.qty) FILTER (WHERE k.role = 'effort'), 0) AS effort
          FROM by_kind b JOIN quota.activity_kind k ON k.kind = b.kind
         GROUP BY b.rep_id, b.team_id, b.period
    )
    SELECT p.rep_id, p.team_id, lower(p.period), upper(p.period), p.effort, k.kind,
           coalesce(o.qty, 0), round(coalesce(o.qty, 0) / nullif(p.effort, 0), 4)
      FROM by_period p
     CROSS JOIN quota.activity_kind k
      LEFT JOIN LATERAL (SELECT sum(b.qty) AS qty
                           FROM by_kind b
                          WHERE b.rep_id = p.rep_id AND b.period = p.period AND b.kind = k.kind) AS o ON true
     WHERE k.role = 'outcome'
       -- Evaluated once, before any row: an unknown unit is an error even
       -- when there is nothing to report.
       AND quota.period_start(conversion_as_of.unit, date '2000-01-01') IS NOT NULL;
END;
COMMENT ON FUNCTION quota.conversion_as_of(timestamptz, text) IS 'Conversion of every rep in every period of the unit (default month) with activity credited before as_of: effort (the sum over kinds whose role is effort), the outcomes of each outcome kind, and their rate, outcomes / effort (NULL without effort); split credit counts by share.';

CREATE OR REPLACE FUNCTION quota.payout_as_of(as_of timestamptz)
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
             CROSS JOIN LATERAL quota.rep_actual(a.rep_id, r.time_zone, a.kind, w.part, payout_as_of.as_of) AS act
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

-- Row-level security covers the new tables of reps' rows.

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
COMMENT ON FUNCTION quota.enable_rep_security(regrole) IS 'Enables row-level security on quota.rep, quota.assignment, quota.activity, quota.daily_total, quota.activity_credit and quota.assignment_history so that members of the role given see only the rows of the rep whose login (quota.rep.login) they are; other roles keep every row. Run again to change the role; quota.disable_rep_security() undoes it.';
-- An installation with rep security enabled gets the policies of the new tables.
UPDATE quota.rep_security SET reps_role = reps_role;

-- Functions that change data are for the owner and whom the owner grants
-- them to; trigger functions are the extension's own.
REVOKE EXECUTE ON FUNCTION quota.change_quota(text, text, quota.quota, date) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION quota.assignment_history(), quota.history_append_only(),
    quota.distribution_complete(), quota.ramp_steps_complete(), quota.assignment_distribution_unit(),
    quota.activity_credit_copied(), quota.activity_shares_total(), quota.activity_credit_truncated() FROM PUBLIC;
