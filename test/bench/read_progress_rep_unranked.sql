-- One rep's progress in one month, as of now, without the ranks
-- (quota.progress_unranked_as_of: the filter on rep_id reaches the
-- computation).
SELECT rep_id, kind, target, actual, attainment, pace, status
  FROM quota.progress_unranked_as_of(now())
 WHERE rep_id = 'rep0001' AND period_start = :'month';
