-- Empties :target (TRUNCATE quota.activity also empties quota.daily_total,
-- by the extension's trigger, and its credits, by CASCADE; the anchor's
-- totals are emptied here) and
-- settles the server, so that every timed load starts from the same state.
SELECT rolsuper AS superuser, :'target' = 'bench.activity_rowtrig' AS anchor
  FROM pg_roles WHERE rolname = current_user \gset
SET client_min_messages = warning;
TRUNCATE :target CASCADE;
RESET client_min_messages;
\if :anchor
TRUNCATE bench.daily_total_rowtrig;
\endif
VACUUM ANALYZE :target, quota.daily_total, bench.daily_total_rowtrig;
\if :superuser
CHECKPOINT;
\endif
