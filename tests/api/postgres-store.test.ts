// The Store on a real PostgreSQL (issue 21's adapter): the same calls as on SQLite, a transaction
// on one pooled client, savepoints, and the placeholders rules write (`?`, `@name`) rewritten.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
	createPostgresStore,
	toPostgresPlaceholders,
	type PostgresStore
} from '../../server/db/postgres-store.ts';
import { NestedTransactionError } from '../../server/db/store.ts';
import { startPostgres, type PostgresProcess } from '../../scripts/postgres-process.ts';

let server: PostgresProcess;
let store: PostgresStore;
let schema = 0;
beforeAll(async () => {
	server = await startPostgres();
	store = createPostgresStore(server.url);
}, 120_000);
afterAll(async () => {
	await store?.close();
	await server?.stop();
});
// each test on tables of its own name, so the tests share the cluster but no rows
let t: string;
let n: string;
beforeEach(async () => {
	schema++;
	t = `t${schema}`;
	n = `n${schema}`;
	await store.run(`CREATE TABLE ${t} (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`);
	await store.run(`CREATE TABLE ${n} (x INTEGER NOT NULL)`);
	await store.run(`INSERT INTO ${n} VALUES (0)`);
});

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('placeholders', () => {
	it('rewrites ? in order and @name once per name, leaving literals and comments alone', () => {
		expect(toPostgresPlaceholders('SELECT ? , \'?\', "a?" -- ?\n, ?').text).toBe(
			'SELECT $1 , \'?\', "a?" -- ?\n, $2'
		);
		const named = toPostgresPlaceholders('UPDATE x SET a = @a, b = @b WHERE a <> @a');
		expect(named).toEqual({
			text: 'UPDATE x SET a = $1, b = $2 WHERE a <> $1',
			names: ['a', 'b'],
			count: 2
		});
		expect(() => toPostgresPlaceholders('SELECT ?, @a')).toThrow(/mixes/);
	});
});

describe('the PostgreSQL store', () => {
	it('runs statements with positional and named parameters, counts as numbers', async () => {
		expect(await store.run(`INSERT INTO ${t} (id, v) VALUES (?, ?)`, [1, '营业执照'])).toEqual({
			changes: 1
		});
		await store.run(`INSERT INTO ${t} (id, v) VALUES (@id, @v)`, { id: 2, v: 'b' });
		expect(await store.all(`SELECT v FROM ${t} ORDER BY id`)).toEqual([
			{ v: '营业执照' },
			{ v: 'b' }
		]);
		expect(await store.get(`SELECT v FROM ${t} WHERE id = ?`, [3])).toBeUndefined();
		expect(await store.get(`SELECT count(*) AS c, sum(id) AS s FROM ${t}`)).toEqual({
			c: 2,
			s: 3
		});
		await expect(store.run(`INSERT INTO ${t} (id, v) VALUES (@id, @v)`, { id: 9 })).rejects.toThrow(
			/Missing named parameter "v"/
		);
	});

	it('commits a transaction, and rolls all of it back on a throw', async () => {
		await store.transaction(async (tx) => {
			await tx.run(`INSERT INTO ${t} (id, v) VALUES (1, 'kept')`);
		});
		await expect(
			store.transaction(async (tx) => {
				await tx.run(`INSERT INTO ${t} (id, v) VALUES (2, 'lost')`);
				await tick();
				throw new Error('half-way');
			})
		).rejects.toThrow('half-way');
		expect(await store.all(`SELECT id FROM ${t}`)).toEqual([{ id: 1 }]);
	});

	it('keeps an open transaction invisible to other calls until it commits', async () => {
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		const open = store.transaction(async (tx) => {
			await tx.run(`INSERT INTO ${t} (id, v) VALUES (1, 'pending')`);
			await held;
		});
		await tick();
		expect(await store.all(`SELECT id FROM ${t}`)).toEqual([]);
		release();
		await open;
		expect(await store.all(`SELECT id FROM ${t}`)).toEqual([{ id: 1 }]);
	});

	it('serialises read-check-write through a row lock: no lost update', async () => {
		const increment = () =>
			store.transaction(async (tx) => {
				const { x } = (await tx.get<{ x: number }>(`SELECT x FROM ${n} FOR UPDATE`))!;
				await tick();
				await tx.run(`UPDATE ${n} SET x = ?`, [x + 1]);
			});
		await Promise.all(Array.from({ length: 10 }, increment));
		expect(await store.get(`SELECT x FROM ${n}`)).toEqual({ x: 10 });
	});

	it('runs a transaction opened on a handle as a savepoint: its throw undoes only its part', async () => {
		await store.transaction(async (tx) => {
			await tx.run(`INSERT INTO ${t} (id, v) VALUES (1, 'outer')`);
			await expect(
				tx.transaction(async (inner) => {
					await inner.run(`INSERT INTO ${t} (id, v) VALUES (2, 'inner')`);
					// a failed statement inside the savepoint: only the savepoint is lost
					await inner.run(`INSERT INTO ${t} (id, v) VALUES (1, 'duplicate')`);
				})
			).rejects.toMatchObject({ code: '23505' });
			await tx.transaction(async (inner) => {
				await inner.run(`INSERT INTO ${t} (id, v) VALUES (3, 'kept')`);
			});
		});
		expect(await store.all(`SELECT v FROM ${t} ORDER BY id`)).toEqual([
			{ v: 'outer' },
			{ v: 'kept' }
		]);
	});

	it('refuses the store inside its own transaction and a handle after the end', async () => {
		let kept: Parameters<Parameters<PostgresStore['transaction']>[0]>[0] | undefined;
		await expect(
			store.transaction(async (tx) => {
				kept = tx;
				await store.get('SELECT 1');
			})
		).rejects.toBeInstanceOf(NestedTransactionError);
		await expect(kept!.get('SELECT 1')).rejects.toThrow(/ended/);
		expect(await store.get('SELECT 1 AS one')).toEqual({ one: 1 });
	});

	it('reads in one snapshot: a commit landing meanwhile is not seen, and nothing is written', async () => {
		await store.run(`INSERT INTO ${t} (id, v) VALUES (1, 'before')`);
		const seen = await store.snapshot(async (tx) => {
			const first = await tx.all(`SELECT v FROM ${t}`);
			await store.transaction(async () => {}).catch(() => {}); // (the store refuses nesting)
			return first;
		});
		expect(seen).toEqual([{ v: 'before' }]);
		let second: unknown[] = [];
		let release!: () => void;
		const reading = store.snapshot(async (tx) => {
			await tx.all(`SELECT v FROM ${t}`);
			await new Promise<void>((r) => (release = r));
			second = await tx.all(`SELECT v FROM ${t} ORDER BY id`);
		});
		await tick();
		await store.run(`INSERT INTO ${t} (id, v) VALUES (2, 'meanwhile')`);
		release();
		await reading;
		expect(second).toEqual([{ v: 'before' }]);
		await expect(
			store.snapshot((tx) => tx.run(`INSERT INTO ${t} (id, v) VALUES (3, 'no')`))
		).rejects.toMatchObject({ code: '25006' }); // read_only_sql_transaction
	});

	it('is a UTF-8 cluster whose trigrams split Chinese text (pg_trgm)', async () => {
		await store.run('CREATE EXTENSION IF NOT EXISTS pg_trgm');
		const row = await store.get<{ encoding: string; ctype: string; hit: boolean }>(
			`SELECT pg_encoding_to_char(encoding) AS encoding, datctype AS ctype,
			   '胶州市个体工商户营业执照设立登记' ILIKE '%' || ? || '%' AS hit
			 FROM pg_database WHERE datname = current_database()`,
			['营业执照']
		);
		expect(row).toEqual({ encoding: 'UTF8', ctype: 'C.UTF-8', hit: true });
		const grams = await store.get<{ g: string[] }>('SELECT show_trgm(?) AS g', ['社保']);
		expect(grams!.g.length).toBeGreaterThan(0);
	});
});
