-- 一件事一次办 (issue 24): a life event (opening a restaurant) is one application spanning several
-- service items. The theme is itself a catalog item (its 牵头部门, its own 承诺时限); each
-- published definition is a version pinned to the union form it generated (a form template of
-- the theme item), so an application (a case of the theme item) keeps the version it started
-- with, as cases keep their form's.
CREATE TABLE life_event_versions (
  id              TEXT PRIMARY KEY,
  service_item_id TEXT NOT NULL REFERENCES service_items(id),
  version         INTEGER NOT NULL,
  definition      TEXT NOT NULL,
  template_id     TEXT NOT NULL UNIQUE REFERENCES form_templates(id),
  published_by    TEXT REFERENCES users(id),
  published_at    INTEGER NOT NULL,
  UNIQUE (service_item_id, version)
);

-- The parts of a submitted application: one per item that applies, each a case of its own
-- (case_id) routed to its department; a part that waits for an earlier part's result
-- (食品经营许可 after the 营业执照) has no case until that part is approved.
CREATE TABLE application_parts (
  application_id  TEXT NOT NULL REFERENCES cases(id),
  service_item_id TEXT NOT NULL REFERENCES service_items(id),
  position        INTEGER NOT NULL,
  case_id         TEXT UNIQUE REFERENCES cases(id),
  waits_for       TEXT REFERENCES service_items(id),
  created_at      INTEGER NOT NULL,
  started_at      INTEGER,
  PRIMARY KEY (application_id, service_item_id)
);
CREATE INDEX application_parts_case ON application_parts(case_id);

-- 部门: staff may belong to one department of their org unit; such staff work only on the cases
-- of their department's items (a life event's part, or a single item), never on the
-- application as a whole. Staff without a department (综合窗口) work on all of their area's.
ALTER TABLE users ADD COLUMN department_id TEXT REFERENCES departments(id);
