-- The scoreboard of one month from raw rows: each rep's month per kind as a
-- range of occurred_at (the index bounds the rows read), then the weighted
-- score of domain.md: sum of weight * least(actual / target, score cap) over
-- the kinds with a target, divided by the sum of their weights.
WITH per_kind AS (
    SELECT a.rep_id, a.kind, ak.weight,
           sum(quota.target_for(a.target, a.valid * daterange(:'month', (date :'month' + interval '1 month')::date))) AS target,
           sum(coalesce((SELECT sum(x.qty)
                           FROM bench.activity_plain x
                          WHERE x.rep_id = a.rep_id AND x.kind = a.kind
                            AND x.occurred_at >= (date :'month')::timestamp AT TIME ZONE r.time_zone
                            AND x.occurred_at < least(timestamptz :'as_of', (date :'month' + interval '1 month') AT TIME ZONE r.time_zone)), 0)) AS actual
      FROM quota.assignment a
      JOIN quota.rep r ON r.rep_id = a.rep_id
      JOIN quota.activity_kind ak ON ak.kind = a.kind
     WHERE a.valid && daterange(:'month', (date :'month' + interval '1 month')::date)
     GROUP BY a.rep_id, a.kind, ak.weight
)
SELECT rep_id, round(sum(weight * least(actual / target, quota.score_cap())) / nullif(sum(weight), 0), 4) AS score
  FROM per_kind
 WHERE target > 0
 GROUP BY rep_id;
