-- Chinese full-text search: each case's text as character bigrams (see
-- redress.SearchTerms), as a tsvector of the 'simple' configuration with a
-- GIN index. The documents are written by the store; existing cases are
-- indexed in Go right after this migration.
CREATE TABLE case_search (
    case_id  BIGINT PRIMARY KEY REFERENCES cases (id),
    body     TSVECTOR NOT NULL
);
CREATE INDEX case_search_body ON case_search USING GIN (body);

-- Exact complainant-name search.
CREATE INDEX cases_name ON cases (c_name);
