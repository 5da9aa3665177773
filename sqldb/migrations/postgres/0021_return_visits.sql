-- Return visits (回访) and key customers (重点客户). A closed case's return
-- visit lives on its row (redress.ReturnVisit as JSON, with its attempts),
-- with the columns the 待回访 queue and the statistics read: its status, due
-- date and the customer's satisfaction. Planned by the policy in settings
-- (return_visit_policy) when the case is closed.
ALTER TABLE cases ADD COLUMN key_customer BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE cases ADD COLUMN return_visit_json TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN return_visit_status TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN return_visit_due TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN return_visit_satisfaction TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_return_visit_open ON cases (return_visit_due, id) WHERE return_visit_status = 'open';

-- One SMS survey link per row: the SHA-256 of its nonce (the token itself,
-- which the customer holds, is never stored), its expiry and its one use.
CREATE TABLE survey_tokens (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id    BIGINT NOT NULL REFERENCES cases (id),
    nonce_hash TEXT NOT NULL UNIQUE,
    expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    used_at    TEXT
);

-- Notices to the customer (告知) with their proof: the text as sent (from
-- the templates in settings, notice_templates), how, and what proves it: an
-- SMS's delivery result (claimed and finished by the customer outbox, as
-- notifications are), a letter's posting, a call recorded by its author.
CREATE TABLE customer_notices (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id         BIGINT NOT NULL REFERENCES cases (id),
    kind            TEXT NOT NULL,
    method          TEXT NOT NULL,
    lang            TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'dead', 'printed', 'posted', 'recorded')),
    proof           TEXT NOT NULL DEFAULT '',
    by_id           BIGINT NOT NULL REFERENCES users (id),
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_by      TEXT NOT NULL DEFAULT '',
    claimed_until   TEXT,
    last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX customer_notices_case ON customer_notices (case_id, id);
CREATE INDEX customer_notices_outbox ON customer_notices (status, next_attempt_at, id);
