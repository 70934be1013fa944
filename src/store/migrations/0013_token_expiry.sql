-- 0013_token_expiry: API tokens expire (`hocvuso token create --days N`,
-- 90 by default) and record when they were last used (written at most
-- once a minute per token, without the request waiting for it).  A row
-- written without an expiry has expired.  Tokens made before this step
-- never expired: they now expire 90 days after it, time enough to hand
-- out new ones.
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT;
UPDATE api_tokens SET expires_at = @NOW@ + 90 * 86400;
