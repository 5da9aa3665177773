-- The reception log (来访接待登记, seed 004): every visit to an outlet, a
-- complaint or not. The visitor's name is kept as typed, the phone and ID
-- number sealed (phone_enc, id_number_enc, bound to the visit's row) with a
-- blind index each, like a complainant's. The visitor registration (seed 000
-- 4.1) and the satisfaction survey (a task like a return visit) are JSON under
-- the row's version; the survey's status, due day and satisfaction are
-- columns for the daily list and the summary. case_id links the case a visit
-- was turned into.
CREATE TABLE reception_visits (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id               BIGINT NOT NULL REFERENCES org_units (id),
    version              INTEGER NOT NULL,
    arrived_at           TEXT NOT NULL,
    day                  TEXT NOT NULL,
    name                 TEXT NOT NULL DEFAULT '',
    phone_enc            TEXT NOT NULL DEFAULT '',
    phone_idx            TEXT NOT NULL DEFAULT '',
    id_type              TEXT NOT NULL DEFAULT '',
    id_number_enc        TEXT NOT NULL DEFAULT '',
    id_number_idx        TEXT NOT NULL DEFAULT '',
    purpose              TEXT NOT NULL,
    needs                TEXT NOT NULL DEFAULT '',
    guidance             TEXT NOT NULL DEFAULT '',
    materials            TEXT NOT NULL DEFAULT 'not_needed',
    materials_missing    TEXT NOT NULL DEFAULT '',
    business             TEXT NOT NULL DEFAULT '',
    counter              TEXT NOT NULL DEFAULT '',
    wait_minutes         INTEGER NOT NULL DEFAULT 0,
    follow_up            TEXT NOT NULL DEFAULT '',
    registration_json    TEXT NOT NULL DEFAULT '',
    visitors             INTEGER NOT NULL DEFAULT 1,
    survey_json          TEXT NOT NULL DEFAULT '',
    survey_status        TEXT NOT NULL DEFAULT '',
    survey_due           TEXT NOT NULL DEFAULT '',
    survey_satisfaction  TEXT NOT NULL DEFAULT '',
    case_id              BIGINT REFERENCES cases (id),
    recorded_by          TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX reception_visits_org_day ON reception_visits (org_id, day, arrived_at);
CREATE UNIQUE INDEX reception_visits_case ON reception_visits (case_id);

-- The visitor registration of a case (seed 000 4.1): the ID document's type,
-- who checked it, who did the security check, the reception room.
ALTER TABLE cases ADD COLUMN visit_id_type TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN visit_id_checked_by TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN visit_security_checked_by TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN visit_room TEXT NOT NULL DEFAULT '';

-- What an evidence file is (seed 000 4.2 笔录或录音录像): transcript,
-- audio, video or other.
ALTER TABLE evidence ADD COLUMN kind TEXT NOT NULL DEFAULT 'other';
