-- The same correction on the baseline.
\set id random(1, :rows)
UPDATE bench.activity_plain SET qty = qty + 1 WHERE activity_id = :id;
