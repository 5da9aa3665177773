-- The sweep watches a review's own 30-day clock (核查, 复查, 复核: clock
-- review_due). SQLite cannot change a CHECK, so the table is made again.
CREATE TABLE deadline_alerts_0013 (
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    clock       TEXT NOT NULL CHECK (clock IN ('reply_due', 'decision_due', 'agreed_reply_due', 'review_due')),
    kind        TEXT NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
    due_date    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (case_id, clock, kind, due_date)
);
INSERT INTO deadline_alerts_0013 (case_id, clock, kind, due_date, created_at)
    SELECT case_id, clock, kind, due_date, created_at FROM deadline_alerts;
DROP TABLE deadline_alerts;
ALTER TABLE deadline_alerts_0013 RENAME TO deadline_alerts;

-- The sweep looks for the due dates of the reviews in progress.
CREATE INDEX case_reviews_open_due ON case_reviews (due) WHERE decided_at IS NULL;
