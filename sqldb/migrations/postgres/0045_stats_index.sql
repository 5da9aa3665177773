-- The statistics read every case of a period, three periods a request
-- (sqldb/stats.go statsColumns). Reading each case's row through the index
-- of receipt was most of the time at 1,000,000 cases: a row lookup per case
-- and four times the pages. This index holds, in the order of receipt,
-- every column the statistics, their scope and their filters read, so a
-- period is one walk of it. complainant_key names the complainant across
-- cases for the repeat figures (the blind index of the ID number, else of
-- the phone, else of the account, marked by which; '' for none and once
-- anonymised): one column in the index instead of three.
ALTER TABLE cases ADD COLUMN complainant_key TEXT NOT NULL DEFAULT '';
UPDATE cases SET complainant_key = CASE WHEN c_id_number_idx <> '' THEN 'i' || c_id_number_idx
        WHEN c_phone_idx <> '' THEN 'p' || c_phone_idx ELSE 'a' || c_account_idx END
    WHERE c_id_number_idx <> '' OR c_phone_idx <> '' OR c_account_idx <> '';
CREATE INDEX cases_stats ON cases (received_at) INCLUDE (status, kind, channel, code_a, code_b, code_c, root_cause_code,
    outcome, satisfaction, closed_at, paused_since, merged_into_id, decision_due, reply_due, reply_satisfied_at, replied_at,
    regulator_ref, regulator_source, regulator_finding, level, repeat_prior, repeat_after_closed, org_id, origin_org_id,
    return_visit_status, return_visit_satisfaction, complainant_key, redress_fen, accusation, respondent_staff_id);
