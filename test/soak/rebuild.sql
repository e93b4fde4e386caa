-- Recomputes the totals of one rep while the others write (READ COMMITTED).
\set r random(1, 20)
SELECT quota.rebuild('sk' || lpad(:r::text, 2, '0'));
