-- Writes retried with an Idempotency-Key land once (issue 22, item 5). The key is recorded in
-- the same transaction as the write it guards, with the answer given, so a retry after a dropped
-- connection or a node that died mid-request gets the first answer again, or (the write never
-- committed) runs afresh. scope: the user's id, or 'anonymous'. fingerprint: SHA-256 of method,
-- path and body (the same key with another request is refused). Kept 24 hours.
CREATE TABLE idempotency_keys (
  scope        TEXT NOT NULL,
  key          TEXT NOT NULL,
  fingerprint  TEXT NOT NULL,
  status       INTEGER NOT NULL,
  content_type TEXT,
  body         TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
