-- New deals in the tracked table crm.deals (READ COMMITTED): one to three
-- rows, a quarter of them open (the filter leaves them out), those of sk21
-- (no rep) unmatched; the ledger gets the won deals of reps.
\set r random(1, 21)
\set u random(1, 9)
\set s random(60, 864000)
\set x random(1, 1000000000000)
WITH ins AS (
    INSERT INTO crm.deals (owner, won_at, units, status)
    SELECT 'sk' || lpad((1 + (:r + i) % 21)::text, 2, '0'), now() - (:s + i) * interval '1 second', :u + i,
           CASE WHEN (:x + i) % 4 = 0 THEN 'open' ELSE 'won' END
      FROM generate_series(1, 1 + :x % 3) AS i
    RETURNING owner, won_at, units, status)
INSERT INTO soak_ledger (source, op, rep_id, kind, day, qty_change, rows_change)
SELECT 'deals', 'deal_insert', owner, 'units_sold', soak_day(owner, won_at), units, 1
  FROM ins WHERE status = 'won' AND soak_day(owner, won_at) IS NOT NULL;
