// The node-postgres adapter behind the Store (issue 21): a pool; a transaction holds one client
// from BEGIN to COMMIT; a transaction opened on a handle is a savepoint. Rules keep writing `?`
// and `@name` parameters as on SQLite: the SQL is rewritten to `$1…` once per text and cached.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { NestedTransactionError, transactionContext, type SqlParams, type Store } from './store.ts';

/**
 * What the open transaction does around its COMMIT, for work that must commit with it or wait
 * for it: the event bus sends one NOTIFY in the transaction (delivered to other nodes only if it
 * commits) and wakes this node's streams only after the commit, never before the rows exist.
 */
export interface CommitScope {
	/** scratch space for the transaction, one entry per owner (the bus keeps its topics here) */
	readonly data: Map<object, unknown>;
	/** runs on the transaction's connection just before COMMIT; a throw rolls it all back */
	beforeCommit(fn: (tx: Store) => Promise<void>): void;
	/** runs once the COMMIT succeeded (not after a rollback) */
	afterCommit(fn: () => void): void;
}

interface Scope extends CommitScope {
	store: object;
	before: ((tx: Store) => Promise<void>)[];
	after: (() => void)[];
}
const scopeContext = new AsyncLocalStorage<Scope>();

export interface PostgresStore extends Store {
	/** the commit scope of this store's transaction the caller is inside, else null */
	commitScope(): CommitScope | null;
	close(): Promise<void>;
}

/**
 * Counts (`count(*)`, `sum` of integers) come back as int8, which node-postgres gives as text to
 * keep precision; the hall's counts and millisecond times fit in a double, as on SQLite.
 */
const types = {
	getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
		if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return Number;
		return pg.types.getTypeParser(oid, format);
	}) as typeof pg.types.getTypeParser
};

interface Translated {
	text: string;
	/** positional: the order of `?`s; named: the parameter name of each `$n` */
	names: string[] | null;
	count: number;
}

/**
 * Rewrites `?` (positional) or `@name` (named) placeholders to `$n`, skipping string literals,
 * quoted identifiers and comments. A name used twice is one `$n`.
 */
export function toPostgresPlaceholders(sql: string): Translated {
	let out = '';
	let count = 0;
	const names: string[] = [];
	let named = false;
	for (let i = 0; i < sql.length;) {
		const c = sql[i];
		if (c === "'" || c === '"') {
			const end = sql.indexOf(c, i + 1);
			const stop = end === -1 ? sql.length : end + 1;
			out += sql.slice(i, stop);
			i = stop;
		} else if (c === '-' && sql[i + 1] === '-') {
			const end = sql.indexOf('\n', i);
			const stop = end === -1 ? sql.length : end;
			out += sql.slice(i, stop);
			i = stop;
		} else if (c === '?') {
			out += `$${++count}`;
			i++;
		} else if (c === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
			const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))![0];
			named = true;
			let index = names.indexOf(name);
			if (index === -1) index = names.push(name) - 1;
			out += `$${index + 1}`;
			i += name.length + 1;
		} else {
			out += c;
			i++;
		}
	}
	if (named && count) throw new Error('SQL mixes ? and @name parameters');
	return { text: out, names: named ? names : null, count: named ? names.length : count };
}

export function createPostgresStore(
	connectionString: string,
	opts: { max?: number; onIdleError?: (err: Error) => void } = {}
) {
	const pool = new pg.Pool({
		connectionString,
		max: opts.max ?? 10,
		types,
		// a database host that drops packets instead of refusing: fail (503) rather than hang
		connectionTimeoutMillis: 5_000
	});
	// an idle client whose server went away (restart, failover) must not crash the process: it is
	// dropped from the pool, and the next query opens a new connection
	pool.on('error', (err) => opts.onIdleError?.(err));
	const translations = new Map<string, Translated>();
	const translate = (sql: string) => {
		let t = translations.get(sql);
		if (!t) translations.set(sql, (t = toPostgresPlaceholders(sql)));
		return t;
	};
	const values = (t: Translated, params?: SqlParams): unknown[] => {
		if (params === undefined) return [];
		if (Array.isArray(params)) return [...params];
		const named = params as Record<string, unknown>;
		return (t.names ?? []).map((name) => {
			if (!(name in named)) throw new Error(`Missing named parameter "${name}"`);
			return named[name];
		});
	};
	const query = async <R>(on: pg.Pool | pg.PoolClient, sql: string, params?: SqlParams) => {
		const t = translate(sql);
		return on.query<R & pg.QueryResultRow>(t.text, values(t, params));
	};
	/** this store's mark in transactionContext */
	const token = {};
	const outside = () => {
		// as on SQLite: the store inside its own transaction is a bug (the handle must be passed)
		if (transactionContext.getStore() === token) throw new NestedTransactionError();
	};
	let savepoints = 0;

	function handle(client: pg.PoolClient, live: () => boolean): Store {
		const usable = () => {
			if (!live()) throw new Error('This transaction has ended; its handle cannot be used');
		};
		const tx: Store = {
			dialect: 'postgres',
			inTransaction: true,
			snapshot: async (fn) => (usable(), fn(tx)),
			all: async <R>(sql: string, params?: SqlParams) => (
				usable(),
				(await query<R>(client, sql, params)).rows
			),
			get: async <R>(sql: string, params?: SqlParams) => (
				usable(),
				(await query<R>(client, sql, params)).rows[0] as R | undefined
			),
			run: async (sql, params) => (
				usable(),
				{ changes: (await query(client, sql, params)).rowCount ?? 0 }
			),
			async transaction(fn) {
				usable();
				const name = `sp${++savepoints}`;
				await client.query(`SAVEPOINT ${name}`);
				let open = true;
				try {
					const result = await fn(handle(client, () => open && live()));
					await client.query(`RELEASE SAVEPOINT ${name}`);
					return result;
				} catch (err) {
					await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
					await client.query(`RELEASE SAVEPOINT ${name}`);
					throw err;
				} finally {
					open = false;
				}
			}
		};
		return tx;
	}

	/** A transaction (or read snapshot) holding one pooled client from BEGIN to COMMIT. */
	async function inTransactionOf<T>(begin: string, fn: (tx: Store) => Promise<T>): Promise<T> {
		outside();
		const client = await pool.connect();
		let live = true;
		let broken = false;
		const scope: Scope = {
			store: token,
			data: new Map(),
			before: [],
			after: [],
			beforeCommit: (f) => void scope.before.push(f),
			afterCommit: (f) => void scope.after.push(f)
		};
		try {
			await client.query(begin);
			const tx = handle(client, () => live);
			const result = await transactionContext.run(token, () =>
				scopeContext.run(scope, () => fn(tx))
			);
			for (const f of scope.before) await f(tx);
			await client.query('COMMIT');
			runAfterCommit(scope.after);
			return result;
		} catch (err) {
			try {
				await client.query('ROLLBACK');
			} catch {
				broken = true; // the connection itself failed: do not give it back to the pool
			}
			throw err;
		} finally {
			live = false;
			client.release(broken);
		}
	}

	const store: PostgresStore = {
		dialect: 'postgres',
		inTransaction: false,
		all: async <R>(sql: string, params?: SqlParams) => (
			outside(),
			(await query<R>(pool, sql, params)).rows
		),
		get: async <R>(sql: string, params?: SqlParams) => (
			outside(),
			(await query<R>(pool, sql, params)).rows[0] as R | undefined
		),
		run: async (sql, params) => (
			outside(),
			{ changes: (await query(pool, sql, params)).rowCount ?? 0 }
		),
		commitScope() {
			const scope = scopeContext.getStore();
			return scope && scope.store === token && transactionContext.getStore() === token
				? scope
				: null;
		},
		transaction: (fn) => inTransactionOf('BEGIN', fn),
		snapshot: (fn) => inTransactionOf('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn),
		close: () => pool.end()
	};
	return store;
}

/** After-commit work is told, not awaited: a failure there must not undo a committed answer. */
function runAfterCommit(fns: (() => void)[]) {
	for (const fn of fns)
		try {
			fn();
		} catch (err) {
			console.error('after-commit work failed', err);
		}
}
