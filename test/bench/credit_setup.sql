-- Benchmark 9, split credit: the baseline table, quota.activity_credit's
-- columns, key, indexes and foreign keys without the extension's triggers,
-- referencing the baseline's activity.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench.credit_plain;
CREATE TABLE bench.credit_plain (
    activity_id bigint NOT NULL REFERENCES bench.activity_plain ON DELETE CASCADE,
    rep_id      text NOT NULL REFERENCES quota.rep,
    share       numeric NOT NULL CHECK (share > 0 AND share <= 100),
    from_rep_id text NOT NULL,
    kind        text NOT NULL,
    occurred_at timestamptz NOT NULL,
    qty         numeric NOT NULL,
    PRIMARY KEY (activity_id, rep_id)
);
CREATE INDEX ON bench.credit_plain (rep_id, kind, occurred_at);
CREATE INDEX ON bench.credit_plain (from_rep_id, kind, occurred_at);
DELETE FROM quota.activity_credit;
