-- PostgreSQL version of migrations/sqlite/0002_notifications.sql.
-- Notifications: staff contact details, the outbox (which is also the in-app
-- inbox), and the alerts that make each deadline notice go out once.

-- A staff member's work e-mail, and mobile number sealed like a
-- complainant's phone (additional data "user:<login>:mobile").
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN mobile_enc TEXT NOT NULL DEFAULT '';

-- One notification to one user by one channel. Rows hold no address: the
-- outbox resolves it from the user when it sends. An in-app row is stored as
-- sent and is the user's inbox entry. E-mail and SMS rows wait as pending;
-- a runner claims a batch by setting claimed_by and a lease (claimed_until),
-- so that two servers never send the same row.
CREATE TABLE notifications (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id          BIGINT NOT NULL REFERENCES users (id),
    channel          TEXT NOT NULL CHECK (channel IN ('in_app', 'email', 'sms')),
    kind             TEXT NOT NULL,
    case_no          TEXT NOT NULL DEFAULT '',
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'dead')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    claimed_by       TEXT NOT NULL DEFAULT '',
    claimed_until    TEXT,
    last_error       TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    sent_at          TEXT,
    read_at          TEXT
);
-- The inbox, newest first, by keyset over id.
CREATE INDEX notifications_inbox ON notifications (user_id, channel, id);
-- What the outbox has to send.
CREATE INDEX notifications_outbox ON notifications (status, next_attempt_at, id);

-- One row per deadline notice sent: a case's clock (reply_due or
-- decision_due), the notice (due_soon or overdue) and the due date it was
-- about. Inserted with ON CONFLICT DO NOTHING in the transaction that writes
-- the notice's outbox rows (and escalates an overdue case), so that each
-- notice goes out once however many servers sweep; a new due date (an
-- extension) is a new key.
CREATE TABLE deadline_alerts (
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    clock       TEXT NOT NULL CHECK (clock IN ('reply_due', 'decision_due')),
    kind        TEXT NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
    due_date    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (case_id, clock, kind, due_date)
);

-- One row per region and year whose missing holiday schedule the
-- administrators were alerted about.
CREATE TABLE calendar_alerts (
    region      TEXT NOT NULL,
    year        INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (region, year)
);

-- The sweep looks for open cases by each due date.
CREATE INDEX cases_status_reply_due ON cases (status, reply_due);
