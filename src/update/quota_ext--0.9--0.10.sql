-- quota_ext 0.9 -> 0.10: progress computes each row's part of its period
-- once.  The part (a range intersection) was computed again at each of its
-- uses, and the sums that weigh the elapsed fractions of several
-- assignments in one period were computed for every row; they now leave
-- out a part that covers its whole period, which is alone there (the
-- assignments of a rep and kind do not overlap).  Names, columns and
-- figures are those of 0.9.

\echo Use "ALTER EXTENSION quota_ext UPDATE TO '0.10'" to load this file. \quit

-- Everything below names its schema; nothing resolves through the caller's
-- search_path.
SET LOCAL search_path = pg_catalog, pg_temp;

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
