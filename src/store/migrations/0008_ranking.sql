-- 0008_ranking: the emulation ranking (thi đua) formula — one weight per
-- indicator, every change kept — and honours (biểu dương) per period for
-- a person, team, organisation or unit.  The default weights favour
-- people certified (the movement's goal), then acts of help, then the
-- means to reach people (active volunteers, touch points).

CREATE TABLE rank_weights (
  indicator TEXT PRIMARY KEY,
  weight BIGINT NOT NULL,
  set_by BIGINT,
  set_at BIGINT NOT NULL
);

CREATE TABLE rank_weight_history (
  id @ID@,
  indicator TEXT NOT NULL,
  old_weight BIGINT,
  new_weight BIGINT NOT NULL,
  set_by BIGINT,
  set_at BIGINT NOT NULL
);

INSERT INTO rank_weights (indicator, weight, set_by, set_at) VALUES
  ('people_certified', 40, NULL, 0),
  ('assists', 30, NULL, 0),
  ('active_volunteers', 15, NULL, 0),
  ('touch_points', 15, NULL, 0);

CREATE TABLE honours (
  id @ID@,
  period TEXT NOT NULL,
  subject_kind TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  subject_name TEXT NOT NULL,
  unit_code TEXT NOT NULL REFERENCES units (code),
  province_code TEXT,
  reason TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX honours_unit_period ON honours (unit_code, period);
CREATE INDEX honours_province_period ON honours (province_code, period);
