// The stamp a cache of a few tables is kept under (server/db/table-writes.ts): it moves with this
// connection's writes to those tables (cascades and raw statements too) and with any commit of
// another connection, and not with this connection's writes elsewhere.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../server/db/index.ts';
import { recheckTableWrites, tablesStamp } from '../../server/db/table-writes.ts';

let dir: string;
let db: Db;
const WATCHED = ['parents', 'children'] as const;
beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-table-writes-'));
	db = openDatabase(path.join(dir, 'hall.db'));
	db.exec(`CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT);
		CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parents(id) ON DELETE CASCADE);
		CREATE TABLE other (id INTEGER PRIMARY KEY);
		INSERT INTO parents VALUES (1, 'a'), (2, 'b'); INSERT INTO children VALUES (10, 1)`);
});
afterEach(() => {
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

const stamp = (now?: number) => tablesStamp(db, WATCHED, now);

it("moves with this connection's writes to the watched tables, and not with its writes elsewhere", () => {
	const first = stamp();
	expect(stamp()).toBe(first);
	db.prepare('INSERT INTO other VALUES (1)').run();
	db.prepare('DELETE FROM other').run();
	expect(stamp()).toBe(first);
	db.prepare("UPDATE parents SET name = 'c' WHERE id = 2").run();
	const afterUpdate = stamp();
	expect(afterUpdate).not.toBe(first);
	// a row deleted by a foreign-key cascade counts
	db.prepare('DELETE FROM parents WHERE id = 1').run();
	expect(db.prepare('SELECT count(*) AS n FROM children').get()).toEqual({ n: 0 });
	expect(stamp()).not.toBe(afterUpdate);
});

it("moves with another connection's commit, to any table", () => {
	const first = stamp();
	const other = openDatabase(path.join(dir, 'hall.db'));
	try {
		other.prepare('INSERT INTO other VALUES (7)').run();
	} finally {
		other.close();
	}
	expect(stamp()).not.toBe(first);
});

it('counts writes again after a migration rebuilt a watched table (which drops its triggers)', () => {
	stamp();
	const rebuild = () =>
		db.exec(`CREATE TABLE parents_new (id INTEGER PRIMARY KEY, name TEXT, extra TEXT);
			INSERT INTO parents_new (id, name) SELECT id, name FROM parents;
			PRAGMA foreign_keys = OFF; DROP TABLE parents; ALTER TABLE parents_new RENAME TO parents;
			PRAGMA foreign_keys = ON`);
	rebuild();
	// migrate() asks for the check at the next stamp
	recheckTableWrites(db);
	const rebuilt = stamp();
	db.prepare("UPDATE parents SET name = 'z'").run();
	expect(stamp()).not.toBe(rebuilt);

	// rebuilt by something that did not say so: found within a second, and the stamp moves then
	const t = Date.now() + 10_000;
	stamp(t);
	rebuild();
	const before = stamp(t);
	expect(stamp(t + 1_500)).not.toBe(before);
	const reinstalled = stamp(t + 1_500);
	db.prepare("UPDATE parents SET name = 'y'").run();
	expect(stamp(t + 1_600)).not.toBe(reinstalled);
});
