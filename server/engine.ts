// The database engine the hall runs on, chosen by configuration (README: PostgreSQL): the SQLite
// file in DATA_DIR (the default, nothing to install) or PostgreSQL (DATABASE_URL). Rules see only
// `deps.store`; what differs between engines beyond SQL lives here: the event bus that wakes
// streams, the change stamp caches check, the schema version and closing.
import type { Config } from './config.ts';
import { changeStamp as sqliteChangeStamp } from './db/change-stamp.ts';
import { openDatabase, type Db } from './db/index.ts';
import { tablesStamp as sqliteTablesStamp } from './db/table-writes.ts';
import { migrate, schemaVersion } from './db/migrate.ts';
import { migratePostgres } from './db/migrate-postgres.ts';
import { listenToChannel } from './db/postgres-listener.ts';
import { createPostgresStore } from './db/postgres-store.ts';
import { sqliteStore, sqliteWriteInProgress, type Store } from './db/store.ts';
import { eventBusOf, type EventBus } from './realtime/bus.ts';
import { createPostgresBus, EVENTS_CHANNEL, type CrossNodeMode } from './realtime/postgres-bus.ts';

export interface Engine {
	readonly kind: 'sqlite' | 'postgres';
	/** the whole store (rules get it, or a transaction's handle, as deps.store) */
	readonly store: Store;
	/** wakes the event streams of a topic after the writing transaction committed */
	readonly events: EventBus;
	/**
	 * How this node hears other nodes' events: PostgreSQL's LISTEN ('listening'), its fallback
	 * poll ('polling'), not yet needed ('idle'); on SQLite the file watcher ('file').
	 */
	crossNodeEvents(): CrossNodeMode | 'file';
	/**
	 * A value that changes whenever the database may have changed, so a cache of rarely changing
	 * rows can skip its queries; null when the engine cannot tell cheaply (then read afresh).
	 */
	changeStamp(): string | null;
	/**
	 * As changeStamp, for a cache that depends on these tables only: it does not move with this
	 * node's writes to other tables (another process's commit still moves it). Null likewise.
	 */
	tablesStamp(tables: readonly string[]): string | null;
	/** the SQLite connection, for what only SQLite has (its online backup); null on PostgreSQL */
	readonly sqlite: Db | null;
	/** false once closed */
	readonly open: boolean;
	/** applies pending migrations; the names applied */
	migrate(): Promise<string[]>;
	schemaVersion(): Promise<number>;
	close(): Promise<void>;
}

type EngineLog = (message: string, fields?: Record<string, unknown>) => void;

/** The engine the configuration names: DATABASE_URL's PostgreSQL, else DATA_DIR's SQLite file. */
export function openEngine(config: Config, opts: { log?: EngineLog } = {}): Engine {
	return config.databaseUrl
		? openPostgresEngine(config.databaseUrl, { log: opts.log })
		: openSqliteEngine(config.databasePath);
}

/** Where the configured database is, for messages: never the password DATABASE_URL may carry. */
export function describeDatabase(config: Config): string {
	if (!config.databaseUrl) return config.databasePath;
	const url = new URL(config.databaseUrl);
	url.password = '';
	return `PostgreSQL ${url.host}${url.pathname}`;
}

/** The hall's SQLite file (or ':memory:'). */
export function openSqliteEngine(file: string): Engine {
	return sqliteEngine(openDatabase(file));
}

/** An engine over a connection opened already (tests copy and reopen files). */
export function sqliteEngine(db: Db): Engine {
	return {
		kind: 'sqlite',
		store: sqliteStore(db),
		events: eventBusOf(db),
		crossNodeEvents: () => 'file',
		// not while a store transaction is open: the stamp would count its uncommitted rows
		changeStamp: () => (sqliteWriteInProgress(db) ? null : sqliteChangeStamp(db)),
		tablesStamp: (tables) => (sqliteWriteInProgress(db) ? null : sqliteTablesStamp(db, tables)),
		sqlite: db,
		get open() {
			return db.open;
		},
		migrate: async () => migrate(db),
		schemaVersion: async () => schemaVersion(db),
		close: async () => {
			if (db.open) db.close();
		}
	};
}

/**
 * PostgreSQL at `url`. Events reach every node through LISTEN/NOTIFY (./realtime/postgres-bus.ts).
 * Caches read afresh (no change stamp), since another node may have written.
 */
export function openPostgresEngine(
	url: string,
	opts: { poolSize?: number; log?: EngineLog } = {}
): Engine {
	let open = true;
	const store = createPostgresStore(url, { max: opts.poolSize });
	const events = createPostgresBus(store, {
		listen: (handlers) => listenToChannel(url, EVENTS_CHANNEL, handlers),
		log: opts.log
	});
	return {
		kind: 'postgres',
		store,
		events,
		crossNodeEvents: () => events.mode,
		changeStamp: () => null,
		tablesStamp: () => null,
		sqlite: null,
		get open() {
			return open;
		},
		migrate: () => migratePostgres(store),
		async schemaVersion() {
			const row = await store
				.get<{ v: number }>('SELECT coalesce(max(version), 0) AS v FROM schema_migrations')
				.catch(() => undefined);
			return row?.v ?? 0;
		},
		async close() {
			if (!open) return;
			open = false;
			await events.close();
			await store.close();
		}
	};
}
