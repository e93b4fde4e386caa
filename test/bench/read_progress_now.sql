-- Progress of every rep and kind in one month, as of now (quota.progress),
-- from the extension's totals.
SELECT rep_id, kind, target, actual
  FROM quota.progress
 WHERE period_start = :'month';
