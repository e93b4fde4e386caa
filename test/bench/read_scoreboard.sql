-- The scoreboard of one month, as of now, from the extension's totals.
SELECT rep_id, score
  FROM quota.scoreboard
 WHERE period_start = :'month';
