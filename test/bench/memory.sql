-- One INSERT ... SELECT of :rows rows into :target; the shell samples the
-- backend's memory while it runs and reads its peak (VmHWM) afterwards.
SELECT pg_backend_pid() AS pid \gset
\setenv BENCH_PID :pid
\! echo "$BENCH_PID" > "$BENCH_PIDFILE"
\timing on
INSERT INTO :target (rep_id, kind, occurred_at, qty, source)
SELECT rep_id, kind, occurred_at, qty, source FROM bench.rows(1, :rows);
\timing off
\! grep -E '^(VmHWM|RssAnon|RssShmem):' "/proc/$BENCH_PID/status"
