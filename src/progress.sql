-- Progress: one row per rep, kind, unit and period, in ordinary columns:
-- the quantity credited, the target on the assignments' schedules, and the
-- figures of attainment, pace and rank.

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

CREATE FUNCTION quota.rep_actual(rep_id text, time_zone text, kind text, during daterange, as_of timestamptz)
    RETURNS TABLE (qty numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT a.qty
      FROM quota.rep_actual(rep_actual.rep_id, rep_actual.time_zone, rep_actual.kind, rep_actual.during, rep_actual.as_of,
                            quota.period_start('day', rep_actual.as_of, rep_actual.time_zone)) AS a;
END;
COMMENT ON FUNCTION quota.rep_actual(text, text, text, daterange, timestamptz) IS 'One row: the quantity credited to a rep for a kind (the rep''s activity, plus shares of others'' activity credited to the rep, less shares of the rep''s activity credited to others) on the days of a date range (in the rep''s time zone, given) before a moment: quota.rep_actual() of the moment''s day in that zone.';

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
           sum(CASE WHEN whole.month THEN coalesce(mt.qty, 0)
                    ELSE (SELECT act.qty
                            FROM quota.rep_actual(a.rep_id, r.time_zone, a.kind, t.part,
                                                  progress_exact_as_of.as_of, r.today) AS act) END) AS actual,
           -- One assignment: its elapsed fraction.  Several (a change
           -- mid-period): the part of their summed target due by now, or
           -- of their days when they owe nothing.  Assignments of a rep and
           -- kind do not overlap, so a part that is the whole period is
           -- alone: the sums over several leave it out unread.
           CASE WHEN count(*) = 1 THEN min(t.elapsed)
                ELSE coalesce(sum(t.target * t.elapsed) FILTER (WHERE NOT t.covers_period)
                                  / nullif(sum(t.target) FILTER (WHERE NOT t.covers_period), 0),
                              sum(t.days * t.elapsed) FILTER (WHERE NOT t.covers_period)
                                  / sum(t.days) FILTER (WHERE NOT t.covers_period)) END AS elapsed,
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
     -- and days, and whether it is the whole period, computed once per row
     -- in subqueries that OFFSET 0 keeps apart (flattened, each would be
     -- computed again at each use: the part, a range intersection, five
     -- times).
     CROSS JOIN LATERAL (SELECT w.part,
                                quota.target_for(a.target, w.part, s.holidays, s.season,
                                                 a.ramp_start, s.ramp, s.ramp_unit),
                                quota.elapsed(w.part, progress_exact_as_of.as_of, r.time_zone, a.target,
                                              s.holidays, s.season, a.ramp_start, s.ramp, s.ramp_unit),
                                upper(w.part) - lower(w.part),
                                w.part = p.period
                           FROM (SELECT p.period * a.valid OFFSET 0) AS w(part)
                         OFFSET 0) AS t(part, target, elapsed, days, covers_period)
     -- A month that has ended and that the assignment covers whole: its
     -- month total, joined (a filter on period_start reaches it); every
     -- other part of a period is read by quota.rep_actual, row by row.
     CROSS JOIN LATERAL (SELECT quota.ended_month(quota.unit(a.target), t.part, p.period, r.today)) AS whole(month)
      LEFT JOIN quota.month_actuals(progress_exact_as_of.as_of) AS mt
             ON mt.rep_id = a.rep_id AND mt.kind = a.kind AND mt.month = lower(p.period) AND whole.month
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
COMMENT ON FUNCTION quota.progress_as_of(timestamptz) IS 'Progress of every rep and kind in every period of the unit of its quotas, from the first period of its assignments through the one containing as_of (in the rep''s time zone): target (prorated across quota changes, on the schedule of quota.proration, ramps and distributions), actual (with split credit), attainment, shortfall, pace and ranks. Filters on kind and period_start reach the computation.';

CREATE VIEW quota.progress AS
    SELECT rep_id, team_id, kind, period_unit, period_start, period_end,
           target, actual, attainment, shortfall, surplus, met,
           elapsed, expected_to_date, projected, pace, status,
           attainment_rank, shortfall_rank
      FROM quota.progress_as_of(now());
COMMENT ON VIEW quota.progress IS 'Progress of every rep, kind and period up to now: quota.progress_as_of(now()).';
COMMENT ON COLUMN quota.progress.rep_id IS 'The rep.';
COMMENT ON COLUMN quota.progress.team_id IS 'The rep''s team.';
COMMENT ON COLUMN quota.progress.kind IS 'What the quota counts.';
COMMENT ON COLUMN quota.progress.period_unit IS 'The unit of the quota: day, week, month, quarter, half or year.';
COMMENT ON COLUMN quota.progress.period_start IS 'First day of the period.';
COMMENT ON COLUMN quota.progress.period_end IS 'Day after the last day of the period (the period is [period_start, period_end)).';
COMMENT ON COLUMN quota.progress.target IS 'Target for the period: the sum over the rep''s assignments of the kind that meet it, each prorated by the days of quota.proration it covers, shared by its distribution and scaled by its ramp; 2 decimals.';
COMMENT ON COLUMN quota.progress.actual IS 'Quantity credited to the rep (split credit counted by share) in the assignments'' part of the period before the moment of the report.';
COMMENT ON COLUMN quota.progress.attainment IS 'actual / target, 4 decimals (1.25 = 125 %); NULL when there is no target.';
COMMENT ON COLUMN quota.progress.shortfall IS 'How much is missing: max(target - actual, 0); 2 decimals.';
COMMENT ON COLUMN quota.progress.surplus IS 'How much is beyond the target: max(actual - target, 0); 2 decimals.';
COMMENT ON COLUMN quota.progress.met IS 'True when actual >= target.';
COMMENT ON COLUMN quota.progress.elapsed IS 'Fraction of the target due by the moment of the report, on the rep''s wall clock (the elapsed days of the assignments'' part of the period, weighted as the target is), 0 to 1; 4 decimals.';
COMMENT ON COLUMN quota.progress.expected_to_date IS 'target * elapsed: what should be done by now; 2 decimals.';
COMMENT ON COLUMN quota.progress.projected IS 'actual / elapsed: where the period will end at this pace; NULL before the period starts; 2 decimals.';
COMMENT ON COLUMN quota.progress.pace IS 'actual / expected_to_date; NULL when nothing is expected yet; 4 decimals.';
COMMENT ON COLUMN quota.progress.status IS 'met; missed (ended, not met); on_track (open, nothing elapsed or projected >= target); behind (open, projected < target).';
COMMENT ON COLUMN quota.progress.attainment_rank IS 'Rank by attainment, highest first, among reps with a target of the same kind, unit and period; ties share a rank.';
COMMENT ON COLUMN quota.progress.shortfall_rank IS 'Rank by shortfall, largest first, among reps who have not met the target of the same kind, unit and period.';
