-- setup: runs first; creates the extension that every other test uses.
CREATE EXTENSION quota_ext CASCADE;
SELECT extname, extversion, extrelocatable FROM pg_extension
 WHERE extname IN ('btree_gist', 'quota_ext') ORDER BY extname;
