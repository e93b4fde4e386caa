-- Team progress of one month, as of now, from the extension's totals.
SELECT team_id, kind, target, actual
  FROM quota.team_progress
 WHERE period_start = :'month';
