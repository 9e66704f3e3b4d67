// "Only one may win" rules of the foundation, raced by separate processes on one database file.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/index.ts';
import { readMigrations } from '../../server/db/migrate.ts';

const run = promisify(execFile);
const worker = path.resolve(import.meta.dirname, '../fixtures/race-worker.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-race-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function race(file: string, n: number, ...args: string[]) {
	const startAt = String(Date.now() + 1500);
	const outs = await Promise.all(
		Array.from({ length: n }, () => run(process.execPath, [worker, file, startAt, ...args]))
	);
	return outs.map((o) => JSON.parse(o.stdout.trim().split('\n').pop()!));
}

describe('cross-process races', () => {
	it('four processes migrating one new database apply each migration exactly once', async () => {
		const file = path.join(dir, 'migrate.db');
		const results = await race(file, 4, 'migrate');
		const applied = results.flatMap((r) => r.applied as string[]);
		expect(applied.sort()).toEqual(readMigrations().map((m) => m.name));
		const db = openDatabase(file);
		expect(db.pragma('user_version', { simple: true })).toBe(readMigrations().length);
		db.close();
	}, 30_000);

	it('four processes registering one phone at once: exactly one wins, the others get phone_taken', async () => {
		const file = path.join(dir, 'register.db');
		await race(file, 1, 'migrate');
		const results = await race(file, 4, 'register', '13611112222');
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		expect(results.filter((r) => !r.ok).map((r) => r.code)).toEqual([
			'phone_taken',
			'phone_taken',
			'phone_taken'
		]);
		const db = openDatabase(file);
		expect(db.prepare("SELECT count(*) AS n FROM users WHERE phone = '13611112222'").get()).toEqual(
			{ n: 1 }
		);
		db.close();
	}, 30_000);
});
