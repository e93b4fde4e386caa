-- As read_groupby_indexed.sql, with each (rep, kind)'s month summed in a
-- subquery of its own: one index range scan per assignment, summed as it is
-- read (the nested loop the planner does not always choose for the join).
SELECT a.rep_id, a.kind,
       round(quota.target_for(a.target, a.valid * daterange(:'month', (date :'month' + interval '1 month')::date)), 2) AS target,
       coalesce((SELECT sum(x.qty)
                   FROM bench.activity_plain x
                  WHERE x.rep_id = a.rep_id AND x.kind = a.kind
                    AND x.occurred_at >= (date :'month')::timestamp AT TIME ZONE r.time_zone
                    AND x.occurred_at < least(timestamptz :'as_of', (date :'month' + interval '1 month') AT TIME ZONE r.time_zone)), 0) AS actual
  FROM quota.assignment a
  JOIN quota.rep r ON r.rep_id = a.rep_id
 WHERE a.valid && daterange(:'month', (date :'month' + interval '1 month')::date);
