// Moving a hall (issue 21, item 7): `npm run db:copy -- --to postgres://…` copies DATA_DIR's
// SQLite hall (every table's rows, the documents and signatures) into an empty PostgreSQL
// database, then verifies it: per table the row count and an order-independent hash of the rows,
// per blob its SHA-256. The source is read in one snapshot; the target is written in one
// transaction (nothing is left behind if the copy fails). The hall should be stopped meanwhile:
// what it writes after the snapshot is not copied.
import { createHash } from 'node:crypto';
import { openDatabase, type Db } from '../db/index.ts';
import { migrate } from '../db/migrate.ts';
import {
	BLOB_KINDS,
	folderBlobStore,
	postgresBlobStore,
	sha256Hex,
	type BlobKind
} from '../db/blobs.ts';
import { openPostgresEngine, type Engine } from '../engine.ts';
import type { Store } from '../db/store.ts';

export class CopyError extends Error {}

/** Tables a migration of the target fills (seeds) or a trigger writes: replaced by the source's. */
const SEEDED = new Set(['schema_migrations', 'kb_version', 'service_categories']);
/** Written by the target's triggers while other tables are copied: copied again at the end. */
const TRIGGER_WRITTEN = ['kb_version'];
/** SQLite's FTS5 shadow tables behind service_search (the virtual table itself is copied). */
const FTS_SHADOW = /^service_search_(data|idx|content|docsize|config)$/;
/**
 * SQLite-only and transient: end signals between processes sharing the file (PostgreSQL carries
 * them in NOTIFY); nothing in them outlives the streams open when they were written.
 */
const SQLITE_ONLY = new Set(['stream_ends']);

export interface TableResult {
	table: string;
	source: number;
	target: number;
	sourceHash: string;
	targetHash: string;
	ok: boolean;
}

export interface BlobResult {
	kind: BlobKind;
	source: number;
	target: number;
	bytes: number;
	/** blobs whose bytes on the target do not hash to their name, or that are missing there */
	mismatched: string[];
	/** referred to by a row but not in DATA_DIR (the hall had lost them before the copy) */
	missingInSource: string[];
}

export interface CopySummary {
	target: string;
	tables: TableResult[];
	blobs: BlobResult[];
	ok: boolean;
}

/** The hall's tables in SQLite, minus SQLite's own, FTS5 shadows and schema_migrations. */
function sourceTables(db: Db): string[] {
	return (
		db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as {
			name: string;
		}[]
	)
		.map((r) => r.name)
		.filter(
			(t) =>
				!t.startsWith('sqlite_') &&
				!FTS_SHADOW.test(t) &&
				t !== 'schema_migrations' &&
				!SQLITE_ONLY.has(t)
		);
}

interface ForeignKey {
	table: string;
	from: string;
	to: string;
}

function foreignKeys(db: Db, table: string): ForeignKey[] {
	return db
		.prepare(`SELECT "table", "from", "to" FROM pragma_foreign_key_list(?)`)
		.all(table) as ForeignKey[];
}

/** Tables ordered so that every table comes after the tables it refers to. */
export function dependencyOrder(db: Db, tables: string[]): string[] {
	const order: string[] = [];
	const state = new Map<string, 'visiting' | 'done'>();
	const visit = (t: string, path: string[]) => {
		if (state.get(t) === 'done') return;
		if (state.get(t) === 'visiting')
			throw new CopyError(`the tables refer to each other in a cycle: ${[...path, t].join(' → ')}`);
		state.set(t, 'visiting');
		for (const fk of foreignKeys(db, t))
			if (fk.table !== t && tables.includes(fk.table)) visit(fk.table, [...path, t]);
		state.set(t, 'done');
		order.push(t);
	};
	for (const t of tables) visit(t, []);
	return order;
}

function columnsOf(db: Db, table: string): string[] {
	return (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map(
		(c) => c.name
	);
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The rows of a table, parents before children where the table refers to itself (org_units'
 * parent_id), so that each insert's foreign key already holds.
 */
function rowsInInsertOrder(db: Db, table: string): Record<string, unknown>[] {
	const rows = db.prepare(`SELECT * FROM ${quote(table)}`).all() as Record<string, unknown>[];
	const selfKeys = foreignKeys(db, table).filter((fk) => fk.table === table);
	if (!selfKeys.length) return rows;
	const ordered: Record<string, unknown>[] = [];
	const placed = new Set<string>();
	const keyOf = (row: Record<string, unknown>, col: string) => `${col}:${String(row[col])}`;
	let pending = rows;
	while (pending.length) {
		const next: Record<string, unknown>[] = [];
		for (const row of pending) {
			const ready = selfKeys.every(
				(fk) => row[fk.from] === null || placed.has(keyOf({ [fk.to]: row[fk.from] }, fk.to))
			);
			if (!ready) {
				next.push(row);
				continue;
			}
			ordered.push(row);
			for (const fk of selfKeys) placed.add(keyOf(row, fk.to));
		}
		if (next.length === pending.length)
			throw new CopyError(`${table}: rows refer to each other in a cycle or to missing rows`);
		pending = next;
	}
	return ordered;
}

/** One value as the hash sees it on either engine: numbers canonical, bytes in hex. */
function normalise(value: unknown): unknown {
	if (value === null || value === undefined) return null;
	if (typeof value === 'bigint') return Number(value);
	if (typeof value === 'number')
		return Number.isInteger(value) ? value : Number(value.toPrecision(15));
	if (Buffer.isBuffer(value) || value instanceof Uint8Array)
		return `\\x${Buffer.from(value).toString('hex')}`;
	if (typeof value === 'boolean') return value ? 1 : 0;
	return String(value);
}

/** sha256 over the sorted JSON of every row (columns in the given order). */
export function rowsHash(rows: Record<string, unknown>[], columns: string[]): string {
	const lines = rows.map((r) => JSON.stringify(columns.map((c) => normalise(r[c])))).sort();
	const hash = createHash('sha256');
	for (const line of lines) hash.update(line).update('\n');
	return hash.digest('hex');
}

async function targetTables(store: Store): Promise<string[]> {
	return (
		await store.all<{ name: string }>(
			`SELECT table_name AS name FROM information_schema.tables
			 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
		)
	).map((r) => r.name);
}

/**
 * Refuses a target that holds anything of a hall: a new database, or one only migrated (its
 * seed rows are replaced by the source's), is empty.
 */
async function assertEmpty(store: Store): Promise<void> {
	const tables = await targetTables(store);
	const filled: string[] = [];
	for (const t of tables) {
		if (SEEDED.has(t)) continue;
		if (await store.get(`SELECT 1 AS found FROM ${quote(t)} LIMIT 1`)) filled.push(t);
	}
	if (filled.length)
		throw new CopyError(
			`the target database is not empty (rows in ${filled.slice(0, 5).join(', ')}${filled.length > 5 ? ', …' : ''}): copy only into a new, empty database`
		);
}

async function insertRows(
	tx: Store,
	table: string,
	columns: string[],
	rows: Record<string, unknown>[]
): Promise<void> {
	const perBatch = Math.max(1, Math.floor(30_000 / columns.length));
	const cols = columns.map(quote).join(', ');
	for (let at = 0; at < rows.length; at += perBatch) {
		const batch = rows.slice(at, at + perBatch);
		const values = batch.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
		await tx.run(
			`INSERT INTO ${quote(table)} (${cols}) VALUES ${values}`,
			batch.flatMap((r) => columns.map((c) => r[c] ?? null))
		);
	}
}

/** Identity columns (event ids) continue after the copied rows' largest id. */
async function resetIdentities(tx: Store): Promise<void> {
	const identities = await tx.all<{ t: string; c: string }>(
		`SELECT table_name AS t, column_name AS c FROM information_schema.columns
		 WHERE table_schema = current_schema() AND is_identity = 'YES'`
	);
	for (const { t, c } of identities) {
		const { max } = (await tx.get<{ max: number | null }>(
			`SELECT max(${quote(c)}) AS max FROM ${quote(t)}`
		))!;
		await tx.run(
			`SELECT setval(pg_get_serial_sequence(CAST(? AS TEXT), CAST(? AS TEXT)), CAST(? AS BIGINT), CAST(? AS BOOLEAN))`,
			[quote(t), c, max ?? 1, max !== null]
		);
	}
}

/** SHA-256s a table column refers to, per blob kind. */
function referencedBlobs(db: Db, tables: string[]): Record<BlobKind, Set<string>> {
	const refs: Record<BlobKind, Set<string>> = { documents: new Set(), signatures: new Set() };
	const add = (kind: BlobKind, sql: string) => {
		for (const r of db.prepare(sql).all() as { sha: string }[]) refs[kind].add(r.sha);
	};
	if (tables.includes('case_documents'))
		add('documents', 'SELECT DISTINCT sha256 AS sha FROM case_documents');
	if (tables.includes('cases'))
		add(
			'signatures',
			'SELECT DISTINCT signature_sha256 AS sha FROM cases WHERE signature_sha256 IS NOT NULL'
		);
	return refs;
}

export interface CopyOptions {
	/** the SQLite hall's DATA_DIR and database file */
	dataDir: string;
	databasePath: string;
	/** postgres://… of the empty target */
	to: string;
	/** progress lines */
	log?: (line: string) => void;
}

/** Copies the hall and verifies the copy; throws CopyError when refused. */
export async function copyHall(opts: CopyOptions): Promise<CopySummary> {
	const log = opts.log ?? (() => {});
	if (!/^postgres(ql)?:\/\//.test(opts.to))
		throw new CopyError('--to must be a postgres:// (or postgresql://) URL');
	const db = openDatabase(opts.databasePath);
	let engine: Engine | null = null;
	try {
		migrate(db); // as the hall would at start: the source is at the current schema
		engine = openPostgresEngine(opts.to, { poolSize: 2 });
		const store = engine.store;
		await assertEmpty(store);
		log(`migrating the target: ${(await engine.migrate()).join(', ') || 'up to date'}`);
		await assertEmpty(store);

		const tables = dependencyOrder(db, sourceTables(db));
		const present = new Set(await targetTables(store));
		const missing = tables.filter((t) => !present.has(t));
		if (missing.length)
			throw new CopyError(`the target's schema has no table ${missing.join(', ')}`);

		// one read snapshot of the source for the copy and its verification
		db.prepare('BEGIN').run();
		const snapshot: Map<string, { columns: string[]; rows: Record<string, unknown>[] }> = new Map();
		try {
			for (const t of tables)
				snapshot.set(t, { columns: columnsOf(db, t), rows: rowsInInsertOrder(db, t) });
		} finally {
			db.prepare('COMMIT').run();
		}

		await store.transaction(async (tx) => {
			// the migration's seed rows give way to the source's
			for (const t of [...tables].reverse())
				if (SEEDED.has(t)) await tx.run(`DELETE FROM ${quote(t)}`);
			for (const t of tables) {
				const { columns, rows } = snapshot.get(t)!;
				await insertRows(tx, t, columns, rows);
				log(`copied ${t}: ${rows.length} rows`);
			}
			for (const t of TRIGGER_WRITTEN.filter((x) => snapshot.has(x))) {
				const { columns, rows } = snapshot.get(t)!;
				await tx.run(`DELETE FROM ${quote(t)}`);
				await insertRows(tx, t, columns, rows);
			}
			await resetIdentities(tx);
		});

		// the documents and signatures: every file in DATA_DIR's folders
		const folder = folderBlobStore(opts.dataDir);
		const blobs = postgresBlobStore(store);
		const refs = referencedBlobs(db, tables);
		const blobResults: BlobResult[] = [];
		for (const kind of BLOB_KINDS) {
			const names = await folder.list(kind);
			let bytes = 0;
			const mismatched: string[] = [];
			for (const sha of names) {
				const data = (await folder.get(kind, sha))!;
				if (sha256Hex(data) !== sha) {
					// damaged on disk: not copied, and the copy is not clean
					mismatched.push(sha);
					continue;
				}
				await blobs.put(kind, sha, data);
				bytes += data.byteLength;
			}
			// verification: every blob read back from the target hashes to its name
			const stored = new Set(await blobs.list(kind));
			for (const sha of names) {
				if (mismatched.includes(sha)) continue;
				const back = stored.has(sha) ? await blobs.get(kind, sha) : null;
				if (!back || sha256Hex(back) !== sha) mismatched.push(sha);
			}
			const have = new Set(names);
			blobResults.push({
				kind,
				source: names.length,
				target: stored.size,
				bytes,
				mismatched,
				missingInSource: [...refs[kind]].filter((sha) => !have.has(sha)).sort()
			});
			log(`copied ${kind}: ${names.length} files`);
		}

		// verification of the rows: count and hash per table, read back from the target
		const tableResults: TableResult[] = [];
		for (const t of tables) {
			const { columns, rows } = snapshot.get(t)!;
			const back = await store.all<Record<string, unknown>>(
				`SELECT ${columns.map(quote).join(', ')} FROM ${quote(t)}`
			);
			const sourceHash = rowsHash(rows, columns);
			const targetHash = rowsHash(back, columns);
			tableResults.push({
				table: t,
				source: rows.length,
				target: back.length,
				sourceHash,
				targetHash,
				ok: rows.length === back.length && sourceHash === targetHash
			});
		}
		const ok =
			tableResults.every((r) => r.ok) &&
			blobResults.every(
				(b) => !b.mismatched.length && !b.missingInSource.length && b.target >= b.source
			);
		return { target: describeUrl(opts.to), tables: tableResults, blobs: blobResults, ok };
	} finally {
		if (db.open) db.close();
		await engine?.close();
	}
}

/** The URL without its password, for messages. */
export function describeUrl(url: string): string {
	try {
		const u = new URL(url);
		u.password = '';
		return `PostgreSQL ${u.host}${u.pathname}`;
	} catch {
		return 'PostgreSQL';
	}
}

/** The summary as lines: a table of counts, then the blobs, then the verdict. */
export function describeCopy(s: CopySummary): string[] {
	const width = Math.max(5, ...s.tables.map((t) => t.table.length));
	const lines = [
		`copied into ${s.target}`,
		`${'table'.padEnd(width)}  ${'source'.padStart(8)}  ${'target'.padStart(8)}  check`
	];
	for (const t of s.tables)
		lines.push(
			`${t.table.padEnd(width)}  ${String(t.source).padStart(8)}  ${String(t.target).padStart(8)}  ${
				t.ok ? 'ok' : t.source !== t.target ? 'COUNT DIFFERS' : 'ROWS DIFFER'
			}`
		);
	for (const b of s.blobs) {
		lines.push(
			`${b.kind.padEnd(width)}  ${String(b.source).padStart(8)}  ${String(b.target).padStart(8)}  ${
				b.mismatched.length || b.missingInSource.length ? 'PROBLEM' : 'ok'
			} (${b.bytes} bytes, SHA-256 checked)`
		);
		for (const sha of b.mismatched)
			lines.push(`  ${b.kind}/${sha}: damaged or not stored on the target`);
		for (const sha of b.missingInSource)
			lines.push(`  ${b.kind}/${sha}: referred to by a row but missing from DATA_DIR`);
	}
	lines.push(s.ok ? 'verified: every count, row hash and SHA-256 matches' : 'MISMATCH: see above');
	return lines;
}
