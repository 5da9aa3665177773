-- Chinese full-text search: each case's text as character bigrams (see
-- redress.SearchTerms), in a contentless FTS5 table keyed by the case ID.
-- The documents are written by the store; existing cases are indexed in Go
-- right after this migration.
CREATE VIRTUAL TABLE case_fts USING fts5(body, content='', contentless_delete=1, tokenize='unicode61');

-- Exact complainant-name search.
CREATE INDEX cases_name ON cases (c_name);
