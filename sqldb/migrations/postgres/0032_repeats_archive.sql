-- Repeat complaints (重复投诉): a case merged into a surviving one (CBIRC
-- Order 2020 No.3 Art.18) keeps its row and events; its clocks follow the
-- survivor's while merged_into_id is set. A plain link records "a repeat of"
-- without merging. The blind index on the account joins those on ID and phone.
ALTER TABLE cases ADD COLUMN merged_into_id BIGINT REFERENCES cases (id);
ALTER TABLE cases ADD COLUMN merged_at TEXT;
CREATE INDEX cases_merged_into ON cases (merged_into_id);
CREATE INDEX cases_account_idx ON cases (c_account_idx);
CREATE TABLE case_links (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    linked_id   BIGINT NOT NULL REFERENCES cases (id),
    by_id       BIGINT NOT NULL REFERENCES users (id),
    at          TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    UNIQUE (case_id, linked_id)
);
CREATE INDEX case_links_linked ON case_links (linked_id);
-- The archive (归档): when a case's file was closed (NULL while open), and
-- the file as it was at each closing (JSON of the case as the services
-- answer it: personal data masked).
ALTER TABLE cases ADD COLUMN archived_at TEXT;
CREATE TABLE case_archives (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    at          TEXT NOT NULL,
    status      TEXT NOT NULL,
    snapshot    TEXT NOT NULL
);
CREATE INDEX case_archives_case ON case_archives (case_id, at);
