-- 代办授权 (issue 23): a citizen (the grantor) lets another citizen account (the proxy) act for
-- them, for all items or chosen ones, until a day in the hall's time zone. The proxy asks; the
-- grantor confirms with an SMS code sent to their own phone (phone_codes, purpose 'proxy').
-- grantor_phone is the number the proxy named: the answer to the request is the same whether or
-- not it has an account, so a pending grant may have no grantor_id until it is confirmed.
-- phone_code_id: the code sent for this grant (a code sent for another grant never confirms it).
CREATE TABLE proxy_grants (
  id            TEXT PRIMARY KEY,
  grantor_id    TEXT REFERENCES users(id),
  grantor_phone TEXT NOT NULL,
  proxy_id      TEXT NOT NULL REFERENCES users(id),
  all_items     INTEGER NOT NULL CHECK (all_items IN (0, 1)),
  valid_until   TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('pending', 'active', 'revoked')),
  phone_code_id TEXT,
  confirmed_at  BIGINT,
  revoked_at    BIGINT,
  revoked_by    TEXT REFERENCES users(id),
  created_at    BIGINT NOT NULL
);
-- at most one open (pending or active) grant per grantor and proxy, even when two requests race
CREATE UNIQUE INDEX proxy_grants_one_open ON proxy_grants(grantor_phone, proxy_id)
  WHERE status IN ('pending', 'active');
CREATE INDEX proxy_grants_proxy ON proxy_grants(proxy_id, created_at);
CREATE INDEX proxy_grants_grantor ON proxy_grants(grantor_id, created_at);

-- the items of a grant that is not for all items
CREATE TABLE proxy_grant_items (
  grant_id        TEXT NOT NULL REFERENCES proxy_grants(id) ON DELETE CASCADE,
  service_item_id TEXT NOT NULL REFERENCES service_items(id),
  PRIMARY KEY (grant_id, service_item_id)
);

-- the grant a signed-in session currently acts under (NULL: the user acts for themself)
ALTER TABLE sessions ADD COLUMN acting_for_grant TEXT REFERENCES proxy_grants(id);

-- who acted on a record, apart from whose it is (the applicant, citizen_id): the applicant
-- themself, a proxy, a grid worker or staff. NULL on rows written before this migration.
ALTER TABLE appointments ADD COLUMN acted_by TEXT REFERENCES users(id);
ALTER TABLE appointments ADD COLUMN acted_as TEXT CHECK (acted_as IN ('self', 'proxy', 'grid', 'staff'));
ALTER TABLE tickets ADD COLUMN acted_by TEXT REFERENCES users(id);
ALTER TABLE tickets ADD COLUMN acted_as TEXT CHECK (acted_as IN ('self', 'proxy', 'grid', 'staff'));
-- a case event written by a proxy: actor_id is the proxy, acted_for the applicant they acted for
ALTER TABLE case_events ADD COLUMN acted_for TEXT REFERENCES users(id);

-- phone codes gain the purpose 'proxy'
ALTER TABLE phone_codes DROP CONSTRAINT phone_codes_purpose_check;
ALTER TABLE phone_codes ADD CONSTRAINT phone_codes_purpose_check
  CHECK (purpose IN ('register', 'reset', 'proxy'));
