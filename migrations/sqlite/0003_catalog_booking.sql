-- Catalog (categories, bundles, search) and appointment booking (schedules, closures,
-- appointments, waitlist, notification outbox).

CREATE TABLE service_categories (
  code TEXT PRIMARY KEY CHECK (length(code) = 1 AND code GLOB '[A-Z]'),
  name TEXT NOT NULL
);
INSERT INTO service_categories (code, name) VALUES ('A', '综合业务');

ALTER TABLE service_items ADD COLUMN category TEXT NOT NULL DEFAULT 'A' REFERENCES service_categories(code);
ALTER TABLE service_items ADD COLUMN form_template_id TEXT;
-- extra search words (synonyms, colloquial names): 执照 开店 ...
ALTER TABLE service_items ADD COLUMN keywords TEXT NOT NULL DEFAULT '';
-- hash of the item's imported content: re-importing an unchanged row changes nothing
ALTER TABLE service_items ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE service_items ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;

CREATE TABLE bundles (
  id          TEXT PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE bundle_items (
  bundle_id       TEXT NOT NULL REFERENCES bundles(id) ON DELETE CASCADE,
  service_item_id TEXT NOT NULL REFERENCES service_items(id) ON DELETE CASCADE,
  position        INTEGER NOT NULL,
  PRIMARY KEY (bundle_id, service_item_id)
);

-- Full-text search over name, keywords, guide, materials and department. The trigram
-- tokenizer matches any 3+ character substring, which suits Chinese (no word boundaries);
-- shorter queries fall back to LIKE on the same table. Kept in step by the catalog repo.
CREATE VIRTUAL TABLE service_search USING fts5(
  item_id UNINDEXED, name, keywords, body,
  tokenize = 'trigram case_sensitive 0'
);

CREATE TABLE schedules (
  id              TEXT PRIMARY KEY,
  org_unit_id     TEXT NOT NULL REFERENCES org_units(id),
  service_item_id TEXT NOT NULL REFERENCES service_items(id),
  channel         TEXT NOT NULL CHECK (channel IN ('video', 'onsite')),
  slot_minutes    INTEGER NOT NULL CHECK (slot_minutes BETWEEN 5 AND 240),
  capacity        INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 100),
  -- booking, cancelling and rescheduling close this many minutes before a slot starts
  cutoff_minutes  INTEGER NOT NULL DEFAULT 60 CHECK (cutoff_minutes BETWEEN 0 AND 2880),
  -- JSON: {"1":[["09:00","12:00"],["13:30","17:00"]], ...} keyed by ISO weekday 1 (Mon) .. 7 (Sun)
  hours           TEXT NOT NULL,
  active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at      INTEGER NOT NULL,
  UNIQUE (org_unit_id, service_item_id, channel)
);

-- Holidays and one-off closures of an org unit's hall (all items, or one item), with the
-- notice citizens see.
CREATE TABLE closures (
  id              TEXT PRIMARY KEY,
  org_unit_id     TEXT NOT NULL REFERENCES org_units(id),
  service_item_id TEXT REFERENCES service_items(id),
  date            TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  kind            TEXT NOT NULL CHECK (kind IN ('holiday', 'closure')),
  notice          TEXT NOT NULL,
  created_by      TEXT REFERENCES users(id),
  created_at      INTEGER NOT NULL
);
CREATE INDEX closures_date ON closures(date, org_unit_id);

CREATE TABLE appointments (
  id              TEXT PRIMARY KEY,
  citizen_id      TEXT NOT NULL REFERENCES users(id),
  service_item_id TEXT NOT NULL REFERENCES service_items(id),
  schedule_id     TEXT NOT NULL REFERENCES schedules(id),
  org_unit_id     TEXT NOT NULL REFERENCES org_units(id),
  channel         TEXT NOT NULL CHECK (channel IN ('video', 'onsite')),
  start_at        INTEGER NOT NULL,
  end_at          INTEGER NOT NULL,
  -- the slot's day in the hall's time zone, for "one active booking per item per day"
  local_date      TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('booked', 'cancelled', 'no_show', 'checked_in', 'completed')),
  cancel_reason   TEXT CHECK (cancel_reason IN ('citizen', 'rescheduled', 'closure', 'staff')),
  rescheduled_to  TEXT REFERENCES appointments(id),
  idempotency_key TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX appointments_slot ON appointments(schedule_id, start_at, status);
CREATE INDEX appointments_org_day ON appointments(org_unit_id, local_date);
CREATE INDEX appointments_citizen ON appointments(citizen_id, start_at);
-- at most one active booking per citizen, item and day, even when two requests race
CREATE UNIQUE INDEX appointments_one_per_day ON appointments(citizen_id, service_item_id, local_date)
  WHERE status = 'booked';
CREATE UNIQUE INDEX appointments_idempotency ON appointments(citizen_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

CREATE TABLE waitlist_entries (
  id              TEXT PRIMARY KEY,
  citizen_id      TEXT NOT NULL REFERENCES users(id),
  service_item_id TEXT NOT NULL REFERENCES service_items(id),
  schedule_id     TEXT NOT NULL REFERENCES schedules(id),
  start_at        INTEGER NOT NULL,
  auto_book       INTEGER NOT NULL CHECK (auto_book IN (0, 1)),
  status          TEXT NOT NULL CHECK (status IN ('waiting', 'offered', 'booked', 'cancelled', 'expired')),
  appointment_id  TEXT REFERENCES appointments(id),
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX waitlist_slot ON waitlist_entries(schedule_id, start_at, status, created_at);
CREATE UNIQUE INDEX waitlist_once ON waitlist_entries(citizen_id, schedule_id, start_at)
  WHERE status IN ('waiting', 'offered');

-- Notification outbox: one row per message and channel. dedupe_key makes "send once" a
-- constraint; sent_at is claimed in a transaction before delivery.
CREATE TABLE notifications (
  id         TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id),
  channel    TEXT NOT NULL CHECK (channel IN ('in_app', 'sms')),
  -- what happened; the UI renders kind + params through its message catalogue, SMS through
  -- server/notify/templates.ts
  kind       TEXT NOT NULL,
  params     TEXT NOT NULL DEFAULT '{}',
  link       TEXT,
  dedupe_key TEXT NOT NULL UNIQUE,
  due_at     INTEGER NOT NULL,
  sent_at    INTEGER,
  read_at    INTEGER,
  cancelled_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX notifications_due ON notifications(sent_at, due_at);
CREATE INDEX notifications_user ON notifications(user_id, channel, due_at);
