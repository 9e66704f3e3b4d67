// The awaitable data interface (issue 20): what rules call instead of better-sqlite3's
// synchronous statements, so that a PostgreSQL adapter (node-postgres, asynchronous) can stand
// behind the same calls. Rules see `all`, `get`, `run` and `transaction`; nothing outside
// server/db/ sees a driver or a dialect.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db, Statement } from './index.ts';

export type Dialect = 'sqlite' | 'postgres';

/** Positional (`?`) or named (`@name`) parameters. */
export type SqlParams = readonly unknown[] | Record<string, unknown>;

/**
 * The database as rules see it: the whole store, or one open transaction (the same calls, so a
 * rule written against `Store` runs inside or outside a transaction alike).
 */
export interface Store {
	/** Which SQL the store speaks, for the few statements the two engines write differently. */
	readonly dialect: Dialect;
	/** true on an open transaction's handle (a cache must not keep what it reads: it may roll back) */
	readonly inTransaction: boolean;
	all<R>(sql: string, params?: SqlParams): Promise<R[]>;
	get<R>(sql: string, params?: SqlParams): Promise<R | undefined>;
	run(sql: string, params?: SqlParams): Promise<{ changes: number }>;
	/**
	 * Runs fn inside one write transaction (SQLite: BEGIN IMMEDIATE, the write lock taken at the
	 * start, so a rule checked inside cannot be invalidated before commit). fn gets the handle its
	 * queries must use; a throw rolls everything back. Nothing else runs on this connection while
	 * it is open: other calls wait for the commit. Called on a transaction's handle, it opens a
	 * savepoint inside it: a throw rolls back only that part, and the outer transaction goes on.
	 */
	transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
	/**
	 * Runs fn's reads in one consistent snapshot (never half of another writer's commit) without
	 * taking the write lock: SQLite a deferred BEGIN (WAL readers never block writers), PostgreSQL
	 * REPEATABLE READ READ ONLY. On a transaction's handle it simply runs inside that transaction.
	 */
	snapshot<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
}

/** A handle that is the open transaction of a store. */
export type Transaction = Store;

export class NestedTransactionError extends Error {
	constructor() {
		super('A transaction was opened inside another one: pass the open transaction down instead');
	}
}

/**
 * The store whose transaction the current async context is inside (one context for every store,
 * so work can be moved out of it: see outsideTransaction).
 */
export const transactionContext = new AsyncLocalStorage<object>();

/**
 * Runs fn, and everything it schedules (timers, promise callbacks), outside any open store
 * transaction's async context. For work that a write sets off but that must run on its own
 * once the write is over (the event bus waking streams, a snapshot recomputed): left inside,
 * its reads on the store would look like a transaction opened inside another one.
 */
export function outsideTransaction<T>(fn: () => T): T {
	return transactionContext.exit(fn);
}

const stores = new WeakMap<Db, Store>();
const openTransactions = new WeakMap<Db, () => Promise<void> | null>();

/**
 * While a store transaction is open on the connection, a promise settled when it has committed
 * or rolled back; otherwise null. The event bus delivers after it, never inside a write.
 */
export function sqliteWriteInProgress(db: Db): Promise<void> | null {
	return openTransactions.get(db)?.() ?? (db.inTransaction ? Promise.resolve() : null);
}

/**
 * The store of a better-sqlite3 connection: one per connection, so that everything on it shares
 * one statement cache and one transaction gate.
 */
export function sqliteStore(db: Db): Store {
	let store = stores.get(db);
	if (!store) {
		store = createSqliteStore(db);
		stores.set(db, store);
	}
	return store;
}

/**
 * The better-sqlite3 adapter. Statements are prepared once per connection and kept by their
 * SQL. better-sqlite3 runs on one connection synchronously, so while a transaction is open
 * between awaits, any other statement on the connection would silently join it: the gate makes
 * every other call (and every other transaction) wait until it commits or rolls back.
 */
function createSqliteStore(db: Db): Store {
	const statements = new Map<string, Statement<unknown[], unknown>>();
	const prepared = (sql: string) => {
		let statement = statements.get(sql);
		if (!statement) {
			statement = db.prepare(sql) as Statement<unknown[], unknown>;
			statements.set(sql, statement);
		}
		return statement;
	};
	const bind = (params?: SqlParams): unknown[] =>
		params === undefined ? [] : Array.isArray(params) ? [...params] : [params];
	const all = <R>(sql: string, params?: SqlParams) => prepared(sql).all(...bind(params)) as R[];
	const get = <R>(sql: string, params?: SqlParams) =>
		prepared(sql).get(...bind(params)) as R | undefined;
	const run = (sql: string, params?: SqlParams) => ({
		changes: prepared(sql).run(...bind(params)).changes
	});

	/** Resolved while no transaction is open; an open transaction holds a pending one. */
	let gate: Promise<void> = Promise.resolve();
	/** this store's mark in transactionContext */
	const token = {};
	let writing = false;
	openTransactions.set(db, () => (writing ? gate : null));

	/**
	 * Runs work (synchronous) once no transaction is open. The check and the work happen in the
	 * same turn, with no await between them, so no transaction can begin in between.
	 */
	async function whenNoTransaction<T>(work: () => T): Promise<T> {
		// the store (not the handle) used inside a transaction would wait for itself forever
		if (transactionContext.getStore() === token) throw new NestedTransactionError();
		for (;;) {
			const seen = gate;
			await seen;
			if (gate === seen) return work();
		}
	}

	/**
	 * The handle of an open transaction; `live` says whether it (or its savepoint) is open, `depth`
	 * how many savepoints it is inside. Savepoints are named by depth, so their few statements are
	 * prepared once (a group commit opens one per ticket taken).
	 */
	function handle(live: () => boolean, depth = 0): Store {
		const usable = () => {
			if (!live()) throw new Error('This transaction has ended; its handle cannot be used');
		};
		const tx: Store = {
			dialect: 'sqlite',
			inTransaction: true,
			snapshot: async (fn) => (usable(), fn(tx)),
			all: async (sql, params) => (usable(), all(sql, params)),
			get: async (sql, params) => (usable(), get(sql, params)),
			run: async (sql, params) => (usable(), run(sql, params)),
			async transaction(fn) {
				usable();
				const name = `sp${depth + 1}`;
				prepared(`SAVEPOINT ${name}`).run();
				let open = true;
				try {
					const result = await fn(handle(() => open && live(), depth + 1));
					prepared(`RELEASE ${name}`).run();
					return result;
				} catch (err) {
					if (db.inTransaction) {
						prepared(`ROLLBACK TO ${name}`).run();
						prepared(`RELEASE ${name}`).run();
					}
					throw err;
				} finally {
					open = false;
				}
			}
		};
		return tx;
	}

	/** BEGIN IMMEDIATE: a write transaction; BEGIN: a read snapshot taken at the first read. */
	async function inTransactionOf<T>(
		begin: 'BEGIN IMMEDIATE' | 'BEGIN',
		fn: (tx: Store) => Promise<T>
	): Promise<T> {
		let open!: () => void;
		await whenNoTransaction(() => {
			gate = new Promise<void>((resolve) => (open = resolve));
			writing = true;
			prepared(begin).run();
		}).catch((err) => {
			// BEGIN failed (busy past the timeout, disk): the gate opens again at once
			writing = false;
			open?.();
			throw err;
		});
		let live = true;
		try {
			const result = await transactionContext.run(token, () => fn(handle(() => live)));
			prepared('COMMIT').run();
			return result;
		} catch (err) {
			if (db.inTransaction) prepared('ROLLBACK').run();
			throw err;
		} finally {
			live = false;
			writing = false;
			open();
		}
	}

	return {
		dialect: 'sqlite',
		inTransaction: false,
		all: (sql, params) => whenNoTransaction(() => all(sql, params)),
		get: (sql, params) => whenNoTransaction(() => get(sql, params)),
		run: (sql, params) => whenNoTransaction(() => run(sql, params)),
		transaction: (fn) => inTransactionOf('BEGIN IMMEDIATE', fn),
		snapshot: (fn) => inTransactionOf('BEGIN', fn)
	};
}
