-- Assistant (智能问答 · 转人工): the standalone FAQ entries of the knowledge base (service items
-- are the rest of it, read from the catalog), conversations with their context item, and a log
-- of every question for supervisors (unanswered questions are gaps in the knowledge base).

CREATE TABLE kb_entries (
  id           TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 80),
  title        TEXT NOT NULL,
  body         TEXT NOT NULL,
  -- JSON array of strings
  tags         TEXT NOT NULL DEFAULT '[]',
  -- the service item the entry is about (its FAQ), checked against the catalog when written
  service_code TEXT,
  content_hash TEXT NOT NULL,
  updated_by   TEXT REFERENCES users(id),
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX kb_entries_service ON kb_entries(service_code);

-- Bumped by every change to the catalog or the FAQs; processes rebuild their in-memory index
-- when the number they built from is behind (so an edit in one process reaches the others).
CREATE TABLE kb_version (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO kb_version (id, version) VALUES (1, 1);
CREATE TRIGGER kb_version_items_insert AFTER INSERT ON service_items
  BEGIN UPDATE kb_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER kb_version_items_update AFTER UPDATE ON service_items
  BEGIN UPDATE kb_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER kb_version_items_delete AFTER DELETE ON service_items
  BEGIN UPDATE kb_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER kb_version_materials_insert AFTER INSERT ON service_materials
  BEGIN UPDATE kb_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER kb_version_materials_update AFTER UPDATE ON service_materials
  BEGIN UPDATE kb_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER kb_version_materials_delete AFTER DELETE ON service_materials
  BEGIN UPDATE kb_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER kb_version_entries_insert AFTER INSERT ON kb_entries
  BEGIN UPDATE kb_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER kb_version_entries_update AFTER UPDATE ON kb_entries
  BEGIN UPDATE kb_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER kb_version_entries_delete AFTER DELETE ON kb_entries
  BEGIN UPDATE kb_version SET version = version + 1 WHERE id = 1; END;

CREATE TABLE assistant_conversations (
  id                TEXT PRIMARY KEY,
  -- null when asked without signing in (home page); a conversation is bound to its first asker
  user_id           TEXT REFERENCES users(id),
  -- the item the conversation is about, for follow-ups ("需要什么材料？")
  service_item_id   TEXT REFERENCES service_items(id),
  handoff_ticket_id TEXT UNIQUE REFERENCES tickets(id),
  handoff_at        INTEGER,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);

CREATE TABLE assistant_questions (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  conversation_id TEXT NOT NULL REFERENCES assistant_conversations(id),
  question        TEXT NOT NULL,
  -- best entry when answered (null when the assistant said it does not know)
  entry_id        TEXT,
  -- the item the answer is about; its department's org unit scopes the supervisor's view
  service_item_id TEXT REFERENCES service_items(id),
  org_unit_id     TEXT REFERENCES org_units(id),
  confidence      REAL NOT NULL,
  answered        INTEGER NOT NULL CHECK (answered IN (0, 1)),
  -- JSON [{ "id", "score" }] of the top matches
  matches         TEXT NOT NULL DEFAULT '[]',
  -- the answer used the conversation's item because the question named none
  used_context    INTEGER NOT NULL DEFAULT 0 CHECK (used_context IN (0, 1)),
  created_at      INTEGER NOT NULL
);
CREATE INDEX assistant_questions_conversation ON assistant_questions(conversation_id, id);
CREATE INDEX assistant_questions_time ON assistant_questions(created_at);
