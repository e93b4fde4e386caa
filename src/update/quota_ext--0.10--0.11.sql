-- quota_ext 0.10 -> 0.11: a tracked table counts its inserts through one
-- row trigger for all its trackings, quota_track_insert, which evaluates
-- their filters from a session's cache.  Each tracking had an insert
-- trigger of its own, its filter as the WHEN clause, which PostgreSQL
-- reads and prepares again at every statement: more work for a
-- single-row insert than counting the row.  The filters stay the WHEN
-- clauses of the update and delete triggers.  Names, columns and figures
-- are those of 0.10.

\echo Use "ALTER EXTENSION quota_ext UPDATE TO '0.11'" to load this file. \quit

-- Everything below names its schema; nothing resolves through the caller's
-- search_path.
SET LOCAL search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION quota.tracked_row_changed() IS 'Row trigger of a tracked table (its WHEN clause is the filter): takes back a deleted row, or counts one side of an update (an inserted row, for a tracking made before 0.11); a row that cannot be counted goes to quota.unmatched, a change of a closed day to quota.late_change.';
CREATE FUNCTION quota.tracked_row_inserted() RETURNS trigger
    AS 'MODULE_PATHNAME', 'tracked_row_inserted' LANGUAGE C;
COMMENT ON FUNCTION quota.tracked_row_inserted() IS 'Row trigger of the inserts into a tracked table, one for all its trackings: counts the row for each tracking whose filter (the WHEN clause of its update trigger over the new row) it satisfies, evaluated with the writer''s rights; a row that cannot be counted goes to quota.unmatched, one of a closed day to quota.late_change.';
REVOKE EXECUTE ON FUNCTION quota.tracked_row_inserted() FROM PUBLIC;

-- The tables tracked already: their trackings' insert triggers give way
-- to one per table (under the lock quota.track() takes, so that no row is
-- missed or counted twice).
CREATE FUNCTION quota.tracking_inserts_merged() RETURNS integer
    AS 'MODULE_PATHNAME', 'tracking_inserts_merged' LANGUAGE C;
SELECT quota.tracking_inserts_merged();
DROP FUNCTION quota.tracking_inserts_merged();
