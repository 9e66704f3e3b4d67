import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** The only module that imports better-sqlite3; everything else uses these types. */
export type Db = Database.Database;
export type Statement<P extends unknown[] | object = unknown[], R = unknown> = Database.Statement<
	P extends unknown[] ? P : [P],
	R
>;

/** Opens the hall database with the pragmas every connection needs. */
export function openDatabase(file: string): Db {
	if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
	const db = new Database(file);
	db.pragma('journal_mode = WAL');
	// FULL: in WAL mode every commit is fsync'd before it is acknowledged, so a power loss cannot
	// take back an answer the citizen already saw (NORMAL may). Cost measured by `npm run bench`.
	db.pragma('synchronous = FULL');
	db.pragma('foreign_keys = ON');
	// Several processes share the file (dev server, CLI scripts, tests racing each other):
	// wait for a lock rather than failing at once.
	db.pragma('busy_timeout = 5000');
	return db;
}

/**
 * Makes a repo factory return one instance per connection: statements are prepared once,
 * not on every call (preparing is far costlier than running).
 */
export function perConnection<R>(create: (db: Db) => R): (db: Db) => R {
	const cache = new WeakMap<Db, R>();
	return (db) => {
		let repo = cache.get(db);
		if (!repo) {
			repo = create(db);
			cache.set(db, repo);
		}
		return repo;
	};
}
