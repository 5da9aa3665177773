-- The code lists take a fourth list, R: root causes.
ALTER TABLE codes DROP CONSTRAINT codes_dimension_check;
ALTER TABLE codes ADD CONSTRAINT codes_dimension_check CHECK (dimension IN ('A', 'B', 'C', 'R'));

-- The root causes a determination names (root_cause_code): the factors the
-- bank's process documents ask to analyse (影响因素分析: 业务流程、系统漏洞、
-- 员工能力 …), a code list of its own (dimension R, not JR/T 0169),
-- editable by an admin like the A, B and C lists.
INSERT INTO codes (code, dimension, name, name_en, parent) VALUES
    ('R01', 'R', '业务流程', 'Business process', ''),
    ('R02', 'R', '系统缺陷/故障', 'System defect or outage', ''),
    ('R03', 'R', '员工能力/服务态度', 'Staff competence or attitude', ''),
    ('R04', 'R', '营销宣传', 'Marketing and promotion', ''),
    ('R05', 'R', '信息披露', 'Information disclosure', ''),
    ('R06', 'R', '收费定价', 'Fees and pricing', ''),
    ('R07', 'R', '产品设计', 'Product design', ''),
    ('R08', 'R', '合同条款', 'Contract terms', ''),
    ('R09', 'R', '第三方合作', 'Third-party cooperation', ''),
    ('R10', 'R', '外部因素', 'External factors', ''),
    ('R99', 'R', '其他', 'Other', '');

-- The determination's root cause as a code, and the accountability measure
-- (问责) with the staff member it is taken against, so both can be counted.
ALTER TABLE cases ADD COLUMN root_cause_code TEXT REFERENCES codes (code);
ALTER TABLE cases ADD COLUMN accountability_measure TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN accountable_staff_id BIGINT REFERENCES users (id);
CREATE INDEX cases_root_cause_code ON cases (root_cause_code) WHERE root_cause_code IS NOT NULL;
