-- Team progress of one month from raw rows: each rep's month as a range of
-- occurred_at (the index (rep_id, kind, occurred_at) bounds the rows read,
-- each row read once), then summed up the team hierarchy
-- (quota.team_membership: every team a rep belongs to, at any depth).
WITH per_rep AS (
    SELECT a.rep_id, a.kind,
           quota.target_for(a.target, a.valid * daterange(:'month', (date :'month' + interval '1 month')::date)) AS target,
           coalesce((SELECT sum(x.qty)
                       FROM bench.activity_plain x
                      WHERE x.rep_id = a.rep_id AND x.kind = a.kind
                        AND x.occurred_at >= (date :'month')::timestamp AT TIME ZONE r.time_zone
                        AND x.occurred_at < least(timestamptz :'as_of', (date :'month' + interval '1 month') AT TIME ZONE r.time_zone)), 0) AS actual
      FROM quota.assignment a
      JOIN quota.rep r ON r.rep_id = a.rep_id
     WHERE a.valid && daterange(:'month', (date :'month' + interval '1 month')::date)
)
SELECT m.team_id, p.kind, round(sum(p.target), 2) AS target, sum(p.actual) AS actual
  FROM per_rep p
  JOIN quota.team_membership m ON m.rep_id = p.rep_id
 GROUP BY m.team_id, p.kind;
