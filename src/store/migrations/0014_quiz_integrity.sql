-- 0014_quiz_integrity: quizzes drawn from a bank, one claim per anonymous
-- progress cookie, and figures that follow a revoked certificate.
--
-- An attempt is numbered per learner and quiz (0, 1, …): its draw (which
-- questions, in which order, with which order of answers) follows from the
-- number, so reloading the page shows the same draw and a second answer to
-- a numbered attempt is refused by the unique index.  Rows written before
-- this step have no number; new numbers start at the count of rows.
ALTER TABLE quiz_attempts ADD COLUMN attempt_no INTEGER;
CREATE UNIQUE INDEX quiz_attempts_no ON quiz_attempts (account_id, quiz_id, attempt_no);

-- Attempts of an anonymous visitor, under the nonce of their signed
-- progress cookie (hv_p) until they register or sign in; then copied into
-- quiz_attempts and deleted.
CREATE TABLE anon_attempts (
  id @ID@,
  nonce TEXT NOT NULL,
  quiz_id BIGINT NOT NULL REFERENCES quizzes (id),
  attempt_no INTEGER NOT NULL,
  score INTEGER NOT NULL,
  total INTEGER NOT NULL,
  passed INTEGER NOT NULL,
  answers TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (nonce, quiz_id, attempt_no)
);

-- Progress cookies already claimed into an account: a second claim of the
-- same cookie carries nothing.
CREATE TABLE progress_claims (
  nonce TEXT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  claimed_at BIGINT NOT NULL
);

-- A completion whose certificate is revoked (by an admin, or because the
-- holder deleted their data) no longer counts in courses_completed and
-- people_certified; revocations made before this step keep counting, as
-- the published figures did.
ALTER TABLE completions ADD COLUMN revoked_at BIGINT;
