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

CREATE FUNCTION quota.team_progress_as_of(as_of timestamptz, period_starts daterange)
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
    -- compilation that costs more than the query.  A filter on period_start
    -- narrows period_starts instead (src/period_filter.c).
    SUPPORT quota.periods_support
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
         WHERE lower(p.period) <@ team_progress_as_of.period_starts
    ), own AS (
        SELECT o.team_id, o.kind, o.period_unit, o.period,
               sum(o.target) AS target, sum(o.actual) AS actual, max(o.members) AS members,
               CASE WHEN count(*) = 1 THEN min(o.elapsed)
                    ELSE coalesce(sum(o.target * o.elapsed) / nullif(sum(o.target), 0),
                                  sum(o.days * o.elapsed) / sum(o.days)) END AS elapsed,
               bool_and(o.ended) AS ended
          FROM own_part o
         GROUP BY o.team_id, o.kind, o.period_unit, o.period
    ), rep_part AS MATERIALIZED (
        -- The periods of the assignments of every rep in a team, in the
        -- rep's time zone and on the rep's schedule: target and actual, read
        -- once however many teams above count the rep.
        SELECT a.rep_id, a.kind, quota.unit(a.target) AS period_unit, p.period,
               a.target AS quota, a.ramp_start, s.season, s.ramp, s.ramp_unit,
               quota.target_for(a.target, p.period * a.valid, s.holidays, s.season,
                                a.ramp_start, s.ramp, s.ramp_unit) AS target,
               ra.qty AS actual
          FROM quota.assignment a
          -- Each rep of a team with as_of's day in its zone, once per rep,
          -- merged with the assignments (as in progress_as_of).
          JOIN (SELECT r.rep_id, r.team_id, r.time_zone,
                       quota.period_start('day', team_progress_as_of.as_of, r.time_zone) AS today
                  FROM quota.rep r
                 WHERE r.team_id IS NOT NULL OFFSET 0) AS r ON r.rep_id = a.rep_id
         CROSS JOIN LATERAL quota.schedule(r.team_id, a.ramp_id, a.distribution_id) AS s
         CROSS JOIN LATERAL quota.periods(quota.unit(a.target),
                                          a.valid * daterange(NULL, quota.period_end(quota.unit(a.target), r.today))) AS p(period)
         CROSS JOIN LATERAL quota.rep_actual(a.rep_id, r.time_zone, a.kind, p.period * a.valid,
                                             team_progress_as_of.as_of, r.today) AS ra
         WHERE lower(p.period) <@ team_progress_as_of.period_starts
    ), from_members AS (
        -- Where a team has no quota of its own for a kind, unit and period,
        -- it is the sum of its members' rows: their targets, their actuals,
        -- counted by the members who hold such a quota; the period elapses
        -- on the team's clock and holidays, weighted by the members' targets.
        SELECT m.team_id, rp.kind, rp.period_unit, rp.period,
               sum(rp.target) AS target, sum(rp.actual) AS actual, count(DISTINCT m.rep_id)::integer AS members,
               CASE WHEN count(*) = 1 THEN min(tf.elapsed)
                    ELSE coalesce(sum(rp.target * tf.elapsed) / nullif(sum(rp.target), 0), min(tf.team_elapsed)) END AS elapsed,
               bool_and(team_local.today >= upper(rp.period)) AS ended
          FROM quota.team_members() m
          JOIN quota.team t ON t.team_id = m.team_id
         CROSS JOIN LATERAL quota.period_start('day', team_progress_as_of.as_of, t.time_zone) AS team_local(today)
          JOIN rep_part rp ON rp.rep_id = m.rep_id
         CROSS JOIN LATERAL (
                SELECT quota.elapsed(rp.period, team_progress_as_of.as_of, t.time_zone, rp.quota,
                                     th.holidays, rp.season, rp.ramp_start, rp.ramp, rp.ramp_unit),
                       quota.elapsed(rp.period, team_progress_as_of.as_of, t.time_zone, rp.quota, th.holidays)
                  FROM quota.schedule(t.team_id, NULL, NULL) AS th) AS tf(elapsed, team_elapsed)
         WHERE NOT EXISTS (SELECT FROM own o
                            WHERE o.team_id = m.team_id AND o.kind = rp.kind
                              AND o.period_unit = rp.period_unit AND o.period = rp.period)
         GROUP BY m.team_id, rp.kind, rp.period_unit, rp.period
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
COMMENT ON FUNCTION quota.team_progress_as_of(timestamptz, daterange) IS 'Progress of every team in the periods through the one containing as_of that start on a day of period_starts. With a quota of its own, a team''s actual sums every rep of the team and its sub-teams at any depth; without one, its row sums its members'' rows of that kind, unit and period (their prorated targets and actuals). Ranks among all teams and among sibling teams.';

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
BEGIN ATOMIC
    SELECT * FROM quota.team_progress_as_of(team_progress_as_of.as_of, '(,)'::daterange);
END;
COMMENT ON FUNCTION quota.team_progress_as_of(timestamptz) IS 'Progress of every team in every period through the one containing as_of: quota.team_progress_as_of(as_of, period_starts) over all starts. Inlined, so that a filter on period_start narrows period_starts.';

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

-- Trigger functions are the extension's own: nobody else may attach them
-- to a table (firing them needs no privilege).
REVOKE EXECUTE ON FUNCTION quota.team_no_cycle() FROM PUBLIC;
