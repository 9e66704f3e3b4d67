-- Ratings (好差评) with follow-up of bad ones (回访整改), and the working-day calendar that
-- follow-up due dates are counted in.

CREATE TABLE ratings (
  id              TEXT PRIMARY KEY,
  subject_type    TEXT NOT NULL CHECK (subject_type IN ('session', 'case')),
  subject_id      TEXT NOT NULL,
  citizen_id      TEXT NOT NULL REFERENCES users(id),
  -- the org unit that served (its supervisors follow up) and the staff member who served
  org_unit_id     TEXT NOT NULL REFERENCES org_units(id),
  staff_id        TEXT REFERENCES users(id),
  service_item_id TEXT NOT NULL REFERENCES service_items(id),
  score           INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
  -- JSON array of reason tags
  tags            TEXT NOT NULL DEFAULT '[]',
  comment         TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  -- one rating per service
  UNIQUE (subject_type, subject_id)
);
CREATE INDEX ratings_org ON ratings(org_unit_id, created_at);
CREATE INDEX ratings_staff ON ratings(staff_id, created_at);
CREATE INDEX ratings_citizen ON ratings(citizen_id, created_at);

CREATE TABLE rating_followups (
  id            TEXT PRIMARY KEY,
  rating_id     TEXT NOT NULL UNIQUE REFERENCES ratings(id),
  org_unit_id   TEXT NOT NULL REFERENCES org_units(id),
  -- open → contacted → resolved; cancelled when the citizen raises the rating within the window
  status        TEXT NOT NULL CHECK (status IN ('open', 'contacted', 'resolved', 'cancelled')),
  -- hall-local date (YYYY-MM-DD), 15 working days after the rating
  due_day       TEXT NOT NULL,
  contact_note  TEXT,
  contacted_at  INTEGER,
  resolution    TEXT,
  resolved_at   INTEGER,
  handled_by    TEXT REFERENCES users(id),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX rating_followups_org ON rating_followups(org_unit_id, status, due_day);

-- Days that differ from the Monday-to-Friday rule: public holidays (kind 'holiday') and the
-- weekend days worked in exchange (调休, kind 'workday').
CREATE TABLE calendar_days (
  day  TEXT PRIMARY KEY CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name TEXT NOT NULL DEFAULT ''
);
