
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
                            ORDER BY p.actual / nullif(p.target, 0) DESC)::integer END,
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
