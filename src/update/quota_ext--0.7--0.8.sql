-- quota_ext 0.7 -> 0.8: reads at less cost per row.  A rep's actual
-- computes each bound of its range once (inlined, each use of a bound
-- repeated its expression) and takes the moment's day from its caller,
-- which has it per rep; progress, team progress and the scoreboard compute
-- that day once per rep, in a subquery of the reps merged with the
-- assignments in one pass (0.7 probed the exclusion constraint's GiST index
-- once per rep).  quota.progress_as_of is now built on
-- quota.progress_exact_as_of (the exact values behind its rows), as is the
-- new quota.progress_unranked_as_of (its rows without the ranks), which a
-- filter on rep_id reaches.  Names, columns and figures are those of 0.7.

\echo Use "ALTER EXTENSION quota_ext UPDATE TO '0.8'" to load this file. \quit

-- Everything below names its schema; nothing resolves through the caller's
-- search_path.
SET LOCAL search_path = pg_catalog, pg_temp;

CREATE FUNCTION quota.rep_actual(rep_id text, time_zone text, kind text, during daterange, as_of timestamptz, today date)
    RETURNS TABLE (qty numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- The totals of the days from the range's first through as_of's day
    -- (today, in the rep's time zone): the months wholly inside them from
    -- the month totals, the days before and after those from the daily
    -- totals; less what was credited that day at or after as_of (the rep's
    -- activity and the shares credited to the rep, less the shares credited
    -- away), which for as_of = now() is next to none.  Each sum is a
    -- subquery read only when its part is not empty.  Each bound is
    -- computed once, in a subquery of its own that OFFSET 0 keeps apart
    -- (inlined, the planner would repeat its expression wherever the bound
    -- is used); OFFSET 0 keeps the call one subquery too, so that a caller
    -- naming qty twice still reads each part once.
    SELECT CASE WHEN b.first_day < b.head_end THEN
               coalesce((SELECT sum(d.qty) FROM quota.daily_total d
                          WHERE d.rep_id = rep_actual.rep_id AND d.kind = rep_actual.kind
                            AND d.day >= b.first_day AND d.day < b.head_end), 0) ELSE 0 END
         + CASE WHEN b.first_month < b.end_month THEN
               coalesce((SELECT sum(m.qty) FROM quota.month_total m
                          WHERE m.rep_id = rep_actual.rep_id AND m.kind = rep_actual.kind
                            AND m.month >= b.first_month AND m.month < b.end_month), 0) ELSE 0 END
         + CASE WHEN b.first_month < b.end_month AND b.end_month < b.end_day THEN
               coalesce((SELECT sum(d.qty) FROM quota.daily_total d
                          WHERE d.rep_id = rep_actual.rep_id AND d.kind = rep_actual.kind
                            AND d.day >= b.end_month AND d.day < b.end_day), 0) ELSE 0 END
         - CASE WHEN b.today_inside THEN
               coalesce((SELECT sum(x.qty) FROM quota.activity x
                          WHERE x.rep_id = rep_actual.rep_id AND x.kind = rep_actual.kind
                            AND x.occurred_at >= rep_actual.as_of
                            AND x.occurred_at < rep_actual.as_of + interval '26 hours'
                            AND quota.period_start('day', x.occurred_at, rep_actual.time_zone) = rep_actual.today), 0)
             + coalesce((SELECT sum(c.qty) FROM quota.activity_credit c
                          WHERE c.rep_id = rep_actual.rep_id AND c.kind = rep_actual.kind
                            AND c.occurred_at >= rep_actual.as_of
                            AND c.occurred_at < rep_actual.as_of + interval '26 hours'
                            AND quota.period_start('day', c.occurred_at, rep_actual.time_zone) = rep_actual.today), 0)
             - coalesce((SELECT sum(c.qty) FROM quota.activity_credit c
                          WHERE c.from_rep_id = rep_actual.rep_id AND c.kind = rep_actual.kind
                            AND c.occurred_at >= rep_actual.as_of
                            AND c.occurred_at < rep_actual.as_of + interval '26 hours'
                            AND quota.period_start('day', c.occurred_at, rep_actual.time_zone) = rep_actual.today), 0)
           ELSE 0 END
      FROM (-- the head ends where the whole months start, or with the days
            SELECT m.first_day, m.end_day, m.today_inside, m.first_month, m.end_month,
                   CASE WHEN m.first_month < m.end_month THEN m.first_month ELSE m.end_day END AS head_end
              FROM (-- the first month that starts on or after the first day,
                    -- and the month of the end: the whole months are those
                    -- in between
                    SELECT days.first_day, days.end_day, days.today_inside,
                           quota.period_end('month', days.first_day - 1) AS first_month,
                           quota.period_start('month', days.end_day) AS end_month
                      FROM (SELECT lower(rep_actual.during) AS first_day,
                                   least(upper(rep_actual.during), rep_actual.today + 1) AS end_day,
                                   rep_actual.today <@ rep_actual.during AS today_inside
                            OFFSET 0) AS days
                    OFFSET 0) AS m
           ) AS b
    OFFSET 0;
END;
COMMENT ON FUNCTION quota.rep_actual(text, text, text, daterange, timestamptz, date) IS 'One row: the quantity credited to a rep for a kind (the rep''s activity, plus shares of others'' activity credited to the rep, less shares of the rep''s activity credited to others) on the days of a date range (in the rep''s time zone, given) before a moment, whose day in that zone the caller gives (today: quota.period_start(''day'', as_of, time_zone)). Inlined into the progress views.';

CREATE OR REPLACE FUNCTION quota.rep_actual(rep_id text, time_zone text, kind text, during daterange, as_of timestamptz)
    RETURNS TABLE (qty numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT a.qty
      FROM quota.rep_actual(rep_actual.rep_id, rep_actual.time_zone, rep_actual.kind, rep_actual.during, rep_actual.as_of,
                            quota.period_start('day', rep_actual.as_of, rep_actual.time_zone)) AS a;
END;
COMMENT ON FUNCTION quota.rep_actual(text, text, text, daterange, timestamptz) IS 'One row: the quantity credited to a rep for a kind (the rep''s activity, plus shares of others'' activity credited to the rep, less shares of the rep''s activity credited to others) on the days of a date range (in the rep''s time zone, given) before a moment: quota.rep_actual() of the moment''s day in that zone.';

CREATE FUNCTION quota.progress_exact_as_of(as_of timestamptz)
    RETURNS TABLE (
        rep_id text, team_id text, kind text, period_unit text,
        period_start date, period_end date,
        target numeric, actual numeric, elapsed numeric, ended boolean)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT a.rep_id, r.team_id, a.kind, quota.unit(a.target) AS period_unit,
           lower(p.period) AS period_start, upper(p.period) AS period_end,
           sum(t.target) AS target,
           sum(act.qty) AS actual,
           -- One assignment: its elapsed fraction.  Several (a change
           -- mid-period): the part of their summed target due by now, or
           -- of their days when they owe nothing.
           CASE WHEN count(*) = 1 THEN min(t.elapsed)
                ELSE coalesce(sum(t.target * t.elapsed) / nullif(sum(t.target), 0),
                              sum(t.days * t.elapsed) / sum(t.days)) END AS elapsed,
           bool_and(r.today >= upper(w.part)) AS ended
      FROM quota.assignment a
      -- Each rep with as_of's day in the rep's zone, computed once per rep
      -- in a subquery that OFFSET 0 keeps apart (flattened, the day would
      -- be computed at each use).  So placed, the reps are merged with the
      -- assignments in one pass; joined directly, they were probed into the
      -- exclusion constraint's GiST index one rep at a time, at several
      -- times the cost.
      JOIN (SELECT r.rep_id, r.team_id, r.time_zone,
                   quota.period_start('day', progress_exact_as_of.as_of, r.time_zone) AS today
              FROM quota.rep r OFFSET 0) AS r ON r.rep_id = a.rep_id
     CROSS JOIN LATERAL quota.schedule(r.team_id, a.ramp_id, a.distribution_id) AS s
     CROSS JOIN LATERAL quota.periods(quota.unit(a.target),
                                      a.valid * daterange(NULL, quota.period_end(quota.unit(a.target), r.today))) AS p(period)
     CROSS JOIN LATERAL (SELECT p.period * a.valid) AS w(part)
     CROSS JOIN LATERAL (SELECT quota.target_for(a.target, w.part, s.holidays, s.season,
                                                 a.ramp_start, s.ramp, s.ramp_unit),
                                quota.elapsed(w.part, progress_exact_as_of.as_of, r.time_zone, a.target,
                                              s.holidays, s.season, a.ramp_start, s.ramp, s.ramp_unit),
                                upper(w.part) - lower(w.part)) AS t(target, elapsed, days)
     CROSS JOIN LATERAL quota.rep_actual(a.rep_id, r.time_zone, a.kind, w.part, progress_exact_as_of.as_of, r.today) AS act
     WHERE progress_exact_as_of.as_of IS NOT NULL  -- no moment, no rows (checked once, first)
     GROUP BY a.rep_id, r.team_id, a.kind, quota.unit(a.target), p.period;
END;
COMMENT ON FUNCTION quota.progress_exact_as_of(timestamptz) IS 'The exact values behind each row of quota.progress_as_of, before its figures are rounded and ranked: per rep, kind, unit and period through the one containing as_of, the target summed over the rep''s assignments (prorated, on their schedules), the actual, the elapsed fraction and whether the period has ended. Inlined, so that filters on rep_id, kind and period_start reach the computation.';

CREATE FUNCTION quota.progress_unranked_as_of(as_of timestamptz)
    RETURNS TABLE (
        rep_id text, team_id text, kind text, period_unit text,
        period_start date, period_end date,
        target numeric, actual numeric, attainment numeric,
        shortfall numeric, surplus numeric, met boolean,
        elapsed numeric, expected_to_date numeric, projected numeric, pace numeric,
        status text)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT e.rep_id, e.team_id, e.kind, e.period_unit, e.period_start, e.period_end,
           f.target, f.actual, f.attainment, f.shortfall, f.surplus, f.met,
           f.elapsed, f.expected_to_date, f.projected, f.pace, f.status
      FROM quota.progress_exact_as_of(progress_unranked_as_of.as_of) AS e
     CROSS JOIN LATERAL quota.figures(e.target, e.actual, e.elapsed, e.ended) AS f;
END;
COMMENT ON FUNCTION quota.progress_unranked_as_of(timestamptz) IS 'The rows of quota.progress_as_of without its two ranks, which need every peer: a filter on rep_id reaches the computation too, so one rep''s progress costs one rep (what an app showing a rep their own figures calls).';

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
    SELECT e.rep_id, e.team_id, e.kind, e.period_unit, e.period_start, e.period_end,
           f.target, f.actual, f.attainment, f.shortfall, f.surplus, f.met,
           f.elapsed, f.expected_to_date, f.projected, f.pace, f.status,
           -- Ranked on the exact values: equal attainments share a rank.
           CASE WHEN e.target > 0 THEN
               rank() OVER (PARTITION BY e.kind, e.period_unit, e.period_start, e.target > 0
                            ORDER BY quota.attainment(e.actual, e.target) DESC)::integer END,
           CASE WHEN e.actual < e.target THEN
               rank() OVER (PARTITION BY e.kind, e.period_unit, e.period_start, e.actual < e.target
                            ORDER BY e.target - e.actual DESC)::integer END
      FROM quota.progress_exact_as_of(progress_as_of.as_of) AS e
     CROSS JOIN LATERAL quota.figures(e.target, e.actual, e.elapsed, e.ended) AS f;
END;
CREATE OR REPLACE FUNCTION quota.team_progress_as_of(as_of timestamptz, period_starts daterange)
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

CREATE OR REPLACE FUNCTION quota.scoreboard_as_of(as_of timestamptz, unit text, period_starts daterange)
    RETURNS TABLE (
        rep_id text, team_id text, period_start date, period_end date,
        kinds integer, score numeric, met_all boolean,
        rank integer, over_quota_rank integer)
    LANGUAGE sql STABLE PARALLEL SAFE
    -- Scores are computed for every rep and period at once, so this runs as
    -- a whole rather than inlined; the estimates over the assignments'
    -- periods and the per-period actuals would start JIT compilation that
    -- costs more than the query.  A filter on period_start narrows
    -- period_starts instead (src/period_filter.c).
    SUPPORT quota.periods_support
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
                      -- Each rep with as_of's day in its zone, once per rep,
                      -- merged with the assignments (as in progress_as_of).
                      JOIN (SELECT r.rep_id, r.team_id, r.time_zone,
                                   quota.period_start('day', scoreboard_as_of.as_of, r.time_zone) AS today
                              FROM quota.rep r OFFSET 0) AS r ON r.rep_id = a.rep_id
                      JOIN quota.activity_kind ak ON ak.kind = a.kind
                     CROSS JOIN LATERAL quota.schedule(r.team_id, a.ramp_id, a.distribution_id) AS sc
                     CROSS JOIN LATERAL quota.periods(scoreboard_as_of.unit,
                                                      a.valid * daterange(NULL, quota.period_end(scoreboard_as_of.unit, r.today))) AS p(period)
                     CROSS JOIN LATERAL quota.rep_actual(a.rep_id, r.time_zone, a.kind, p.period * a.valid,
                                                         scoreboard_as_of.as_of, r.today) AS act
                     WHERE lower(p.period) <@ scoreboard_as_of.period_starts
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
