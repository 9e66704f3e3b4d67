-- 审计日志 (server/audit): append-only and tamper-evident. Each row carries the SHA-256 of the
-- previous row's hash and its own content, so editing or deleting a row breaks the chain from
-- there on (`npm run audit:verify`). Appends happen under the write lock (BEGIN IMMEDIATE) and
-- seq is the primary key, so two processes can never both append after the same row.
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor_id TEXT,
  actor_name TEXT,
  actor_role TEXT,
  ip TEXT,
  action TEXT NOT NULL,
  target_type TEXT,
  target_id TEXT,
  detail TEXT NOT NULL DEFAULT '{}',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_actor ON audit_log(actor_id, at);
CREATE INDEX audit_log_action ON audit_log(action, at);

-- Rows are never changed in place; deletions happen only through retention pruning, which
-- first records the last pruned row here so the chain still verifies from the oldest kept row.
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE audit_anchor (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  pruned_at INTEGER NOT NULL
);
