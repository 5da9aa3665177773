-- The customer opinion book's daily check (seed 002 Art.9: 投诉管理人应每日
-- 查阅客户意见簿): one row per outlet and day, the entries found as JSON.
CREATE TABLE opinion_book_checks (
    org_id        BIGINT NOT NULL REFERENCES org_units (id),
    day           TEXT NOT NULL,            -- YYYY-MM-DD, Beijing
    checked_by    TEXT NOT NULL,
    checked_at    TEXT NOT NULL,
    entries_json  TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (org_id, day)
);

-- One notice to the managers above per outlet and streak of missed days
-- (since: the first working day missed).
CREATE TABLE opinion_book_alerts (
    org_id   BIGINT NOT NULL REFERENCES org_units (id),
    since    TEXT NOT NULL,
    sent_at  TEXT NOT NULL,
    PRIMARY KEY (org_id, since)
);
