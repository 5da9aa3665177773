-- Training records (培训记录, seed 004 §6 培训与考核): a session a unit holds
-- for the people who receive customers and handle complaints, planned with
-- its roster; its attendance and test scores are recorded once it is held.
CREATE TABLE training_sessions (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id         BIGINT NOT NULL REFERENCES org_units (id),
    version        INTEGER NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('planned', 'held')),
    title          TEXT NOT NULL,
    topics         TEXT NOT NULL,
    held_on        TEXT NOT NULL,
    minutes        INTEGER NOT NULL CHECK (minutes > 0),
    trainer        TEXT NOT NULL,
    form           TEXT NOT NULL CHECK (form IN ('in_person', 'online')),
    notes          TEXT NOT NULL DEFAULT '',
    pass_mark      INTEGER NOT NULL,
    recorded_by    TEXT NOT NULL,
    attendance_by  TEXT NOT NULL DEFAULT '',
    attendance_at  TEXT,
    created_at     TEXT NOT NULL
);
CREATE INDEX training_sessions_org ON training_sessions (org_id, held_on);
CREATE INDEX training_sessions_held ON training_sessions (held_on);

CREATE TABLE training_attendees (
    session_id  BIGINT NOT NULL REFERENCES training_sessions (id),
    user_id     BIGINT NOT NULL REFERENCES users (id),
    attended    BOOLEAN NOT NULL DEFAULT FALSE,
    score       INTEGER CHECK (score BETWEEN 0 AND 100),
    PRIMARY KEY (session_id, user_id)
);
CREATE INDEX training_attendees_user ON training_attendees (user_id);
