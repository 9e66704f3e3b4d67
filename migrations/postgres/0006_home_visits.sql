-- 网格员 (issue 23 item 2): the role 'grid', a community grid worker, and 入户办 requests.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
  CHECK (role IN ('citizen', 'agent', 'township', 'supervisor', 'admin', 'grid'));

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
  accepted_at         BIGINT,
  visit_at            BIGINT,
  scheduled_at        BIGINT,
  -- the resident's consent to the visit and to the video session, as the grid worker recorded it
  consent_method      TEXT CHECK (consent_method IN ('signature', 'verbal')),
  consent_signature_sha256 TEXT, -- the signature image (PNG) in the blob store, kind signatures
  consent_recorded_by TEXT REFERENCES users(id),
  consented_at        BIGINT,
  ticket_id           TEXT UNIQUE REFERENCES tickets(id),
  started_at          BIGINT,
  created_at          BIGINT NOT NULL,
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
  created_at BIGINT NOT NULL,
  PRIMARY KEY (visit_id, seq)
);
