-- 0025_offline_learning: a quiz attempt answered on a phone without a
-- connection is queued there and sent later, perhaps more than once (the
-- answer lost on the way).  It carries a client id (a UUID made by the
-- phone); the first arrival is stored with it, and a replay finds the
-- stored attempt by that id and answers its result: never a second
-- attempt.  Attempts made online have none (NULL; NULLs do not clash).
ALTER TABLE quiz_attempts ADD COLUMN client_id TEXT;
CREATE UNIQUE INDEX quiz_attempts_client ON quiz_attempts (client_id);
ALTER TABLE anon_attempts ADD COLUMN client_id TEXT;
CREATE UNIQUE INDEX anon_attempts_client ON anon_attempts (client_id);
