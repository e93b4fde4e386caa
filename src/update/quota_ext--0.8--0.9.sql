-- quota_ext 0.8 -> 0.9: progress and the scoreboard read the months that
-- have ended in one pass.  A month that an assignment covers whole and
-- that has ended counts its month total; progress and the scoreboard now
-- join those totals (quota.month_actuals(as_of)), every rep's at once,
-- instead of probing quota.month_total row by row, and a filter on the
-- period's start reaches the table through the join and its new index on
-- month.
-- Progress computes the assignment's part of each period, its target and
-- its elapsed fraction once per row instead of at each use, and a filter
-- on rep_id reaches its reps.  Names, columns and figures are those of
-- 0.8.

\echo Use "ALTER EXTENSION quota_ext UPDATE TO '0.9'" to load this file. \quit

-- Everything below names its schema; nothing resolves through the caller's
-- search_path.
SET LOCAL search_path = pg_catalog, pg_temp;

-- Progress and the scoreboard read one month of every rep at once
-- (progress.sql); writers add to qty only, so their updates stay heap-only.
CREATE INDEX month_total_month ON quota.month_total (month);
COMMENT ON INDEX quota.month_total_month IS 'The totals of one month, every rep''s: what progress and the scoreboard join for the months that have ended.';

-- A month that has ended and that an assignment covers whole: its actual
-- is its month total, which quota.rep_actual would read alone.  The
-- reports that compute many reps join those totals, every rep's at once,
-- instead of probing quota.month_total row by row; a filter on the
-- period's start then reaches quota.month_total through the join's
-- equality, and the index on month reads that month's totals alone.

CREATE FUNCTION quota.month_actuals(ended_by timestamptz)
    RETURNS TABLE (rep_id text, kind text, month date, qty numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- No zone's day at a moment is later than the UTC day 26 hours on (as
    -- in quota.rep_actual), so the months that may have ended by then end
    -- on that day at the latest: the running month's totals are not read.
    SELECT m.rep_id, m.kind, m.month, sum(m.qty)
      FROM quota.month_total m
     WHERE m.month <= (((month_actuals.ended_by + interval '26 hours') AT TIME ZONE 'UTC')::date - interval '1 month')::date
     GROUP BY m.rep_id, m.kind, m.month;
END;
COMMENT ON FUNCTION quota.month_actuals(timestamptz) IS 'One row per rep, kind and calendar month (in the rep''s time zone) that may have ended by a moment in some zone, with totals: the quantity credited, the sum of its rows of quota.month_total (every source and slot). Inlined, so that a filter on month reaches the table.';

CREATE FUNCTION quota.ended_month(unit text, part daterange, period daterange, today date)
    RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT ended_month.unit = 'month' AND ended_month.part = ended_month.period
           AND ended_month.today >= upper(ended_month.period);
END;
COMMENT ON FUNCTION quota.ended_month(text, daterange, daterange, date) IS 'Whether an assignment''s part of a period is the whole period, a calendar month (unit month), ended by today: the part''s actual is then its row of quota.month_actuals(as_of).';

CREATE OR REPLACE FUNCTION quota.progress_exact_as_of(as_of timestamptz)
    RETURNS TABLE (
        rep_id text, team_id text, kind text, period_unit text,
        period_start date, period_end date,
        target numeric, actual numeric, elapsed numeric, ended boolean)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT a.rep_id, r.team_id, a.kind, quota.unit(a.target) AS period_unit,
           lower(p.period) AS period_start, upper(p.period) AS period_end,
           sum(t.target) AS target,
           sum(CASE WHEN whole.month THEN coalesce(mt.qty, 0)
                    ELSE (SELECT act.qty
                            FROM quota.rep_actual(a.rep_id, r.time_zone, a.kind, t.part,
                                                  progress_exact_as_of.as_of, r.today) AS act) END) AS actual,
           -- One assignment: its elapsed fraction.  Several (a change
           -- mid-period): the part of their summed target due by now, or
           -- of their days when they owe nothing.
           CASE WHEN count(*) = 1 THEN min(t.elapsed)
                ELSE coalesce(sum(t.target * t.elapsed) / nullif(sum(t.target), 0),
                              sum(t.days * t.elapsed) / sum(t.days)) END AS elapsed,
           bool_and(r.today >= upper(t.part)) AS ended
      FROM quota.assignment a
      -- Each rep with as_of's day in the rep's zone, computed once per rep
      -- in a subquery grouped by the rep's key, which keeps it apart
      -- (flattened, the day would be computed at each use) and, unlike
      -- OFFSET 0, lets a filter on rep_id in: one rep's day is computed
      -- for one rep.  So placed, the reps are joined with the assignments
      -- in one pass; joined directly, they were probed into the exclusion
      -- constraint's GiST index one rep at a time, at several times the
      -- cost.
      JOIN (SELECT r.rep_id, r.team_id, r.time_zone,
                   quota.period_start('day', progress_exact_as_of.as_of, r.time_zone) AS today
              FROM quota.rep r GROUP BY r.rep_id) AS r ON r.rep_id = a.rep_id
     CROSS JOIN LATERAL quota.schedule(r.team_id, a.ramp_id, a.distribution_id) AS s
     CROSS JOIN LATERAL quota.periods(quota.unit(a.target),
                                      a.valid * daterange(NULL, quota.period_end(quota.unit(a.target), r.today))) AS p(period)
     -- The assignment's part of the period, its target, elapsed fraction
     -- and days, computed once per row in a subquery that OFFSET 0 keeps
     -- apart (flattened, each would be computed again at each use).
     CROSS JOIN LATERAL (SELECT w.part,
                                quota.target_for(a.target, w.part, s.holidays, s.season,
                                                 a.ramp_start, s.ramp, s.ramp_unit),
                                quota.elapsed(w.part, progress_exact_as_of.as_of, r.time_zone, a.target,
                                              s.holidays, s.season, a.ramp_start, s.ramp, s.ramp_unit),
                                upper(w.part) - lower(w.part)
                           FROM (SELECT p.period * a.valid) AS w(part)
                         OFFSET 0) AS t(part, target, elapsed, days)
     -- A month that has ended and that the assignment covers whole: its
     -- month total, joined (a filter on period_start reaches it); every
     -- other part of a period is read by quota.rep_actual, row by row.
     CROSS JOIN LATERAL (SELECT quota.ended_month(quota.unit(a.target), t.part, p.period, r.today)) AS whole(month)
      LEFT JOIN quota.month_actuals(progress_exact_as_of.as_of) AS mt
             ON mt.rep_id = a.rep_id AND mt.kind = a.kind AND mt.month = lower(p.period) AND whole.month
     WHERE progress_exact_as_of.as_of IS NOT NULL  -- no moment, no rows (checked once, first)
     GROUP BY a.rep_id, r.team_id, a.kind, quota.unit(a.target), p.period;
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
