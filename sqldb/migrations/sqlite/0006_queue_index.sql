-- A unit's queue (cases of a subtree in one status, newest first): a short
-- seek per unit instead of walking every case of that status. Measured on
-- the 1,000,000-case SQLite bench dataset: 16-29 ms → about 1 ms.
CREATE INDEX cases_org_status ON cases (org_id, status, received_at, id);
