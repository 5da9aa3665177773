-- The full-text index is a log-structured merge of segments: each commit
-- that writes documents adds a small segment, and FTS5 merges a level's
-- segments into the next once the level holds `automerge` of them (4 by
-- default), a share of that merge done by every later write. At 1,000,000
-- cases, with a segment per group-commit batch, that merging was a quarter
-- of the single writer's time at intake (docs/benchmarks.md). Sixteen a
-- level makes half as many levels for a document to be rewritten through
-- and spreads the work more evenly; a search then reads up to sixteen
-- segments a level instead of four, of about half as many levels.
INSERT INTO case_fts (case_fts, rank) VALUES ('automerge', 16);
