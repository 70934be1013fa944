-- 0002_learning: courses, lessons (with every version kept), quizzes,
-- learners' progress, quiz attempts, completions and certificates.
-- Records made by learners carry the province code (distribution key).

CREATE TABLE courses (
  id @ID@,
  slug TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  intro_md TEXT NOT NULL,
  intro_html TEXT NOT NULL,
  position INTEGER NOT NULL,
  tracks TEXT NOT NULL,
  pass_mark INTEGER NOT NULL,
  published INTEGER NOT NULL DEFAULT 1,
  updated_at BIGINT NOT NULL
);

CREATE TABLE lessons (
  id @ID@,
  slug TEXT NOT NULL UNIQUE,
  course_id BIGINT NOT NULL REFERENCES courses (id),
  module TEXT NOT NULL,
  position INTEGER NOT NULL,
  title TEXT NOT NULL,
  minutes INTEGER NOT NULL,
  tracks TEXT NOT NULL,
  domain TEXT NOT NULL,
  level INTEGER NOT NULL,
  video TEXT NOT NULL,
  body_md TEXT NOT NULL,
  body_html TEXT NOT NULL,
  published INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  updated_at BIGINT NOT NULL
);
CREATE INDEX lessons_course ON lessons (course_id, position);

CREATE TABLE lesson_versions (
  id @ID@,
  lesson_id BIGINT NOT NULL REFERENCES lessons (id),
  version INTEGER NOT NULL,
  title TEXT NOT NULL,
  body_md TEXT NOT NULL,
  published INTEGER NOT NULL,
  editor_id BIGINT,
  source TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (lesson_id, version)
);

CREATE TABLE content_images (
  path TEXT PRIMARY KEY,
  mime TEXT NOT NULL,
  data TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE quizzes (
  id @ID@,
  course_id BIGINT NOT NULL UNIQUE REFERENCES courses (id),
  title TEXT NOT NULL,
  source TEXT NOT NULL,
  published INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  updated_at BIGINT NOT NULL
);

CREATE TABLE quiz_versions (
  id @ID@,
  quiz_id BIGINT NOT NULL REFERENCES quizzes (id),
  version INTEGER NOT NULL,
  source TEXT NOT NULL,
  editor_id BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (quiz_id, version)
);

CREATE TABLE progress (
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  lesson_id BIGINT NOT NULL REFERENCES lessons (id),
  read_at BIGINT NOT NULL,
  province_code TEXT,
  PRIMARY KEY (account_id, lesson_id)
);

CREATE TABLE quiz_attempts (
  id @ID@,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  quiz_id BIGINT NOT NULL REFERENCES quizzes (id),
  score INTEGER NOT NULL,
  total INTEGER NOT NULL,
  passed INTEGER NOT NULL,
  answers TEXT NOT NULL,
  province_code TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX quiz_attempts_account ON quiz_attempts (account_id);

CREATE TABLE completions (
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  course_id BIGINT NOT NULL REFERENCES courses (id),
  completed_at BIGINT NOT NULL,
  unit_code TEXT,
  province_code TEXT,
  PRIMARY KEY (account_id, course_id)
);

CREATE TABLE certificates (
  code TEXT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  course_id BIGINT NOT NULL REFERENCES courses (id),
  holder_name TEXT NOT NULL,
  issued_at BIGINT NOT NULL,
  credential TEXT NOT NULL,
  revoked_at BIGINT,
  revoked_reason TEXT,
  revoked_by BIGINT,
  unit_code TEXT,
  province_code TEXT,
  UNIQUE (account_id, course_id)
);
