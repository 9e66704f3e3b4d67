-- Cross-level co-handling (全域通办 · 上下联动): where a case was accepted and is reviewed, the
-- reviewer's comments, delivery, and the remote-guidance pool.

ALTER TABLE cases ADD COLUMN accepted_org_unit_id TEXT REFERENCES org_units(id);
ALTER TABLE cases ADD COLUMN review_org_unit_id TEXT REFERENCES org_units(id);
ALTER TABLE cases ADD COLUMN review_comments TEXT NOT NULL DEFAULT '{}';
ALTER TABLE cases ADD COLUMN delivery TEXT CHECK (delivery IN ('nearby', 'electronic'));
CREATE INDEX cases_review ON cases(review_org_unit_id, status);
CREATE INDEX cases_accepted ON cases(accepted_org_unit_id, status);

CREATE TABLE guidance_requests (
  id                 TEXT PRIMARY KEY,
  session_id         TEXT NOT NULL REFERENCES video_sessions(id),
  case_id            TEXT REFERENCES cases(id),
  service_item_id    TEXT NOT NULL REFERENCES service_items(id),
  requested_by       TEXT NOT NULL REFERENCES users(id),
  requesting_org_id  TEXT NOT NULL REFERENCES org_units(id),
  expert_org_id      TEXT NOT NULL REFERENCES org_units(id),
  status             TEXT NOT NULL CHECK (status IN ('waiting', 'accepted', 'cancelled')),
  accepted_by        TEXT REFERENCES users(id),
  created_at         INTEGER NOT NULL,
  accepted_at        INTEGER,
  escalated_at       INTEGER,
  finished_at        INTEGER
);
CREATE INDEX guidance_waiting ON guidance_requests(expert_org_id, status, created_at);
CREATE UNIQUE INDEX guidance_one_open ON guidance_requests(session_id) WHERE status = 'waiting';
