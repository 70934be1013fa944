-- 0003_outreach: organisations, volunteer teams, digital touch points and
-- the assist log (lượt hỗ trợ).  Assists are keyed by the client's UUID so
-- an offline copy sent twice is stored once; the first answer is kept.

CREATE TABLE organisations (
  id @ID@,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  unit_code TEXT NOT NULL REFERENCES units (code),
  province_code TEXT,
  created_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX organisations_unit ON organisations (unit_code);

CREATE TABLE teams (
  id @ID@,
  name TEXT NOT NULL,
  unit_code TEXT NOT NULL REFERENCES units (code),
  org_id BIGINT REFERENCES organisations (id),
  leader_id BIGINT REFERENCES accounts (id),
  province_code TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX teams_unit ON teams (unit_code);

CREATE TABLE team_members (
  team_id BIGINT NOT NULL REFERENCES teams (id),
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  joined_at BIGINT NOT NULL,
  PRIMARY KEY (team_id, account_id)
);

CREATE TABLE touch_points (
  id @ID@,
  name TEXT NOT NULL,
  unit_code TEXT NOT NULL REFERENCES units (code),
  province_code TEXT,
  address TEXT NOT NULL,
  lat @REAL@,
  lon @REAL@,
  free_wifi INTEGER NOT NULL DEFAULT 0,
  hours TEXT NOT NULL,
  created_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX touch_points_unit ON touch_points (unit_code);

CREATE TABLE assists (
  id TEXT PRIMARY KEY,
  unit_code TEXT NOT NULL REFERENCES units (code),
  province_code TEXT NOT NULL,
  touch_point_id BIGINT REFERENCES touch_points (id),
  volunteer_id BIGINT NOT NULL REFERENCES accounts (id),
  services INTEGER NOT NULL,
  other_text TEXT,
  person_account BIGINT REFERENCES accounts (id),
  age_band TEXT,
  gender TEXT,
  person_group TEXT,
  outcome TEXT NOT NULL,
  has_smartphone INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX assists_unit_time ON assists (unit_code, created_at);
CREATE INDEX assists_volunteer ON assists (volunteer_id, created_at);

CREATE TABLE assist_edits (
  id @ID@,
  assist_id TEXT NOT NULL REFERENCES assists (id),
  editor_id BIGINT NOT NULL,
  before_body TEXT NOT NULL,
  after_body TEXT NOT NULL,
  at BIGINT NOT NULL
);
