-- PostgreSQL version of migrations/sqlite/0003_deadlines.sql.
-- The deadline engine: each case's policy and decision clock, when its
-- clocks started, pauses, a regulator's own due date, and the history of
-- its deadlines; admin overrides of the holiday calendar and the policies.

ALTER TABLE cases ADD COLUMN deadline_policy TEXT NOT NULL DEFAULT 'complaint';
ALTER TABLE cases ADD COLUMN decision_clock TEXT NOT NULL DEFAULT 'decision';
ALTER TABLE cases ADD COLUMN clock_start TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN paused_since TEXT;
ALTER TABLE cases ADD COLUMN paused_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN regulator_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN regulator_due TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN due_warning TEXT NOT NULL DEFAULT '';

CREATE TABLE case_deadline_changes (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id       BIGINT NOT NULL REFERENCES cases (id),
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    clock         TEXT NOT NULL,
    before_due    TEXT NOT NULL DEFAULT '',
    after_due     TEXT NOT NULL DEFAULT '',
    reason        TEXT NOT NULL DEFAULT '',
    approval      TEXT NOT NULL DEFAULT '',
    notice_method TEXT NOT NULL DEFAULT '',
    notice_at     TEXT,
    notice_proof  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_deadline_changes_case ON case_deadline_changes (case_id, id);

-- A year of a region's holiday calendar set by an admin (next year's State
-- Council notice, or a bank closure): replaces the embedded year.
CREATE TABLE calendar_overrides (
    region      TEXT NOT NULL,
    year        INTEGER NOT NULL,
    body        TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (region, year)
);

-- An admin's version of a deadline policy: replaces the built-in one by name.
CREATE TABLE deadline_policies (
    name        TEXT PRIMARY KEY,
    body        TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
