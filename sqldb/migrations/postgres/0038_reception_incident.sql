-- The reception log after issue 15 and 16: the major-complaint incident a
-- reception visit of 20 or more visitors
-- opened (CBIRC Order 2020 No.3 Art.29): the case registered from the
-- visit joins it rather than opening a second one.
ALTER TABLE reception_visits ADD COLUMN incident_id BIGINT REFERENCES incidents (id);

-- When retention anonymised the visit (redress retention.go, kind reception).
ALTER TABLE reception_visits ADD COLUMN anonymised_at TEXT;

-- When retention anonymised an incident's texts (kind incident).
ALTER TABLE incidents ADD COLUMN anonymised_at TEXT;
