-- Progress of every rep and kind in one month, from the extension's totals.
SELECT rep_id, kind, target, actual
  FROM quota.progress_as_of(:'as_of')
 WHERE period_start = :'month';
