-- Samples what the other backends of this database wait on, every 0.1 s for
-- :seconds seconds, and prints one line per (who, wait): who is 'reader'
-- (application_name quota_reader), 'writer' (pgbench) or 'other'; the wait
-- is wait_event_type:wait_event, or 'cpu' for an active backend that waits
-- on nothing; blocked_by says whose heavyweight lock it waits for.
CREATE TEMP TABLE wait_sample (who text, wait text, blocked_by text);
SELECT set_config('bench.seconds', :'seconds', false) \gset
DO $$
DECLARE
    stop timestamptz := clock_timestamp() + current_setting('bench.seconds')::numeric * interval '1 second';
BEGIN
    WHILE clock_timestamp() < stop LOOP
        PERFORM pg_stat_clear_snapshot();  -- a new look at pg_stat_activity
        INSERT INTO wait_sample
        SELECT CASE a.application_name WHEN 'quota_reader' THEN 'reader'
                                       WHEN 'pgbench' THEN 'writer' ELSE 'other' END,
               coalesce(a.wait_event_type || ':' || a.wait_event, 'cpu'),
               (SELECT string_agg(DISTINCT CASE b.application_name WHEN 'quota_reader' THEN 'reader'
                                                                   WHEN 'pgbench' THEN 'writer' ELSE 'other' END, ',')
                  FROM pg_stat_activity b
                 WHERE b.pid = ANY (pg_blocking_pids(a.pid)))
          FROM pg_stat_activity a
         WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
           AND a.state = 'active' AND a.backend_type = 'client backend';
        PERFORM pg_sleep(0.1);
    END LOOP;
END
$$;
SELECT who, wait, coalesce(blocked_by, '') AS blocked_by, count(*) AS samples
  FROM wait_sample
 GROUP BY who, wait, blocked_by
 ORDER BY who, count(*) DESC;
