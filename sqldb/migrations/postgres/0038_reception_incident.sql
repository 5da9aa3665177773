-- The major-complaint incident a reception visit of 20 or more visitors
-- opened (CBIRC Order 2020 No.3 Art.29): the case registered from the
-- visit joins it rather than opening a second one.
ALTER TABLE reception_visits ADD COLUMN incident_id BIGINT REFERENCES incidents (id);
