-- Credentials follow the person: disabling a user now revokes their API
-- tokens, so enabling them again revives none. The tokens of users disabled
-- before this rule are revoked here, at the time of the migration.
UPDATE api_tokens SET revoked_at = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM users WHERE disabled);
