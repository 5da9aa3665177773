-- The overdue lists (the workbench's 逾期 filter in deadline order) ask for
-- the open cases whose decision clock runs and ended before today, earliest
-- first (sqldb overdueSQL). At 1,000,000 cases the planner walked the
-- deadline index from the bank's earliest date, fetching the row of every
-- closed case it passed to read its status: 62.6 ms (head office) and 83.8 ms
-- (a branch) p99 against 40. This index holds only the cases such a list can
-- show, in its order: a few per cent of the bank, written when a case opens
-- and dropped as it closes. overdueSQL writes its statuses as literals, so
-- that the planner can prove a query's condition implies this one.
CREATE INDEX cases_overdue ON cases (decision_due, id)
    WHERE status IN ('registered', 'accepted', 'investigating') AND paused_since IS NULL AND merged_into_id IS NULL;
