-- The data model: teams, reps, kinds of activity, quota assignments, the
-- activity itself and the log of closed periods.  The totals of activity
-- are in live_totals.sql.

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
ALTER TABLE quota.activity_kind ENABLE ALWAYS TRIGGER activity_kind_restored;

CREATE TABLE quota.assignment (
    assignment_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rep_id        text REFERENCES quota.rep,
    team_id       text REFERENCES quota.team,
    kind          text NOT NULL REFERENCES quota.activity_kind,
    target        quota.quota NOT NULL,
    valid         daterange NOT NULL,
    -- The schedule of the assignment; schedule.sql adds the foreign keys of
    -- ramp_id and distribution_id, with the tables they name.
    ramp_id         text,
    ramp_start      date,
    distribution_id text,
    CONSTRAINT assignment_rep_or_team CHECK ((rep_id IS NULL) <> (team_id IS NULL)),
    CONSTRAINT assignment_valid_has_start CHECK (NOT isempty(valid) AND NOT lower_inf(valid) AND isfinite(lower(valid))),
    CONSTRAINT assignment_rep_overlap EXCLUDE USING gist (rep_id WITH =, kind WITH =, valid WITH &&),
    CONSTRAINT assignment_team_overlap EXCLUDE USING gist (team_id WITH =, kind WITH =, valid WITH &&),
    CONSTRAINT assignment_ramp_start CHECK ((ramp_id IS NULL) = (ramp_start IS NULL) AND isfinite(ramp_start))
);
-- The reports read each rep's assignments: a btree probe costs a fraction
-- of one of the exclusion constraint's GiST index.
CREATE INDEX assignment_rep_kind ON quota.assignment (rep_id, kind);
COMMENT ON TABLE quota.assignment IS 'Quotas given to a rep or a team for a kind over a range of dates; assignments of one rep (or team) and kind do not overlap.';
COMMENT ON COLUMN quota.assignment.assignment_id IS 'Generated key of the assignment.';
COMMENT ON COLUMN quota.assignment.rep_id IS 'The rep who holds the quota (exactly one of rep_id and team_id is set).';
COMMENT ON COLUMN quota.assignment.team_id IS 'The team that holds the quota (exactly one of rep_id and team_id is set).';
COMMENT ON COLUMN quota.assignment.kind IS 'What the quota counts.';
COMMENT ON COLUMN quota.assignment.target IS 'The quota: an amount per period unit, such as 150/month.';
COMMENT ON COLUMN quota.assignment.valid IS 'Dates on which the quota applies, [start, end); the end may be open. Partial periods are prorated by the days of quota.proration (calendar days or business days).';
COMMENT ON COLUMN quota.assignment.ramp_id IS 'The ramp that scales the target of each period since ramp_start, or NULL.';
COMMENT ON COLUMN quota.assignment.ramp_start IS 'The day the ramp starts (the rep''s start), set exactly when ramp_id is; days before it owe nothing.';
COMMENT ON COLUMN quota.assignment.distribution_id IS 'The seasonal distribution that shares each period among its months instead of by days, or NULL; its unit must be the quota''s.';

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

-- Trigger functions are the extension's own: nobody else may attach them
-- to a table (firing them needs no privilege).
REVOKE EXECUTE ON FUNCTION quota.activity_kind_restored() FROM PUBLIC;
