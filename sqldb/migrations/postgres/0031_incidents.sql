-- Emergency incidents (突发事件, seed 003; CBIRC Order 2020 No.3 Art.29 重大
-- 消费投诉) and the emergency plans they run under.

-- The cause of a major complaint a registration named ('' none).
ALTER TABLE cases ADD COLUMN major_cause TEXT NOT NULL DEFAULT '';

-- Each version of a unit's emergency plan (应急预案), never changed: an edit
-- is a new version. The plan's people and limits as JSON (redress.EmergencyPlan).
CREATE TABLE emergency_plans (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES org_units (id),
    version     INTEGER NOT NULL,
    plan_json   TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (org_id, version)
);

CREATE TABLE incidents (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('quarrel', 'major_complaint', 'disaster_accident', 'public_health', 'regulator_declared')),
    status        TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    version       INTEGER NOT NULL,
    org_id        BIGINT NOT NULL REFERENCES org_units (id),
    place         TEXT NOT NULL,
    occurred_at   TEXT NOT NULL,
    people        INTEGER NOT NULL,
    people_note   TEXT NOT NULL DEFAULT '',
    plan_id       BIGINT REFERENCES emergency_plans (id), -- the plan version it ran under; NULL: none
    timeline_json TEXT NOT NULL DEFAULT '[]',
    reports_json  TEXT NOT NULL DEFAULT '[]',
    closing_json  TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX incidents_org ON incidents (org_id, status);

CREATE TABLE incident_cases (
    incident_id BIGINT NOT NULL REFERENCES incidents (id),
    case_no     TEXT NOT NULL,
    PRIMARY KEY (incident_id, case_no)
);
CREATE INDEX incident_cases_case ON incident_cases (case_no);

-- The report chain: one row per incident and step; the sweep escalates an
-- overdue acknowledgement once (escalated_at, set by one UPDATE).
CREATE TABLE incident_steps (
    incident_id   BIGINT NOT NULL REFERENCES incidents (id),
    step          TEXT NOT NULL CHECK (step IN ('team', 'leadership', 'superior', 'regulator')),
    seq           INTEGER NOT NULL,
    to_json       TEXT NOT NULL DEFAULT '[]',
    notified_at   TEXT,
    due_at        TEXT,
    ack_by        TEXT NOT NULL DEFAULT '',
    ack_at        TEXT,
    note          TEXT NOT NULL DEFAULT '',
    escalated_at  TEXT,
    PRIMARY KEY (incident_id, step)
);
CREATE INDEX incident_steps_due ON incident_steps (due_at) WHERE ack_at IS NULL AND escalated_at IS NULL;
