-- The complainant's postal address and e-mail, where a letter or an e-mail
-- reaches them: sealed like the numbers (c_*_enc), with the masked form kept
-- beside (c_*_masked) so that a read shows it without opening the seal.
ALTER TABLE cases ADD COLUMN c_address_enc TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN c_address_masked TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN c_email_enc TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN c_email_masked TEXT NOT NULL DEFAULT '';
