-- Bulk ingest by INSERT ... SELECT of :rows generated rows, spread over the
-- :days days before the anchor, into :target.
INSERT INTO :target (rep_id, kind, occurred_at, qty, source)
SELECT rep_id, kind, occurred_at, qty, source FROM bench.rows(1, :rows, :days);
