// Backup and restore of a hall: the SQLite database and the uploaded files under DATA_DIR.
//
// A backup folder holds
//   hall.db          a consistent snapshot of the database, taken online (the hall keeps running)
//   documents/<sha>  every document file the snapshot's case_documents rows refer to, once each
//   signatures/<sha> every signature image the snapshot's rows refer to, once each: a case's,
//                    a proxy grant signed in a session, a resident's consent to a home visit
//   manifest.json    written last: created time, schema version, and size + SHA-256 of each file
//
// A hall on PostgreSQL is backed up and restored by backupPostgresHall and restorePostgresHall
// (pg_dump / pg_restore; see the section below).
//
// Neither function writes an audit record or prints anything: both return a summary, and the
// caller (scripts/backup.ts, scripts/restore.ts) prints it and is the place to record it.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { openDatabase, type Db } from '../db/index.ts';
import { readMigrations } from '../db/migrate.ts';
import { readPostgresMigrations } from '../db/migrate-postgres.ts';
import { openPostgresEngine } from '../engine.ts';
import { createPostgresStore, type PostgresStore } from '../db/postgres-store.ts';
import type { Store } from '../db/store.ts';

/** A refusal or failure with a message meant for the operator (the CLIs print it, exit 1). */
export class BackupError extends Error {}

export const MANIFEST = 'manifest.json';
/** The database's name inside a backup folder, whatever DATABASE_FILE is. */
export const BACKUP_DATABASE = 'hall.db';
/** The folders under DATA_DIR that hold uploaded files, named by their SHA-256 (cases/files.ts). */
const FOLDERS = ['documents', 'signatures'] as const;
type Folder = (typeof FOLDERS)[number];

const SHA256 = /^[0-9a-f]{64}$/;
const Sha256 = z.string().regex(SHA256, 'is not a lower-case hex SHA-256');
const Size = z.number().int().nonnegative();

const fileEntry = (folder: Folder) =>
	z
		.object({
			path: z.string(),
			size: Size,
			sha256: Sha256,
			/** How many rows of the snapshot refer to this file. */
			rows: z.number().int().positive()
		})
		// Files are named by their content: the name, the hash and the bytes must all agree, and
		// a manifest cannot point a restore outside its folder.
		.refine((e) => e.path === `${folder}/${e.sha256}`, {
			message: `path must be ${folder}/<sha256>`,
			path: ['path']
		});

export const ManifestSchema = z.object({
	format: z.literal('cloud-hall-backup'),
	formatVersion: z.literal(1),
	createdAt: z.iso.datetime(),
	schemaVersion: z.number().int().nonnegative(),
	database: z.object({ path: z.literal(BACKUP_DATABASE), size: Size, sha256: Sha256 }),
	documents: z.array(fileEntry('documents')),
	signatures: z.array(fileEntry('signatures')),
	/** Files the snapshot refers to that could not be copied (missing or damaged in DATA_DIR). */
	problems: z.array(z.object({ path: z.string(), problem: z.string() }))
});
export type Manifest = z.infer<typeof ManifestSchema>;
type FileEntry = Manifest['documents'][number];

export interface BackupSummary {
	dir: string;
	createdAt: string;
	schemaVersion: number;
	database: { size: number; sha256: string };
	documents: { files: number; rows: number; bytes: number };
	signatures: { files: number; rows: number; bytes: number };
	/** Referenced files that are missing or damaged in DATA_DIR; the backup lacks them. */
	problems: Manifest['problems'];
	ms: number;
}

export interface RestoreSummary {
	dataDir: string;
	databasePath: string;
	/** When the backup was taken. */
	createdAt: string;
	schemaVersion: number;
	database: { size: number };
	documents: { files: number; bytes: number };
	signatures: { files: number; bytes: number };
	/** Carried over from the backup: files that were already missing when it was taken. */
	problems: Manifest['problems'];
	ms: number;
}

type Where = Pick<Config, 'dataDir' | 'databasePath'> & Partial<Pick<Config, 'databaseUrl'>>;

/**
 * backupHall and restoreHall copy SQLite's file; a hall on PostgreSQL (DATABASE_URL) goes through
 * backupPostgresHall and restorePostgresHall (below), which the CLIs choose.
 */
function refusePostgres(where: Where, what: 'backup' | 'restore'): void {
	if (!where.databaseUrl) return;
	throw new BackupError(
		what === 'backup'
			? 'this hall runs on PostgreSQL (DATABASE_URL is set); backupHall copies the SQLite database only: use backupPostgresHall'
			: 'this hall runs on PostgreSQL (DATABASE_URL is set); restoreHall writes a SQLite database only: use restorePostgresHall'
	);
}

/**
 * Takes an online, consistent backup of the hall into targetDir (created if needed; refused
 * unless empty). Safe while other processes write: the live database is only read.
 */
export function backupHall(config: Where, targetDir: string): BackupSummary {
	const started = performance.now();
	refusePostgres(config, 'backup');
	if (config.databasePath === ':memory:')
		throw new BackupError('DATABASE_FILE is :memory:; there is nothing on disk to back up');
	if (!fs.existsSync(config.databasePath))
		throw new BackupError(`no database at ${config.databasePath} (check DATA_DIR)`);
	const dir = path.resolve(targetDir);
	const created = prepareEmptyDir(
		dir,
		`${dir} is not empty; a backup goes into a new or empty folder`
	);
	const snapshotFile = path.join(dir, BACKUP_DATABASE);
	try {
		const createdAt = new Date().toISOString();
		const { schemaVersion, referenced } = snapshot(config.databasePath, snapshotFile);

		const problems: Manifest['problems'] = [];
		const copied: Record<Folder, FileEntry[]> = { documents: [], signatures: [] };
		for (const folder of FOLDERS) {
			for (const { sha256, rows } of referenced[folder]) {
				const rel = `${folder}/${sha256}`;
				if (!SHA256.test(sha256)) {
					problems.push({ path: rel, problem: 'the row holds no valid SHA-256' });
					continue;
				}
				const result = copyReferenced(
					path.join(config.dataDir, folder, sha256),
					path.join(dir, folder, sha256),
					sha256
				);
				if ('problem' in result) problems.push({ path: rel, problem: result.problem });
				else copied[folder].push({ path: rel, size: result.size, sha256, rows });
			}
			if (fs.existsSync(path.join(dir, folder))) fsyncDir(path.join(dir, folder));
		}

		const database = hashFile(snapshotFile);
		const manifest: Manifest = {
			format: 'cloud-hall-backup',
			formatVersion: 1,
			createdAt,
			schemaVersion,
			database: { path: BACKUP_DATABASE, ...database },
			documents: copied.documents,
			signatures: copied.signatures,
			problems
		};
		// The manifest goes last, by rename: a folder with a manifest.json is a finished backup.
		const tmp = path.join(dir, `${MANIFEST}.tmp`);
		writeDurably(tmp, JSON.stringify(manifest, null, '\t') + '\n');
		fs.renameSync(tmp, path.join(dir, MANIFEST));
		fsyncDir(dir);

		const tally = (list: FileEntry[]) => ({
			files: list.length,
			rows: list.reduce((n, e) => n + e.rows, 0),
			bytes: list.reduce((n, e) => n + e.size, 0)
		});
		return {
			dir,
			createdAt,
			schemaVersion,
			database,
			documents: tally(copied.documents),
			signatures: tally(copied.signatures),
			problems,
			ms: Math.round(performance.now() - started)
		};
	} catch (err) {
		undo(dir, created, [BACKUP_DATABASE, ...FOLDERS, MANIFEST, `${MANIFEST}.tmp`]);
		throw err;
	}
}

/**
 * The database snapshot, with VACUUM INTO rather than the online backup API (db.backup()):
 * - VACUUM INTO reads the whole database in ONE read transaction, so the copy is exactly the
 *   committed state at one instant; in WAL mode writers in other processes carry on meanwhile.
 * - The backup API copies pages in steps and restarts from scratch whenever another process
 *   writes between two steps. Measured with better-sqlite3's default 100 pages per step, a 12 MB
 *   database under one busy writer needed ~19 restarts, and a 120 MB one had not finished after
 *   20,000 steps. Copying every page in one step avoids that, but only through a quirk of the
 *   progress callback; VACUUM INTO is one plain statement.
 * - VACUUM INTO walks every b-tree row by row, so a damaged database fails here, at backup time,
 *   instead of being copied page for page; and the copy is compact (no free pages).
 * The price: it is slower than a page copy (50k rows, 12 MB: ~45 ms against ~30 ms) and SQLite
 * does not fsync the file it writes, so we do.
 *
 * The rows that decide which files to copy are read from the snapshot itself (attached and only
 * read), never from the live database: files whose rows committed after the snapshot are not
 * part of this backup.
 */
function snapshot(databasePath: string, snapshotFile: string) {
	const live = openDatabase(databasePath);
	try {
		live.prepare('VACUUM INTO ?').run(snapshotFile);
		fsyncFile(snapshotFile);
		live.prepare('ATTACH DATABASE ? AS snapshot').run(snapshotFile);
		try {
			const schemaVersion = live.pragma('snapshot.user_version', { simple: true }) as number;
			const referenced: Record<Folder, { sha256: string; rows: number }[]> = {
				documents: hasTable(live, 'case_documents')
					? grouped(live, 'SELECT sha256, count(*) AS rows FROM snapshot.case_documents')
					: [],
				signatures: signaturesOf(live)
			};
			return { schemaVersion, referenced };
		} finally {
			live.exec('DETACH DATABASE snapshot');
		}
	} finally {
		live.close();
	}
}

function hasTable(db: Db, table: string): boolean {
	return !!db
		.prepare("SELECT 1 FROM snapshot.sqlite_master WHERE type = 'table' AND name = ?")
		.get(table);
}

/** One row per file: several rows may share a file (same bytes uploaded twice). */
/**
 * Every signature image the snapshot refers to: cases', proxy grants' confirmed by signature
 * (issue 23) and residents' consents to a home visit; a table or column an older snapshot
 * lacks is left out.
 */
const SIGNATURE_COLUMNS = [
	['cases', 'signature_sha256'],
	['proxy_grants', 'signature_sha256'],
	['home_visits', 'consent_signature_sha256']
] as const;

function signaturesOf(db: Db): { sha256: string; rows: number }[] {
	const selects = SIGNATURE_COLUMNS.filter(
		([table, column]) =>
			hasTable(db, table) &&
			(db.prepare(`PRAGMA snapshot.table_info(${table})`).all() as { name: string }[]).some(
				(c) => c.name === column
			)
	).map(
		([table, column]) =>
			`SELECT ${column} AS sha256 FROM snapshot.${table} WHERE ${column} IS NOT NULL`
	);
	if (!selects.length) return [];
	return grouped(db, `SELECT sha256, count(*) AS rows FROM (${selects.join(' UNION ALL ')})`);
}

function grouped(db: Db, select: string) {
	return db.prepare(`${select} GROUP BY 1 ORDER BY 1`).all() as { sha256: string; rows: number }[];
}

/**
 * Copies one content-named file, hashing the bytes as they are copied. A file whose bytes do not
 * hash to its name is not copied: it is retried briefly (an upload of the same bytes may still
 * be writing it) and then reported, rather than put into the backup as if it were good.
 */
function copyReferenced(
	src: string,
	dest: string,
	sha256: string
): { size: number } | { problem: string } {
	fs.mkdirSync(path.dirname(dest), { recursive: true });
	for (let attempt = 1; ; attempt++) {
		let copy;
		try {
			copy = copyHashed(src, dest);
		} catch (err) {
			fs.rmSync(dest, { force: true });
			if ((err as NodeJS.ErrnoException).code === 'ENOENT')
				return { problem: 'missing from DATA_DIR' };
			throw err;
		}
		if (copy.sha256 === sha256) return { size: copy.size };
		fs.rmSync(dest, { force: true });
		if (attempt === 3) return { problem: 'its bytes do not match its SHA-256 (damaged)' };
		sleep(250);
	}
}

/**
 * Restores a backup into DATA_DIR, which must be empty or not exist. Everything is checked
 * against the manifest first; on any mismatch nothing is written. The files are then copied
 * into a staging folder inside DATA_DIR and moved into place, database last.
 */
export function restoreHall(target: Where | string, sourceDir: string): RestoreSummary {
	const started = performance.now();
	const where: Where =
		typeof target === 'string'
			? {
					dataDir: path.resolve(target),
					databasePath: path.join(path.resolve(target), BACKUP_DATABASE)
				}
			: target;
	refusePostgres(where, 'restore');
	if (where.databasePath === ':memory:')
		throw new BackupError('DATABASE_FILE is :memory:; there is nowhere on disk to restore to');
	const dataDir = path.resolve(where.dataDir);
	const databasePath = path.resolve(where.databasePath);
	if (path.relative(dataDir, databasePath).startsWith('..'))
		throw new BackupError(`the database ${databasePath} is outside DATA_DIR ${dataDir}`);
	const source = path.resolve(sourceDir);

	// Check the target before reading anything, and again just before writing.
	assertEmptyOrMissing(dataDir);
	const manifest = verifyBackup(source);
	assertEmptyOrMissing(dataDir);

	const created = prepareEmptyDir(dataDir, `${dataDir} is not empty`);
	const staging = path.join(dataDir, `.restore-${process.pid}-${randomBytes(4).toString('hex')}`);
	try {
		fs.mkdirSync(staging);
		const entries = [...manifest.documents, ...manifest.signatures];
		for (const e of entries) {
			const dest = path.join(staging, e.path);
			fs.mkdirSync(path.dirname(dest), { recursive: true });
			expectCopy(path.join(source, e.path), dest, e);
		}
		const stagedDb = path.join(staging, BACKUP_DATABASE);
		expectCopy(path.join(source, BACKUP_DATABASE), stagedDb, manifest.database);
		for (const folder of FOLDERS) {
			const staged = path.join(staging, folder);
			if (!fs.existsSync(staged)) continue;
			fsyncDir(staged);
			fs.renameSync(staged, path.join(dataDir, folder));
		}
		fs.mkdirSync(path.dirname(databasePath), { recursive: true });
		fs.renameSync(stagedDb, databasePath);
		fs.rmdirSync(staging);
		fsyncDir(path.dirname(databasePath));
		fsyncDir(dataDir);
		const bytes = (list: FileEntry[]) => list.reduce((n, e) => n + e.size, 0);
		return {
			dataDir,
			databasePath,
			createdAt: manifest.createdAt,
			schemaVersion: manifest.schemaVersion,
			database: { size: manifest.database.size },
			documents: { files: manifest.documents.length, bytes: bytes(manifest.documents) },
			signatures: { files: manifest.signatures.length, bytes: bytes(manifest.signatures) },
			problems: manifest.problems,
			ms: Math.round(performance.now() - started)
		};
	} catch (err) {
		fs.rmSync(staging, { recursive: true, force: true });
		undo(dataDir, created, [...FOLDERS, path.relative(dataDir, databasePath)]);
		throw err;
	}
}

/**
 * Reads the manifest and checks the backup against it: the database's and every file's size and
 * SHA-256, and that the database opens and passes quick_check. Writes nothing. Throws a
 * BackupError naming every file that does not match.
 */
export function verifyBackup(sourceDir: string): Manifest {
	const source = path.resolve(sourceDir);
	const manifest = readManifest(source);
	const known = readMigrations().length;
	if (manifest.schemaVersion > known)
		throw new BackupError(
			`the backup is at schema version ${manifest.schemaVersion}, newer than this code ` +
				`(${known}); restore it with the version of Cloud Hall that made it`
		);
	const wrong: string[] = [];
	const check = (e: { path: string; size: number; sha256: string }) => {
		const file = path.join(source, e.path);
		let actual;
		try {
			actual = hashFile(file);
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
			wrong.push(`${e.path}: missing`);
			return;
		}
		if (actual.size !== e.size)
			wrong.push(`${e.path}: ${actual.size} bytes, the manifest says ${e.size}`);
		else if (actual.sha256 !== e.sha256)
			wrong.push(`${e.path}: SHA-256 ${actual.sha256}, the manifest says ${e.sha256}`);
	};
	check(manifest.database);
	for (const e of [...manifest.documents, ...manifest.signatures]) check(e);
	if (wrong.length)
		throw new BackupError(
			`the backup in ${source} does not match its manifest; nothing was restored:\n` +
				wrong.map((w) => `  ${w}`).join('\n')
		);
	checkDatabase(path.join(source, BACKUP_DATABASE), manifest.schemaVersion);
	return manifest;
}

export function readManifest(sourceDir: string): Manifest {
	const file = path.join(sourceDir, MANIFEST);
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'ENOENT')
			throw new BackupError(
				`no ${MANIFEST} in ${sourceDir}: not a Cloud Hall backup, or one that did not finish`
			);
		throw err;
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (err) {
		throw new BackupError(`${file} is not valid JSON (${(err as Error).message})`);
	}
	const parsed = ManifestSchema.safeParse(json);
	if (!parsed.success)
		throw new BackupError(
			`${file} is not a valid backup manifest:\n` +
				parsed.error.issues
					.slice(0, 10)
					.map((i) => `  ${i.path.join('.') || '(top)'}: ${i.message}`)
					.join('\n')
		);
	return parsed.data;
}

/** The backed-up database opens, is not damaged, and is at the version the manifest says. */
function checkDatabase(file: string, schemaVersion: number) {
	// Attached to an in-memory connection and only read: the backup folder is left untouched.
	const db = openDatabase(':memory:');
	try {
		db.prepare('ATTACH DATABASE ? AS backup').run(file);
		const result = db.pragma('backup.quick_check', { simple: true });
		if (result !== 'ok') throw new BackupError(`${BACKUP_DATABASE} is damaged: ${result}`);
		const version = db.pragma('backup.user_version', { simple: true });
		if (version !== schemaVersion)
			throw new BackupError(
				`${BACKUP_DATABASE} is at schema version ${version}, the manifest says ${schemaVersion}`
			);
	} catch (err) {
		if (err instanceof BackupError) throw err;
		throw new BackupError(`${BACKUP_DATABASE} cannot be read: ${(err as Error).message}`);
	} finally {
		db.close();
	}
}

/** Copies, hashing again on the way: the source must still be what was verified. */
function expectCopy(src: string, dest: string, e: { path: string; size: number; sha256: string }) {
	const copy = copyHashed(src, dest);
	if (copy.size !== e.size || copy.sha256 !== e.sha256)
		throw new BackupError(`${e.path} changed while it was being restored; nothing was restored`);
}

function assertEmptyOrMissing(dir: string) {
	let entries: string[];
	try {
		entries = fs.readdirSync(dir);
	} catch (err) {
		const code = (err as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return;
		if (code === 'ENOTDIR') throw new BackupError(`${dir} is a file, not a folder`);
		throw err;
	}
	if (entries.length)
		throw new BackupError(
			`${dir} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''}); ` +
				'restore only into an empty or new DATA_DIR: move the current one aside first. Nothing was changed.'
		);
}

/** Makes sure dir exists and is empty; returns whether it was created here (to undo). */
function prepareEmptyDir(dir: string, notEmpty: string): boolean {
	if (fs.existsSync(dir)) {
		if (!fs.statSync(dir).isDirectory()) throw new BackupError(`${dir} is a file, not a folder`);
		if (fs.readdirSync(dir).length) throw new BackupError(notEmpty);
		return false;
	}
	fs.mkdirSync(dir, { recursive: true });
	return true;
}

/** After a failure: removes what we wrote (and the folder, when we created it). */
function undo(dir: string, created: boolean, names: string[]) {
	if (created) fs.rmSync(dir, { recursive: true, force: true });
	else for (const n of names) fs.rmSync(path.join(dir, n), { recursive: true, force: true });
}

const CHUNK = 1 << 20;

function hashFile(file: string): { size: number; sha256: string } {
	const hash = createHash('sha256');
	const buf = Buffer.allocUnsafe(CHUNK);
	const fd = fs.openSync(file, 'r');
	let size = 0;
	try {
		for (let n; (n = fs.readSync(fd, buf, 0, CHUNK, null)) > 0; size += n)
			hash.update(buf.subarray(0, n));
	} finally {
		fs.closeSync(fd);
	}
	return { size, sha256: hash.digest('hex') };
}

/** Copies src to a new file dest (never overwrites), fsyncs it, and returns the copy's hash. */
function copyHashed(src: string, dest: string): { size: number; sha256: string } {
	const hash = createHash('sha256');
	const buf = Buffer.allocUnsafe(CHUNK);
	const input = fs.openSync(src, 'r');
	try {
		const output = fs.openSync(dest, 'wx');
		let size = 0;
		try {
			for (let n; (n = fs.readSync(input, buf, 0, CHUNK, null)) > 0; size += n) {
				hash.update(buf.subarray(0, n));
				for (let off = 0; off < n;) off += fs.writeSync(output, buf, off, n - off);
			}
			fs.fsyncSync(output);
		} finally {
			fs.closeSync(output);
		}
		return { size, sha256: hash.digest('hex') };
	} finally {
		fs.closeSync(input);
	}
}

function writeDurably(file: string, text: string) {
	const fd = fs.openSync(file, 'w');
	try {
		fs.writeFileSync(fd, text);
		fs.fsyncSync(fd);
	} finally {
		fs.closeSync(fd);
	}
}

function fsyncFile(file: string) {
	const fd = fs.openSync(file, 'r+');
	try {
		fs.fsyncSync(fd);
	} finally {
		fs.closeSync(fd);
	}
}

function fsyncDir(dir: string) {
	const fd = fs.openSync(dir, 'r');
	try {
		fs.fsyncSync(fd);
	} finally {
		fs.closeSync(fd);
	}
}

function sleep(ms: number) {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// ---- PostgreSQL (issue 21, item 6) ----------------------------------------------------------
//
// A PostgreSQL backup folder holds
//   hall.dump       pg_dump --format=custom of DATABASE_URL's database; documents and signatures
//                   are rows of document_blobs, so the dump holds them
//   manifest.json   written last: engine, taken-at, schema version, the row count of every table
//                   and the dump's size + SHA-256
// The counts and the dump come from ONE snapshot: a repeatable-read transaction exports it and
// pg_dump runs with --snapshot, so the counts are exactly what the dump holds.

export const POSTGRES_DUMP = 'hall.dump';

export const PostgresManifestSchema = z.object({
	format: z.literal('cloud-hall-backup'),
	formatVersion: z.literal(1),
	engine: z.literal('postgres'),
	createdAt: z.iso.datetime(),
	schemaVersion: z.number().int().nonnegative(),
	dump: z.object({ path: z.literal(POSTGRES_DUMP), size: Size, sha256: Sha256 }),
	/** rows of every table in the public schema at the snapshot, by table name */
	rows: z.record(z.string(), z.number().int().nonnegative())
});
export type PostgresManifest = z.infer<typeof PostgresManifestSchema>;

export interface PostgresOptions {
	/** the folder holding pg_dump and pg_restore (findPostgresBin()); null: from PATH */
	bin?: string | null;
}

export interface PostgresBackupSummary {
	dir: string;
	/** DATABASE_URL without its password */
	database: string;
	createdAt: string;
	schemaVersion: number;
	dump: { size: number; sha256: string };
	rows: Record<string, number>;
	ms: number;
}

export interface PostgresRestoreSummary {
	database: string;
	createdAt: string;
	schemaVersion: number;
	rows: Record<string, number>;
	/** migrations applied after the restore (a backup from an older version) */
	migrated: string[];
	ms: number;
}

/** The URL without its password, and the password apart (for PGPASSWORD), and a redactor. */
function connection(databaseUrl: string) {
	let url: URL;
	try {
		url = new URL(databaseUrl);
	} catch {
		throw new BackupError('DATABASE_URL is not a valid URL');
	}
	const password = url.password ? decodeURIComponent(url.password) : '';
	url.password = '';
	const safe = url.toString();
	const redact = (text: string) => {
		let out = text;
		for (const secret of [password, encodeURIComponent(password)])
			if (secret) out = out.split(secret).join('***');
		return out;
	};
	const shown = `${url.host}${url.pathname}`;
	return { safe, password, redact, shown, raw: databaseUrl };
}

function runTool(
	bin: string | null | undefined,
	tool: 'pg_dump' | 'pg_restore',
	args: string[],
	conn: ReturnType<typeof connection>
): Promise<void> {
	const file = bin ? path.join(bin, tool) : tool;
	const env = { ...process.env };
	if (conn.password) env.PGPASSWORD = conn.password;
	// libpq reads these too; the URL named on the command line must win
	delete env.PGDATABASE;
	return new Promise((resolve, reject) => {
		execFile(file, args, { env, maxBuffer: 16 << 20 }, (err, _stdout, stderr) => {
			if (!err) return resolve();
			const code = (err as NodeJS.ErrnoException).code;
			if (code === 'ENOENT')
				return reject(
					new BackupError(`${tool} not found (${file}); install PostgreSQL's client tools`)
				);
			reject(
				new BackupError(conn.redact(`${tool} failed: ${(stderr || err.message).toString().trim()}`))
			);
		});
	});
}

async function connect(conn: ReturnType<typeof connection>): Promise<PostgresStore> {
	const store = createPostgresStore(conn.raw, { max: 1 });
	try {
		await store.get('SELECT 1');
	} catch (err) {
		await store.close().catch(() => {});
		throw new BackupError(
			conn.redact(`cannot connect to ${conn.shown}: ${(err as Error).message}`)
		);
	}
	return store;
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function countRows(store: Store): Promise<Record<string, number>> {
	const tables = await store.all<{ name: string }>(
		"SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
	);
	const rows: Record<string, number> = {};
	for (const { name } of tables) {
		const r = await store.get<{ n: number | string }>(
			`SELECT count(*) AS n FROM public.${quoteIdent(name)}`
		);
		rows[name] = Number(r!.n);
	}
	return rows;
}

async function schemaVersionOf(store: Store, rows: Record<string, number>): Promise<number> {
	if (!('schema_migrations' in rows)) return 0;
	const r = await store.get<{ v: number | string }>(
		'SELECT coalesce(max(version), 0) AS v FROM public.schema_migrations'
	);
	return Number(r!.v);
}

/**
 * Backs the PostgreSQL hall at config.databaseUrl up into targetDir (created if needed; refused
 * unless empty): pg_dump --format=custom, then the manifest. Online: the hall keeps running.
 */
export async function backupPostgresHall(
	config: Pick<Config, 'databaseUrl'>,
	targetDir: string,
	opts: PostgresOptions = {}
): Promise<PostgresBackupSummary> {
	const started = performance.now();
	if (!config.databaseUrl) throw new BackupError('DATABASE_URL is not set');
	const conn = connection(config.databaseUrl);
	const dir = path.resolve(targetDir);
	const created = prepareEmptyDir(
		dir,
		`${dir} is not empty; a backup goes into a new or empty folder`
	);
	const dumpFile = path.join(dir, POSTGRES_DUMP);
	let store: PostgresStore | null = null;
	try {
		store = await connect(conn);
		// one repeatable-read snapshot: the counts here, and pg_dump --snapshot while it is open
		const { createdAt, rows, schemaVersion } = await store.snapshot(async (tx) => {
			const { snapshot } = (await tx.get<{ snapshot: string }>(
				'SELECT pg_export_snapshot() AS snapshot'
			))!;
			const createdAt = new Date().toISOString();
			const rows = await countRows(tx);
			const schemaVersion = await schemaVersionOf(tx, rows);
			await runTool(
				opts.bin,
				'pg_dump',
				[
					'--format=custom',
					`--snapshot=${snapshot}`,
					`--file=${dumpFile}`,
					`--dbname=${conn.safe}`
				],
				conn
			);
			return { createdAt, rows, schemaVersion };
		});
		await store.close();
		store = null;
		fsyncFile(dumpFile);
		const dump = hashFile(dumpFile);
		const manifest: PostgresManifest = {
			format: 'cloud-hall-backup',
			formatVersion: 1,
			engine: 'postgres',
			createdAt,
			schemaVersion,
			dump: { path: POSTGRES_DUMP, ...dump },
			rows
		};
		const tmp = path.join(dir, `${MANIFEST}.tmp`);
		writeDurably(tmp, JSON.stringify(manifest, null, '\t') + '\n');
		fs.renameSync(tmp, path.join(dir, MANIFEST));
		fsyncDir(dir);
		return {
			dir,
			database: conn.shown,
			createdAt,
			schemaVersion,
			dump,
			rows,
			ms: Math.round(performance.now() - started)
		};
	} catch (err) {
		if (store) await store.close().catch(() => {});
		undo(dir, created, [POSTGRES_DUMP, MANIFEST, `${MANIFEST}.tmp`]);
		if (err instanceof BackupError) throw err;
		throw new BackupError(conn.redact((err as Error).message));
	}
}

/** Reads and checks a PostgreSQL backup's manifest and the dump's size and SHA-256. */
export function verifyPostgresBackup(sourceDir: string): PostgresManifest {
	const source = path.resolve(sourceDir);
	const file = path.join(source, MANIFEST);
	let json: unknown;
	try {
		json = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'ENOENT')
			throw new BackupError(
				`no ${MANIFEST} in ${source}: not a Cloud Hall backup, or one that did not finish`
			);
		throw new BackupError(`${file} is not valid JSON (${(err as Error).message})`);
	}
	if (json && typeof json === 'object' && !('engine' in json))
		throw new BackupError(
			`${source} is a backup of a SQLite hall; restore it into an empty DATA_DIR without ` +
				'DATABASE_URL, then copy it to PostgreSQL with npm run db:copy'
		);
	const parsed = PostgresManifestSchema.safeParse(json);
	if (!parsed.success)
		throw new BackupError(
			`${file} is not a valid PostgreSQL backup manifest:\n` +
				parsed.error.issues
					.slice(0, 10)
					.map((i) => `  ${i.path.join('.') || '(top)'}: ${i.message}`)
					.join('\n')
		);
	const manifest = parsed.data;
	const known = readPostgresMigrations().length;
	if (manifest.schemaVersion > known)
		throw new BackupError(
			`the backup is at schema version ${manifest.schemaVersion}, newer than this code ` +
				`(${known}); restore it with the version of Cloud Hall that made it`
		);
	let actual;
	try {
		actual = hashFile(path.join(source, POSTGRES_DUMP));
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
		throw new BackupError(`${POSTGRES_DUMP} is missing from ${source}; nothing was restored`);
	}
	if (actual.size !== manifest.dump.size || actual.sha256 !== manifest.dump.sha256)
		throw new BackupError(
			`the backup in ${source} does not match its manifest; nothing was restored:\n` +
				`  ${POSTGRES_DUMP}: ${actual.size} bytes, SHA-256 ${actual.sha256}; ` +
				`the manifest says ${manifest.dump.size} bytes, SHA-256 ${manifest.dump.sha256}`
		);
	return manifest;
}

/**
 * Restores a PostgreSQL backup into the database DATABASE_URL names, which must be empty (no
 * tables in its public schema): the dump's hash is checked first, pg_restore runs in one
 * transaction (a failure leaves the database as it was), the row counts are compared with the
 * manifest's, and pending migrations are applied (a backup from an older version).
 */
export async function restorePostgresHall(
	config: Pick<Config, 'databaseUrl'>,
	sourceDir: string,
	opts: PostgresOptions = {}
): Promise<PostgresRestoreSummary> {
	const started = performance.now();
	if (!config.databaseUrl) throw new BackupError('DATABASE_URL is not set');
	const conn = connection(config.databaseUrl);
	const source = path.resolve(sourceDir);

	const assertEmpty = async () => {
		const store = await connect(conn);
		try {
			const rows = await countRows(store);
			const tables = Object.keys(rows);
			if (tables.length) {
				const full = tables.filter((t) => rows[t] > 0);
				throw new BackupError(
					`the database ${conn.shown} is not empty (${tables.length} tables` +
						(full.length
							? `, rows in ${full.slice(0, 3).join(', ')}${full.length > 3 ? ', ...' : ''}`
							: '') +
						'); restore only into a new, empty database. Nothing was changed.'
				);
			}
		} finally {
			await store.close().catch(() => {});
		}
	};
	// Check the target before reading anything, and again just before writing.
	await assertEmpty();
	const manifest = verifyPostgresBackup(source);
	await assertEmpty();

	try {
		await runTool(
			opts.bin,
			'pg_restore',
			[
				'--no-owner',
				'--no-privileges',
				'--exit-on-error',
				'--single-transaction',
				`--dbname=${conn.safe}`,
				path.join(source, POSTGRES_DUMP)
			],
			conn
		);
	} catch (err) {
		throw new BackupError(
			`${(err as Error).message}\nthe restore was rolled back; nothing was changed`
		);
	}

	const after = await connect(conn);
	let rows: Record<string, number>;
	try {
		rows = await countRows(after);
	} finally {
		await after.close().catch(() => {});
	}
	const wrong = [...new Set([...Object.keys(manifest.rows), ...Object.keys(rows)])]
		.filter((t) => manifest.rows[t] !== rows[t])
		.map(
			(t) => `  ${t}: ${rows[t] ?? 'missing'} rows, the manifest says ${manifest.rows[t] ?? 'none'}`
		);
	if (wrong.length)
		throw new BackupError(
			`the restored database ${conn.shown} does not hold what the backup's manifest says ` +
				`(drop it and create it again before retrying):\n${wrong.join('\n')}`
		);

	const engine = openPostgresEngine(conn.raw, { poolSize: 1 });
	let migrated: string[];
	try {
		migrated = await engine.migrate();
	} catch (err) {
		throw new BackupError(
			conn.redact(`the restored database did not migrate: ${(err as Error).message}`)
		);
	} finally {
		await engine.close();
	}
	return {
		database: conn.shown,
		createdAt: manifest.createdAt,
		schemaVersion: manifest.schemaVersion,
		rows,
		migrated,
		ms: Math.round(performance.now() - started)
	};
}

function tableCounts(rows: Record<string, number>): string {
	const total = Object.values(rows).reduce((a, b) => a + b, 0);
	return `${Object.keys(rows).length} tables, ${total} rows`;
}

export function describePostgresBackup(s: PostgresBackupSummary): string[] {
	return [
		`backup of ${s.database} written to ${s.dir} in ${s.ms} ms`,
		`  snapshot of ${s.createdAt}, schema version ${s.schemaVersion}, ${tableCounts(s.rows)}`,
		`  ${POSTGRES_DUMP} ${mb(s.dump.size)} (documents and signatures included), SHA-256 ${s.dump.sha256}`
	];
}

export function describePostgresRestore(s: PostgresRestoreSummary): string[] {
	return [
		`restored the backup of ${s.createdAt} (schema version ${s.schemaVersion}) into ${s.database} in ${s.ms} ms`,
		`  ${tableCounts(s.rows)}, as the manifest says (documents and signatures included)`,
		s.migrated.length
			? `  migrations applied since: ${s.migrated.join(', ')}`
			: '  the schema was already current'
	];
}

/** The summaries as a few lines for the CLIs. */
export function describeBackup(s: BackupSummary): string[] {
	const lines = [
		`backup written to ${s.dir} in ${s.ms} ms`,
		`  snapshot of ${s.createdAt}, schema version ${s.schemaVersion}`,
		`  database ${mb(s.database.size)}, SHA-256 ${s.database.sha256}`,
		`  documents: ${s.documents.files} files (${mb(s.documents.bytes)}) for ${s.documents.rows} rows`,
		`  signatures: ${s.signatures.files} files (${mb(s.signatures.bytes)}) for ${s.signatures.rows} signed rows`
	];
	if (s.problems.length)
		lines.push(
			`  WARNING: ${s.problems.length} referenced file(s) are NOT in this backup:`,
			...s.problems.map((p) => `    ${p.path}: ${p.problem}`)
		);
	return lines;
}

export function describeRestore(s: RestoreSummary): string[] {
	const lines = [
		`restored the backup of ${s.createdAt} (schema version ${s.schemaVersion}) in ${s.ms} ms`,
		`  database ${mb(s.database.size)} -> ${s.databasePath}`,
		`  documents: ${s.documents.files} files (${mb(s.documents.bytes)}), signatures: ${s.signatures.files} files (${mb(s.signatures.bytes)}) -> ${s.dataDir}`,
		'  the hall applies any newer migrations when it starts'
	];
	if (s.problems.length)
		lines.push(
			`  WARNING: ${s.problems.length} file(s) were already missing when the backup was taken:`,
			...s.problems.map((p) => `    ${p.path}: ${p.problem}`)
		);
	return lines;
}

function mb(bytes: number): string {
	return bytes < 1024 * 1024
		? `${(bytes / 1024).toFixed(1)} KB`
		: `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
