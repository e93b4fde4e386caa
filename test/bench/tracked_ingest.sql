-- Bulk ingest by INSERT ... SELECT of :rows generated rows, spread over the
-- :days days before the anchor, into :target (bench.crm_tracked or
-- bench.crm_plain).
INSERT INTO :target (owner, kind, occurred_at, qty, status, source)
SELECT owner, kind, occurred_at, qty, status, source FROM bench.crm_rows(1, :rows, :days);
