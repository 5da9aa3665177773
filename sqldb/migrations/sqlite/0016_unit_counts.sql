-- A unit's outlets (营业网点) and personal customers (个人客户) from a day on:
-- admin data, the denominators of the regulator's quarterly ratios
-- (complaints per 1,000 outlets, per 10 million personal customers). A
-- period's figure uses the counts in effect at its end: the row of the
-- latest effective_from on or before it. One row per unit and day.
CREATE TABLE unit_counts (
    org_id              INTEGER NOT NULL REFERENCES org_units (id),
    effective_from      TEXT NOT NULL,
    outlets             INTEGER NOT NULL CHECK (outlets > 0),
    personal_customers  INTEGER NOT NULL CHECK (personal_customers > 0),
    entered_by          TEXT NOT NULL,               -- the admin's login
    entered_at          TEXT NOT NULL,
    PRIMARY KEY (org_id, effective_from)
);
