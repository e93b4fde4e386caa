-- Scoreboard: a weighted score across kinds.  Conversion: outcomes over effort.

CREATE FUNCTION quota.score_cap() RETURNS numeric
    AS 'MODULE_PATHNAME', 'score_cap'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.score_cap() IS 'The setting quota.score_cap, the highest attainment one kind contributes to a weighted score.';

CREATE FUNCTION quota.scoreboard_as_of(as_of timestamptz, unit text, period_starts daterange)
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
                           sum(CASE WHEN whole.month THEN coalesce(mt.qty, 0)
                                    ELSE (SELECT act.qty
                                            FROM quota.rep_actual(a.rep_id, r.time_zone, a.kind, p.period * a.valid,
                                                                  scoreboard_as_of.as_of, r.today) AS act) END) AS actual
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
                     -- A month that has ended and that the assignment
                     -- covers whole: its month total, joined for every rep
                     -- at once (as in progress_exact_as_of), of the months
                     -- of period_starts only (by the index on month).
                     CROSS JOIN LATERAL (SELECT quota.ended_month(scoreboard_as_of.unit, p.period * a.valid,
                                                                  p.period, r.today)) AS whole(month)
                      LEFT JOIN quota.month_actuals(scoreboard_as_of.as_of) AS mt
                             ON mt.rep_id = a.rep_id AND mt.kind = a.kind AND mt.month = lower(p.period)
                            AND mt.month >= coalesce(lower(scoreboard_as_of.period_starts), '-infinity')
                            AND mt.month < coalesce(upper(scoreboard_as_of.period_starts), 'infinity')
                            AND whole.month
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
COMMENT ON FUNCTION quota.scoreboard_as_of(timestamptz, text, daterange) IS 'Weighted score of every rep in the periods of the unit through the one containing as_of that start on a day of period_starts: sum of weight * least(attainment, quota.score_cap) over the kinds the rep has a target for, divided by the sum of their weights; targets of other units are prorated to the period. Ranked by score, and among reps who met every target.';

CREATE FUNCTION quota.scoreboard_as_of(as_of timestamptz, unit text DEFAULT 'month')
    RETURNS TABLE (
        rep_id text, team_id text, period_start date, period_end date,
        kinds integer, score numeric, met_all boolean,
        rank integer, over_quota_rank integer)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT * FROM quota.scoreboard_as_of(scoreboard_as_of.as_of, scoreboard_as_of.unit, '(,)'::daterange);
END;
COMMENT ON FUNCTION quota.scoreboard_as_of(timestamptz, text) IS 'Weighted score of every rep in every period of the unit (default month) through the one containing as_of: quota.scoreboard_as_of(as_of, unit, period_starts) over all starts. Inlined, so that a filter on period_start narrows period_starts.';

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
        -- Whole days before as_of's day from the totals, that day from the
        -- rows of quota.activity and their credits (and, for tracked
        -- tables, from the day's totals).
        SELECT rd.rep_id, rd.team_id, d.kind, quota.period(conversion_as_of.unit, d.day) AS period, d.qty
          FROM rep_day rd
          JOIN quota.daily_total d ON d.rep_id = rd.rep_id
           AND (d.day < rd.today OR (d.day = rd.today AND d.tracking_id <> 0))
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
