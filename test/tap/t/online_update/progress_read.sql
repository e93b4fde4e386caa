-- Reads progress: every rep, kind and period up to now (the columns count
-- and actual are in quota.progress in every version).
SELECT count(*), sum(actual) FROM quota.progress;
