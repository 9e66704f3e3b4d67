-- Service catalog, first cut: departments, service items and their materials.

CREATE TABLE departments (
  id          TEXT PRIMARY KEY,
  org_unit_id TEXT NOT NULL REFERENCES org_units(id),
  code        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL
);

CREATE TABLE service_items (
  id              TEXT PRIMARY KEY,
  code            TEXT NOT NULL UNIQUE,
  name            TEXT NOT NULL,
  department_id   TEXT NOT NULL REFERENCES departments(id),
  description     TEXT NOT NULL DEFAULT '',
  fee_fen         INTEGER NOT NULL DEFAULT 0 CHECK (fee_fen >= 0),
  time_limit_days INTEGER NOT NULL CHECK (time_limit_days >= 0),
  channel_video   INTEGER NOT NULL DEFAULT 1 CHECK (channel_video IN (0, 1)),
  channel_onsite  INTEGER NOT NULL DEFAULT 1 CHECK (channel_onsite IN (0, 1)),
  -- comma-separated org levels that may accept the item (multi-point acceptance)
  accept_levels   TEXT NOT NULL,
  approve_level   TEXT NOT NULL CHECK (approve_level IN ('city', 'district', 'township')),
  created_at      INTEGER NOT NULL
);
CREATE INDEX service_items_department ON service_items(department_id);

CREATE TABLE service_materials (
  id              TEXT PRIMARY KEY,
  service_item_id TEXT NOT NULL REFERENCES service_items(id) ON DELETE CASCADE,
  position        INTEGER NOT NULL,
  name            TEXT NOT NULL,
  description     TEXT NOT NULL DEFAULT '',
  required        INTEGER NOT NULL DEFAULT 1 CHECK (required IN (0, 1)),
  UNIQUE (service_item_id, position)
);
