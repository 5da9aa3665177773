-- Background exports (issue 12 item 5): a long export runs as a job whose
-- owner alone follows it and downloads its file, kept in the data directory
-- of the server (node) that wrote it until expires_at.
CREATE TABLE export_jobs (
    id           TEXT PRIMARY KEY,        -- 32 hex digits (redress.NewExportJobID)
    owner        TEXT NOT NULL,           -- the login of the user who started it
    node         TEXT NOT NULL,           -- the server that runs it and keeps its file
    what         TEXT NOT NULL,           -- cases, audit
    format       TEXT NOT NULL,           -- csv, xlsx
    filter       TEXT NOT NULL,           -- the query string at the start
    state        TEXT NOT NULL,           -- running, done, failed
    rows_done    INTEGER NOT NULL DEFAULT 0,
    total        INTEGER NOT NULL DEFAULT 0,
    error        TEXT NOT NULL DEFAULT '',
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    expires_at   TEXT
);
CREATE INDEX export_jobs_state ON export_jobs (state, node);
