-- The storage probe (server/health/storage.ts) rewrites this one row every few seconds from a
-- background timer, so /api/health knows the database can still write without an anonymous
-- request ever causing a write.
CREATE TABLE health_probe (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  written_at INTEGER NOT NULL,
  pid INTEGER NOT NULL
);
