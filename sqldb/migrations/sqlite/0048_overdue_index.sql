-- PostgreSQL's migration of this number adds an index of the open cases
-- whose decision clock runs, for the overdue lists. SQLite's plan for
-- those lists already meets its target (docs/benchmarks.md), and every
-- index is written by the single writer at intake, so it gets none. This
-- file keeps the two engines' migrations one for one.
SELECT 1;
