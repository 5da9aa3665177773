-- The sweep watches a review's own 30-day clock (核查, 复查, 复核: clock review_due).
ALTER TABLE deadline_alerts DROP CONSTRAINT deadline_alerts_clock_check;
ALTER TABLE deadline_alerts ADD CONSTRAINT deadline_alerts_clock_check
    CHECK (clock IN ('reply_due', 'decision_due', 'agreed_reply_due', 'review_due'));

-- The sweep looks for the due dates of the reviews in progress.
CREATE INDEX case_reviews_open_due ON case_reviews (due) WHERE decided_at IS NULL;
