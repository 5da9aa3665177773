-- The registration of a visit in person (来访登记), in columns of its case:
-- visit_visitors is NULL for a case that was no visit.
ALTER TABLE cases ADD COLUMN visit_visitors INTEGER;
ALTER TABLE cases ADD COLUMN visit_representatives INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN visit_id_checked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN visit_security_checked INTEGER NOT NULL DEFAULT 0;
