-- Indexes for the orders a case list offers (redress case_sort.go) where no
-- filter narrows the cases: head office's and a branch's lists sorted by the
-- decision deadline, the level or the priority walked every case of the bank
-- into a sort; with these the engine reads the order off the index and
-- stops at the page's end. The priority's order is its rank, the expression
-- sqldb/case_filter.go sortColumn writes (it must stay the same text for the
-- index to serve it).
CREATE INDEX cases_due ON cases (decision_due, id);
CREATE INDEX cases_level ON cases (level, id);
CREATE INDEX cases_priority ON cases ((CASE priority WHEN 'low' THEN 0 WHEN 'normal' THEN 1 WHEN 'high' THEN 2 WHEN 'urgent' THEN 3 END), id);

-- The 我登记的 queue: the cases a first responder registered, newest first.
CREATE INDEX cases_first_responder ON cases (first_responder_id, received_at, id);
