-- Empties :target (bench.crm_tracked or bench.crm_plain) and settles the
-- server, as prepare.sql does, so that every timed load starts from the
-- same state.  bench.crm_tracked is untracked first (which removes its
-- totals; a TRUNCATE of a tracked table would read its rows to take them
-- back) and tracked again once empty.
--
-- How it is tracked: quota.track() counts one kind per tracking, so a
-- table that holds several kinds in a column is tracked once per kind,
-- each filter naming its kind (and leaving out void rows): what a user
-- of a CRM's table does.  Every row passes the filter of one tracking at
-- most; the five WHEN clauses it meets are part of the cost measured.
SELECT rolsuper AS superuser, :'target' = 'bench.crm_tracked' AS tracked
  FROM pg_roles WHERE rolname = current_user \gset
SET client_min_messages = warning;
\if :tracked
SELECT quota.untrack('bench.crm_tracked') FROM quota.tracking
 WHERE source = 'bench.crm_tracked'::regclass LIMIT 1 \g /dev/null
\endif
TRUNCATE :target;
RESET client_min_messages;
VACUUM ANALYZE :target, quota.daily_total, quota.unmatched;
\if :tracked
SELECT quota.track('bench.crm_tracked', k.kind, 'owner', 'occurred_at', 'qty',
                   format('kind = %L AND status <> %L', k.kind, 'void'))
  FROM bench.kind k ORDER BY k.n \g /dev/null
\endif
\if :superuser
CHECKPOINT;
\endif
