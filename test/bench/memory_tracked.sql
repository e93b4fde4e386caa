-- One INSERT ... SELECT of :rows rows into :target (bench.crm_tracked or
-- bench.crm_plain); the shell samples the backend's memory while it runs
-- and reads its peak (VmHWM) afterwards, as for memory.sql.
SELECT pg_backend_pid() AS pid \gset
\setenv BENCH_PID :pid
\! echo "$BENCH_PID" > "$BENCH_PIDFILE"
\timing on
INSERT INTO :target (owner, kind, occurred_at, qty, status, source)
SELECT owner, kind, occurred_at, qty, status, source FROM bench.crm_rows(1, :rows);
\timing off
\! grep -E '^(VmHWM|RssAnon|RssShmem):' "/proc/$BENCH_PID/status"
