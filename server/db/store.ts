// The awaitable data interface (issue 20): what rules will call instead of better-sqlite3's
// synchronous statements, so that a PostgreSQL adapter (node-postgres, asynchronous) can stand
// behind the same calls. Rules see `all`, `get`, `run` and `transaction`; nothing outside
// server/db/ sees a driver or a dialect.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db, Statement } from './index.ts';

/** Positional (`?`) or named (`@name`) parameters. */
export type SqlParams = readonly unknown[] | Record<string, unknown>;

/** What one connection, or one open transaction, can be asked. */
export interface Queryable {
	all<R>(sql: string, params?: SqlParams): Promise<R[]>;
	get<R>(sql: string, params?: SqlParams): Promise<R | undefined>;
	run(sql: string, params?: SqlParams): Promise<{ changes: number }>;
}

export interface Store extends Queryable {
	/**
	 * Runs fn inside one write transaction (SQLite: BEGIN IMMEDIATE, the write lock taken at the
	 * start, so a rule checked inside cannot be invalidated before commit). fn gets the handle its
	 * queries must use; a throw rolls everything back. Nothing else runs on this connection while
	 * it is open: other calls wait for the commit.
	 */
	transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}

export class NestedTransactionError extends Error {
	constructor() {
		super('A transaction was opened inside another one: pass the open transaction down instead');
	}
}

/**
 * The better-sqlite3 adapter. Statements are prepared once per connection and kept by their
 * SQL. better-sqlite3 runs on one connection synchronously, so while a transaction is open
 * between awaits, any other statement on the connection would silently join it: the gate makes
 * every other call (and every other transaction) wait until it commits or rolls back.
 */
export function createSqliteStore(db: Db): Store {
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
	const inTransaction = new AsyncLocalStorage<true>();

	/**
	 * Runs work (synchronous) once no transaction is open. The check and the work happen in the
	 * same turn, with no await between them, so no transaction can begin in between.
	 */
	async function whenNoTransaction<T>(work: () => T): Promise<T> {
		// the store (not the handle) used inside a transaction would wait for itself forever
		if (inTransaction.getStore()) throw new NestedTransactionError();
		for (;;) {
			const seen = gate;
			await seen;
			if (gate === seen) return work();
		}
	}

	return {
		all: (sql, params) => whenNoTransaction(() => all(sql, params)),
		get: (sql, params) => whenNoTransaction(() => get(sql, params)),
		run: (sql, params) => whenNoTransaction(() => run(sql, params)),
		async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
			let open!: () => void;
			await whenNoTransaction(() => {
				gate = new Promise<void>((resolve) => (open = resolve));
				prepared('BEGIN IMMEDIATE').run();
			}).catch((err) => {
				// BEGIN failed (busy past the timeout, disk): the gate opens again at once
				open?.();
				throw err;
			});
			let live = true;
			const usable = () => {
				if (!live) throw new Error('This transaction has ended; its handle cannot be used');
			};
			const tx: Queryable = {
				all: async (sql, params) => (usable(), all(sql, params)),
				get: async (sql, params) => (usable(), get(sql, params)),
				run: async (sql, params) => (usable(), run(sql, params))
			};
			try {
				const result = await inTransaction.run(true, () => fn(tx));
				prepared('COMMIT').run();
				return result;
			} catch (err) {
				if (db.inTransaction) prepared('ROLLBACK').run();
				throw err;
			} finally {
				live = false;
				open();
			}
		}
	};
}
