-- A repeat complaint is judged when the case is received: whether the
-- complainant (the blind index of the ID number, the phone or the account)
-- had a case received before it (repeat_prior), and whether one of those
-- had been closed before it came in (repeat_after_closed). The statistics
-- asked both of every case of a period with six index probes (7 s for a
-- month at 1,000,000 cases); they are now written with the case
-- (sqldb/case_row.go caseInsert) and, when a case arrives out of time
-- order, onto the complainant's later cases (sqldb/repeat.go
-- markLaterRepeats). Stored, they also survive the anonymisation of the
-- earlier case, which repeat_kept kept for repeat_prior alone (it is
-- folded in here and no longer written), and the reopening of a closed one.
ALTER TABLE cases ADD COLUMN repeat_prior INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN repeat_after_closed INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET repeat_prior = 1 WHERE repeat_kept = 1
    OR (c_id_number_idx <> '' AND EXISTS (SELECT 1 FROM cases p WHERE p.c_id_number_idx = cases.c_id_number_idx AND p.received_at < cases.received_at))
    OR (c_phone_idx <> '' AND EXISTS (SELECT 1 FROM cases p WHERE p.c_phone_idx = cases.c_phone_idx AND p.received_at < cases.received_at))
    OR (c_account_idx <> '' AND EXISTS (SELECT 1 FROM cases p WHERE p.c_account_idx = cases.c_account_idx AND p.received_at < cases.received_at));
UPDATE cases SET repeat_after_closed = 1 WHERE
    (c_id_number_idx <> '' AND EXISTS (SELECT 1 FROM cases p WHERE p.c_id_number_idx = cases.c_id_number_idx AND p.closed_at < cases.received_at))
    OR (c_phone_idx <> '' AND EXISTS (SELECT 1 FROM cases p WHERE p.c_phone_idx = cases.c_phone_idx AND p.closed_at < cases.received_at))
    OR (c_account_idx <> '' AND EXISTS (SELECT 1 FROM cases p WHERE p.c_account_idx = cases.c_account_idx AND p.closed_at < cases.received_at));
