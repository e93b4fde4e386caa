-- One rep's progress in one month, as of now, ranks included.
SELECT rep_id, kind, target, actual, attainment_rank, shortfall_rank
  FROM quota.progress
 WHERE rep_id = 'rep0001' AND period_start = :'month';
