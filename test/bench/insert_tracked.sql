-- pgbench: one row in bench.crm_tracked (tracked once per kind), of a rep
-- drawn among the first :reps (1000: uniform over all reps, 1: all on one
-- rep), in the last hour; void 1 time in 20.
\set r random(1, :reps)
\set k random(1, 5)
\set s random(1, 3600)
\set v random(1, 20)
INSERT INTO bench.crm_tracked (owner, kind, occurred_at, qty, status, source)
VALUES ('rep' || lpad(:r::text, 4, '0'), (ARRAY['call', 'email', 'social_contact', 'meeting', 'opportunity'])[:k],
        now() - make_interval(secs => :s), 1, CASE WHEN :v = 1 THEN 'void' ELSE 'done' END, 'pgbench');
