-- 容缺受理: a required material the citizen has not handed in yet may be accepted on the
-- citizen's written promise to hand it in by a date, recorded by an agent in the live session.
-- A key material (不可容缺, e.g. the identity document) never is: the catalogue marks it.
ALTER TABLE service_materials ADD COLUMN key_material INTEGER NOT NULL DEFAULT 0
  CHECK (key_material IN (0, 1));

-- One promise per material of a case: what is owed, what the citizen promised, by which day
-- (hall-local YYYY-MM-DD, a working day), who recorded it and in which session.
CREATE TABLE case_owed_materials (
  case_id     TEXT NOT NULL REFERENCES cases(id),
  material    TEXT NOT NULL,
  promise     TEXT NOT NULL,
  due_day     TEXT NOT NULL,
  recorded_by TEXT NOT NULL REFERENCES users(id),
  session_id  TEXT REFERENCES video_sessions(id),
  recorded_at INTEGER NOT NULL,
  PRIMARY KEY (case_id, material)
);
