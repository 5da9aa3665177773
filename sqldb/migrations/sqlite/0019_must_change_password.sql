-- An administrator's reset of a user's password: until the user chooses a
-- password of their own, their browser session reaches only the
-- change-password page.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
