-- A new case has no handler and is merged into no other, and most cases are
-- never merged: their index entries were all NULL keys that no query looks
-- up (a handler's queue asks for handler_id = ?, a merge's page for
-- merged_into_id = ?), written by every intake on the single writer. Both
-- indexes now leave the NULLs out; both engines still use them for those
-- comparisons, which imply IS NOT NULL.
DROP INDEX cases_handler;
CREATE INDEX cases_handler ON cases (handler_id, status) WHERE handler_id IS NOT NULL;
DROP INDEX cases_merged_into;
CREATE INDEX cases_merged_into ON cases (merged_into_id) WHERE merged_into_id IS NOT NULL;
