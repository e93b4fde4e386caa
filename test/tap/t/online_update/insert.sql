-- One new activity row per transaction (READ COMMITTED), of one of the
-- reps ou1 .. ou6, a kind, a moment of the last 10 days and a qty of 0.5 to
-- 4.5; its external id ou-<client>-<n> is new: n counts the client's
-- transactions (pgbench -D n=0; a retry counts again, so ids never repeat).
\set n :n + 1
\set r random(1, 6)
\set k random(1, 5)
\set s random(60, 864000)
\set q random(1, 9)
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
VALUES ('ou' || :r, (ARRAY['call', 'email', 'meeting', 'demo', 'opportunity'])[:k],
        now() - :s * interval '1 second', :q * 0.5, 'ou-' || :client_id || '-' || :n, 'online_update');
