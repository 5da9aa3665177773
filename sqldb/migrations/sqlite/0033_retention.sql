-- Retention, legal holds and anonymisation (issue 16 item 3; DOMAIN.md §6;
-- PIPL Arts.19, 47). The periods are admin data in settings
-- (retention_policy). A record anonymised at the end of its period keeps
-- its row, its counts, dates and codes, with the time it was anonymised.
ALTER TABLE cases ADD COLUMN anonymised_at TEXT;
ALTER TABLE lost_items ADD COLUMN anonymised_at TEXT;
ALTER TABLE opinion_book_checks ADD COLUMN anonymised_at TEXT;

-- An evidence file deleted at the end of its period: the row keeps the
-- name's place, the type and the SHA-256; the content (shared by every row
-- of the same hash) is emptied once no row still needs it.
ALTER TABLE evidence ADD COLUMN purged_at TEXT;
ALTER TABLE evidence_blobs ADD COLUMN purged_at TEXT;

-- An audit event whose personal values anonymisation redacted: the hash of
-- its content as redacted (redress.RedactEvent). The hash column keeps the
-- original, which links the chain; the anonymisation's own event witnesses
-- the redacted hash.
ALTER TABLE events ADD COLUMN redacted TEXT NOT NULL DEFAULT '';

-- Legal holds: on a case (case_id) or on a complainant (person_idx: the
-- blind index of an ID number or phone, "id:…" or "phone:…", with only the
-- masked number beside it). Released with who, when and why.
CREATE TABLE legal_holds (
    id              INTEGER PRIMARY KEY,
    scope           TEXT NOT NULL CHECK (scope IN ('case', 'complainant')),
    case_id         INTEGER REFERENCES cases (id),
    person_idx      TEXT NOT NULL DEFAULT '',
    person_masked   TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL,
    placed_by       TEXT NOT NULL,
    placed_at       TEXT NOT NULL,
    released_by     TEXT NOT NULL DEFAULT '',
    released_at     TEXT,
    release_reason  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX legal_holds_case ON legal_holds (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX legal_holds_person ON legal_holds (person_idx) WHERE person_idx <> '';
-- The retention job looks for closed cases by their closing.
CREATE INDEX cases_closed ON cases (closed_at) WHERE closed_at IS NOT NULL AND anonymised_at IS NULL;
-- A case counted as a repeat complaint (an earlier case of the same ID or
-- phone) when anonymisation removed the numbers that made it one: the
-- statistics keep counting it (sqldb/stats.go statsColumns).
ALTER TABLE cases ADD COLUMN repeat_kept INTEGER NOT NULL DEFAULT 0;
