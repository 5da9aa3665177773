-- SQLite's migration of this number sets how its full-text index merges
-- its segments. PostgreSQL's GIN index has no such setting to change: its
-- pending entries are merged into the index by autovacuum, or by the
-- insert that finds the pending list full. This file keeps the two
-- engines' migrations one for one.
SELECT 1;
