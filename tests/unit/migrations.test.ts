import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/index.ts';
import { migrate, readMigrations } from '../../server/db/migrate.ts';

const dirs: string[] = [];
function tempDir() {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-mig-'));
	dirs.push(d);
	return d;
}
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('migrations', () => {
	it('apply to an empty database in order, and a second run applies nothing', () => {
		const db = openDatabase(path.join(tempDir(), 'hall.db'));
		const all = readMigrations();
		expect(migrate(db)).toEqual(all.map((m) => m.name));
		expect(db.pragma('user_version', { simple: true })).toBe(all.length);
		expect(migrate(db)).toEqual([]);
		const tables = db
			.prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
			.all()
			.map((r) => (r as { name: string }).name);
		expect(tables).toEqual(
			expect.arrayContaining(['users', 'sessions', 'org_units', 'service_items'])
		);
		db.close();
	});

	it('open the database with WAL, foreign keys and a busy timeout', () => {
		const db = openDatabase(path.join(tempDir(), 'hall.db'));
		expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
		expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
		expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
		db.close();
	});

	it('roll back a failing migration completely and leave the version where it was', () => {
		const dir = tempDir();
		fs.writeFileSync(path.join(dir, '0001_ok.sql'), 'CREATE TABLE a (x INTEGER);');
		fs.writeFileSync(
			path.join(dir, '0002_broken.sql'),
			'CREATE TABLE b (x INTEGER); INSERT INTO nope VALUES (1);'
		);
		const db = openDatabase(path.join(dir, 'hall.db'));
		expect(() => migrate(db, readMigrations(dir))).toThrow(/nope/);
		expect(db.pragma('user_version', { simple: true })).toBe(1);
		expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
		db.close();
	});

	it('refuse badly named or gapped migration files', () => {
		const dir = tempDir();
		fs.writeFileSync(path.join(dir, '0001_ok.sql'), 'SELECT 1;');
		fs.writeFileSync(path.join(dir, '0003_gap.sql'), 'SELECT 1;');
		expect(() => readMigrations(dir)).toThrow(/without gaps/);
		fs.rmSync(path.join(dir, '0003_gap.sql'));
		fs.writeFileSync(path.join(dir, 'bad name.sql'), 'SELECT 1;');
		expect(() => readMigrations(dir)).toThrow(/0001_what\.sql/);
	});
});
