// "Only one may win" rules of the foundation, raced by separate processes on one database: a
// SQLite file in the api project, a PostgreSQL database in api-postgres (the workers open the
// run's engine: DATABASE_URL in their environment).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { openEngine, openPostgresEngine } from '../../server/engine.ts';
import { readMigrations } from '../../server/db/migrate.ts';
import { readPostgresMigrations } from '../../server/db/migrate-postgres.ts';
import { lastJson, race as raceWorkers } from './race-runner.ts';
import { createHarness, lastSmsCode } from './harness.ts';

const worker = path.resolve(import.meta.dirname, '../fixtures/race-worker.ts');
const postgres = inject('postgres');
// a new directory (and so new database files) for every test
let dir: string;
beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-race-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

// Starting four processes with the whole server loaded takes a while on a busy 2-core machine.
const RACE_MS = 90_000;

/** What the workers are told of the database: a PostgreSQL URL, or a SQLite file in their DATA_DIR. */
type Database = { url: string } | { file: string };

async function race(database: Database, dataDir: string, n: number, ...args: string[]) {
	// never a DATABASE_URL this process happened to inherit
	const { DATABASE_URL: _url, DATABASE_FILE: _file, ...inherited } = process.env;
	const env =
		'url' in database
			? { ...inherited, DATABASE_URL: database.url }
			: { ...inherited, DATABASE_FILE: database.file };
	const outs = await raceWorkers(
		worker,
		Array.from({ length: n }, () => [dataDir, ...args]),
		{ timeoutMs: RACE_MS, env }
	);
	return outs.map((o) => lastJson<{ applied?: string[]; ok?: boolean; code?: string }>(o));
}

/** A new, empty database: a SQLite file, or (api-postgres) a PostgreSQL database dropped after. */
async function emptyDatabase(): Promise<{ database: Database; drop(): Promise<void> }> {
	if (!postgres) return { database: { file: 'migrate.db' }, drop: async () => {} };
	const name = `race_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
	const admin = openPostgresEngine(postgres.adminUrl, { poolSize: 1 });
	try {
		await admin.store.run(`CREATE DATABASE ${name}`);
	} finally {
		await admin.close();
	}
	return {
		database: { url: postgres.adminUrl.replace(/\/[^/]+$/, `/${name}`) },
		async drop() {
			const admin = openPostgresEngine(postgres.adminUrl, { poolSize: 1 });
			try {
				await admin.store.run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			} finally {
				await admin.close();
			}
		}
	};
}

describe('cross-process races', () => {
	it(
		'four processes migrating one new database apply each migration exactly once',
		async () => {
			const { database, drop } = await emptyDatabase();
			try {
				const results = await race(database, dir, 4, 'migrate');
				const applied = results.flatMap((r) => r.applied!);
				const migrations = 'url' in database ? readPostgresMigrations() : readMigrations();
				expect(applied.sort()).toEqual(migrations.map((m) => m.name));
				const engine = openEngine(
					loadConfig({
						DATA_DIR: dir,
						...('url' in database
							? { DATABASE_URL: database.url }
							: { DATABASE_FILE: database.file })
					})
				);
				try {
					expect(await engine.schemaVersion()).toBe(migrations.length);
				} finally {
					await engine.close();
				}
			} finally {
				await drop();
			}
		},
		2 * RACE_MS + 30_000
	);

	it(
		'four processes asking a code for one phone at once: one is sent, the others are told to wait',
		async () => {
			const h = await createHarness({ seed: false });
			try {
				const url = h.deps.config.databaseUrl;
				const database: Database = url
					? { url }
					: { file: path.basename(h.deps.config.databasePath) };
				const results = await race(database, h.dir, 4, 'send-code', '13611113333');
				expect(results.filter((r) => r.ok)).toHaveLength(1);
				expect(results.filter((r) => !r.ok).map((r) => r.code)).toEqual([
					'code_too_soon',
					'code_too_soon',
					'code_too_soon'
				]);
				expect(
					await h.store.get(
						"SELECT count(*) AS n FROM phone_codes WHERE phone = '13611113333' AND spent_at IS NULL"
					)
				).toEqual({ n: 1 });
			} finally {
				await h.close();
			}
		},
		2 * RACE_MS + 30_000
	);

	it(
		'four processes registering one phone with its one code at once: exactly one wins, the others get invalid_code',
		async () => {
			// the run's engine, migrated, without the demo hall
			const h = await createHarness({ seed: false });
			try {
				const url = h.deps.config.databaseUrl;
				const database: Database = url
					? { url }
					: { file: path.basename(h.deps.config.databasePath) };
				// sms.log in the harness's DATA_DIR
				await race(database, h.dir, 1, 'send-code', '13611112222');
				const code = lastSmsCode(h.dir, '13611112222');
				expect(code).toMatch(/^\d{6}$/);
				const results = await race(database, h.dir, 4, 'register', `13611112222:${code}`);
				expect(results.filter((r) => r.ok)).toHaveLength(1);
				expect(results.filter((r) => !r.ok).map((r) => r.code)).toEqual([
					'invalid_code',
					'invalid_code',
					'invalid_code'
				]);
				expect(
					await h.store.get("SELECT count(*) AS n FROM users WHERE phone = '13611112222'")
				).toEqual({ n: 1 });
			} finally {
				await h.close();
			}
		},
		2 * RACE_MS + 30_000
	);
});
