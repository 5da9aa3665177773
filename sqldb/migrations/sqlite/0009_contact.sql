-- The reply clock (reply_due) is satisfied by the first answer to the
-- customer: the first contact (contact_json), an extension notice, an
-- acceptance notice, or the final reply. A satisfied clock is never overdue.
ALTER TABLE cases ADD COLUMN reply_satisfied_at TEXT;
ALTER TABLE cases ADD COLUMN reply_satisfied_by TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN contact_json TEXT NOT NULL DEFAULT '';
-- The reply date agreed with the customer at the first contact: a clock of its own.
ALTER TABLE cases ADD COLUMN agreed_reply_due TEXT NOT NULL DEFAULT '';
-- The day the decision clock counts from when not clock_start (a petition's acceptance).
ALTER TABLE cases ADD COLUMN decision_start TEXT NOT NULL DEFAULT '';
-- A petition's written acceptance decision: accepted, not_accepted, forwarded.
ALTER TABLE cases ADD COLUMN accept_decision TEXT NOT NULL DEFAULT '';

-- Existing cases: an extension recorded with a notice to the customer, or
-- else a reply recorded, satisfied the reply clock.
UPDATE cases SET reply_satisfied_by = 'extend', reply_satisfied_at = (SELECT MIN(d.notice_at)
        FROM case_deadline_changes d WHERE d.case_id = cases.id AND d.action = 'extend'
        AND d.notice_method <> '' AND d.notice_at IS NOT NULL)
    WHERE EXISTS (SELECT 1 FROM case_deadline_changes d WHERE d.case_id = cases.id AND d.action = 'extend'
        AND d.notice_method <> '' AND d.notice_at IS NOT NULL);
UPDATE cases SET reply_satisfied_by = 'reply', reply_satisfied_at = replied_at
    WHERE reply_satisfied_at IS NULL AND replied_at IS NOT NULL;

-- The sweep looks for the agreed reply dates of open cases.
CREATE INDEX cases_status_agreed_reply_due ON cases (status, agreed_reply_due) WHERE agreed_reply_due <> '';

-- The sweep's notices of the agreed reply date (clock agreed_reply_due):
-- SQLite cannot change a CHECK, so the table is made again.
CREATE TABLE deadline_alerts_0009 (
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    clock       TEXT NOT NULL CHECK (clock IN ('reply_due', 'decision_due', 'agreed_reply_due')),
    kind        TEXT NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
    due_date    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (case_id, clock, kind, due_date)
);
INSERT INTO deadline_alerts_0009 (case_id, clock, kind, due_date, created_at)
    SELECT case_id, clock, kind, due_date, created_at FROM deadline_alerts;
DROP TABLE deadline_alerts;
ALTER TABLE deadline_alerts_0009 RENAME TO deadline_alerts;
