-- Staff two-factor sign-in (等保 2.0 level 3, issue 17): a time-based one-time code (TOTP,
-- RFC 6238) after the password. A session starts awaiting its second factor when its user has
-- to give one; until then it is not a signed-in user (server/http/auth-middleware.ts).
ALTER TABLE sessions ADD COLUMN two_factor_verified INTEGER NOT NULL DEFAULT 0
  CHECK (two_factor_verified IN (0, 1));
-- Sessions from before this step: citizens stay signed in; staff sign in again, so the ones
-- who must give a second factor are asked for it.
UPDATE sessions SET two_factor_verified = 1
  WHERE user_id IN (SELECT id FROM users WHERE role = 'citizen');
DELETE FROM sessions WHERE two_factor_verified = 0;

-- One authenticator per user. confirmed_at is null while enrolment waits for its first code.
-- last_step is the last 30-second step accepted: a code of that step or earlier is refused, so
-- a code seen over someone's shoulder cannot be used again.
CREATE TABLE totp_credentials (
  user_id      TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  secret       BLOB NOT NULL,
  created_at   INTEGER NOT NULL,
  confirmed_at INTEGER,
  last_step    INTEGER
);

-- One-time recovery codes for a lost authenticator, kept only as SHA-256 hashes.
CREATE TABLE recovery_codes (
  id         TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash  TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  used_at    INTEGER,
  UNIQUE (user_id, code_hash)
);
