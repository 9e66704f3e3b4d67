-- Foundation: org units, accounts, sessions, login throttling, desks.
-- Times are UTC epoch milliseconds. Ids are random URL-safe strings.

CREATE TABLE org_units (
  id         TEXT PRIMARY KEY,
  parent_id  TEXT REFERENCES org_units(id),
  level      TEXT NOT NULL CHECK (level IN ('city', 'district', 'township', 'community')),
  code       TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  CHECK ((level = 'city') = (parent_id IS NULL))
);
CREATE INDEX org_units_parent ON org_units(parent_id);

CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  role          TEXT NOT NULL CHECK (role IN ('citizen', 'agent', 'township', 'supervisor', 'admin')),
  phone         TEXT UNIQUE CHECK (phone IS NULL OR (length(phone) = 11 AND phone GLOB '1[0-9]*')),
  username      TEXT UNIQUE COLLATE NOCASE,
  name          TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  org_unit_id   TEXT REFERENCES org_units(id),
  created_at    INTEGER NOT NULL,
  disabled_at   INTEGER,
  -- citizens log in with a phone and belong to no org unit; staff log in with a username
  -- and belong to exactly one org unit.
  CHECK ((role = 'citizen' AND phone IS NOT NULL AND org_unit_id IS NULL)
      OR (role <> 'citizen' AND username IS NOT NULL AND org_unit_id IS NOT NULL))
);
CREATE INDEX users_org_unit ON users(org_unit_id);

-- Lucia-style sessions: id = hex(SHA-256(token)); the token itself is never stored.
CREATE TABLE sessions (
  id         TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed logins per account (key = normalised login) and per client address; survives restarts
-- and is shared by every process using the database.
CREATE TABLE login_throttle (
  key          TEXT PRIMARY KEY,
  failures     INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  locked_until INTEGER
);

CREATE TABLE desks (
  id          TEXT PRIMARY KEY,
  org_unit_id TEXT NOT NULL REFERENCES org_units(id),
  name        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  UNIQUE (org_unit_id, name)
);
