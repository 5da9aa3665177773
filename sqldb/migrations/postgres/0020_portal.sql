-- PostgreSQL version of migrations/sqlite/0020_portal.sql.
-- The customer portal (网上投诉/信访): the one-time codes sent by SMS (only
-- a keyed hash of each code), the customers' sessions (only the SHA-256
-- digest of the cookie), the personal-data consent given with each case
-- submitted online (the text's version and the time), and the customer's own
-- ratings of the handling (apart from the satisfaction staff record at closing).

CREATE TABLE portal_codes (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id    BIGINT NOT NULL REFERENCES cases (id),
    code_hash  TEXT NOT NULL,
    sent_at    TEXT NOT NULL,
    tries      INTEGER NOT NULL DEFAULT 0,
    used_at    TEXT
);
CREATE INDEX portal_codes_case ON portal_codes (case_id, id);

CREATE TABLE portal_sessions (
    digest      TEXT PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX portal_sessions_case ON portal_sessions (case_id);

CREATE TABLE portal_consents (
    case_id       BIGINT PRIMARY KEY REFERENCES cases (id),
    version       TEXT NOT NULL,
    consented_at  TEXT NOT NULL
);

CREATE TABLE case_ratings (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id       BIGINT NOT NULL REFERENCES cases (id),
    source        TEXT NOT NULL,  -- portal (the customer on the portal); return visits may add theirs
    satisfaction  TEXT NOT NULL,  -- redress.Satisfaction, checked by the code
    comment       TEXT NOT NULL DEFAULT '',
    rated_at      TEXT NOT NULL
);
CREATE INDEX case_ratings_case ON case_ratings (case_id, id);
