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
