-- Phone verification codes (registration, password reset). Only SHA-256(id:code) is kept; a code
-- lives 5 minutes and allows 5 attempts. A row with no code_hash records a message that carried
-- no code (the "this phone already has an account" notice): it still counts toward the phone's
-- hourly limit, so nobody can flood a phone with messages through the register form.
CREATE TABLE phone_codes (
  id          TEXT PRIMARY KEY,
  phone       TEXT NOT NULL,
  purpose     TEXT NOT NULL CHECK (purpose IN ('register', 'reset')),
  code_hash   TEXT,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  attempts    INTEGER NOT NULL DEFAULT 0,
  spent_at    INTEGER
);
CREATE INDEX phone_codes_phone ON phone_codes(phone, created_at);
