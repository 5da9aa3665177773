-- Corrective actions (整改, CBIRC Order 2020 No.3 Art.9 溯源整改): opened from
-- a root cause, cases, a report figure or an incident; an owner unit and
-- person, a due date; progress and verifications as JSON lists (read and
-- written whole with the row, under its version).
CREATE TABLE corrective_actions (
    id               INTEGER PRIMARY KEY,
    status           TEXT NOT NULL CHECK (status IN ('open', 'done', 'verified')),
    version          INTEGER NOT NULL,
    source           TEXT NOT NULL CHECK (source IN ('root_cause', 'cases', 'report', 'incident')),
    source_note      TEXT NOT NULL DEFAULT '',
    root_cause_code  TEXT NOT NULL DEFAULT '',
    code_b           TEXT NOT NULL DEFAULT '',
    org_id           INTEGER NOT NULL REFERENCES org_units (id),
    owner_id         INTEGER NOT NULL REFERENCES users (id),
    problem          TEXT NOT NULL,
    measures         TEXT NOT NULL,
    due              TEXT NOT NULL,           -- YYYY-MM-DD
    opened_on        TEXT NOT NULL,           -- YYYY-MM-DD, Beijing: the effect's before window ends the day before
    effect_months    INTEGER NOT NULL,
    evidence         TEXT NOT NULL DEFAULT '',
    done_on          TEXT NOT NULL DEFAULT '', -- YYYY-MM-DD, Beijing
    done_at          TEXT,
    done_by          TEXT NOT NULL DEFAULT '',
    progress_json    TEXT NOT NULL DEFAULT '[]',
    verifications_json TEXT NOT NULL DEFAULT '[]',
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX corrective_actions_org ON corrective_actions (org_id, status);

-- The cases an action links, by tracking number (a case page lists its actions).
CREATE TABLE corrective_cases (
    action_id  INTEGER NOT NULL REFERENCES corrective_actions (id),
    case_no    TEXT NOT NULL,
    PRIMARY KEY (action_id, case_no)
);
CREATE INDEX corrective_cases_case ON corrective_cases (case_no);

-- One overdue notice per action and due date (the sweep's claim, as
-- deadline_alerts is for cases).
CREATE TABLE corrective_alerts (
    action_id  INTEGER NOT NULL REFERENCES corrective_actions (id),
    due        TEXT NOT NULL,
    sent_at    TEXT NOT NULL,
    PRIMARY KEY (action_id, due)
);
