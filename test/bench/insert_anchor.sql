-- pgbench: one activity row in bench.activity_rowtrig, of a rep drawn among the first
-- :reps (1000: uniform over all reps, 1: all on one rep), in the last hour.
\set r random(1, :reps)
\set k random(1, 5)
\set s random(1, 3600)
INSERT INTO bench.activity_rowtrig (rep_id, kind, occurred_at, source)
VALUES ('rep' || lpad(:r::text, 4, '0'), (ARRAY['call', 'email', 'social_contact', 'meeting', 'opportunity'])[:k],
        now() - make_interval(secs => :s), 'pgbench');
