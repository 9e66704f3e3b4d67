-- Staff sessions end after a spell without activity (STAFF_IDLE_MINUTES). The last activity is
-- written at most once a minute, so a busy agent does not turn every request into a write.
ALTER TABLE sessions ADD COLUMN last_active_at INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET last_active_at = created_at;
