-- The same figures from the raw rows of the plain table: targets from the
-- assignments, actual = rows of the month in the rep's time zone before :as_of.
SELECT a.rep_id, a.kind,
       round(quota.target_for(a.target, a.valid * daterange(:'month', (date :'month' + interval '1 month')::date)), 2) AS target,
       coalesce(sum(x.qty), 0) AS actual
  FROM quota.assignment a
  JOIN quota.rep r ON r.rep_id = a.rep_id
  LEFT JOIN bench.activity_plain x
         ON x.rep_id = a.rep_id AND x.kind = a.kind
        AND date_trunc('month', x.occurred_at AT TIME ZONE r.time_zone) = date :'month'
        AND x.occurred_at < :'as_of'
 WHERE a.valid && daterange(:'month', (date :'month' + interval '1 month')::date)
 GROUP BY a.assignment_id, a.rep_id, a.kind;
