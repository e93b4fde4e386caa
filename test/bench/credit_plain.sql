-- The same shares of :n activities of the baseline, with the values the
-- extension copies from the activity computed in the statement.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO bench.credit_plain (activity_id, rep_id, share, from_rep_id, kind, occurred_at, qty)
SELECT a.activity_id, s.rep_id, s.share, a.rep_id, a.kind, a.occurred_at, trim_scale(a.qty * s.share * 0.01)
  FROM (SELECT activity_id, rep_id, kind, occurred_at, qty FROM bench.activity_plain ORDER BY activity_id LIMIT :n) AS a
 CROSS JOIN LATERAL (VALUES (a.rep_id, 60),
                            ('rep' || lpad((1 + substr(a.rep_id, 4)::int % 1000)::text, 4, '0'), 40)) AS s(rep_id, share);
COMMIT;
