-- Shares :n activities of quota.activity, 60 % to their rep and 40 % to the
-- next rep, in one transaction (the shares are checked at commit).
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO quota.activity_credit (activity_id, rep_id, share)
SELECT a.activity_id, s.rep_id, s.share
  FROM (SELECT activity_id, rep_id FROM quota.activity ORDER BY activity_id LIMIT :n) AS a
 CROSS JOIN LATERAL (VALUES (a.rep_id, 60),
                            ('rep' || lpad((1 + substr(a.rep_id, 4)::int % 1000)::text, 4, '0'), 40)) AS s(rep_id, share);
COMMIT;
