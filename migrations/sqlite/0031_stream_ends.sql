-- End signals across processes sharing this file (a sign-out, an account disabled, a grant
-- withdrawn): the process that ends a sign-in's or a user's streams appends the key here, and
-- every other process's watcher (server/realtime/sqlite-watcher.ts) closes its own streams under
-- that key. PostgreSQL carries them in its NOTIFY (server/realtime/postgres-bus.ts) and has no
-- such table. Rows older than an hour are removed as new ones are written.
CREATE TABLE stream_ends (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  key        TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
