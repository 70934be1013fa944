-- 0001_foundation: settings, administrative units, accounts, roles,
-- sessions, API tokens, audit log and rate limits.
-- Times are Unix seconds (BIGINT); booleans are INTEGER 0/1; both backends.

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE units (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('nation', 'province', 'commune')),
  parent_code TEXT,
  kind TEXT NOT NULL,
  province_code TEXT,
  retired_at BIGINT,
  successor_code TEXT,
  updated_at BIGINT NOT NULL
);
CREATE INDEX units_parent ON units (parent_code);

CREATE TABLE unit_changes (
  id @ID@,
  batch BIGINT NOT NULL,
  code TEXT NOT NULL,
  change TEXT NOT NULL,
  old_value TEXT,
  new_value TEXT,
  at BIGINT NOT NULL
);
CREATE INDEX unit_changes_code ON unit_changes (code);

CREATE TABLE accounts (
  id @ID@,
  kind TEXT NOT NULL CHECK (kind IN ('staff', 'learner')),
  login TEXT UNIQUE,
  phone TEXT UNIQUE,
  display_name TEXT NOT NULL,
  home_unit TEXT REFERENCES units (code),
  province_code TEXT,
  secret_hash TEXT,
  totp_secret TEXT,
  totp_enabled INTEGER NOT NULL DEFAULT 0,
  totp_last_step BIGINT NOT NULL DEFAULT 0,
  lang TEXT,
  failed_count INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  consent_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX accounts_home_unit ON accounts (home_unit);

CREATE TABLE roles (
  id @ID@,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  role TEXT NOT NULL,
  unit_code TEXT NOT NULL REFERENCES units (code),
  org_id BIGINT,
  granted_by BIGINT,
  granted_at BIGINT NOT NULL,
  UNIQUE (account_id, role, unit_code)
);
CREATE INDEX roles_unit ON roles (unit_code);

CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  second_factor INTEGER NOT NULL DEFAULT 0,
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE api_tokens (
  id @ID@,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  token_hash TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);

CREATE TABLE audit_log (
  id @ID@,
  at BIGINT NOT NULL,
  actor_id BIGINT,
  action TEXT NOT NULL,
  target TEXT,
  unit_code TEXT,
  detail TEXT,
  ip TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TABLE rate_limits (
  key TEXT PRIMARY KEY,
  window_start BIGINT NOT NULL,
  hits INTEGER NOT NULL
);
