-- 0015_credentials: what outside verifiers need (issue 18).
--
-- status_seq: each certificate's place in the published revocation lists
-- (W3C Bitstring Status List v1.0): list status_seq / 131072 + 1, bit
-- status_seq % 131072.  Taken in issue order; certificates issued before
-- this step get theirs here (by issue time), and `hocvuso cert reissue`
-- writes the entry into their signed credential.
-- revoked_by_holder: the holder deleted their data (the verify page says
-- "revoked at the holder's request", never "bad signature").
-- issuer_keys: every signing key the issuer has had (multibase Ed25519
-- public keys), so credentials signed before `hocvuso cert rotate-key`
-- still verify; replaced_at is set when a newer key took over.
-- status_lists: a change counter per list, moved in the transaction of a
-- revocation; a server keeps the signed list while the number stays.
ALTER TABLE certificates ADD COLUMN status_seq BIGINT;
ALTER TABLE certificates ADD COLUMN revoked_by_holder INTEGER NOT NULL DEFAULT 0;
UPDATE certificates SET status_seq = n.seq
  FROM (SELECT code, ROW_NUMBER() OVER (ORDER BY issued_at, code) - 1 AS seq FROM certificates) AS n
  WHERE n.code = certificates.code;
UPDATE certificates SET revoked_by_holder = 1
  WHERE credential = '{}' AND holder_name = '' AND revoked_reason = 'Người học đã xóa dữ liệu cá nhân';
CREATE UNIQUE INDEX certificates_status_seq ON certificates (status_seq);
CREATE INDEX certificates_revoked_seq ON certificates (status_seq) WHERE revoked_at IS NOT NULL;

CREATE TABLE issuer_keys (
  multikey TEXT PRIMARY KEY,
  created_at BIGINT NOT NULL,
  replaced_at BIGINT
);

CREATE TABLE status_lists (
  list_id BIGINT PRIMARY KEY,
  version BIGINT NOT NULL
);
