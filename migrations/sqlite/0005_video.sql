-- Video sessions (视频办): a LiveKit room per session, who may join, and a timeline of what
-- happened (our actions, LiveKit's verified webhooks, chat). The session id is the room name.

CREATE TABLE video_sessions (
  id             TEXT PRIMARY KEY,
  ticket_id      TEXT UNIQUE REFERENCES tickets(id),
  citizen_id     TEXT NOT NULL REFERENCES users(id),
  created_by     TEXT NOT NULL REFERENCES users(id),
  org_unit_id    TEXT NOT NULL REFERENCES org_units(id),
  service_item_id TEXT NOT NULL REFERENCES service_items(id),
  status         TEXT NOT NULL CHECK (status IN ('open', 'ended')),
  created_at     INTEGER NOT NULL,
  ended_at       INTEGER
);

CREATE TABLE session_participants (
  session_id  TEXT NOT NULL REFERENCES video_sessions(id),
  user_id     TEXT NOT NULL REFERENCES users(id),
  kind        TEXT NOT NULL CHECK (kind IN ('citizen', 'host', 'guest')),
  invited_by  TEXT REFERENCES users(id),
  admitted_at INTEGER,
  removed_at  INTEGER,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (session_id, user_id)
);

CREATE TABLE session_events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id  TEXT NOT NULL REFERENCES video_sessions(id),
  type        TEXT NOT NULL,
  actor_id    TEXT,
  payload     TEXT NOT NULL DEFAULT '{}',
  -- LiveKit's webhook event id: a redelivered webhook is recorded once
  source_id   TEXT UNIQUE,
  created_at  INTEGER NOT NULL
);
CREATE INDEX session_events_session ON session_events(session_id, id);
