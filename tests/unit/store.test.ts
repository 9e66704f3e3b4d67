// The awaitable data interface on SQLite (issue 20): statements, transactions, and the gate that
// keeps every other call out of an open transaction while it awaits.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../server/db/index.ts';
import { NestedTransactionError, sqliteStore, type Store } from '../../server/db/store.ts';
import { groupCommit } from '../../server/db/group-commit.ts';

let dir: string;
let db: Db;
let store: Store;
beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-store-'));
	db = openDatabase(path.join(dir, 'hall.db'));
	db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL); CREATE TABLE n (x INTEGER)');
	db.exec('INSERT INTO n VALUES (0)');
	store = sqliteStore(db);
});
afterEach(() => {
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

/** A promise and the function that settles it, to hold a transaction open across awaits. */
function deferred() {
	let release!: () => void;
	const promise = new Promise<void>((r) => (release = r));
	return { promise, release };
}
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('the SQLite store', () => {
	it('runs statements with positional and named parameters', async () => {
		expect(await store.run('INSERT INTO t (id, v) VALUES (?, ?)', [1, 'a'])).toEqual({
			changes: 1
		});
		await store.run('INSERT INTO t (id, v) VALUES (@id, @v)', { id: 2, v: 'b' });
		expect(await store.all<{ v: string }>('SELECT v FROM t ORDER BY id')).toEqual([
			{ v: 'a' },
			{ v: 'b' }
		]);
		expect(await store.get('SELECT v FROM t WHERE id = ?', [2])).toEqual({ v: 'b' });
		expect(await store.get('SELECT v FROM t WHERE id = ?', [3])).toBeUndefined();
	});

	it('commits a transaction, and rolls all of it back on a throw', async () => {
		await store.transaction(async (tx) => {
			await tx.run('INSERT INTO t (id, v) VALUES (1, ?)', ['kept']);
		});
		await expect(
			store.transaction(async (tx) => {
				await tx.run('INSERT INTO t (id, v) VALUES (2, ?)', ['lost']);
				await tick();
				throw new Error('half-way');
			})
		).rejects.toThrow('half-way');
		expect(await store.all('SELECT id FROM t')).toEqual([{ id: 1 }]);
		expect(db.inTransaction).toBe(false);
	});

	it('keeps other calls out of an open transaction: they run after it, and survive its rollback', async () => {
		const hold = deferred();
		const order: string[] = [];
		const open = store.transaction(async (tx) => {
			await tx.run("INSERT INTO t (id, v) VALUES (1, 'in tx')");
			order.push('tx wrote');
			await hold.promise;
			throw new Error('roll back');
		});
		await tick();
		const outside = store.run("INSERT INTO t (id, v) VALUES (2, 'outside')").then(() => {
			order.push('outside wrote');
		});
		await tick();
		expect(order).toEqual(['tx wrote']); // still waiting for the transaction
		hold.release();
		await expect(open).rejects.toThrow('roll back');
		await outside;
		expect(order).toEqual(['tx wrote', 'outside wrote']);
		expect(await store.all('SELECT v FROM t')).toEqual([{ v: 'outside' }]);
	});

	it('runs concurrent transactions one after the other: no lost update', async () => {
		const increment = () =>
			store.transaction(async (tx) => {
				const { x } = (await tx.get<{ x: number }>('SELECT x FROM n'))!;
				await tick(); // another transaction would read the same x here without the gate
				await tx.run('UPDATE n SET x = ?', [x + 1]);
			});
		await Promise.all(Array.from({ length: 10 }, increment));
		expect(await store.get('SELECT x FROM n')).toEqual({ x: 10 });
	});

	it('refuses the store inside its own transaction and a handle after the end', async () => {
		let kept: Parameters<Parameters<Store['transaction']>[0]>[0] | undefined;
		await expect(
			store.transaction(async (tx) => {
				kept = tx;
				await store.get('SELECT 1');
			})
		).rejects.toBeInstanceOf(NestedTransactionError);
		await expect(kept!.get('SELECT 1')).rejects.toThrow(/ended/);
		expect(await store.get('SELECT 1 AS one')).toEqual({ one: 1 });
	});

	it('opens the gate again when BEGIN itself fails (another process holds the write lock)', async () => {
		const other = openDatabase(path.join(dir, 'hall.db'));
		other.pragma('busy_timeout = 0');
		db.pragma('busy_timeout = 50');
		other.exec('BEGIN IMMEDIATE');
		await expect(store.transaction(async () => {})).rejects.toMatchObject({
			code: expect.stringMatching(/^SQLITE_BUSY/)
		});
		other.exec('COMMIT');
		other.close();
		await store.transaction(async (tx) => {
			await tx.run("INSERT INTO t (id, v) VALUES (1, 'after')");
		});
		expect(await store.get('SELECT v FROM t')).toEqual({ v: 'after' });
	});

	it('runs a transaction opened on a handle as a savepoint: its throw undoes only its part', async () => {
		await store.transaction(async (tx) => {
			await tx.run("INSERT INTO t (id, v) VALUES (1, 'outer')");
			await expect(
				tx.transaction(async (inner) => {
					await inner.run("INSERT INTO t (id, v) VALUES (2, 'inner')");
					throw new Error('inner fails');
				})
			).rejects.toThrow('inner fails');
			await tx.transaction(async (inner) => {
				await inner.run("INSERT INTO t (id, v) VALUES (3, 'kept')");
			});
		});
		expect(await store.all('SELECT v FROM t ORDER BY id')).toEqual([{ v: 'outer' }, { v: 'kept' }]);
	});

	it('nests savepoints: a failing one two deep undoes only itself, and the next one at that depth works', async () => {
		await store.transaction(async (tx) => {
			await tx.transaction(async (one) => {
				await one.run("INSERT INTO t (id, v) VALUES (1, 'one')");
				await expect(
					one.transaction(async (two) => {
						await two.run("INSERT INTO t (id, v) VALUES (2, 'two')");
						await two.run("INSERT INTO t (id, v) VALUES (2, 'same id')");
					})
				).rejects.toThrow(/UNIQUE/);
				await one.transaction(async (two) => {
					await two.run("INSERT INTO t (id, v) VALUES (3, 'two again')");
				});
			});
		});
		expect(await store.all('SELECT id, v FROM t ORDER BY id')).toEqual([
			{ id: 1, v: 'one' },
			{ id: 3, v: 'two again' }
		]);
	});

	it('group commit: writes asked for in one turn share a transaction; a failing one rejects alone', async () => {
		const writes = ['a', 'b', 'a', 'c'].map((v, i) =>
			groupCommit(store, async (tx) => {
				// the second 'a' breaks a unique rule, as a second ticket for one item does
				if ((await tx.get('SELECT 1 AS x FROM t WHERE v = ?', [v])) !== undefined)
					throw new Error(`duplicate ${v}`);
				await tx.run('INSERT INTO t (id, v) VALUES (?, ?)', [i + 1, v]);
				return i + 1;
			})
		);
		const outcomes = await Promise.allSettled(writes);
		expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : String(o.reason)))).toEqual([
			1,
			2,
			'Error: duplicate a',
			4
		]);
		expect(await store.all('SELECT id, v FROM t ORDER BY id')).toEqual([
			{ id: 1, v: 'a' },
			{ id: 2, v: 'b' },
			{ id: 4, v: 'c' }
		]);
		// one transaction: when the third write runs, the first is not yet committed for another
		// connection (it would be, had each write its own transaction)
		const other = openDatabase(path.join(dir, 'hall.db'));
		try {
			let seenElsewhere: unknown = 'not run';
			await Promise.all([
				groupCommit(store, (tx) => tx.run("INSERT INTO t (id, v) VALUES (5, 'x')")),
				groupCommit(store, (tx) => tx.run("INSERT INTO t (id, v) VALUES (6, 'y')")),
				groupCommit(store, async (tx) => {
					expect(await tx.get('SELECT v FROM t WHERE id = 5')).toEqual({ v: 'x' });
					seenElsewhere = other.prepare('SELECT v FROM t WHERE id = 5').get();
				})
			]);
			expect(seenElsewhere).toBeUndefined();
			expect(other.prepare('SELECT count(*) AS n FROM t WHERE id IN (5, 6)').get()).toEqual({
				n: 2
			});
		} finally {
			other.close();
		}
	});

	it('is one store per connection, so every caller shares the gate', () => {
		expect(sqliteStore(db)).toBe(store);
	});

	it('reads in one snapshot without the write lock: another process commits meanwhile, unseen', async () => {
		await store.run("INSERT INTO t (id, v) VALUES (1, 'before')");
		const other = openDatabase(path.join(dir, 'hall.db'));
		other.pragma('busy_timeout = 0');
		const seen = await store.snapshot(async (tx) => {
			const first = await tx.all('SELECT v FROM t');
			// a writer in another process is not blocked by the snapshot (BEGIN IMMEDIATE would be)
			other.prepare("INSERT INTO t (id, v) VALUES (2, 'meanwhile')").run();
			const second = await tx.all('SELECT v FROM t');
			return { first, second };
		});
		other.close();
		expect(seen.first).toEqual([{ v: 'before' }]);
		expect(seen.second).toEqual([{ v: 'before' }]);
		expect(await store.all('SELECT v FROM t ORDER BY id')).toEqual([
			{ v: 'before' },
			{ v: 'meanwhile' }
		]);
	});
});
