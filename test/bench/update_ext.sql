-- One correction per transaction: the quantity of a random activity of
-- quota.activity (pgbench -D rows=N).
\set id random(1, :rows)
UPDATE quota.activity SET qty = qty + 1 WHERE activity_id = :id;
