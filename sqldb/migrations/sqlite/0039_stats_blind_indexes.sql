-- The statistics' repeat figures (sqldb/stats.go statsColumns) ask, per
-- case of a period, whether the complainant (by the blind index of the ID
-- number, the phone or the account) had a case received, or closed,
-- before this one came in. With the times in the blind indexes each probe
-- is index-only, instead of a read of every matching case's row. The
-- indexes still serve the lookups by equality (search, repeat candidates,
-- holds, retention).
DROP INDEX cases_id_number_idx;
CREATE INDEX cases_id_number_idx ON cases (c_id_number_idx, received_at, closed_at);
DROP INDEX cases_phone_idx;
CREATE INDEX cases_phone_idx ON cases (c_phone_idx, received_at, closed_at);
DROP INDEX cases_account_idx;
CREATE INDEX cases_account_idx ON cases (c_account_idx, received_at, closed_at);
