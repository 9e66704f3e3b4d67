import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/index.ts';
import { appliedMigrations, migrate, readMigrations } from '../../server/db/migrate.ts';

const dirs: string[] = [];
function tempDir() {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-mig-'));
	dirs.push(d);
	return d;
}
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('migrations', () => {
	it('a migration marked foreign_keys off rebuilds users (0026, the grid role) without touching the rows that reference it', () => {
		const db = openDatabase(path.join(tempDir(), 'hall.db'));
		const all = readMigrations();
		const rebuild = all.findIndex((m) => m.name === '0026_home_visits.sql');
		migrate(db, all.slice(0, rebuild));
		db.exec(`INSERT INTO users (id, role, phone, name, password_hash, created_at)
		  VALUES ('u1', 'citizen', '13800000009', '王秀兰', 'h', 1)`);
		db.exec(`INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES ('s1', 'u1', 1, 2)`);
		expect(migrate(db, all.slice(0, rebuild + 1))).toEqual(['0026_home_visits.sql']);
		// dropping the old table did not cascade into sessions, and foreign keys are on again
		expect(db.prepare('SELECT user_id FROM sessions').all()).toEqual([{ user_id: 'u1' }]);
		expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
		expect(db.pragma('foreign_key_check')).toEqual([]);
		db.exec(`INSERT INTO org_units (id, parent_id, level, code, name, created_at)
		  VALUES ('c', NULL, 'city', '1', '市', 1)`);
		db.exec(`INSERT INTO users (id, role, username, name, password_hash, org_unit_id, created_at)
		  VALUES ('g1', 'grid', 'grid', '赵秀梅', 'h', 'c', 1)`);
		expect(() => db.exec("DELETE FROM users WHERE id = 'u1'")).not.toThrow();
		expect(db.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 });
		db.close();
	});

	it('refuses a foreign_keys off migration that leaves broken references, and turns them on again', () => {
		const db = openDatabase(path.join(tempDir(), 'hall.db'));
		const all = readMigrations();
		migrate(db);
		const broken = {
			version: all.length + 1,
			name: '9999_broken.sql',
			sql: `-- migrate: foreign_keys off
INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES ('s', 'nobody', 1, 2);`
		};
		expect(() => migrate(db, [...all, broken])).toThrow(/broken foreign keys/);
		expect(db.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 });
		expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
		db.close();
	});

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

	it('record each applied migration in schema_migrations', () => {
		const db = openDatabase(path.join(tempDir(), 'hall.db'));
		const all = readMigrations();
		migrate(db);
		expect(appliedMigrations(db).map((m) => [m.version, m.name])).toEqual(
			all.map((m) => [m.version, m.name])
		);
		expect(appliedMigrations(db).every((m) => m.appliedAt > 0)).toBe(true);
		db.close();
	});

	it('upgrade in place a database built by the runner before the versions table, keeping every row', () => {
		const file = path.join(tempDir(), 'hall.db');
		const all = readMigrations();
		// what main did until now: each file, then PRAGMA user_version, nothing else recorded
		const old = openDatabase(file);
		const upTo = all.length - 3;
		for (const m of all.slice(0, upTo)) {
			old.exec(m.sql);
			old.pragma(`user_version = ${m.version}`);
		}
		old
			.prepare(
				`INSERT INTO org_units (id, parent_id, level, code, name, created_at)
				 VALUES ('c1', NULL, 'city', '370200', '青岛市', 1)`
			)
			.run();
		old
			.prepare(
				`INSERT INTO users (id, role, phone, username, name, password_hash, org_unit_id, created_at)
				 VALUES ('u1', 'citizen', '13900000001', NULL, '老用户', 'x', NULL, 1)`
			)
			.run();
		old.close();

		const db = openDatabase(file);
		expect(migrate(db)).toEqual(all.slice(upTo).map((m) => m.name));
		const recorded = appliedMigrations(db);
		expect(recorded.map((m) => m.version)).toEqual(all.map((m) => m.version));
		// the earlier ones are recorded as before the table, the new ones with their time
		expect(recorded.slice(0, upTo).every((m) => m.appliedAt === 0)).toBe(true);
		expect(recorded.slice(upTo).every((m) => m.appliedAt > 0)).toBe(true);
		expect(db.prepare("SELECT name FROM users WHERE id = 'u1'").pluck().get()).toBe('老用户');
		expect(db.prepare('SELECT count(*) FROM org_units').pluck().get()).toBe(1);
		expect(db.pragma('user_version', { simple: true })).toBe(all.length);
		expect(migrate(db)).toEqual([]);
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
