-- quota_ext 0.1: activity and sales quotas inside PostgreSQL.

\echo Use "CREATE EXTENSION quota_ext" to load this file. \quit

-- Everything below names its schema; nothing resolves through the caller's
-- search_path.
SET LOCAL search_path = pg_catalog, pg_temp;
