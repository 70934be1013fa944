-- 0016_reset_codes: one-time codes that let a learner set a new PIN
-- (or a person registered by a volunteer set their first one).
-- kind 'staff': issued by a volunteer or official who checked the person
-- face to face (or `hocvuso user reset-code`), valid 30 minutes;
-- kind 'self': the person's own recovery code, shown once, no expiry
-- (expires_at NULL).  Only a keyed hash of the code is kept; a code is
-- used once (used_at) and a new one replaces the unused ones of its kind.
CREATE TABLE reset_codes (
  id @ID@,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  kind TEXT NOT NULL CHECK (kind IN ('staff', 'self')),
  code_hash TEXT NOT NULL,
  issued_by BIGINT,
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  used_at BIGINT
);
CREATE INDEX reset_codes_account ON reset_codes (account_id);
