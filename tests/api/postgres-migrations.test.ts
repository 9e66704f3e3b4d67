// The PostgreSQL schema (migrations/postgres/) and its runner on a real server: it applies once,
// several nodes starting together apply each migration exactly once, and the schema is the
// SQLite one (same tables, same columns), with the audit log's protection and the catalog's
// trigram search.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../server/db/index.ts';
import { migrate } from '../../server/db/migrate.ts';
import {
	appliedPostgresMigrations,
	migratePostgres,
	readPostgresMigrations
} from '../../server/db/migrate-postgres.ts';
import { createPostgresStore, type PostgresStore } from '../../server/db/postgres-store.ts';
import { startPostgres, type PostgresProcess } from '../../scripts/postgres-process.ts';

let server: PostgresProcess;
/** the cluster's `hall` database, migrated before the schema tests */
let store: PostgresStore;
let admin: PostgresStore;
let tmp: string;
let sqlite: Db;
const stores: PostgresStore[] = [];

beforeAll(async () => {
	server = await startPostgres();
	store = createPostgresStore(server.url);
	admin = createPostgresStore(server.url.replace(/\/hall$/, '/postgres'), { max: 1 });
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-pg-migrations-'));
	sqlite = openDatabase(path.join(tmp, 'hall.db'));
	migrate(sqlite);
}, 120_000);
afterAll(async () => {
	sqlite?.close();
	for (const s of stores) await s.close();
	await store?.close();
	await admin?.close();
	await server?.stop();
	if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

interface PlanNode {
	'Node Type': string;
	'Index Name'?: string;
	'Actual Rows': number;
	Plans?: PlanNode[];
}

/** The first bitmap index scan in a plan: which index, and how many rows it yielded. */
function indexScan(node: PlanNode): { name: string; rows: number } | null {
	if (node['Node Type'] === 'Bitmap Index Scan')
		return { name: node['Index Name']!, rows: node['Actual Rows'] };
	for (const child of node.Plans ?? []) {
		const found = indexScan(child);
		if (found) return found;
	}
	return null;
}

/** A fresh, empty database on the cluster and its URL. */
async function freshDatabase(name: string): Promise<string> {
	await admin.run(`CREATE DATABASE ${name}`);
	return server.url.replace(/\/hall$/, `/${name}`);
}

describe('migratePostgres', () => {
	it('applies every migration once; a second run applies none', async () => {
		const all = readPostgresMigrations();
		expect(all.map((m) => m.name)).toEqual([
			'0001_hall.sql',
			'0002_document_blobs.sql',
			'0003_leases.sql',
			'0004_idempotency_keys.sql',
			'0005_proxy_grants.sql',
			'0006_home_visits.sql',
			'0007_grant_signature.sql',
			'0008_life_events.sql',
			'0009_assistant_learning.sql',
			'0010_english_names.sql'
		]);
		// a database of its own: the tests of this file run in any order
		const fresh = createPostgresStore(await freshDatabase('applies_once'), { max: 1 });
		stores.push(fresh);
		expect(await migratePostgres(fresh)).toEqual(all.map((m) => m.name));
		expect(await migratePostgres(fresh)).toEqual([]);
		const applied = await appliedPostgresMigrations(fresh);
		expect(applied.map((m) => [m.version, m.name])).toEqual(all.map((m) => [m.version, m.name]));
		expect(applied[0].appliedAt).toBeGreaterThan(Date.now() - 600_000);
	});

	it('applies each migration exactly once when several nodes start on a new database at once', async () => {
		const url = await freshDatabase('race');
		// one store (one pool of its own) per "node", all starting together
		const nodes = Array.from({ length: 4 }, () => createPostgresStore(url, { max: 2 }));
		stores.push(...nodes);
		// one more migration that would fail if it ran twice (no IF NOT EXISTS)
		const files = readPostgresMigrations();
		const probe = {
			version: files.length + 1,
			name: `${String(files.length + 1).padStart(4, '0')}_probe.sql`,
			sql: 'CREATE TABLE probe (x INTEGER)'
		};
		const migrations = [...files, probe];
		const results = await Promise.all(nodes.map((s) => migratePostgres(s, migrations)));
		// every node succeeded; each migration was applied by exactly one of them
		expect(results.flat().sort()).toEqual(migrations.map((m) => m.name));
		expect(
			await nodes[0].all(
				'SELECT version, count(*) AS n FROM schema_migrations GROUP BY version ORDER BY version'
			)
		).toEqual(migrations.map((m) => ({ version: m.version, n: 1 })));
		expect(await nodes[1].get('SELECT version FROM kb_version')).toEqual({ version: 1 });
	});

	it('refuses a migration file holding ? or @name placeholders', async () => {
		await expect(
			migratePostgres(store, [{ version: 1, name: '0001_x.sql', sql: 'SELECT ?' }])
		).rejects.toThrow(/0001_x\.sql/);
	});
});

describe('the PostgreSQL schema', () => {
	beforeAll(async () => {
		await migratePostgres(store);
	});

	it('has the same tables, and per table the same columns in the same order, as SQLite', async () => {
		// SQLite-only: the FTS5 shadow tables behind the virtual table service_search (its
		// _data, _idx, _content, _docsize and _config), and SQLite's own sqlite_* tables. The
		// virtual table itself is compared: on PostgreSQL service_search is a plain table.
		const shadow = /^service_search_(data|idx|content|docsize|config)$/;
		const sqliteTables = (
			sqlite
				.prepare(
					"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
				)
				.pluck()
				.all() as string[]
		)
			.filter((t) => !shadow.test(t))
			// SQLite-only: end signals across processes (PostgreSQL carries them in NOTIFY)
			.filter((t) => t !== 'stream_ends')
			.sort();
		const sqliteColumns = Object.fromEntries(
			sqliteTables.map((t) => [
				t,
				(
					sqlite
						.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid')
						.pluck()
						.all(t) as string[]
				).join(',')
			])
		);

		const pgTables = (
			await store.all<{ table_name: string }>(
				`SELECT table_name FROM information_schema.tables
				 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
			)
		)
			.map((r) => r.table_name)
			// PostgreSQL-only: the documents' bytes (on SQLite they are files in DATA_DIR)
			.filter((t) => t !== 'document_blobs')
			.sort();
		const pgColumns: Record<string, string> = {};
		for (const r of await store.all<{ table_name: string; columns: string }>(
			`SELECT table_name, string_agg(column_name::text, ',' ORDER BY ordinal_position) AS columns
			 FROM information_schema.columns WHERE table_schema = current_schema()
			 GROUP BY table_name`
		))
			if (pgTables.includes(r.table_name)) pgColumns[r.table_name] = r.columns;

		expect(sqliteTables.length).toBeGreaterThan(40);
		expect(pgTables).toEqual(sqliteTables);
		expect(pgColumns).toEqual(sqliteColumns);
	});

	it('keeps the NOT NULLs, the foreign keys (with ON DELETE), the named indexes, and times in BIGINT', async () => {
		const tables = (
			sqlite
				.prepare(
					"SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
				)
				.pluck()
				.all() as string[]
		).filter(
			(t) => !t.startsWith('sqlite_') && !t.startsWith('service_search') && t !== 'stream_ends'
		);

		// NOT NULL (SQLite lets a non-INTEGER PRIMARY KEY hold NULL; PostgreSQL never does)
		const sqliteNotNull: string[] = [];
		const sqliteTimes: string[] = [];
		for (const t of tables)
			for (const c of sqlite.prepare('SELECT * FROM pragma_table_info(?)').all(t) as {
				name: string;
				type: string;
				notnull: number;
				pk: number;
			}[]) {
				if (c.notnull || c.pk) sqliteNotNull.push(`${t}.${c.name}`);
				if (c.type === 'INTEGER' && /_at$/.test(c.name)) sqliteTimes.push(`${t}.${c.name}`);
			}
		const pgColumns = await store.all<{ col: string; nullable: string; type: string }>(
			`SELECT table_name || '.' || column_name AS col, is_nullable AS nullable, data_type AS type
			 FROM information_schema.columns WHERE table_schema = current_schema()`
		);
		expect(
			pgColumns
				.filter((c) => c.nullable === 'NO' && tables.includes(c.col.split('.')[0]))
				.map((c) => c.col)
				.sort()
		).toEqual(sqliteNotNull.sort());
		expect(sqliteTimes.length).toBeGreaterThan(60);
		for (const col of sqliteTimes)
			expect(pgColumns.find((c) => c.col === col)?.type, col).toBe('bigint');

		// foreign keys: table.column → table.column, and what a delete of the parent does
		const onDelete: Record<string, string> = {
			a: 'NO ACTION',
			r: 'RESTRICT',
			c: 'CASCADE',
			n: 'SET NULL',
			d: 'SET DEFAULT'
		};
		const sqliteKeys = tables
			.flatMap((t) =>
				(
					sqlite.prepare('SELECT * FROM pragma_foreign_key_list(?)').all(t) as {
						table: string;
						from: string;
						to: string;
						on_delete: string;
					}[]
				).map((k) => `${t}.${k.from} -> ${k.table}.${k.to} ${k.on_delete}`)
			)
			.sort();
		const pgKeys = (
			await store.all<{ key: string; del: string }>(
				`SELECT c.conrelid::regclass::text || '.' || a.attname || ' -> ' ||
				        c.confrelid::regclass::text || '.' || af.attname AS key, c.confdeltype AS del
				 FROM pg_constraint c
				 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
				 JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
				 WHERE c.contype = 'f' AND cardinality(c.conkey) = 1
				   AND c.connamespace = current_schema()::regnamespace`
			)
		)
			.map((k) => `${k.key} ${onDelete[k.del]}`)
			.sort();
		expect(sqliteKeys.length).toBeGreaterThan(80);
		expect(pgKeys).toEqual(sqliteKeys);

		// every index the SQLite migrations name exists under that name (partial ones stay
		// partial); PostgreSQL adds only the trigram indexes that stand in for FTS5
		const sqliteIndexes = sqlite
			.prepare(
				"SELECT name, sql LIKE '% WHERE %' AS partial FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
			)
			.all() as { name: string; partial: number }[];
		const pgIndexes = await store.all<{ name: string; partial: number }>(
			`SELECT i.relname AS name, (x.indpred IS NOT NULL)::int AS partial
			 FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
			 WHERE i.relnamespace = current_schema()::regnamespace
			   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
			 ORDER BY name`
		);
		expect(pgIndexes.filter((i) => !i.name.endsWith('_trgm'))).toEqual(sqliteIndexes);
		expect(pgIndexes.filter((i) => i.name.endsWith('_trgm')).map((i) => i.name)).toEqual([
			'service_search_body_trgm',
			'service_search_keywords_trgm',
			'service_search_name_trgm'
		]);
	});

	it('accepts and refuses the same values in the CHECKs that were GLOBs on SQLite', async () => {
		const phones: [string, boolean][] = [
			['13800000000', true],
			['1380000000', false],
			['23800000000', false],
			['1a800000000', false],
			// GLOB '1[0-9]*' checks the first two characters only; so does the translation
			['13a00000000', true]
		];
		let n = 0;
		const outcomes: [string, boolean, boolean][] = [];
		const both = async (sql: string, params: unknown[]) => {
			let onSqlite = true;
			try {
				sqlite.prepare(sql).run(...params);
			} catch {
				onSqlite = false;
			}
			const onPg = await store.run(sql, params).then(
				() => true,
				() => false
			);
			outcomes.push([String(params.at(-1)), onSqlite, onPg]);
			return onSqlite;
		};
		for (const [phone, ok] of phones)
			expect(
				await both(
					`INSERT INTO users (id, role, phone, name, password_hash, created_at)
					 VALUES (?, 'citizen', ?, 'n', 'h', 0)`,
					[`glob-${++n}`, phone]
				)
			).toBe(ok);
		for (const [day, ok] of [
			['2026-01-01', true],
			['2026-1-01', false],
			['2026-01-01x', false],
			['x2026-01-02', false]
		] as const)
			expect(await both("INSERT INTO calendar_days (kind, day) VALUES ('holiday', ?)", [day])).toBe(
				ok
			);
		for (const [code, ok] of [
			['B', true],
			['b', false],
			['BC', false],
			['1', false]
		] as const)
			expect(
				await both("INSERT INTO service_categories (name, code) VALUES ('x', ?)", [code])
			).toBe(ok);
		for (const [value, onSqlite, onPg] of outcomes) expect(onPg, value).toBe(onSqlite);
	});

	it('refuses to change an audit row in place, as SQLite does, and still allows pruning', async () => {
		const row = (seq: number) => [seq, 1_700_000_000_000, 'login', `prev${seq}`, `hash${seq}`];
		const insert =
			'INSERT INTO audit_log (seq, at, action, prev_hash, hash) VALUES (?, ?, ?, ?, ?)';
		sqlite.prepare(insert).run(...row(1));
		sqlite.prepare(insert).run(...row(2));
		await store.run(insert, row(1));
		await store.run(insert, row(2));

		const edits = [
			"UPDATE audit_log SET action = 'edited' WHERE seq = 1",
			"UPDATE audit_log SET detail = '{}'",
			'UPDATE audit_log SET seq = seq + 10 WHERE seq = 2'
		];
		for (const edit of edits) {
			expect(() => sqlite.prepare(edit).run()).toThrow('audit_log is append-only');
			await expect(store.run(edit)).rejects.toThrow('audit_log is append-only');
		}
		// an UPDATE that reaches no row changes nothing, so neither refuses it
		const none = "UPDATE audit_log SET action = 'x' WHERE seq = 99";
		expect(sqlite.prepare(none).run().changes).toBe(0);
		expect(await store.run(none)).toEqual({ changes: 0 });

		// retention pruning deletes from the oldest end
		expect(sqlite.prepare('DELETE FROM audit_log WHERE seq <= 1').run().changes).toBe(1);
		expect(await store.run('DELETE FROM audit_log WHERE seq <= 1')).toEqual({ changes: 1 });
		const left = 'SELECT seq, action FROM audit_log ORDER BY seq';
		expect(sqlite.prepare(left).all()).toEqual([{ seq: 2, action: 'login' }]);
		expect(await store.all(left)).toEqual([{ seq: 2, action: 'login' }]);
	});

	it('bumps kb_version once per changed catalog row, as the SQLite triggers do', async () => {
		const setup = [
			"INSERT INTO org_units (id, level, code, name, created_at) VALUES ('kb-city', 'city', 'kb-city', '市', 0)",
			"INSERT INTO departments (id, org_unit_id, code, name) VALUES ('kb-dept', 'kb-city', 'kb-dept', '局')"
		];
		const changes = [
			`INSERT INTO service_items (id, code, name, department_id, time_limit_days, accept_levels, approve_level, created_at)
			 VALUES ('kb-1', 'kb-1', '一', 'kb-dept', 1, 'city', 'city', 0),
			        ('kb-2', 'kb-2', '二', 'kb-dept', 1, 'city', 'city', 0)`,
			"UPDATE service_items SET description = 'x' WHERE id LIKE 'kb-%'",
			"INSERT INTO service_materials (id, service_item_id, position, name) VALUES ('kb-m', 'kb-1', 1, '身份证')",
			"DELETE FROM service_items WHERE id = 'kb-2'",
			"INSERT INTO kb_entries (id, title, body, content_hash, created_at, updated_at) VALUES ('faq', 'q', 'a', 'h', 0, 0)",
			"UPDATE kb_entries SET body = 'b'",
			'DELETE FROM kb_entries'
		];
		const version = 'SELECT version FROM kb_version WHERE id = 1';
		const sqliteBefore = sqlite.prepare(version).pluck().get() as number;
		const pgBefore = (await store.get<{ version: number }>(version))!.version;
		for (const sql of [...setup, ...changes]) {
			sqlite.exec(sql);
			await store.run(sql);
		}
		const sqliteBumps = (sqlite.prepare(version).pluck().get() as number) - sqliteBefore;
		const pgBumps = (await store.get<{ version: number }>(version))!.version - pgBefore;
		// 2 inserts + 2 updates + 1 material + 1 delete (its material cascades: none) + 3 FAQ rows
		expect(sqliteBumps).toBe(9);
		expect(pgBumps).toBe(sqliteBumps);
	});

	it('finds a service item by a two- and a four-character Chinese query through the trigram index', async () => {
		const items = [
			['tg-1', '社会保险登记（社保）', '参保 五险'],
			['tg-2', '个体工商户营业执照设立登记', '执照 开店'],
			['tg-3', '居住证签注', '']
		];
		await store.run(
			"INSERT INTO org_units (id, level, code, name, created_at) VALUES ('tg-city', 'city', 'tg-city', '胶州市', 0)"
		);
		await store.run(
			"INSERT INTO departments (id, org_unit_id, code, name) VALUES ('tg-dept', 'tg-city', 'tg-dept', '人社局')"
		);
		for (const [id, name, keywords] of items) {
			await store.run(
				`INSERT INTO service_items (id, code, name, department_id, time_limit_days, accept_levels,
				   approve_level, created_at, keywords)
				 VALUES (?, ?, ?, 'tg-dept', 5, 'city', 'city', 0, ?)`,
				[id, id, name, keywords]
			);
			await store.run(
				'INSERT INTO service_search (item_id, name, keywords, body) VALUES (?, ?, ?, ?)',
				[id, name, keywords, '']
			);
		}
		const search = `SELECT name FROM service_search WHERE name ILIKE '%' || ? || '%'`;
		const found = async (q: string) =>
			store.transaction(async (tx) => {
				// with three rows the planner would rather read the table: make it show the index
				await tx.run('SET LOCAL enable_seqscan = off');
				const [{ Plan: plan }] = (await tx.get<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
					`EXPLAIN (ANALYZE, FORMAT JSON) ${search}`,
					[q]
				))!['QUERY PLAN'];
				const rows = await tx.all<{ name: string }>(search, [q]);
				return { index: indexScan(plan), names: rows.map((r) => r.name).sort() };
			});

		// four characters: trigrams of the query narrow the index scan to the one matching row
		const four = await found('营业执照');
		expect(four.names).toEqual(['个体工商户营业执照设立登记']);
		expect(four.index).toEqual({ name: 'service_search_name_trgm', rows: 1 });
		// two characters hold no whole trigram: the same index answers, by reading all its entries
		// and rechecking each row (FTS5's trigram tokenizer cannot serve them either; the catalog
		// falls back to LIKE below three characters)
		const two = await found('社保');
		expect(two.names).toEqual(['社会保险登记（社保）']);
		expect(two.index).toEqual({ name: 'service_search_name_trgm', rows: items.length });
		expect((await found('不存在的事项')).names).toEqual([]);
	});

	it('compares usernames without regard to case, as COLLATE NOCASE does', async () => {
		await store.run(
			"INSERT INTO org_units (id, level, code, name, created_at) VALUES ('nc-city', 'city', 'nc-city', '市', 0)"
		);
		const add = `INSERT INTO users (id, role, username, name, password_hash, org_unit_id, created_at)
		             VALUES (?, 'agent', ?, 'n', 'h', 'nc-city', 0)`;
		await store.run(add, ['nc-1', 'Zhang.Wei']);
		expect(await store.get('SELECT id FROM users WHERE username = ?', ['zhang.wei'])).toEqual({
			id: 'nc-1'
		});
		await expect(store.run(add, ['nc-2', 'ZHANG.WEI'])).rejects.toMatchObject({ code: '23505' });
	});
});
