-- 0005_targets: population denominators imported from the officials' CSV,
-- and targets (đăng ký chỉ tiêu) per unit, organisation (or none),
-- indicator and period, with every change kept.

CREATE TABLE population (
  unit_code TEXT NOT NULL REFERENCES units (code),
  year INTEGER NOT NULL,
  adults BIGINT NOT NULL,
  civil_servants BIGINT NOT NULL,
  pupils BIGINT NOT NULL,
  imported_at BIGINT NOT NULL,
  PRIMARY KEY (unit_code, year)
);

CREATE TABLE targets (
  unit_code TEXT NOT NULL REFERENCES units (code),
  org_id BIGINT NOT NULL DEFAULT 0,
  indicator TEXT NOT NULL,
  period TEXT NOT NULL,
  value BIGINT NOT NULL,
  set_by BIGINT,
  set_at BIGINT NOT NULL,
  PRIMARY KEY (unit_code, org_id, indicator, period)
);

CREATE TABLE target_history (
  id @ID@,
  unit_code TEXT NOT NULL,
  org_id BIGINT NOT NULL,
  indicator TEXT NOT NULL,
  period TEXT NOT NULL,
  old_value BIGINT,
  new_value BIGINT NOT NULL,
  set_by BIGINT,
  set_at BIGINT NOT NULL
);
