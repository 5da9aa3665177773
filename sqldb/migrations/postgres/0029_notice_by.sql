-- How the customer wants to be told (sms, email, letter, phone, in_person;
-- '' not asked): the default method of the notices to the customer.
ALTER TABLE cases ADD COLUMN c_notice_by TEXT NOT NULL DEFAULT '';
