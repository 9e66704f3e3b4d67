-- Smart forms and cases (智能表单 · 办件): versioned templates, cases pinned to a version,
-- field values with revisions and origin, documents, signature, and the case timeline.

CREATE TABLE form_templates (
  id              TEXT PRIMARY KEY,
  service_item_id TEXT NOT NULL REFERENCES service_items(id),
  version         INTEGER NOT NULL,
  definition      TEXT NOT NULL,
  published_by    TEXT REFERENCES users(id),
  published_at    INTEGER NOT NULL,
  UNIQUE (service_item_id, version)
);

CREATE TABLE cases (
  id              TEXT PRIMARY KEY,
  service_item_id TEXT NOT NULL REFERENCES service_items(id),
  template_id     TEXT NOT NULL REFERENCES form_templates(id),
  citizen_id      TEXT NOT NULL REFERENCES users(id),
  org_unit_id     TEXT NOT NULL REFERENCES org_units(id),
  session_id      TEXT REFERENCES video_sessions(id),
  status          TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'accepted', 'in_review', 'approved',
                    'returned', 'rejected', 'completed')),
  receipt_no      TEXT UNIQUE,
  signature_sha256 TEXT,
  signature_file  TEXT,
  signed_content_sha256 TEXT,
  signed_at       INTEGER,
  submitted_at    INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX cases_citizen ON cases(citizen_id, created_at);
CREATE INDEX cases_org ON cases(org_unit_id, status);
CREATE UNIQUE INDEX cases_one_per_session ON cases(session_id) WHERE session_id IS NOT NULL;

CREATE TABLE case_fields (
  case_id      TEXT NOT NULL REFERENCES cases(id),
  key          TEXT NOT NULL,
  value        TEXT NOT NULL,
  revision     INTEGER NOT NULL,
  source       TEXT NOT NULL CHECK (source IN ('citizen', 'staff')),
  updated_by   TEXT NOT NULL REFERENCES users(id),
  updated_at   INTEGER NOT NULL,
  confirmed_at INTEGER,
  PRIMARY KEY (case_id, key)
);

CREATE TABLE case_documents (
  id            TEXT PRIMARY KEY,
  case_id       TEXT NOT NULL REFERENCES cases(id),
  material      TEXT NOT NULL,
  filename      TEXT NOT NULL,
  mime          TEXT NOT NULL,
  size          INTEGER NOT NULL,
  sha256        TEXT NOT NULL,
  uploaded_by   TEXT NOT NULL REFERENCES users(id),
  created_at    INTEGER NOT NULL
);
CREATE INDEX case_documents_case ON case_documents(case_id);

-- Every change and live gesture (pointing at a field, presence, requests), in order; the
-- case page's SSE stream reads it.
CREATE TABLE case_events (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id    TEXT NOT NULL REFERENCES cases(id),
  type       TEXT NOT NULL,
  actor_id   TEXT REFERENCES users(id),
  payload    TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL
);
CREATE INDEX case_events_case ON case_events(case_id, id);
