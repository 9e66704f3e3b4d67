// The bytes of documents and signature images (issue 21, item 5), behind one small interface so
// that the cases code never knows where they are kept. Both stores are content-addressed: a blob
// is named by its kind (the folder: documents or signatures) and the hex SHA-256 of its bytes,
// which put checks before anything is written. Which store serves is the engine's choice:
//   * SQLite: the local folder, today's layout exactly (DATA_DIR/documents/<sha256>,
//     DATA_DIR/signatures/<sha256>), which the backup copies beside the database file;
//   * PostgreSQL: the table document_blobs (migrations/postgres/0002_document_blobs.sql), so every
//     node of the hall reads what any node stored, whatever its own DATA_DIR.
// It lives beside the store because it is infrastructure of the same kind: chosen by the engine,
// used by the cases rules, the health probe, the backup and the copy to PostgreSQL alike.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Engine } from '../engine.ts';
import { outsideTransaction, type Store } from './store.ts';

export const BLOB_KINDS = ['documents', 'signatures'] as const;
export type BlobKind = (typeof BLOB_KINDS)[number];

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** One stored blob opened for reading: its size, then its bytes as a stream (read it, or close it). */
export interface OpenBlob {
	size: number;
	/** the bytes; the blob is released once the stream ends, fails or is cancelled */
	stream(): ReadableStream<Uint8Array>;
	/** releases the blob without reading it (e.g. the request failed before a byte left) */
	close(): Promise<void>;
}

export interface BlobStore {
	/** where the bytes are: the local folder (SQLite) or the database (PostgreSQL) */
	readonly where: 'folder' | 'postgres';
	/**
	 * Stores the bytes under their SHA-256 (throws if sha256 is not theirs). Storing bytes that
	 * are already there changes nothing, so writing before the database transaction that refers
	 * to them is harmless: a failed request leaves at most an unreferenced copy of valid bytes.
	 */
	put(kind: BlobKind, sha256: string, bytes: Uint8Array): Promise<void>;
	/** the whole blob, or null if it is not stored */
	get(kind: BlobKind, sha256: string): Promise<Uint8Array | null>;
	/** the blob for streaming, or null if it is not stored */
	open(kind: BlobKind, sha256: string): Promise<OpenBlob | null>;
	has(kind: BlobKind, sha256: string): Promise<boolean>;
	/** the SHA-256 of every blob of a kind, sorted */
	list(kind: BlobKind): Promise<string[]>;
	/** where a blob is, for the record (cases.signature_file): a file's path, or the table's row */
	locate(kind: BlobKind, sha256: string): string;
}

export function sha256Hex(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

function checkName(kind: BlobKind, sha256: string): void {
	if (!BLOB_KINDS.includes(kind)) throw new Error(`Unknown blob kind ${String(kind)}`);
	if (!SHA256_HEX.test(sha256)) throw new Error(`Not a SHA-256 in hex: ${sha256}`);
}

function checkContent(kind: BlobKind, sha256: string, bytes: Uint8Array): void {
	checkName(kind, sha256);
	const actual = sha256Hex(bytes);
	if (actual !== sha256)
		throw new Error(`The ${kind} blob named ${sha256} has the SHA-256 ${actual}: not stored`);
}

/** The local folder: DATA_DIR/<kind>/<sha256>, as the hall has always kept them. */
export function folderBlobStore(dataDir: string): BlobStore {
	const fileOf = (kind: BlobKind, sha256: string) => path.join(dataDir, kind, sha256);
	const absent = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';
	return {
		where: 'folder',
		locate: fileOf,
		async put(kind, sha256, bytes) {
			checkContent(kind, sha256, bytes);
			const dir = path.join(dataDir, kind);
			fs.mkdirSync(dir, { recursive: true });
			const file = fileOf(kind, sha256);
			if (fs.existsSync(file)) return;
			// written aside and renamed: a reader (or a crash) never sees half a file under the name
			const temp = path.join(dir, `.${sha256}.${process.pid}.${randomBytes(4).toString('hex')}`);
			try {
				fs.writeFileSync(temp, bytes, { flag: 'wx' });
				fs.renameSync(temp, file);
			} catch (err) {
				fs.rmSync(temp, { force: true });
				throw err;
			}
		},
		async get(kind, sha256) {
			checkName(kind, sha256);
			try {
				return await fs.promises.readFile(fileOf(kind, sha256));
			} catch (err) {
				if (absent(err)) return null;
				throw err;
			}
		},
		async open(kind, sha256) {
			checkName(kind, sha256);
			let handle: fs.promises.FileHandle;
			try {
				handle = await fs.promises.open(fileOf(kind, sha256), 'r');
			} catch (err) {
				if (absent(err)) return null;
				throw err;
			}
			let size: number;
			try {
				size = (await handle.stat()).size;
			} catch (err) {
				await handle.close();
				throw err;
			}
			return {
				size,
				// closes the file when the body is read to the end, fails or the client goes away
				stream: () => Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>,
				close: () => handle.close()
			};
		},
		async has(kind, sha256) {
			checkName(kind, sha256);
			return fs.existsSync(fileOf(kind, sha256));
		},
		async list(kind) {
			checkName(kind, '0'.repeat(64));
			try {
				return fs
					.readdirSync(path.join(dataDir, kind))
					.filter((name) => SHA256_HEX.test(name))
					.sort();
			} catch (err) {
				if (absent(err)) return [];
				throw err;
			}
		}
	};
}

/**
 * The table document_blobs of a PostgreSQL store. Each call is its own statement on the store
 * given (the engine's, not a transaction's handle: a blob is stored whether or not the request's
 * transaction commits, as a file would be).
 */
export function postgresBlobStore(engineStore: Store): BlobStore {
	// also when called while a request's transaction is open (a write under an Idempotency-Key
	// runs in one): the blob is not part of it
	const store: Store = {
		...engineStore,
		all: (sql, params) => outsideTransaction(() => engineStore.all(sql, params)),
		get: (sql, params) => outsideTransaction(() => engineStore.get(sql, params)),
		run: (sql, params) => outsideTransaction(() => engineStore.run(sql, params))
	};
	return {
		where: 'postgres',
		locate: (kind, sha256) => `document_blobs:${kind}/${sha256}`,
		async put(kind, sha256, bytes) {
			checkContent(kind, sha256, bytes);
			await store.run(
				`INSERT INTO document_blobs (kind, sha256, bytes, size, created_at)
				 VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, sha256) DO NOTHING`,
				[
					kind,
					sha256,
					Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
					bytes.byteLength,
					Date.now()
				]
			);
		},
		async get(kind, sha256) {
			checkName(kind, sha256);
			const row = await store.get<{ bytes: Buffer }>(
				'SELECT bytes FROM document_blobs WHERE kind = ? AND sha256 = ?',
				[kind, sha256]
			);
			return row ? row.bytes : null;
		},
		async open(kind, sha256) {
			const bytes = await this.get(kind, sha256);
			if (!bytes) return null;
			return {
				size: bytes.byteLength,
				stream: () =>
					new ReadableStream<Uint8Array>({
						start(controller) {
							controller.enqueue(bytes);
							controller.close();
						}
					}),
				close: async () => {}
			};
		},
		async has(kind, sha256) {
			checkName(kind, sha256);
			return !!(await store.get(
				'SELECT 1 AS found FROM document_blobs WHERE kind = ? AND sha256 = ?',
				[kind, sha256]
			));
		},
		async list(kind) {
			checkName(kind, '0'.repeat(64));
			const rows = await store.all<{ sha256: string }>(
				'SELECT sha256 FROM document_blobs WHERE kind = ? ORDER BY sha256',
				[kind]
			);
			return rows.map((r) => r.sha256);
		}
	};
}

const postgresStores = new WeakMap<Engine, BlobStore>();

/** The blob store of the hall's engine: the folder in DATA_DIR on SQLite, the table on PostgreSQL. */
export function blobStoreOf(deps: {
	engine: Pick<Engine, 'kind' | 'store'>;
	config: { dataDir: string };
}): BlobStore {
	if (deps.engine.kind === 'sqlite') return folderBlobStore(deps.config.dataDir);
	const engine = deps.engine as Engine;
	let blobs = postgresStores.get(engine);
	if (!blobs) {
		blobs = postgresBlobStore(engine.store);
		postgresStores.set(engine, blobs);
	}
	return blobs;
}
