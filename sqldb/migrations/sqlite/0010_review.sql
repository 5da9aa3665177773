-- Reviews of a case's decision by the superior institution: a complaint's
-- 核查 (CBIRC Order 2020 No.3 Art.20), a petition's 复查 and 复核 (信访工作条例
-- Arts.35-36). One row per review, on the original case, owned by the
-- reviewing unit; decided_at is NULL while the review waits for its opinion.

CREATE TABLE case_reviews (
    id                INTEGER PRIMARY KEY,
    case_id           INTEGER NOT NULL REFERENCES cases (id),
    kind              TEXT NOT NULL CHECK (kind IN ('verification', 'recheck', 'reexamine')),
    org_id            INTEGER NOT NULL REFERENCES org_units (id),
    received_at       TEXT NOT NULL,
    received_by       INTEGER NOT NULL REFERENCES users (id),
    text              TEXT NOT NULL,
    window_due        TEXT NOT NULL,
    due               TEXT NOT NULL,
    original_handler  TEXT NOT NULL DEFAULT '',
    original_signer   TEXT NOT NULL DEFAULT '',
    decided_by        INTEGER REFERENCES users (id),
    decided_at        TEXT,
    process           TEXT NOT NULL DEFAULT '',
    timeliness        TEXT NOT NULL DEFAULT '',
    merits            TEXT NOT NULL DEFAULT '',
    result            TEXT NOT NULL DEFAULT '' CHECK (result IN ('', 'upheld', 'changed', 'partly')),
    decision          TEXT NOT NULL DEFAULT '',
    notice_method     TEXT NOT NULL DEFAULT '',
    notice_at         TEXT,
    notice_proof      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_reviews_case ON case_reviews (case_id, id);
CREATE INDEX case_reviews_received ON case_reviews (received_at);

-- Admin data the decision letter prints: the mediation body the customer
-- may turn to (调解), its name and contact.
CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
