-- A correction of a deal anywhere in the tracked table (REPEATABLE READ):
-- new units, and a status in or out of the filter, another owner (sk21,
-- no rep, now and then) or another moment.  The ledger takes what the old
-- row counted and adds what the new one counts.
SELECT max(deal_id) AS max_id FROM crm.deals \gset
\set x random(1, :max_id)
\set m random(1, 3)
\set r random(1, 21)
\set s random(60, 864000)
\set u random(1, 9)
\set w random(1, 4)
BEGIN ISOLATION LEVEL REPEATABLE READ;
WITH old AS (
    SELECT deal_id, owner, won_at, units, status FROM crm.deals
     WHERE deal_id >= :x ORDER BY deal_id LIMIT 1 FOR UPDATE),
upd AS (
    UPDATE crm.deals d
       SET units = :u,
           status = CASE WHEN :m = 1 THEN CASE WHEN :w = 1 THEN 'lost' ELSE 'won' END ELSE d.status END,
           owner = CASE WHEN :m = 2 THEN 'sk' || lpad(:r::text, 2, '0') ELSE d.owner END,
           won_at = CASE WHEN :m = 3 THEN now() - :s * interval '1 second' ELSE d.won_at END
      FROM old WHERE d.deal_id = old.deal_id
    RETURNING d.owner, d.won_at, d.units, d.status,
              old.owner AS old_owner, old.won_at AS old_won_at, old.units AS old_units, old.status AS old_status)
INSERT INTO soak_ledger (source, op, rep_id, kind, day, qty_change, rows_change)
SELECT 'deals', 'deal_update', c.owner, 'units_sold', soak_day(c.owner, c.at), c.units, c.n
  FROM upd, LATERAL (VALUES (upd.old_owner, upd.old_won_at, upd.old_status, -upd.old_units, -1),
                            (upd.owner, upd.won_at, upd.status, upd.units, 1)) AS c(owner, at, status, units, n)
 WHERE c.status = 'won' AND soak_day(c.owner, c.at) IS NOT NULL;
COMMIT;
