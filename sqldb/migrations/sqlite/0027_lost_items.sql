-- The lost-property register (失物登记, seed 003): an item found in an
-- outlet, kept until it is returned, handed to the police or disposed of.
-- The receiver's ID number is sealed (receiver_id_enc) like a complainant's.
CREATE TABLE lost_items (
    id                INTEGER PRIMARY KEY,
    org_id            INTEGER NOT NULL REFERENCES org_units (id),
    version           INTEGER NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('kept', 'returned', 'police', 'disposed')),
    description       TEXT NOT NULL,
    found_at          TEXT NOT NULL,
    place             TEXT NOT NULL,
    found_by          TEXT NOT NULL,
    cctv_ref          TEXT NOT NULL DEFAULT '',
    kept_at           TEXT NOT NULL,
    traced            TEXT NOT NULL DEFAULT '',
    receiver_name     TEXT NOT NULL DEFAULT '',
    receiver_id_type  TEXT NOT NULL DEFAULT '',
    receiver_id_enc   TEXT NOT NULL DEFAULT '',
    signed            INTEGER NOT NULL DEFAULT 0,
    closed_note       TEXT NOT NULL DEFAULT '',
    closed_at         TEXT,
    closed_by         TEXT NOT NULL DEFAULT '',
    recorded_by       TEXT NOT NULL,
    created_at        TEXT NOT NULL
);
CREATE INDEX lost_items_org ON lost_items (org_id, found_at);
