import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './index.ts';
import { recheckTableWrites } from './table-writes.ts';

/**
 * The SQLite migrations: migrations/sqlite/ at the project root (one folder per database
 * dialect; PostgreSQL's will sit beside it). Found by walking up from this module, because the
 * code runs both from source (node, vitest) and bundled into build/ by adapter-node.
 */
export function findMigrationsDir(from: string = import.meta.dirname ?? process.cwd()): string {
	for (let dir = from; ; dir = path.dirname(dir)) {
		const candidate = path.join(dir, 'migrations', 'sqlite');
		if (fs.existsSync(path.join(candidate, '0001_foundation.sql'))) return candidate;
		if (path.dirname(dir) === dir) return path.resolve('migrations', 'sqlite');
	}
}

export interface Migration {
	version: number;
	name: string;
	sql: string;
}

const FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;

export function readMigrations(dir: string = findMigrationsDir()): Migration[] {
	const files = fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.sql'))
		.sort();
	return files.map((name, index) => {
		const m = FILE.exec(name);
		if (!m) throw new Error(`Migration file name must look like 0001_what.sql: ${name}`);
		const version = Number(m[1]);
		if (version !== index + 1)
			throw new Error(`Migrations must be numbered 1, 2, 3 ... without gaps: ${name}`);
		return { version, name, sql: fs.readFileSync(path.join(dir, name), 'utf8') };
	});
}

/**
 * The runner's own record of what ran: one row per applied migration, so a database says which
 * files built it (and when), not only a number. PRAGMA user_version is still set alongside, for
 * tools that read it (backups record it in their manifest).
 */
const VERSIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at INTEGER NOT NULL
)`;

/**
 * A database built before the versions table existed knows only its PRAGMA user_version: its
 * migrations 1..N are recorded as applied (applied_at 0: "before the table"), in place, without
 * running anything again.
 */
function recordEarlierMigrations(db: Db, migrations: Migration[]): void {
	db.transaction(() => {
		db.exec(VERSIONS_TABLE);
		const recorded = db.prepare('SELECT count(*) FROM schema_migrations').pluck().get() as number;
		const version = db.pragma('user_version', { simple: true }) as number;
		if (recorded > 0 || version === 0) return;
		const insert = db.prepare(
			'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)'
		);
		for (const m of migrations.filter((m) => m.version <= version)) insert.run(m.version, m.name);
	}).immediate();
}

/**
 * Applies pending migrations in order, each in its own BEGIN IMMEDIATE transaction, recorded in
 * schema_migrations (and PRAGMA user_version). Safe when several processes start at once: what
 * was applied is re-read after the write lock is held, so each migration runs exactly once.
 */
export function migrate(db: Db, migrations: Migration[] = readMigrations()): string[] {
	// a table rebuilt below drops the TEMP triggers that count writes to it
	recheckTableWrites(db);
	recordEarlierMigrations(db, migrations);
	const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
	const latest = db.prepare('SELECT coalesce(max(version), 0) FROM schema_migrations').pluck();
	const record = db.prepare(
		'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)'
	);
	const applied: string[] = [];
	for (const m of migrations) {
		const foreignKeysOff = FOREIGN_KEYS_OFF.test(m.sql);
		const foreignKeysWere = db.pragma('foreign_keys', { simple: true }) as number;
		// PRAGMA foreign_keys is a no-op inside a transaction: set before BEGIN, restored after
		if (foreignKeysOff) db.pragma('foreign_keys = OFF');
		try {
			const ran = db
				.transaction(() => {
					if (isApplied.get(m.version)) return false;
					const current = latest.get() as number;
					if (current !== m.version - 1)
						throw new Error(`Database is at version ${current}; cannot apply ${m.name}`);
					db.exec(m.sql);
					if (foreignKeysOff) {
						const broken = db.pragma('foreign_key_check') as unknown[];
						if (broken.length)
							throw new Error(`${m.name} leaves ${broken.length} rows with broken foreign keys`);
					}
					record.run(m.version, m.name, Date.now());
					db.pragma(`user_version = ${m.version}`);
					return true;
				})
				.immediate();
			if (ran) applied.push(m.name);
		} finally {
			if (foreignKeysOff) db.pragma(`foreign_keys = ${foreignKeysWere ? 'ON' : 'OFF'}`);
		}
	}
	return applied;
}

/**
 * A migration that rebuilds a table others reference (SQLite changes a CHECK only that way)
 * starts with this line: it runs with foreign keys off, so dropping the old table neither
 * cascades nor fails, and is checked with PRAGMA foreign_key_check before it commits.
 */
const FOREIGN_KEYS_OFF = /^-- migrate: foreign_keys off$/m;

/** The migration the database is at (0 for a new file). */
export function schemaVersion(db: Db): number {
	return db.pragma('user_version', { simple: true }) as number;
}

/** Which migrations built this database, in order, with when each ran (0: before the table). */
export function appliedMigrations(db: Db): { version: number; name: string; appliedAt: number }[] {
	return db
		.prepare(
			'SELECT version, name, applied_at AS appliedAt FROM schema_migrations ORDER BY version'
		)
		.all() as { version: number; name: string; appliedAt: number }[];
}
