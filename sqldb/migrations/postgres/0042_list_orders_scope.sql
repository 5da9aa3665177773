-- The indexes of the case lists' orders (0041, and the receipt order of
-- 0001) carry each case's two units as well, the one holding it and the one
-- that registered it: a list over a large scope (a branch) walks the order's
-- index and checks each case against the scope, and with the units in the
-- index the check needs no read of the case's row (a branch's list read
-- about 2,000 rows a page to fill 50). The order key and the id still lead,
-- so every use of the old indexes is served as before.
DROP INDEX cases_received;
CREATE INDEX cases_received ON cases (received_at, id, org_id, origin_org_id);
DROP INDEX cases_due;
CREATE INDEX cases_due ON cases (decision_due, id, org_id, origin_org_id);
DROP INDEX cases_level;
CREATE INDEX cases_level ON cases (level, id, org_id, origin_org_id);
DROP INDEX cases_priority;
CREATE INDEX cases_priority ON cases ((CASE priority WHEN 'low' THEN 0 WHEN 'normal' THEN 1 WHEN 'high' THEN 2 WHEN 'urgent' THEN 3 END), id, org_id, origin_org_id);
