-- Empties :target (TRUNCATE quota.activity also empties quota.daily_total,
-- by the extension's trigger; the anchor's totals are emptied here) and
-- settles the server, so that every timed load starts from the same state.
SELECT rolsuper AS superuser, :'target' = 'bench.activity_rowtrig' AS anchor
  FROM pg_roles WHERE rolname = current_user \gset
TRUNCATE :target CASCADE;
\if :anchor
TRUNCATE bench.daily_total_rowtrig;
\endif
VACUUM ANALYZE :target, quota.daily_total, bench.daily_total_rowtrig;
\if :superuser
CHECKPOINT;
\endif
