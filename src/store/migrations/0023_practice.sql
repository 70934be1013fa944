-- 0023_practice: practice simulations ("Thực hành", content/<course>/thuc-hanh/*.md)
-- stored and versioned like quizzes (the whole source, re-parsed when the
-- catalogue loads), and learners' runs through them.  A learner is "a<id>"
-- for an account or "n<nonce>" for an anonymous visitor (the progress
-- cookie's nonce), as quiz draws are bound.
CREATE TABLE simulations (
  id @ID@,
  course_id BIGINT NOT NULL REFERENCES courses (id),
  slug TEXT NOT NULL UNIQUE,
  position INTEGER NOT NULL,
  source TEXT NOT NULL,
  published INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  updated_at BIGINT NOT NULL
);

CREATE TABLE simulation_versions (
  id @ID@,
  simulation_id BIGINT NOT NULL REFERENCES simulations (id),
  version INTEGER NOT NULL,
  source TEXT NOT NULL,
  editor_id BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (simulation_id, version)
);

-- next: the 1-based step the learner is on (steps + 1 when finished);
-- misses and shown: wrong answers and "show me" on this run.
CREATE TABLE practice_runs (
  learner TEXT NOT NULL,
  simulation_id BIGINT NOT NULL REFERENCES simulations (id),
  next INTEGER NOT NULL,
  misses INTEGER NOT NULL DEFAULT 0,
  shown INTEGER NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (learner, simulation_id)
);

-- The evidence of practice: a simulation completed (clean: on the first
-- run without a wrong answer or "show me").
CREATE TABLE practice_done (
  learner TEXT NOT NULL,
  simulation_id BIGINT NOT NULL REFERENCES simulations (id),
  account_id BIGINT,
  clean INTEGER NOT NULL,
  completed_at BIGINT NOT NULL,
  PRIMARY KEY (learner, simulation_id)
);
