-- migrate: foreign_keys off
-- 网格员 (issue 23 item 2): the role 'grid', a community grid worker, and 入户办 requests.
--
-- SQLite cannot change a CHECK in place, and users is referenced by most tables: the table is
-- rebuilt with foreign keys off (the runner turns them off for a migration that says so above,
-- and runs PRAGMA foreign_key_check before it commits), so dropping the old table neither
-- cascades into sessions nor fails; the columns stay in the same order.
CREATE TABLE users_new (
  id            TEXT PRIMARY KEY,
  role          TEXT NOT NULL CHECK (role IN ('citizen', 'agent', 'township', 'supervisor', 'admin', 'grid')),
  phone         TEXT UNIQUE CHECK (phone IS NULL OR (length(phone) = 11 AND phone GLOB '1[0-9]*')),
  username      TEXT UNIQUE COLLATE NOCASE,
  name          TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  org_unit_id   TEXT REFERENCES org_units(id),
  created_at    INTEGER NOT NULL,
  disabled_at   INTEGER,
  care_mode     INTEGER NOT NULL DEFAULT 0,
  -- citizens log in with a phone and belong to no org unit; staff log in with a username
  -- and belong to exactly one org unit.
  CHECK ((role = 'citizen' AND phone IS NOT NULL AND org_unit_id IS NULL)
      OR (role <> 'citizen' AND username IS NOT NULL AND org_unit_id IS NOT NULL))
);
INSERT INTO users_new (id, role, phone, username, name, password_hash, org_unit_id, created_at, disabled_at, care_mode)
  SELECT id, role, phone, username, name, password_hash, org_unit_id, created_at, disabled_at, care_mode FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_org_unit ON users(org_unit_id);

-- 入户办 (issue 23 item 2): a resident, or a proxy acting for them, asks the community's grid
-- workers (网格员) to visit them at home for a service item. citizen_id is the resident (the
-- applicant); requested_by/requested_as who asked (the resident themself or a proxy). The first
-- grid worker of the community to accept takes it (a conditional update on status 'open');
-- the visit is scheduled, the resident's consent to the visit and to the video session is
-- recorded at the home (consent_*), then the grid worker starts a video ticket for the
-- resident (ticket_id; the ticket says acted_as 'grid').
CREATE TABLE home_visits (
  id                  TEXT PRIMARY KEY,
  citizen_id          TEXT NOT NULL REFERENCES users(id),
  community_id        TEXT NOT NULL REFERENCES org_units(id),
  service_item_id     TEXT NOT NULL REFERENCES service_items(id),
  address             TEXT NOT NULL,
  phone               TEXT,
  reason              TEXT NOT NULL CHECK (reason IN ('elderly', 'sick', 'disabled', 'pregnant', 'other')),
  note                TEXT,
  requested_by        TEXT NOT NULL REFERENCES users(id),
  requested_as        TEXT NOT NULL CHECK (requested_as IN ('self', 'proxy')),
  status              TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'scheduled', 'started', 'cancelled')),
  grid_worker_id      TEXT REFERENCES users(id),
  accepted_at         INTEGER,
  visit_at            INTEGER,
  scheduled_at        INTEGER,
  -- the resident's consent to the visit and to the video session, as the grid worker recorded it
  consent_method      TEXT CHECK (consent_method IN ('signature', 'verbal')),
  consent_signature_sha256 TEXT, -- the signature image (PNG) in the blob store, kind signatures
  consent_recorded_by TEXT REFERENCES users(id),
  consented_at        INTEGER,
  ticket_id           TEXT UNIQUE REFERENCES tickets(id),
  started_at          INTEGER,
  created_at          INTEGER NOT NULL,
  CHECK ((status = 'open') = (grid_worker_id IS NULL))
);
CREATE INDEX home_visits_community ON home_visits(community_id, status, created_at);
CREATE INDEX home_visits_citizen ON home_visits(citizen_id, created_at);
CREATE INDEX home_visits_grid_worker ON home_visits(grid_worker_id, status);

-- what happened to a visit, in order (seq per visit, written under the visit row's update):
-- actor_id who did it, acted_as in what capacity, acted_for the resident when someone else acted
CREATE TABLE home_visit_events (
  visit_id   TEXT NOT NULL REFERENCES home_visits(id),
  seq        INTEGER NOT NULL,
  type       TEXT NOT NULL,
  actor_id   TEXT NOT NULL REFERENCES users(id),
  acted_as   TEXT NOT NULL CHECK (acted_as IN ('self', 'proxy', 'grid')),
  acted_for  TEXT REFERENCES users(id),
  payload    TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  PRIMARY KEY (visit_id, seq)
);
