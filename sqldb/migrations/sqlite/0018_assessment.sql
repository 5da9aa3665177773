-- The staff assessment's scheme (考核, CBIRC Order 2020 No.3 Art.27), admin
-- data: the points of each item (redress.AssessmentItems: five rates, four
-- deductions per case) and the veto (一票否决) that zeroes or caps a person's
-- score. The seed is redress.DefaultAssessmentScheme.
CREATE TABLE assessment_weights (
    item   TEXT PRIMARY KEY,
    points REAL NOT NULL CHECK (points >= 0 AND points <= 100)
);
INSERT INTO assessment_weights (item, points) VALUES
    ('reply_on_time', 20), ('decision_on_time', 30), ('closed', 20), ('satisfied', 20), ('not_reopened', 10),
    ('overdue', 2), ('complaint', 5), ('upheld', 10), ('measure', 10);

CREATE TABLE assessment_veto (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    measure          TEXT NOT NULL,
    upheld_complaint INTEGER NOT NULL,
    mode             TEXT NOT NULL CHECK (mode IN ('zero', 'cap')),
    cap              REAL NOT NULL CHECK (cap >= 0 AND cap <= 100)
);
INSERT INTO assessment_veto (id, measure, upheld_complaint, mode, cap) VALUES (1, 'discipline', 0, 'zero', 0);
