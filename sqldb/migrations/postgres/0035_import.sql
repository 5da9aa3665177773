-- PostgreSQL version of migrations/sqlite/0035_import.sql.
-- The import of a bank's history (issue 16 item 5). An imported case keeps
-- the bank's own number (external_no, unique: what a re-run skips on) and
-- the run that brought it in (import_run); both NULL for the cases
-- registered in Redress. A run counts its rows as it goes, its rejected rows
-- are kept with their reasons for the report.
ALTER TABLE cases ADD COLUMN external_no TEXT;
ALTER TABLE cases ADD COLUMN import_run BIGINT;
CREATE UNIQUE INDEX cases_external_no ON cases (external_no) WHERE external_no IS NOT NULL;
CREATE TABLE import_runs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file         TEXT NOT NULL,           -- the file's name as uploaded or given
    dry_run      BOOLEAN NOT NULL,
    state        TEXT NOT NULL,           -- running, done, failed
    rows_read    INTEGER NOT NULL DEFAULT 0,
    imported     INTEGER NOT NULL DEFAULT 0,
    skipped      INTEGER NOT NULL DEFAULT 0,
    rejected     INTEGER NOT NULL DEFAULT 0,
    started_by   TEXT NOT NULL,           -- the login, or operator for the command
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    error        TEXT NOT NULL DEFAULT ''
);
CREATE TABLE import_rejects (
    run_id       BIGINT NOT NULL REFERENCES import_runs (id),
    row_no       INTEGER NOT NULL,        -- the row in the file; the header is row 1
    external_no  TEXT NOT NULL,
    field        TEXT NOT NULL,
    reason       TEXT NOT NULL,           -- in English, as the API words it
    problem      TEXT NOT NULL DEFAULT '', -- the reason's key and arguments, key|arg|… (error.go)
    PRIMARY KEY (run_id, row_no, field)
);
