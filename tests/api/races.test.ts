// "Only one may win" rules of the foundation, raced by separate processes on one database file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/index.ts';
import { readMigrations } from '../../server/db/migrate.ts';
import { lastJson, race as raceWorkers } from './race-runner.ts';
import { lastSmsCode } from './harness.ts';

const worker = path.resolve(import.meta.dirname, '../fixtures/race-worker.ts');
// a new directory (and so new database files) for every test
let dir: string;
beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-race-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

// Starting four processes with the whole server loaded takes a while on a busy 2-core machine.
const RACE_MS = 90_000;

async function race(file: string, n: number, ...args: string[]) {
	const outs = await raceWorkers(
		worker,
		Array.from({ length: n }, () => [file, ...args]),
		{ timeoutMs: RACE_MS }
	);
	return outs.map((o) => lastJson<{ applied?: string[]; ok?: boolean; code?: string }>(o));
}

describe('cross-process races', () => {
	it(
		'four processes migrating one new database apply each migration exactly once',
		async () => {
			const file = path.join(dir, 'migrate.db');
			const results = await race(file, 4, 'migrate');
			const applied = results.flatMap((r) => r.applied!);
			expect(applied.sort()).toEqual(readMigrations().map((m) => m.name));
			const db = openDatabase(file);
			expect(db.pragma('user_version', { simple: true })).toBe(readMigrations().length);
			db.close();
		},
		2 * RACE_MS + 30_000
	);

	it(
		'four processes registering one phone with its one code at once: exactly one wins, the others get invalid_code',
		async () => {
			const file = path.join(dir, 'register.db');
			await race(file, 1, 'migrate');
			await race(file, 1, 'send-code', '13611112222');
			const code = lastSmsCode(dir, '13611112222');
			expect(code).toMatch(/^\d{6}$/);
			const results = await race(file, 4, 'register', `13611112222:${code}`);
			expect(results.filter((r) => r.ok)).toHaveLength(1);
			expect(results.filter((r) => !r.ok).map((r) => r.code)).toEqual([
				'invalid_code',
				'invalid_code',
				'invalid_code'
			]);
			const db = openDatabase(file);
			expect(
				db.prepare("SELECT count(*) AS n FROM users WHERE phone = '13611112222'").get()
			).toEqual({ n: 1 });
			db.close();
		},
		2 * RACE_MS + 30_000
	);
});
