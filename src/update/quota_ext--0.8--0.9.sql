-- quota_ext 0.8 -> 0.9: progress reads the months that have ended in one
-- pass.  A month an assignment covers whole and that has ended counts its
-- month total, which progress now joins for every rep at once (a filter on
-- period_start reaches quota.month_total through the join and its new
-- index on month) instead of probing it row by row; the assignment's part
-- of each period, its target and its elapsed fraction are computed once
-- per row instead of at each use.  Names, columns and figures are those of
-- 0.8.

\echo Use "ALTER EXTENSION quota_ext UPDATE TO '0.9'" to load this file. \quit

-- Everything below names its schema; nothing resolves through the caller's
-- search_path.
SET LOCAL search_path = pg_catalog, pg_temp;

-- Progress reads one month of every rep at once (progress.sql); writers add
-- to qty only, so their updates stay heap-only.
CREATE INDEX month_total_month ON quota.month_total (month);
COMMENT ON INDEX quota.month_total_month IS 'The totals of one month, every rep''s: what progress joins for the months that have ended.';

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
     -- A month the assignment covers whole and that has ended: its actual
     -- is its month total, which quota.rep_actual would read alone, here
     -- joined in one pass instead of probed row by row.  A filter on
     -- period_start reaches quota.month_total through the join's equality,
     -- so that only that month's totals are read (by the index on month).
     -- Every other part of a period is read by quota.rep_actual.
     CROSS JOIN LATERAL (SELECT quota.unit(a.target) = 'month' AND t.part = p.period
                                AND r.today >= upper(p.period)) AS whole(month)
      LEFT JOIN (SELECT m.rep_id, m.kind, m.month, sum(m.qty) AS qty
                   FROM quota.month_total m
                  GROUP BY m.rep_id, m.kind, m.month) AS mt
             ON mt.rep_id = a.rep_id AND mt.kind = a.kind AND mt.month = lower(p.period) AND whole.month
     WHERE progress_exact_as_of.as_of IS NOT NULL  -- no moment, no rows (checked once, first)
     GROUP BY a.rep_id, r.team_id, a.kind, quota.unit(a.target), p.period;
END;
