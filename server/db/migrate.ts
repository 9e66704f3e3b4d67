import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './index.ts';

/**
 * migrations/ at the project root. Found by walking up from this module, because the code runs
 * both from source (node, vitest) and bundled into build/ by adapter-node.
 */
export function findMigrationsDir(from: string = import.meta.dirname ?? process.cwd()): string {
	for (let dir = from; ; dir = path.dirname(dir)) {
		const candidate = path.join(dir, 'migrations');
		if (fs.existsSync(path.join(candidate, '0001_foundation.sql'))) return candidate;
		if (path.dirname(dir) === dir) return path.resolve('migrations');
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
 * Applies pending migrations in order, each in its own BEGIN IMMEDIATE transaction, tracked
 * with PRAGMA user_version. Safe when several processes start at once: the version is re-read
 * after the write lock is held, so each migration runs exactly once.
 */
export function migrate(db: Db, migrations: Migration[] = readMigrations()): string[] {
	const applied: string[] = [];
	for (const m of migrations) {
		const ran = db
			.transaction(() => {
				const current = db.pragma('user_version', { simple: true }) as number;
				if (current >= m.version) return false;
				if (current !== m.version - 1)
					throw new Error(`Database is at version ${current}; cannot apply ${m.name}`);
				db.exec(m.sql);
				db.pragma(`user_version = ${m.version}`);
				return true;
			})
			.immediate();
		if (ran) applied.push(m.name);
	}
	return applied;
}

/** The migration the database is at (0 for a new file). */
export function schemaVersion(db: Db): number {
	return db.pragma('user_version', { simple: true }) as number;
}
