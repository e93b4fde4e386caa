-- A correction of an activity row anywhere in the table (REPEATABLE READ):
-- a new quantity, and a third of the time a move to another rep, another
-- third to another moment (another day, mostly).  The ledger takes the old
-- row's quantity from its rep and day and adds the new one's.  A concurrent
-- change of the same row is a serialization failure, retried by pgbench.
SELECT max(activity_id) AS max_id FROM quota.activity \gset
\set x random(1, :max_id)
\set m random(1, 3)
\set r random(1, 20)
\set s random(60, 864000)
\set q random(1, 9)
BEGIN ISOLATION LEVEL REPEATABLE READ;
WITH old AS (
    SELECT activity_id, rep_id, kind, occurred_at, qty FROM quota.activity
     WHERE activity_id >= :x ORDER BY activity_id LIMIT 1 FOR UPDATE),
upd AS (
    UPDATE quota.activity a
       SET qty = :q,
           rep_id = CASE WHEN :m = 2 THEN 'sk' || lpad(:r::text, 2, '0') ELSE a.rep_id END,
           occurred_at = CASE WHEN :m = 3 THEN now() - :s * interval '1 second' ELSE a.occurred_at END
      FROM old WHERE a.activity_id = old.activity_id
    RETURNING a.rep_id, a.kind, a.occurred_at, a.qty,
              old.rep_id AS old_rep_id, old.occurred_at AS old_occurred_at, old.qty AS old_qty)
INSERT INTO soak_ledger (source, op, rep_id, kind, day, qty_change, rows_change)
SELECT 'activity', 'correct', c.rep_id, upd.kind, soak_day(c.rep_id, c.at), c.qty, c.n
  FROM upd, LATERAL (VALUES (upd.old_rep_id, upd.old_occurred_at, -upd.old_qty, -1),
                            (upd.rep_id, upd.occurred_at, upd.qty, 1)) AS c(rep_id, at, qty, n);
COMMIT;
