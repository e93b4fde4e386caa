-- As read_groupby.sql, with the month turned into a range of occurred_at per
-- rep, so that the index (rep_id, kind, occurred_at) bounds the rows read.
SELECT a.rep_id, a.kind,
       round(quota.target_for(a.target, a.valid * daterange(:'month', (date :'month' + interval '1 month')::date)), 2) AS target,
       coalesce(sum(x.qty), 0) AS actual
  FROM quota.assignment a
  JOIN quota.rep r ON r.rep_id = a.rep_id
  LEFT JOIN bench.activity_plain x
         ON x.rep_id = a.rep_id AND x.kind = a.kind
        AND x.occurred_at >= (date :'month')::timestamp AT TIME ZONE r.time_zone
        AND x.occurred_at < least(timestamptz :'as_of', (date :'month' + interval '1 month') AT TIME ZONE r.time_zone)
 WHERE a.valid && daterange(:'month', (date :'month' + interval '1 month')::date)
 GROUP BY a.assignment_id, a.rep_id, a.kind;
