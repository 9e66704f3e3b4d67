-- Virtual queue (云上排队叫号): desks that call, tickets, gap-free numbering, and the event log
-- that live pages (SSE) replay from.

ALTER TABLE desks ADD COLUMN categories TEXT NOT NULL DEFAULT '';
ALTER TABLE desks ADD COLUMN served_by TEXT REFERENCES users(id);
ALTER TABLE desks ADD COLUMN opened_at INTEGER;

-- One counter per hall (org unit), day and category; incremented inside the issuing
-- transaction, so numbers are unique and gap-free even when processes issue at once.
CREATE TABLE ticket_counters (
  hall_id     TEXT NOT NULL REFERENCES org_units(id),
  day         TEXT NOT NULL,
  category    TEXT NOT NULL,
  last_number INTEGER NOT NULL,
  PRIMARY KEY (hall_id, day, category)
);

CREATE TABLE tickets (
  id              TEXT PRIMARY KEY,
  hall_id         TEXT NOT NULL REFERENCES org_units(id),
  day             TEXT NOT NULL,
  category        TEXT NOT NULL,
  number          INTEGER NOT NULL,
  code            TEXT NOT NULL,
  service_item_id TEXT NOT NULL REFERENCES service_items(id),
  channel         TEXT NOT NULL CHECK (channel IN ('video', 'onsite')),
  citizen_id      TEXT REFERENCES users(id),
  appointment_id  TEXT UNIQUE REFERENCES appointments(id),
  slot_start      INTEGER,
  priority        INTEGER NOT NULL DEFAULT 0 CHECK (priority IN (0, 1)),
  priority_reason TEXT CHECK (priority_reason IN ('elderly', 'disabled', 'pregnant')),
  status          TEXT NOT NULL CHECK (status IN ('waiting', 'called', 'serving', 'done', 'no_show', 'cancelled')),
  -- place in line; normally the issue time, moved back on rejoin
  order_key       INTEGER NOT NULL,
  target_desk_id  TEXT REFERENCES desks(id),
  desk_id         TEXT REFERENCES desks(id),
  called_by       TEXT REFERENCES users(id),
  called_at       INTEGER,
  recalls         INTEGER NOT NULL DEFAULT 0,
  started_at      INTEGER,
  finished_at     INTEGER,
  no_show_at      INTEGER,
  rejoins         INTEGER NOT NULL DEFAULT 0,
  created_by      TEXT REFERENCES users(id),
  created_at      INTEGER NOT NULL,
  UNIQUE (hall_id, day, category, number)
);
CREATE INDEX tickets_waiting ON tickets(hall_id, status, category, order_key);
CREATE INDEX tickets_citizen ON tickets(citizen_id, created_at);
CREATE INDEX tickets_finished ON tickets(hall_id, category, finished_at);
-- a citizen holds at most one active ticket per item at a time
CREATE UNIQUE INDEX tickets_one_active ON tickets(citizen_id, service_item_id)
  WHERE citizen_id IS NOT NULL AND status IN ('waiting', 'called', 'serving');

-- Append-only event log per hall; its rowid is the SSE event id.
CREATE TABLE queue_events (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  hall_id    TEXT NOT NULL REFERENCES org_units(id),
  ticket_id  TEXT REFERENCES tickets(id),
  type       TEXT NOT NULL,
  payload    TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX queue_events_hall ON queue_events(hall_id, id);
