// The PostgreSQL migration runner (issue 21): migrations/postgres/, named and numbered as the
// SQLite ones (readMigrations), recorded in the same schema_migrations table. Several nodes may
// start at once: each migration runs in its own transaction under the `migrate` advisory lock,
// and what was applied is re-read once the lock is held, so each one is applied exactly once.
import fs from 'node:fs';
import path from 'node:path';
import { readMigrations, type Migration } from './migrate.ts';
import { toPostgresPlaceholders, type PostgresStore } from './postgres-store.ts';
import type { Store } from './store.ts';

/**
 * migrations/postgres/ at the project root, found by walking up from this module as
 * findMigrationsDir does for the SQLite folder (the code runs from source and bundled).
 */
export function findPostgresMigrationsDir(
	from: string = import.meta.dirname ?? process.cwd()
): string {
	for (let dir = from; ; dir = path.dirname(dir)) {
		const candidate = path.join(dir, 'migrations', 'postgres');
		if (fs.existsSync(path.join(candidate, '0001_hall.sql'))) return candidate;
		if (path.dirname(dir) === dir) return path.resolve('migrations', 'postgres');
	}
}

/** The PostgreSQL migrations, in order (same file naming and no-gap rule as SQLite's). */
export function readPostgresMigrations(dir: string = findPostgresMigrationsDir()): Migration[] {
	return readMigrations(dir);
}

const VERSIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at BIGINT NOT NULL
)`;

/** Transaction-scoped: released at COMMIT or ROLLBACK (docs/transactions.md, key `migrate`). */
const LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('migrate', 0))";

async function lockAndEnsureTable(tx: Store): Promise<void> {
	await tx.run(LOCK);
	// under the lock: two sessions creating the table at once would otherwise collide
	await tx.run(VERSIONS_TABLE);
}

/**
 * Applies the pending migrations in order, each in its own transaction (DDL is transactional on
 * PostgreSQL: a failing migration leaves nothing behind), recorded in schema_migrations.
 * Returns the names of the migrations it applied.
 */
export async function migratePostgres(
	store: PostgresStore,
	migrations: Migration[] = readPostgresMigrations()
): Promise<string[]> {
	for (const m of migrations)
		if (toPostgresPlaceholders(m.sql).count > 0)
			// the store would rewrite them to $n and send the file without values
			throw new Error(`${m.name}: no ? or @name outside quotes and -- comments`);
	await store.transaction(lockAndEnsureTable);
	const applied: string[] = [];
	for (const m of migrations) {
		const ran = await store.transaction(async (tx) => {
			await lockAndEnsureTable(tx);
			// re-read under the lock: another node may have applied it meanwhile
			if (await tx.get('SELECT 1 FROM schema_migrations WHERE version = ?', [m.version]))
				return false;
			const { current } = (await tx.get<{ current: number }>(
				'SELECT coalesce(max(version), 0) AS current FROM schema_migrations'
			))!;
			if (current !== m.version - 1)
				throw new Error(`Database is at version ${current}; cannot apply ${m.name}`);
			// no parameters: sent as one simple query, so the file may hold many statements
			await tx.run(m.sql);
			await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
				m.version,
				m.name,
				Date.now()
			]);
			return true;
		});
		if (ran) applied.push(m.name);
	}
	return applied;
}

/** Which migrations built this database, in order, with when each ran. */
export async function appliedPostgresMigrations(
	store: Store
): Promise<{ version: number; name: string; appliedAt: number }[]> {
	return store.all(
		'SELECT version, name, applied_at AS "appliedAt" FROM schema_migrations ORDER BY version'
	);
}
