-- The regulator's side of a forwarded case (channel regulator): the
-- regulator's channel (12378, platform = 金融消费者保护服务平台, 12363,
-- petition_transfer = 信访转办), the date it forwarded the case, and its
-- later finding (valid = 有效投诉, invalid = 无效投诉) with date and reference.
ALTER TABLE cases ADD COLUMN regulator_source TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN regulator_forwarded_on TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN regulator_finding TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN regulator_finding_on TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN regulator_finding_ref TEXT NOT NULL DEFAULT '';
-- Cases forwarded before the source was recorded came, as the bank's
-- registrations had them, through the 12378 hotline; their date forwarded
-- stays unknown ('').
UPDATE cases SET regulator_source = '12378'
WHERE channel = 'regulator' AND regulator_source = '';
