-- quota_ext 0.1: activity and sales quotas inside PostgreSQL.

\echo Use "CREATE EXTENSION quota_ext" to load this file. \quit

-- Everything below names its schema; nothing resolves through the caller's
-- search_path.
SET LOCAL search_path = pg_catalog, pg_temp;

-- The quota type: a target amount per period unit, written amount/unit.

CREATE TYPE quota.quota;

CREATE FUNCTION quota.quota_in(cstring) RETURNS quota.quota
	AS 'MODULE_PATHNAME', 'quota_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_in(cstring) IS
	'text input of a quota, written amount/unit such as 150/month';

CREATE FUNCTION quota.quota_out(quota.quota) RETURNS cstring
	AS 'MODULE_PATHNAME', 'quota_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_out(quota.quota) IS
	'canonical text output of a quota, such as 50000.5/quarter';

CREATE FUNCTION quota.quota_recv(internal) RETURNS quota.quota
	AS 'MODULE_PATHNAME', 'quota_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_recv(internal) IS
	'binary input of a quota: format version, unit, numeric amount';

CREATE FUNCTION quota.quota_send(quota.quota) RETURNS bytea
	AS 'MODULE_PATHNAME', 'quota_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_send(quota.quota) IS
	'binary output of a quota: format version, unit, numeric amount';

CREATE TYPE quota.quota (
	INPUT = quota.quota_in,
	OUTPUT = quota.quota_out,
	RECEIVE = quota.quota_recv,
	SEND = quota.quota_send,
	INTERNALLENGTH = VARIABLE,
	STORAGE = extended,
	ALIGNMENT = int4
);
COMMENT ON TYPE quota.quota IS
	'a target amount per period unit (day, week, month, quarter, half, year), such as 150/month';

-- Accessors.

CREATE FUNCTION quota.amount(quota.quota) RETURNS numeric
	AS 'MODULE_PATHNAME', 'quota_amount'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.amount(quota.quota) IS
	'the amount of a quota';

CREATE FUNCTION quota.unit(quota.quota) RETURNS text
	AS 'MODULE_PATHNAME', 'quota_unit'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.unit(quota.quota) IS
	'the period unit of a quota: day, week, month, quarter, half or year';

-- Comparison: by unit (day first, year last), then by amount.

CREATE FUNCTION quota.quota_lt(quota.quota, quota.quota) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quota_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_lt(quota.quota, quota.quota) IS
	'implementation of the quota < operator';

CREATE FUNCTION quota.quota_le(quota.quota, quota.quota) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quota_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_le(quota.quota, quota.quota) IS
	'implementation of the quota <= operator';

CREATE FUNCTION quota.quota_eq(quota.quota, quota.quota) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quota_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_eq(quota.quota, quota.quota) IS
	'implementation of the quota = operator';

CREATE FUNCTION quota.quota_ne(quota.quota, quota.quota) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quota_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_ne(quota.quota, quota.quota) IS
	'implementation of the quota <> operator';

CREATE FUNCTION quota.quota_ge(quota.quota, quota.quota) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quota_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_ge(quota.quota, quota.quota) IS
	'implementation of the quota >= operator';

CREATE FUNCTION quota.quota_gt(quota.quota, quota.quota) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quota_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_gt(quota.quota, quota.quota) IS
	'implementation of the quota > operator';

CREATE FUNCTION quota.quota_cmp(quota.quota, quota.quota) RETURNS integer
	AS 'MODULE_PATHNAME', 'quota_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_cmp(quota.quota, quota.quota) IS
	'btree support: negative, zero or positive as the first quota sorts before, with or after the second';

CREATE OPERATOR quota.< (
	LEFTARG = quota.quota, RIGHTARG = quota.quota,
	FUNCTION = quota.quota_lt,
	COMMUTATOR = OPERATOR(quota.>), NEGATOR = OPERATOR(quota.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
COMMENT ON OPERATOR quota.< (quota.quota, quota.quota) IS
	'less than: shorter unit, or same unit and smaller amount';

CREATE OPERATOR quota.<= (
	LEFTARG = quota.quota, RIGHTARG = quota.quota,
	FUNCTION = quota.quota_le,
	COMMUTATOR = OPERATOR(quota.>=), NEGATOR = OPERATOR(quota.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
COMMENT ON OPERATOR quota.<= (quota.quota, quota.quota) IS
	'less than or equal';

CREATE OPERATOR quota.= (
	LEFTARG = quota.quota, RIGHTARG = quota.quota,
	FUNCTION = quota.quota_eq,
	COMMUTATOR = OPERATOR(quota.=), NEGATOR = OPERATOR(quota.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
	HASHES, MERGES
);
COMMENT ON OPERATOR quota.= (quota.quota, quota.quota) IS
	'equal: same unit and same amount';

CREATE OPERATOR quota.<> (
	LEFTARG = quota.quota, RIGHTARG = quota.quota,
	FUNCTION = quota.quota_ne,
	COMMUTATOR = OPERATOR(quota.<>), NEGATOR = OPERATOR(quota.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
COMMENT ON OPERATOR quota.<> (quota.quota, quota.quota) IS
	'not equal';

CREATE OPERATOR quota.>= (
	LEFTARG = quota.quota, RIGHTARG = quota.quota,
	FUNCTION = quota.quota_ge,
	COMMUTATOR = OPERATOR(quota.<=), NEGATOR = OPERATOR(quota.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);
COMMENT ON OPERATOR quota.>= (quota.quota, quota.quota) IS
	'greater than or equal';

CREATE OPERATOR quota.> (
	LEFTARG = quota.quota, RIGHTARG = quota.quota,
	FUNCTION = quota.quota_gt,
	COMMUTATOR = OPERATOR(quota.<), NEGATOR = OPERATOR(quota.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
COMMENT ON OPERATOR quota.> (quota.quota, quota.quota) IS
	'greater than: longer unit, or same unit and larger amount';

CREATE OPERATOR CLASS quota.quota_btree_ops
	DEFAULT FOR TYPE quota.quota USING btree AS
		OPERATOR 1 quota.<,
		OPERATOR 2 quota.<=,
		OPERATOR 3 quota.=,
		OPERATOR 4 quota.>=,
		OPERATOR 5 quota.>,
		FUNCTION 1 quota.quota_cmp(quota.quota, quota.quota);
COMMENT ON OPERATOR CLASS quota.quota_btree_ops USING btree IS
	'default btree operator class for quotas: by unit, then by amount';

-- Hashing: equal quotas hash equal.

CREATE FUNCTION quota.quota_hash(quota.quota) RETURNS integer
	AS 'MODULE_PATHNAME', 'quota_hash'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_hash(quota.quota) IS
	'hash support: 32-bit hash of a quota';

CREATE FUNCTION quota.quota_hash_extended(quota.quota, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'quota_hash_extended'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_hash_extended(quota.quota, bigint) IS
	'hash support: seeded 64-bit hash of a quota';

CREATE OPERATOR CLASS quota.quota_hash_ops
	DEFAULT FOR TYPE quota.quota USING hash AS
		OPERATOR 1 quota.=,
		FUNCTION 1 quota.quota_hash(quota.quota),
		FUNCTION 2 quota.quota_hash_extended(quota.quota, bigint);
COMMENT ON OPERATOR CLASS quota.quota_hash_ops USING hash IS
	'default hash operator class for quotas';

-- Scaling: ramps and relief multiply the amount, rounded to 4 places.

CREATE FUNCTION quota.quota_mul_numeric(quota.quota, numeric) RETURNS quota.quota
	AS 'MODULE_PATHNAME', 'quota_mul_numeric'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_mul_numeric(quota.quota, numeric) IS
	'scales the amount of a quota by a factor of zero or more, rounded half away from zero to 4 decimal places';

CREATE FUNCTION quota.numeric_mul_quota(numeric, quota.quota) RETURNS quota.quota
	AS 'MODULE_PATHNAME', 'numeric_mul_quota'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.numeric_mul_quota(numeric, quota.quota) IS
	'scales the amount of a quota by a factor of zero or more, rounded half away from zero to 4 decimal places';

CREATE OPERATOR quota.* (
	LEFTARG = quota.quota, RIGHTARG = numeric,
	FUNCTION = quota.quota_mul_numeric,
	COMMUTATOR = OPERATOR(quota.*)
);
COMMENT ON OPERATOR quota.* (quota.quota, numeric) IS
	'scales the amount of a quota';

CREATE OPERATOR quota.* (
	LEFTARG = numeric, RIGHTARG = quota.quota,
	FUNCTION = quota.numeric_mul_quota,
	COMMUTATOR = OPERATOR(quota.*)
);
COMMENT ON OPERATOR quota.* (numeric, quota.quota) IS
	'scales the amount of a quota';

-- Calendar periods, time zones and the proration of targets (src/period.c).
-- Weeks start on quota.week_start; quarters, halves and years start at the
-- month quota.fiscal_year_start.  Functions that read these settings or the
-- time zone database are STABLE.

CREATE FUNCTION quota.period_start(unit text, day date) RETURNS date
	AS 'MODULE_PATHNAME', 'period_start_day'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.period_start(text, date) IS
	'Returns the first day of the period of the unit (day, week, month, quarter, half, year) that contains the day.';

CREATE FUNCTION quota.period_end(unit text, day date) RETURNS date
	AS 'MODULE_PATHNAME', 'period_end_day'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.period_end(text, date) IS
	'Returns the exclusive end (the first day after) of the period of the unit that contains the day.';

CREATE FUNCTION quota.period(unit text, day date) RETURNS daterange
	AS 'MODULE_PATHNAME', 'period_of_day'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.period(text, date) IS
	'Returns the period of the unit that contains the day, as a daterange [start, end).';

CREATE FUNCTION quota.period_start(unit text, at timestamptz, time_zone text) RETURNS date
	AS 'MODULE_PATHNAME', 'period_start_at'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.period_start(text, timestamptz, text) IS
	'Returns the first day of the period of the unit that contains the moment, read on the wall clock of the time zone.';

CREATE FUNCTION quota.period_end(unit text, at timestamptz, time_zone text) RETURNS date
	AS 'MODULE_PATHNAME', 'period_end_at'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.period_end(text, timestamptz, text) IS
	'Returns the exclusive end of the period of the unit that contains the moment, read on the wall clock of the time zone.';

CREATE FUNCTION quota.period(unit text, at timestamptz, time_zone text) RETURNS daterange
	AS 'MODULE_PATHNAME', 'period_of_at'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.period(text, timestamptz, text) IS
	'Returns the period of the unit that contains the moment, read on the wall clock of the time zone, as a daterange.';

CREATE FUNCTION quota.periods(unit text, during daterange) RETURNS SETOF daterange
	AS 'MODULE_PATHNAME', 'periods_during'
	LANGUAGE C STABLE STRICT PARALLEL SAFE
	ROWS 12;  -- a year of months: what a quota typically spans, for the planner
COMMENT ON FUNCTION quota.periods(text, daterange) IS
	'Returns every whole period of the unit that meets the bounded date range, in order; none for an empty range.';

CREATE FUNCTION quota.target_for(target quota.quota, during daterange) RETURNS numeric
	AS 'MODULE_PATHNAME', 'quota_target_for'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.target_for(quota.quota, daterange) IS
	'Returns the exact target of the quota over the bounded date range: for each period p of its unit, amount * days(p within the range) / days(p), summed; 0 for an empty range.';

CREATE FUNCTION quota.elapsed(during daterange, at timestamptz, time_zone text) RETURNS numeric
	AS 'MODULE_PATHNAME', 'elapsed_fraction'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.elapsed(daterange, timestamptz, text) IS
	'Returns the fraction (0 to 1) of the date window elapsed at the moment, on the wall clock of the time zone, every calendar day weighing the same.';

CREATE FUNCTION quota.time_zone_valid(time_zone text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'time_zone_valid'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.time_zone_valid(text) IS
	'Returns true when the time zone is known; raises an error with a hint otherwise (for CHECK constraints).';

-- The data model: teams, reps, kinds of activity, quota assignments and the
-- activity itself, with totals kept live by statement-level triggers.

CREATE TABLE quota.team (
    team_id   text PRIMARY KEY,
    name      text NOT NULL,
    parent_id text REFERENCES quota.team,
    time_zone text NOT NULL DEFAULT 'UTC' CONSTRAINT team_time_zone_known CHECK (quota.time_zone_valid(time_zone))
);
COMMENT ON TABLE quota.team IS 'Teams of reps; teams nest through parent_id (region > team).';
COMMENT ON COLUMN quota.team.team_id IS 'Key of the team, chosen by the user.';
COMMENT ON COLUMN quota.team.name IS 'Display name of the team.';
COMMENT ON COLUMN quota.team.parent_id IS 'The team this team belongs to, or NULL for a top-level team; a cycle is rejected.';
COMMENT ON COLUMN quota.team.time_zone IS 'Time zone in which the periods of the team''s own quotas run (its members'' days follow their own zones).';

CREATE TABLE quota.rep (
    rep_id    text PRIMARY KEY,
    name      text NOT NULL,
    team_id   text REFERENCES quota.team,
    time_zone text NOT NULL DEFAULT 'UTC' CONSTRAINT rep_time_zone_known CHECK (quota.time_zone_valid(time_zone)),
    active    boolean NOT NULL DEFAULT true,
    login     name UNIQUE
);
COMMENT ON TABLE quota.rep IS 'Sales reps. Each rep''s periods and days follow the rep''s own time zone.';
COMMENT ON COLUMN quota.rep.rep_id IS 'Key of the rep, chosen by the user (an id from the CRM, say).';
COMMENT ON COLUMN quota.rep.name IS 'Display name of the rep.';
COMMENT ON COLUMN quota.rep.team_id IS 'The team the rep belongs to.';
COMMENT ON COLUMN quota.rep.time_zone IS 'Time zone of the rep''s wall clock (a pg_timezone_names name); changing it re-derives the rep''s daily totals.';
COMMENT ON COLUMN quota.rep.active IS 'False for reps who have left; their history stays.';
COMMENT ON COLUMN quota.rep.login IS 'The database role the rep logs in as, if any; with quota.enable_rep_security() that role sees only this rep''s rows.';

CREATE TABLE quota.activity_kind (
    kind        text PRIMARY KEY,
    description text,
    measure     text NOT NULL CONSTRAINT activity_kind_measure CHECK (measure IN ('count', 'amount')),
    weight      numeric NOT NULL DEFAULT 1 CONSTRAINT activity_kind_weight_not_negative CHECK (weight >= 0 AND weight < 'Infinity'),
    role        text NOT NULL DEFAULT 'effort' CONSTRAINT activity_kind_role CHECK (role IN ('effort', 'outcome'))
);
COMMENT ON TABLE quota.activity_kind IS 'What can be counted: efforts (calls, emails...) and results (opportunities, revenue...). Inserting a shipped kind again updates it.';
COMMENT ON COLUMN quota.activity_kind.kind IS 'Name of the kind, as used in quota.activity and quota.assignment.';
COMMENT ON COLUMN quota.activity_kind.description IS 'What counts as one.';
COMMENT ON COLUMN quota.activity_kind.measure IS 'count (quantities are numbers of things) or amount (quantities are money).';
COMMENT ON COLUMN quota.activity_kind.weight IS 'Weight of the kind in weighted scores across kinds.';
COMMENT ON COLUMN quota.activity_kind.role IS 'effort (work done: calls, emails...) or outcome (results: opportunities, revenue...); conversion is outcomes over effort.';

INSERT INTO quota.activity_kind (kind, description, measure, role) VALUES
    ('call',              'an outbound call that reached a person', 'count',  'effort'),
    ('email',             'an email written to a prospect',          'count',  'effort'),
    ('social_contact',    'a prospect contacted on social media',    'count',  'effort'),
    ('statement_of_work', 'a statement of work delivered',           'count',  'effort'),
    ('demo',              'a product demonstration',                 'count',  'effort'),
    ('meeting',           'a meeting with a prospect or customer',   'count',  'effort'),
    ('new_customer',      'a customer won',                          'count',  'outcome'),
    ('opportunity',       'a sales opportunity opened',              'count',  'outcome'),
    ('revenue',           'revenue booked, in the currency of the organisation', 'amount', 'outcome'),
    ('units_sold',        'units of product sold',                   'count',  'outcome');

CREATE FUNCTION quota.activity_kind_restored() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE quota.activity_kind k
       SET description = NEW.description, measure = NEW.measure, weight = NEW.weight, role = NEW.role
     WHERE k.kind = NEW.kind;
    IF FOUND THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION quota.activity_kind_restored() IS 'Trigger of quota.activity_kind: a shipped kind inserted again (as restoring a pg_dump does, after CREATE EXTENSION made it) takes the values inserted instead of failing.';

CREATE TRIGGER activity_kind_restored BEFORE INSERT ON quota.activity_kind
    FOR EACH ROW
    WHEN (NEW.kind IN ('call', 'email', 'social_contact', 'statement_of_work', 'demo', 'meeting',
                       'new_customer', 'opportunity', 'revenue', 'units_sold'))
    EXECUTE FUNCTION quota.activity_kind_restored();

CREATE TABLE quota.assignment (
    assignment_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rep_id        text REFERENCES quota.rep,
    team_id       text REFERENCES quota.team,
    kind          text NOT NULL REFERENCES quota.activity_kind,
    target        quota.quota NOT NULL,
    valid         daterange NOT NULL,
    CONSTRAINT assignment_rep_or_team CHECK ((rep_id IS NULL) <> (team_id IS NULL)),
    CONSTRAINT assignment_valid_has_start CHECK (NOT isempty(valid) AND NOT lower_inf(valid) AND isfinite(lower(valid))),
    CONSTRAINT assignment_rep_overlap EXCLUDE USING gist (rep_id WITH =, kind WITH =, valid WITH &&),
    CONSTRAINT assignment_team_overlap EXCLUDE USING gist (team_id WITH =, kind WITH =, valid WITH &&)
);
COMMENT ON TABLE quota.assignment IS 'Quotas given to a rep or a team for a kind over a range of dates; assignments of one rep (or team) and kind do not overlap.';
COMMENT ON COLUMN quota.assignment.assignment_id IS 'Generated key of the assignment.';
COMMENT ON COLUMN quota.assignment.rep_id IS 'The rep who holds the quota (exactly one of rep_id and team_id is set).';
COMMENT ON COLUMN quota.assignment.team_id IS 'The team that holds the quota (exactly one of rep_id and team_id is set).';
COMMENT ON COLUMN quota.assignment.kind IS 'What the quota counts.';
COMMENT ON COLUMN quota.assignment.target IS 'The quota: an amount per period unit, such as 150/month.';
COMMENT ON COLUMN quota.assignment.valid IS 'Dates on which the quota applies, [start, end); the end may be open. Partial periods are prorated by calendar days.';

CREATE TABLE quota.activity (
    activity_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rep_id      text NOT NULL REFERENCES quota.rep,
    kind        text NOT NULL REFERENCES quota.activity_kind,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    qty         numeric NOT NULL DEFAULT 1 CONSTRAINT activity_qty_positive CHECK (qty > 0 AND qty < 1e15),
    external_id text UNIQUE,
    source      text,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activity_rep_kind_time ON quota.activity (rep_id, kind, occurred_at);
COMMENT ON TABLE quota.activity IS 'Activity and results as they happen, one row each; apps insert, correct and delete rows, and the totals follow at once.';
COMMENT ON COLUMN quota.activity.activity_id IS 'Generated key of the activity.';
COMMENT ON COLUMN quota.activity.rep_id IS 'The rep credited.';
COMMENT ON COLUMN quota.activity.kind IS 'What was done.';
COMMENT ON COLUMN quota.activity.occurred_at IS 'When it happened; it counts on the day of the rep''s time zone.';
COMMENT ON COLUMN quota.activity.qty IS 'How many (or how much, for amounts); positive.';
COMMENT ON COLUMN quota.activity.external_id IS 'Id in the sending system; a retried insert with ON CONFLICT (external_id) DO NOTHING counts once.';
COMMENT ON COLUMN quota.activity.source IS 'The sending system (crm, dialer, import...).';
COMMENT ON COLUMN quota.activity.recorded_at IS 'When the row was recorded.';

CREATE TABLE quota.period_close (
    closed_through date NOT NULL,
    closed_at      timestamptz NOT NULL DEFAULT now(),
    closed_by      text NOT NULL DEFAULT current_user
);
COMMENT ON TABLE quota.period_close IS 'Log of quota.close_period(): activity on or before the latest closed_through can no longer change.';
COMMENT ON COLUMN quota.period_close.closed_through IS 'Last day closed, in each rep''s time zone.';
COMMENT ON COLUMN quota.period_close.closed_at IS 'When the period was closed.';
COMMENT ON COLUMN quota.period_close.closed_by IS 'Who closed it.';

CREATE TABLE quota.daily_total (
    rep_id text NOT NULL,
    kind   text NOT NULL,
    day    date NOT NULL,
    slot   integer NOT NULL,
    qty    numeric NOT NULL,
    PRIMARY KEY (rep_id, kind, day, slot)
);
COMMENT ON TABLE quota.daily_total IS 'Totals of quota.activity per rep, kind and day of the rep''s time zone, kept by triggers; a total is the sum of its slots (one per writing backend, 0 after quota.rebuild()). Written only by the extension.';
COMMENT ON COLUMN quota.daily_total.rep_id IS 'The rep.';
COMMENT ON COLUMN quota.daily_total.kind IS 'The kind of activity.';
COMMENT ON COLUMN quota.daily_total.day IS 'The day, in the rep''s time zone.';
COMMENT ON COLUMN quota.daily_total.slot IS 'Which backend added to this part of the total; sum over slots.';
COMMENT ON COLUMN quota.daily_total.qty IS 'Sum of the quantities in this slot.';

-- Every row of the configuration tables goes into pg_dump (a restored
-- shipped kind replaces the one CREATE EXTENSION made, see
-- activity_kind_restored), and the totals are rebuilt by the triggers as
-- activity is restored.
SELECT pg_catalog.pg_extension_config_dump('quota.team', '');
SELECT pg_catalog.pg_extension_config_dump('quota.rep', '');
SELECT pg_catalog.pg_extension_config_dump('quota.activity_kind', '');
SELECT pg_catalog.pg_extension_config_dump('quota.assignment', '');
SELECT pg_catalog.pg_extension_config_dump('quota.assignment_assignment_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('quota.activity', '');
SELECT pg_catalog.pg_extension_config_dump('quota.activity_activity_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('quota.period_close', '');

-- Live totals.

CREATE FUNCTION quota.activity_totals() RETURNS trigger
    AS 'MODULE_PATHNAME', 'activity_totals' LANGUAGE C;
COMMENT ON FUNCTION quota.activity_totals() IS 'Statement trigger of quota.activity: checks the changed rows and folds them into quota.daily_total.';

CREATE TRIGGER activity_totals_insert AFTER INSERT ON quota.activity
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quota.activity_totals();
CREATE TRIGGER activity_totals_update AFTER UPDATE ON quota.activity
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quota.activity_totals();
CREATE TRIGGER activity_totals_delete AFTER DELETE ON quota.activity
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION quota.activity_totals();
CREATE TRIGGER activity_totals_truncate AFTER TRUNCATE ON quota.activity
    FOR EACH STATEMENT EXECUTE FUNCTION quota.activity_totals();

CREATE FUNCTION quota.cached_rows_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'cached_rows_changed' LANGUAGE C;
COMMENT ON FUNCTION quota.cached_rows_changed() IS 'Statement trigger of quota.rep and quota.period_close: makes every session forget the time zones and closed day it cached for the totals triggers.';

CREATE TRIGGER rep_cached_rows AFTER UPDATE OR DELETE OR TRUNCATE ON quota.rep
    FOR EACH STATEMENT EXECUTE FUNCTION quota.cached_rows_changed();
CREATE TRIGGER period_close_cached_rows AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON quota.period_close
    FOR EACH STATEMENT EXECUTE FUNCTION quota.cached_rows_changed();

CREATE FUNCTION quota.rebuild(rep_id text DEFAULT NULL) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    written bigint;
BEGIN
    -- Holds writers of activity, and other rebuilds, until this commits.
    LOCK TABLE quota.activity IN SHARE ROW EXCLUSIVE MODE;
    DELETE FROM quota.daily_total t WHERE rebuild.rep_id IS NULL OR t.rep_id = rebuild.rep_id;
    INSERT INTO quota.daily_total (rep_id, kind, day, slot, qty)
    SELECT a.rep_id, a.kind, quota.period_start('day', a.occurred_at, r.time_zone), 0, sum(a.qty)
      FROM quota.activity a JOIN quota.rep r ON r.rep_id = a.rep_id
     WHERE rebuild.rep_id IS NULL OR a.rep_id = rebuild.rep_id
     GROUP BY 1, 2, 3;
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END
$$;
COMMENT ON FUNCTION quota.rebuild(text) IS 'Recomputes the daily totals of every rep (or of one rep) from quota.activity and returns how many totals it wrote; blocks writers of activity while it runs.';

CREATE FUNCTION quota.rep_time_zone_changed() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM quota.rebuild(NEW.rep_id);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION quota.rep_time_zone_changed() IS 'Trigger of quota.rep: re-derives the daily totals of a rep whose time zone changed.';

CREATE TRIGGER rep_time_zone_changed AFTER UPDATE OF time_zone ON quota.rep
    FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone)
    EXECUTE FUNCTION quota.rep_time_zone_changed();

CREATE FUNCTION quota.verify()
    RETURNS TABLE (rep_id text, kind text, day date, total numeric, recount numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH totals AS (
        SELECT t.rep_id, t.kind, t.day, sum(t.qty) AS qty
          FROM quota.daily_total t
         GROUP BY t.rep_id, t.kind, t.day
    ), recount AS (
        SELECT a.rep_id, a.kind, quota.period_start('day', a.occurred_at, r.time_zone) AS day, sum(a.qty) AS qty
          FROM quota.activity a JOIN quota.rep r ON r.rep_id = a.rep_id
         GROUP BY 1, 2, 3
    )
    SELECT coalesce(t.rep_id, c.rep_id), coalesce(t.kind, c.kind), coalesce(t.day, c.day),
           coalesce(t.qty, 0), coalesce(c.qty, 0)
      FROM totals t FULL JOIN recount c ON c.rep_id = t.rep_id AND c.kind = t.kind AND c.day = t.day
     WHERE coalesce(t.qty, 0) <> coalesce(c.qty, 0)
     ORDER BY 1, 2, 3;
END;
COMMENT ON FUNCTION quota.verify() IS 'Rows where the daily totals disagree with a recount of quota.activity; empty when healthy.';

CREATE FUNCTION quota.close_period(through date) RETURNS date
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
    -- Waits for writers in flight and holds new ones (and other closes)
    -- until this commits, so that no activity slips into the period while
    -- it closes.
    LOCK TABLE quota.activity IN SHARE ROW EXCLUSIVE MODE;
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
COMMENT ON FUNCTION quota.close_period(date) IS 'Locks all activity on or before the day given (in each rep''s time zone): inserting, changing or deleting it is then an error. Returns the day.';

-- The attainment type: an exact pair (actual, target), written "150 of 120"
-- (src/attainment.c).  Values order by the ratio actual / target, exactly;
-- values with target 0 have no ratio ("no quota"), are equal to each other
-- and are lower than every value with a target, so that the descending
-- orders of rankings put them last.

CREATE TYPE quota.attainment;

CREATE FUNCTION quota.attainment_in(cstring) RETURNS quota.attainment
	AS 'MODULE_PATHNAME', 'attainment_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_in(cstring) IS
	'text input of an attainment, written "<actual> of <target>" such as 150 of 120';

CREATE FUNCTION quota.attainment_out(quota.attainment) RETURNS cstring
	AS 'MODULE_PATHNAME', 'attainment_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_out(quota.attainment) IS
	'canonical text output of an attainment, such as 12.5 of 10';

CREATE FUNCTION quota.attainment_recv(internal) RETURNS quota.attainment
	AS 'MODULE_PATHNAME', 'attainment_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_recv(internal) IS
	'binary input of an attainment: format version, numeric actual, numeric target';

CREATE FUNCTION quota.attainment_send(quota.attainment) RETURNS bytea
	AS 'MODULE_PATHNAME', 'attainment_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_send(quota.attainment) IS
	'binary output of an attainment: format version, numeric actual, numeric target';

CREATE TYPE quota.attainment (
	INPUT = quota.attainment_in,
	OUTPUT = quota.attainment_out,
	RECEIVE = quota.attainment_recv,
	SEND = quota.attainment_send,
	INTERNALLENGTH = VARIABLE,
	-- Values are small; kept plain (never compressed, never given a short
	-- header) they are compared and sorted where they lie, without copying.
	STORAGE = plain,
	ALIGNMENT = int4
);
COMMENT ON TYPE quota.attainment IS
	'an exact actual and target, such as 150 of 120; ordered by the ratio actual / target (150 of 120 = 5 of 4), with values of target 0 (no quota) equal to each other and lower than all others, so last in descending rankings';

-- Construction and accessors.

CREATE FUNCTION quota.attainment(actual numeric, target numeric) RETURNS quota.attainment
	AS 'MODULE_PATHNAME', 'attainment_make'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment(numeric, numeric) IS
	'the attainment of an actual against a target, both finite and zero or greater';

CREATE FUNCTION quota.actual(quota.attainment) RETURNS numeric
	AS 'MODULE_PATHNAME', 'attainment_actual'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.actual(quota.attainment) IS
	'the actual of an attainment';

CREATE FUNCTION quota.target(quota.attainment) RETURNS numeric
	AS 'MODULE_PATHNAME', 'attainment_target'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.target(quota.attainment) IS
	'the target of an attainment';

CREATE FUNCTION quota.ratio(quota.attainment) RETURNS numeric
	AS 'MODULE_PATHNAME', 'attainment_ratio'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.ratio(quota.attainment) IS
	'actual / target (1.25 = 125 %), with at least 20 fractional digits before trailing zeros are dropped; NULL when the target is 0 (no quota)';

CREATE FUNCTION quota.shortfall(quota.attainment) RETURNS numeric
	AS 'MODULE_PATHNAME', 'attainment_shortfall'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.shortfall(quota.attainment) IS
	'how much is missing: max(target - actual, 0)';

CREATE FUNCTION quota.surplus(quota.attainment) RETURNS numeric
	AS 'MODULE_PATHNAME', 'attainment_surplus'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.surplus(quota.attainment) IS
	'how much is beyond the target: max(actual - target, 0)';

CREATE FUNCTION quota.met(quota.attainment) RETURNS boolean
	AS 'MODULE_PATHNAME', 'attainment_met'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.met(quota.attainment) IS
	'whether the quota is met: actual >= target (true for 0 of 0)';

CREATE CAST (quota.attainment AS numeric)
	WITH FUNCTION quota.ratio(quota.attainment);
COMMENT ON CAST (quota.attainment AS numeric) IS
	'the ratio actual / target, NULL when the target is 0 (no quota); explicit only';

-- Addition: rolls reps up into a team.

CREATE FUNCTION quota.attainment_add(quota.attainment, quota.attainment) RETURNS quota.attainment
	AS 'MODULE_PATHNAME', 'attainment_add'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_add(quota.attainment, quota.attainment) IS
	'adds actuals and targets: the + operator; also the transition function of quota.sum and the combine function of quota.sum and quota.attain, which then update their running sum in place';

CREATE OPERATOR quota.+ (
	LEFTARG = quota.attainment, RIGHTARG = quota.attainment,
	FUNCTION = quota.attainment_add,
	COMMUTATOR = OPERATOR(quota.+)
);
COMMENT ON OPERATOR quota.+ (quota.attainment, quota.attainment) IS
	'adds actuals and targets';

-- Comparison: by ratio, exactly; no target (0) is lowest.

CREATE FUNCTION quota.attainment_lt(quota.attainment, quota.attainment) RETURNS boolean
	AS 'MODULE_PATHNAME', 'attainment_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_lt(quota.attainment, quota.attainment) IS
	'implementation of the attainment < operator';

CREATE FUNCTION quota.attainment_le(quota.attainment, quota.attainment) RETURNS boolean
	AS 'MODULE_PATHNAME', 'attainment_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_le(quota.attainment, quota.attainment) IS
	'implementation of the attainment <= operator';

CREATE FUNCTION quota.attainment_eq(quota.attainment, quota.attainment) RETURNS boolean
	AS 'MODULE_PATHNAME', 'attainment_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_eq(quota.attainment, quota.attainment) IS
	'implementation of the attainment = operator';

CREATE FUNCTION quota.attainment_ne(quota.attainment, quota.attainment) RETURNS boolean
	AS 'MODULE_PATHNAME', 'attainment_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_ne(quota.attainment, quota.attainment) IS
	'implementation of the attainment <> operator';

CREATE FUNCTION quota.attainment_ge(quota.attainment, quota.attainment) RETURNS boolean
	AS 'MODULE_PATHNAME', 'attainment_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_ge(quota.attainment, quota.attainment) IS
	'implementation of the attainment >= operator';

CREATE FUNCTION quota.attainment_gt(quota.attainment, quota.attainment) RETURNS boolean
	AS 'MODULE_PATHNAME', 'attainment_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_gt(quota.attainment, quota.attainment) IS
	'implementation of the attainment > operator';

CREATE FUNCTION quota.attainment_cmp(quota.attainment, quota.attainment) RETURNS integer
	AS 'MODULE_PATHNAME', 'attainment_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_cmp(quota.attainment, quota.attainment) IS
	'btree support: negative, zero or positive as the first ratio is lower than, equal to or higher than the second; no target (0) is lowest';

CREATE FUNCTION quota.attainment_sortsupport(internal) RETURNS void
	AS 'MODULE_PATHNAME', 'attainment_sortsupport'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_sortsupport(internal) IS
	'btree support: sort support for attainments, with abbreviated keys that follow the ratio';

CREATE OPERATOR quota.< (
	LEFTARG = quota.attainment, RIGHTARG = quota.attainment,
	FUNCTION = quota.attainment_lt,
	COMMUTATOR = OPERATOR(quota.>), NEGATOR = OPERATOR(quota.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
COMMENT ON OPERATOR quota.< (quota.attainment, quota.attainment) IS
	'lower ratio; no target (0) is lower than any ratio';

CREATE OPERATOR quota.<= (
	LEFTARG = quota.attainment, RIGHTARG = quota.attainment,
	FUNCTION = quota.attainment_le,
	COMMUTATOR = OPERATOR(quota.>=), NEGATOR = OPERATOR(quota.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
COMMENT ON OPERATOR quota.<= (quota.attainment, quota.attainment) IS
	'lower or equal ratio; no target (0) is lower than any ratio';

CREATE OPERATOR quota.= (
	LEFTARG = quota.attainment, RIGHTARG = quota.attainment,
	FUNCTION = quota.attainment_eq,
	COMMUTATOR = OPERATOR(quota.=), NEGATOR = OPERATOR(quota.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
	HASHES, MERGES
);
COMMENT ON OPERATOR quota.= (quota.attainment, quota.attainment) IS
	'equal ratio (150 of 120 = 5 of 4); all values without a target (0) are equal';

CREATE OPERATOR quota.<> (
	LEFTARG = quota.attainment, RIGHTARG = quota.attainment,
	FUNCTION = quota.attainment_ne,
	COMMUTATOR = OPERATOR(quota.<>), NEGATOR = OPERATOR(quota.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
COMMENT ON OPERATOR quota.<> (quota.attainment, quota.attainment) IS
	'different ratio';

CREATE OPERATOR quota.>= (
	LEFTARG = quota.attainment, RIGHTARG = quota.attainment,
	FUNCTION = quota.attainment_ge,
	COMMUTATOR = OPERATOR(quota.<=), NEGATOR = OPERATOR(quota.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);
COMMENT ON OPERATOR quota.>= (quota.attainment, quota.attainment) IS
	'higher or equal ratio; any ratio is higher than no target (0)';

CREATE OPERATOR quota.> (
	LEFTARG = quota.attainment, RIGHTARG = quota.attainment,
	FUNCTION = quota.attainment_gt,
	COMMUTATOR = OPERATOR(quota.<), NEGATOR = OPERATOR(quota.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
COMMENT ON OPERATOR quota.> (quota.attainment, quota.attainment) IS
	'higher ratio; any ratio is higher than no target (0)';

CREATE OPERATOR CLASS quota.attainment_btree_ops
	DEFAULT FOR TYPE quota.attainment USING btree AS
		OPERATOR 1 quota.<,
		OPERATOR 2 quota.<=,
		OPERATOR 3 quota.=,
		OPERATOR 4 quota.>=,
		OPERATOR 5 quota.>,
		FUNCTION 1 quota.attainment_cmp(quota.attainment, quota.attainment),
		FUNCTION 2 quota.attainment_sortsupport(internal);
COMMENT ON OPERATOR CLASS quota.attainment_btree_ops USING btree IS
	'default btree operator class for attainments: by ratio, no target (0) lowest, so last in ORDER BY ... DESC';

-- Hashing: equal ratios hash equal.

CREATE FUNCTION quota.attainment_hash(quota.attainment) RETURNS integer
	AS 'MODULE_PATHNAME', 'attainment_hash'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_hash(quota.attainment) IS
	'hash support: 32-bit hash of the ratio of an attainment in lowest terms';

CREATE FUNCTION quota.attainment_hash_extended(quota.attainment, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'attainment_hash_extended'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_hash_extended(quota.attainment, bigint) IS
	'hash support: seeded 64-bit hash of the ratio of an attainment in lowest terms';

CREATE OPERATOR CLASS quota.attainment_hash_ops
	DEFAULT FOR TYPE quota.attainment USING hash AS
		OPERATOR 1 quota.=,
		FUNCTION 1 quota.attainment_hash(quota.attainment),
		FUNCTION 2 quota.attainment_hash_extended(quota.attainment, bigint);
COMMENT ON OPERATOR CLASS quota.attainment_hash_ops USING hash IS
	'default hash operator class for attainments: equal ratios hash equal';

-- Aggregates: usable on any table.  Rows with a NULL are skipped and no rows
-- give NULL, as with sum; the running sum is updated in place.

CREATE FUNCTION quota.attainment_attain_transition(quota.attainment, numeric, numeric)
	RETURNS quota.attainment
	AS 'MODULE_PATHNAME', 'attainment_attain_transition'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_attain_transition(quota.attainment, numeric, numeric) IS
	'transition function of quota.attain: adds an actual and a target to the running sum; not strict, as the first row starts the sum and rows with a NULL are skipped';

CREATE FUNCTION quota.attainment_final(quota.attainment) RETURNS quota.attainment
	AS 'MODULE_PATHNAME', 'attainment_final'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_final(quota.attainment) IS
	'final function of quota.attain and quota.sum: the running sum in canonical form';

CREATE AGGREGATE quota.attain(actual numeric, target numeric) (
	SFUNC = quota.attainment_attain_transition,
	STYPE = quota.attainment,
	FINALFUNC = quota.attainment_final,
	COMBINEFUNC = quota.attainment_add,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE quota.attain(numeric, numeric) IS
	'the attainment of the summed actuals against the summed targets; rows with a NULL are skipped, no rows give NULL; order by it DESC to rank, values without a target (0) last';

CREATE AGGREGATE quota.sum(quota.attainment) (
	SFUNC = quota.attainment_add,
	STYPE = quota.attainment,
	FINALFUNC = quota.attainment_final,
	COMBINEFUNC = quota.attainment_add,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE quota.sum(quota.attainment) IS
	'adds attainments (actuals and targets), such as the reps of a team; NULLs are skipped, no rows give NULL; order by it DESC to rank, values without a target (0) last';

-- Progress: one row per rep assignment and period, in ordinary columns.

CREATE FUNCTION quota.rep_actual(rep_id text, time_zone text, kind text, during daterange, as_of timestamptz)
    RETURNS TABLE (qty numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- The daily totals through as_of's day (in the rep's time zone), less
    -- the activity of that day at or after as_of, which for as_of = now()
    -- is next to none.  The two sums stay subqueries in FROM, so each runs
    -- once per call.
    SELECT coalesce(through_today.qty, 0) - coalesce(after_as_of.qty, 0)
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
                       AND x.occurred_at < rep_actual.as_of + interval '2 days'
                       AND quota.period_start('day', x.occurred_at, rep_actual.time_zone) = local.today) AS after_as_of;
END;
COMMENT ON FUNCTION quota.rep_actual(text, text, text, daterange, timestamptz) IS 'One row: the sum of the quantities of a rep''s activity of a kind on the days of a date range (in the rep''s time zone, given) before a moment. Inlined into the progress views.';

CREATE FUNCTION quota.figures(target numeric, actual numeric, elapsed numeric)
    RETURNS TABLE (
        target numeric, actual numeric, attainment numeric,
        shortfall numeric, surplus numeric, met boolean,
        elapsed numeric, expected_to_date numeric, projected numeric, pace numeric,
        status text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT round(figures.target, 2),
           figures.actual,
           round(figures.actual / nullif(figures.target, 0), 4),
           round(greatest(figures.target - figures.actual, 0), 2),
           round(greatest(figures.actual - figures.target, 0), 2),
           figures.actual >= figures.target,
           round(figures.elapsed, 4),
           round(figures.target * figures.elapsed, 2),
           round(figures.actual / nullif(figures.elapsed, 0), 2),
           round(figures.actual / nullif(figures.target * figures.elapsed, 0), 4),
           CASE WHEN figures.actual >= figures.target THEN 'met'
                WHEN figures.elapsed = 1 THEN 'missed'
                WHEN figures.elapsed = 0 OR figures.actual / figures.elapsed >= figures.target THEN 'on_track'
                ELSE 'behind' END;
END;
COMMENT ON FUNCTION quota.figures(numeric, numeric, numeric) IS 'One row: the progress figures of an exact target, actual and elapsed fraction (domain.md), rounded for output: target, actual, attainment, shortfall, surplus, met, elapsed, expected_to_date, projected, pace, status.';

CREATE FUNCTION quota.progress_as_of(as_of timestamptz)
    RETURNS TABLE (
        rep_id text, team_id text, kind text, period_unit text,
        period_start date, period_end date,
        target numeric, actual numeric, attainment numeric,
        shortfall numeric, surplus numeric, met boolean,
        elapsed numeric, expected_to_date numeric, projected numeric, pace numeric,
        status text, attainment_rank integer, shortfall_rank integer)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT p.rep_id, p.team_id, p.kind, p.period_unit, p.period_start, p.period_end,
           f.target, f.actual, f.attainment, f.shortfall, f.surplus, f.met,
           f.elapsed, f.expected_to_date, f.projected, f.pace, f.status,
           CASE WHEN p.target > 0 THEN
               rank() OVER (PARTITION BY p.kind, p.period_unit, p.period_start, p.target > 0
                            ORDER BY quota.attainment(p.actual, p.target) DESC)::integer END,
           CASE WHEN p.actual < p.target THEN
               rank() OVER (PARTITION BY p.kind, p.period_unit, p.period_start, p.actual < p.target
                            ORDER BY p.target - p.actual DESC)::integer END
      FROM (SELECT a.rep_id, r.team_id, a.kind, quota.unit(a.target) AS period_unit,
                   lower(w.period) AS period_start, upper(w.period) AS period_end,
                   quota.target_for(a.target, w.part) AS target,
                   act.qty AS actual,
                   quota.elapsed(w.part, progress_as_of.as_of, r.time_zone) AS elapsed
              FROM quota.assignment a
              JOIN quota.rep r ON r.rep_id = a.rep_id
             CROSS JOIN LATERAL quota.period_start('day', progress_as_of.as_of, r.time_zone) AS local(today)
             CROSS JOIN LATERAL quota.periods(quota.unit(a.target),
                                              a.valid * daterange(NULL, quota.period_end(quota.unit(a.target), local.today))) AS p(period)
             CROSS JOIN LATERAL (SELECT p.period, p.period * a.valid) AS w(period, part)
             CROSS JOIN LATERAL quota.rep_actual(a.rep_id, r.time_zone, a.kind, w.part, progress_as_of.as_of) AS act
           ) AS p
     CROSS JOIN LATERAL quota.figures(p.target, p.actual, p.elapsed) AS f
     WHERE progress_as_of.as_of IS NOT NULL;  -- no moment, no rows (checked once, first)
END;
COMMENT ON FUNCTION quota.progress_as_of(timestamptz) IS 'Progress of every rep assignment in every period of its unit, from its first period through the one containing as_of (in the rep''s time zone): target, actual, attainment, shortfall, pace and ranks. Filters on kind and period_start reach the computation.';

CREATE VIEW quota.progress AS
    SELECT rep_id, team_id, kind, period_unit, period_start, period_end,
           target, actual, attainment, shortfall, surplus, met,
           elapsed, expected_to_date, projected, pace, status,
           attainment_rank, shortfall_rank
      FROM quota.progress_as_of(now());
COMMENT ON VIEW quota.progress IS 'Progress of every rep assignment and period up to now: quota.progress_as_of(now()).';
COMMENT ON COLUMN quota.progress.rep_id IS 'The rep.';
COMMENT ON COLUMN quota.progress.team_id IS 'The rep''s team.';
COMMENT ON COLUMN quota.progress.kind IS 'What the quota counts.';
COMMENT ON COLUMN quota.progress.period_unit IS 'The unit of the quota: day, week, month, quarter, half or year.';
COMMENT ON COLUMN quota.progress.period_start IS 'First day of the period.';
COMMENT ON COLUMN quota.progress.period_end IS 'Day after the last day of the period (the period is [period_start, period_end)).';
COMMENT ON COLUMN quota.progress.target IS 'Target for the period, prorated by calendar days where the assignment covers part of it; 2 decimals.';
COMMENT ON COLUMN quota.progress.actual IS 'Sum of the quantities recorded in the assignment''s part of the period before the moment of the report.';
COMMENT ON COLUMN quota.progress.attainment IS 'actual / target, 4 decimals (1.25 = 125 %); NULL when there is no target.';
COMMENT ON COLUMN quota.progress.shortfall IS 'How much is missing: max(target - actual, 0); 2 decimals.';
COMMENT ON COLUMN quota.progress.surplus IS 'How much is beyond the target: max(actual - target, 0); 2 decimals.';
COMMENT ON COLUMN quota.progress.met IS 'True when actual >= target.';
COMMENT ON COLUMN quota.progress.elapsed IS 'Fraction of the assignment''s part of the period elapsed on the rep''s wall clock, 0 to 1; 4 decimals.';
COMMENT ON COLUMN quota.progress.expected_to_date IS 'target * elapsed: what should be done by now; 2 decimals.';
COMMENT ON COLUMN quota.progress.projected IS 'actual / elapsed: where the period will end at this pace; NULL before the period starts; 2 decimals.';
COMMENT ON COLUMN quota.progress.pace IS 'actual / expected_to_date; NULL when nothing is expected yet; 4 decimals.';
COMMENT ON COLUMN quota.progress.status IS 'met; missed (ended, not met); on_track (open, nothing elapsed or projected >= target); behind (open, projected < target).';
COMMENT ON COLUMN quota.progress.attainment_rank IS 'Rank by attainment, highest first, among reps with a target of the same kind, unit and period; ties share a rank.';
COMMENT ON COLUMN quota.progress.shortfall_rank IS 'Rank by shortfall, largest first, among reps who have not met the target of the same kind, unit and period.';

-- Teams: a hierarchy without cycles, membership at any depth, team progress.

CREATE FUNCTION quota.team_no_cycle() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    path text[] := ARRAY[NEW.team_id];
    ancestor text := NEW.parent_id;
BEGIN
    -- One change of the hierarchy at a time: two concurrent changes could
    -- otherwise close a cycle that neither of them sees.  The walk locks the
    -- ancestors too, so that a REPEATABLE READ transaction whose snapshot
    -- missed a committed change fails with a serialization error.
    PERFORM pg_advisory_xact_lock('quota.team'::regclass::oid::integer, 0);
    WHILE ancestor IS NOT NULL LOOP
        path := path || ancestor;
        IF ancestor = NEW.team_id THEN
            RAISE EXCEPTION 'team "%" cannot be placed under its own sub-team', NEW.team_id
                USING ERRCODE = 'check_violation',
                      DETAIL = format('The parents would form a cycle: %s.', array_to_string(path, ' > ')),
                      HINT = 'Choose a parent_id that is not the team itself or one of its sub-teams.',
                      SCHEMA = 'quota', TABLE = 'team', COLUMN = 'parent_id';
        END IF;
        SELECT t.parent_id INTO ancestor FROM quota.team t WHERE t.team_id = ancestor FOR SHARE;
    END LOOP;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION quota.team_no_cycle() IS 'Trigger of quota.team: rejects a parent_id that would make a team its own ancestor.';

CREATE TRIGGER team_no_cycle BEFORE INSERT OR UPDATE OF team_id, parent_id ON quota.team
    FOR EACH ROW WHEN (NEW.parent_id IS NOT NULL)
    EXECUTE FUNCTION quota.team_no_cycle();

CREATE FUNCTION quota.team_members()
    RETURNS TABLE (team_id text, rep_id text, via_team_id text, depth integer)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH RECURSIVE tree (team_id, member_team_id, depth) AS (
        SELECT t.team_id, t.team_id, 0 FROM quota.team t
        UNION ALL
        SELECT tree.team_id, c.team_id, tree.depth + 1
          FROM tree JOIN quota.team c ON c.parent_id = tree.member_team_id
    )
    SELECT tree.team_id, r.rep_id, tree.member_team_id, tree.depth
      FROM tree JOIN quota.rep r ON r.team_id = tree.member_team_id;
END;
COMMENT ON FUNCTION quota.team_members() IS 'Every rep of every team, directly or through sub-teams at any depth. A function, so that it reads the tables with the rights (and row-level security) of its caller.';

CREATE VIEW quota.team_membership AS
    SELECT team_id, rep_id, via_team_id, depth FROM quota.team_members();
COMMENT ON VIEW quota.team_membership IS 'Every rep of every team, directly or through sub-teams at any depth.';
COMMENT ON COLUMN quota.team_membership.team_id IS 'The team.';
COMMENT ON COLUMN quota.team_membership.rep_id IS 'A rep counted in the team.';
COMMENT ON COLUMN quota.team_membership.via_team_id IS 'The team the rep belongs to directly (the team itself or a sub-team).';
COMMENT ON COLUMN quota.team_membership.depth IS 'How many levels below the team that is (0: a direct member).';

CREATE FUNCTION quota.team_progress_as_of(as_of timestamptz)
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
    WITH own AS (
        -- The periods of the teams' own assignments, in the team's time zone;
        -- every rep of the team and its sub-teams counts.
        SELECT a.team_id, a.kind, quota.unit(a.target) AS period_unit, p.period,
               p.period * a.valid AS part, quota.target_for(a.target, p.period * a.valid) AS target,
               coalesce(act.qty, 0) AS actual, act.members
          FROM quota.assignment a
          JOIN quota.team t ON t.team_id = a.team_id
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
    ), from_members AS (
        -- Where a team has no quota of its own for a kind, unit and period,
        -- it is the sum of its members' rows: their prorated targets, their
        -- actuals, counted by the members who hold such a quota.
        SELECT m.team_id, a.kind, quota.unit(a.target) AS period_unit, p.period, p.period AS part,
               sum(quota.target_for(a.target, p.period * a.valid)) AS target,
               sum(ra.qty) AS actual, count(DISTINCT m.rep_id)::integer AS members
          FROM quota.team_members() m
          JOIN quota.rep r ON r.rep_id = m.rep_id
          JOIN quota.assignment a ON a.rep_id = m.rep_id
         CROSS JOIN LATERAL quota.period_start('day', team_progress_as_of.as_of, r.time_zone) AS local(today)
         CROSS JOIN LATERAL quota.periods(quota.unit(a.target),
                                          a.valid * daterange(NULL, quota.period_end(quota.unit(a.target), local.today))) AS p(period)
         CROSS JOIN LATERAL quota.rep_actual(m.rep_id, r.time_zone, a.kind, p.period * a.valid,
                                             team_progress_as_of.as_of) AS ra
         WHERE NOT EXISTS (SELECT FROM own o
                            WHERE o.team_id = m.team_id AND o.kind = a.kind
                              AND o.period_unit = quota.unit(a.target) AND o.period = p.period)
         GROUP BY m.team_id, a.kind, quota.unit(a.target), p.period
    ), team_period AS (
        SELECT o.team_id, o.kind, o.period_unit, o.period, o.part, o.target, o.actual, o.members FROM own o
        UNION ALL
        SELECT f.team_id, f.kind, f.period_unit, f.period, f.part, f.target, f.actual, f.members FROM from_members f
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
                   tp.target, tp.actual, tp.members,
                   quota.elapsed(tp.part, team_progress_as_of.as_of, t.time_zone) AS elapsed
              FROM team_period tp
              JOIN quota.team t ON t.team_id = tp.team_id
           ) AS p
     CROSS JOIN LATERAL quota.figures(p.target, p.actual, p.elapsed) AS f
     WHERE team_progress_as_of.as_of IS NOT NULL;  -- no moment, no rows (checked once, first)
END;
COMMENT ON FUNCTION quota.team_progress_as_of(timestamptz) IS 'Progress of every team in every period through the one containing as_of. With a quota of its own, a team''s actual sums every rep of the team and its sub-teams at any depth; without one, its row sums its members'' rows of that kind, unit and period (their prorated targets and actuals). Ranks among all teams and among sibling teams.';

CREATE VIEW quota.team_progress AS
    SELECT team_id, parent_id, kind, period_unit, period_start, period_end,
           target, actual, attainment, shortfall, surplus, met,
           elapsed, expected_to_date, projected, pace, status,
           attainment_rank, shortfall_rank, members, sibling_rank
      FROM quota.team_progress_as_of(now());
COMMENT ON VIEW quota.team_progress IS 'Progress of every team and period up to now: quota.team_progress_as_of(now()).';
COMMENT ON COLUMN quota.team_progress.team_id IS 'The team.';
COMMENT ON COLUMN quota.team_progress.parent_id IS 'The team''s parent team.';
COMMENT ON COLUMN quota.team_progress.kind IS 'What the quota counts.';
COMMENT ON COLUMN quota.team_progress.period_unit IS 'The unit of the quota: day, week, month, quarter, half or year.';
COMMENT ON COLUMN quota.team_progress.period_start IS 'First day of the period.';
COMMENT ON COLUMN quota.team_progress.period_end IS 'Day after the last day of the period.';
COMMENT ON COLUMN quota.team_progress.target IS 'The team''s own target, prorated, or else the sum of its members'' prorated targets; 2 decimals.';
COMMENT ON COLUMN quota.team_progress.actual IS 'Sum of the actuals of the reps counted (see members), each rep''s days in the rep''s time zone.';
COMMENT ON COLUMN quota.team_progress.attainment IS 'actual / target, 4 decimals; NULL when there is no target.';
COMMENT ON COLUMN quota.team_progress.shortfall IS 'max(target - actual, 0); 2 decimals.';
COMMENT ON COLUMN quota.team_progress.surplus IS 'max(actual - target, 0); 2 decimals.';
COMMENT ON COLUMN quota.team_progress.met IS 'True when actual >= target.';
COMMENT ON COLUMN quota.team_progress.elapsed IS 'Fraction of the period elapsed on the team''s wall clock, 0 to 1; 4 decimals.';
COMMENT ON COLUMN quota.team_progress.expected_to_date IS 'target * elapsed; 2 decimals.';
COMMENT ON COLUMN quota.team_progress.projected IS 'actual / elapsed; NULL before the period starts; 2 decimals.';
COMMENT ON COLUMN quota.team_progress.pace IS 'actual / expected_to_date; NULL when nothing is expected yet; 4 decimals.';
COMMENT ON COLUMN quota.team_progress.status IS 'met, missed, on_track or behind, as in quota.progress.';
COMMENT ON COLUMN quota.team_progress.attainment_rank IS 'Rank by attainment among all teams with a target of the same kind, unit and period.';
COMMENT ON COLUMN quota.team_progress.shortfall_rank IS 'Rank by shortfall, largest first, among teams that have not met the target.';
COMMENT ON COLUMN quota.team_progress.members IS 'How many reps are counted: all reps of the team and its sub-teams under a team quota, else those holding a quota of the kind and unit.';
COMMENT ON COLUMN quota.team_progress.sibling_rank IS 'Rank by attainment among the teams with the same parent.';

-- Scoreboard: a weighted score across kinds.  Conversion: outcomes over effort.

CREATE FUNCTION quota.score_cap() RETURNS numeric
    AS 'MODULE_PATHNAME', 'score_cap'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.score_cap() IS 'The setting quota.score_cap, the highest attainment one kind contributes to a weighted score.';

CREATE FUNCTION quota.scoreboard_as_of(as_of timestamptz, unit text DEFAULT 'month')
    RETURNS TABLE (
        rep_id text, team_id text, period_start date, period_end date,
        kinds integer, score numeric, met_all boolean,
        rank integer, over_quota_rank integer)
    LANGUAGE sql STABLE PARALLEL SAFE
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
                    -- rep's assignments prorated to the period, and the actual
                    -- of the days they cover.
                    SELECT a.rep_id, r.team_id, a.kind, p.period, ak.weight,
                           sum(quota.target_for(a.target, p.period * a.valid)) AS target,
                           sum(act.qty) AS actual
                      FROM quota.assignment a
                      JOIN quota.rep r ON r.rep_id = a.rep_id
                      JOIN quota.activity_kind ak ON ak.kind = a.kind
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
COMMENT ON FUNCTION quota.scoreboard_as_of(timestamptz, text) IS 'Weighted score of every rep in every period of the unit (default month) through the one containing as_of: sum of weight * least(attainment, quota.score_cap) over the kinds the rep has a target for, divided by the sum of their weights; targets of other units are prorated to the period. Ranked by score, and among reps who met every target.';

CREATE VIEW quota.scoreboard AS
    SELECT rep_id, team_id, period_start, period_end, kinds, score, met_all, rank, over_quota_rank
      FROM quota.scoreboard_as_of(now(), 'month');
COMMENT ON VIEW quota.scoreboard IS 'Monthly weighted scores across kinds up to now: quota.scoreboard_as_of(now(), ''month'').';
COMMENT ON COLUMN quota.scoreboard.rep_id IS 'The rep.';
COMMENT ON COLUMN quota.scoreboard.team_id IS 'The rep''s team.';
COMMENT ON COLUMN quota.scoreboard.period_start IS 'First day of the period.';
COMMENT ON COLUMN quota.scoreboard.period_end IS 'Day after the last day of the period.';
COMMENT ON COLUMN quota.scoreboard.kinds IS 'How many kinds with a target the score covers.';
COMMENT ON COLUMN quota.scoreboard.score IS 'sum(weight * least(attainment, quota.score_cap)) / sum(weight) over those kinds; 4 decimals.';
COMMENT ON COLUMN quota.scoreboard.met_all IS 'True when every one of those targets is met.';
COMMENT ON COLUMN quota.scoreboard.rank IS 'Rank by score in the period, highest first; ties share a rank.';
COMMENT ON COLUMN quota.scoreboard.over_quota_rank IS 'Rank by score among the reps who met every target; NULL for the others.';

CREATE FUNCTION quota.conversion_as_of(as_of timestamptz, unit text DEFAULT 'month')
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
        -- Whole days before as_of's day from the totals, that day from the rows.
        SELECT rd.rep_id, rd.team_id, d.kind, quota.period(conversion_as_of.unit, d.day) AS period, d.qty
          FROM rep_day rd
          JOIN quota.daily_total d ON d.rep_id = rd.rep_id AND d.day < rd.today
        UNION ALL
        SELECT rd.rep_id, rd.team_id, x.kind, quota.period(conversion_as_of.unit, rd.today), x.qty
          FROM rep_day rd
          JOIN quota.activity x ON x.rep_id = rd.rep_id
         WHERE x.occurred_at < conversion_as_of.as_of
           AND x.occurred_at >= conversion_as_of.as_of - interval '2 days'
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
COMMENT ON FUNCTION quota.conversion_as_of(timestamptz, text) IS 'Conversion of every rep in every period of the unit (default month) with activity before as_of: effort (the sum over kinds whose role is effort), the outcomes of each outcome kind, and their rate, outcomes / effort (NULL without effort).';

CREATE VIEW quota.conversion AS
    SELECT rep_id, team_id, period_start, period_end, effort, outcome_kind, outcomes, rate
      FROM quota.conversion_as_of(now(), 'month');
COMMENT ON VIEW quota.conversion IS 'Monthly conversion from effort to outcomes up to now: quota.conversion_as_of(now(), ''month'').';
COMMENT ON COLUMN quota.conversion.rep_id IS 'The rep.';
COMMENT ON COLUMN quota.conversion.team_id IS 'The rep''s team.';
COMMENT ON COLUMN quota.conversion.period_start IS 'First day of the period.';
COMMENT ON COLUMN quota.conversion.period_end IS 'Day after the last day of the period.';
COMMENT ON COLUMN quota.conversion.effort IS 'Sum of the quantities of effort kinds (calls, emails, social contacts...).';
COMMENT ON COLUMN quota.conversion.outcome_kind IS 'The outcome kind (opportunity, new_customer, revenue, units_sold...).';
COMMENT ON COLUMN quota.conversion.outcomes IS 'Sum of the quantities of that outcome kind.';
COMMENT ON COLUMN quota.conversion.rate IS 'outcomes / effort, 4 decimals; NULL without effort.';

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
            -- the kind that meets both the assignment and the plan, through
            -- the period containing as_of, the exact attainment (or the
            -- actual, on amount tiers) of the assignment's part of the
            -- period, as quota.progress_as_of() computes it.
            SELECT pl.plan_id, a.rep_id, r.team_id, a.kind, quota.unit(a.target) AS period_unit,
                   lower(p.period) AS period_start, upper(p.period) AS period_end,
                   CASE ts.measure
                       WHEN 'amount' THEN act.qty
                       ELSE quota.ratio(quota.attainment(act.qty, quota.target_for(a.target, w.part)))
                   END AS measure,
                   pl.tier_set_id, pl.method, pl.base,
                   quota.elapsed(w.part, payout_as_of.as_of, r.time_zone) = 1 AS final
              FROM quota.plan pl
              JOIN quota.tier_set ts ON ts.tier_set_id = pl.tier_set_id
              JOIN quota.assignment a ON a.rep_id = pl.rep_id AND a.kind = pl.kind
              JOIN quota.rep r ON r.rep_id = a.rep_id
             CROSS JOIN LATERAL quota.period_start('day', payout_as_of.as_of, r.time_zone) AS local(today)
             CROSS JOIN LATERAL quota.periods(quota.unit(a.target),
                                              a.valid * pl.valid
                                              * daterange(NULL, quota.period_end(quota.unit(a.target), local.today))) AS p(period)
             CROSS JOIN LATERAL (SELECT p.period * a.valid) AS w(part)
             CROSS JOIN LATERAL quota.rep_actual(a.rep_id, r.time_zone, a.kind, w.part, payout_as_of.as_of) AS act
            UNION ALL
            -- Plans for the score: the rep's monthly score, in every month
            -- of quota.scoreboard_as_of() that meets the plan.
            SELECT pl.plan_id, s.rep_id, s.team_id, NULL, 'month', s.period_start, s.period_end,
                   CASE ts.measure WHEN 'attainment' THEN s.score END,
                   pl.tier_set_id, pl.method, pl.base,
                   quota.elapsed(daterange(s.period_start, s.period_end), payout_as_of.as_of, r.time_zone) = 1
              FROM quota.plan pl
              JOIN quota.tier_set ts ON ts.tier_set_id = pl.tier_set_id
              JOIN quota.scoreboard_as_of(payout_as_of.as_of, 'month') AS s
                ON s.rep_id = pl.rep_id AND daterange(s.period_start, s.period_end) && pl.valid
              JOIN quota.rep r ON r.rep_id = s.rep_id
             WHERE pl.kind IS NULL
           ) AS m;
END;
COMMENT ON FUNCTION quota.payout_as_of(timestamptz) IS 'Payout of every plan in every period it applies to, through the period containing as_of (in the rep''s time zone): for a kind, on the exact attainment (or actual, on amount tiers) of the rep''s assignment of that kind; for the score, on the monthly scoreboard score. Reads the tables with the rights of its caller.';

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

-- Row-level security for reps, ready to enable, and who may run what.

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
                       ('daily_total', own_rep)) AS t(name, own_rows)
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
COMMENT ON FUNCTION quota.rep_security_changed() IS 'Trigger of quota.rep_security: creates or drops the row-level security policies of quota.rep, quota.assignment, quota.activity and quota.daily_total.';

CREATE TRIGGER rep_security_changed AFTER INSERT OR UPDATE OR DELETE ON quota.rep_security
    FOR EACH ROW EXECUTE FUNCTION quota.rep_security_changed();

CREATE FUNCTION quota.enable_rep_security(reps regrole) RETURNS void
    LANGUAGE sql
BEGIN ATOMIC
    INSERT INTO quota.rep_security (reps_role) VALUES (reps::text::name)
        ON CONFLICT (only_row) DO UPDATE SET reps_role = excluded.reps_role;
END;
COMMENT ON FUNCTION quota.enable_rep_security(regrole) IS 'Enables row-level security on quota.rep, quota.assignment, quota.activity and quota.daily_total so that members of the role given see only the rows of the rep whose login (quota.rep.login) they are; other roles keep every row. Run again to change the role; quota.disable_rep_security() undoes it.';

CREATE FUNCTION quota.disable_rep_security() RETURNS void
    LANGUAGE sql
BEGIN ATOMIC
    DELETE FROM quota.rep_security;
END;
COMMENT ON FUNCTION quota.disable_rep_security() IS 'Disables the row-level security of quota.enable_rep_security() and drops its policies.';

-- Functions that change data or security are for the owner and whom the
-- owner grants them to.
REVOKE EXECUTE ON FUNCTION quota.rebuild(text), quota.close_period(date),
    quota.enable_rep_security(regrole), quota.disable_rep_security() FROM PUBLIC;

-- Trigger functions are the extension's own: nobody else may attach them to
-- a table (firing them needs no privilege).
REVOKE EXECUTE ON FUNCTION quota.activity_totals(), quota.cached_rows_changed(),
    quota.activity_kind_restored(), quota.rep_time_zone_changed(), quota.team_no_cycle(),
    quota.rep_security_changed(), quota.tier_bands_cover() FROM PUBLIC;
