-- PostgreSQL version of migrations/sqlite/0017_unit_reports.sql.
-- A unit's monthly report to its superior (统计、分析、上报, seed 002 Art.4):
-- the statistics of the month for the unit's subtree, frozen as JSON when
-- the unit's head submitted them. One per unit and month; never updated.
CREATE TABLE unit_reports (
    org_id        BIGINT NOT NULL REFERENCES org_units (id),
    month         TEXT NOT NULL,           -- YYYY-MM
    snapshot      TEXT NOT NULL,           -- redress.Stats as JSON
    submitted_by  TEXT NOT NULL,           -- the head's login
    submitted_at  TEXT NOT NULL,
    PRIMARY KEY (org_id, month)
);
