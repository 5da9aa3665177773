-- PostgreSQL version of migrations/sqlite/0004_evidence.sql.
-- Evidence: files kept with a case. The content, encrypted at rest, is stored
-- once per SHA-256 of its plain text (an identical file uploaded twice is
-- stored once); the evidence rows say which case holds it, under what name.

CREATE TABLE evidence_blobs (
    sha256   TEXT PRIMARY KEY,
    size     BIGINT NOT NULL,
    content  BYTEA NOT NULL
);

CREATE TABLE evidence (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id       BIGINT NOT NULL REFERENCES cases (id),
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    sha256        TEXT NOT NULL REFERENCES evidence_blobs (sha256),
    note          TEXT NOT NULL DEFAULT '',
    uploaded_by   BIGINT NOT NULL REFERENCES users (id),
    uploaded_at   TEXT NOT NULL
);
CREATE INDEX evidence_case ON evidence (case_id, id);
