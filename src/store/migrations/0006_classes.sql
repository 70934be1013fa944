-- 0006_classes: mobile classes (lớp học lưu động) at a touch point,
-- learners' registrations, and attendance (one row per person, by QR
-- check-in or ticked by the organiser) plus an anonymous head count.
-- `registered` is kept beside `capacity` so that taking a seat is one
-- conditional UPDATE on both backends, even with several app servers.
-- `held_at` is the first time any attendance was recorded: the class then
-- counts as held in the period of its start.

CREATE TABLE classes (
  id @ID@,
  title TEXT NOT NULL,
  course_id BIGINT NOT NULL REFERENCES courses (id),
  touch_point_id BIGINT NOT NULL REFERENCES touch_points (id),
  unit_code TEXT NOT NULL REFERENCES units (code),
  province_code TEXT NOT NULL,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  capacity INTEGER NOT NULL,
  registered INTEGER NOT NULL DEFAULT 0,
  head_count INTEGER NOT NULL DEFAULT 0,
  organiser_id BIGINT NOT NULL REFERENCES accounts (id),
  org_id BIGINT REFERENCES organisations (id),
  held_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX classes_unit_start ON classes (unit_code, starts_at);
CREATE INDEX classes_province_start ON classes (province_code, starts_at);
CREATE INDEX classes_point_start ON classes (touch_point_id, starts_at);

CREATE TABLE class_registrations (
  class_id BIGINT NOT NULL REFERENCES classes (id),
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  province_code TEXT NOT NULL,
  registered_at BIGINT NOT NULL,
  PRIMARY KEY (class_id, account_id)
);
CREATE INDEX class_registrations_account ON class_registrations (account_id);

CREATE TABLE class_attendance (
  class_id BIGINT NOT NULL REFERENCES classes (id),
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  province_code TEXT NOT NULL,
  how TEXT NOT NULL,
  marked_by BIGINT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (class_id, account_id)
);
