-- 0022_token_scopes: what an API token may do beyond its account's roles.
-- scopes is a space-separated list (today only "issue": sign credentials
-- through POST /api/v1/credentials/issue); '' for every token made before.
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT '';
