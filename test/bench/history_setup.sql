-- Every assignment made to reach back :years years more (run with -v years=6,
-- then -v years=-6 to undo).
UPDATE quota.assignment SET valid = daterange((lower(valid) - make_interval(years => :years))::date, upper(valid));
VACUUM ANALYZE quota.assignment;
