// The node-postgres adapter behind the Store (issue 21): a pool; a transaction holds one client
// from BEGIN to COMMIT; a transaction opened on a handle is a savepoint. Rules keep writing `?`
// and `@name` parameters as on SQLite: the SQL is rewritten to `$1…` once per text and cached.
import pg from 'pg';
import { NestedTransactionError, transactionContext, type SqlParams, type Store } from './store.ts';

export interface PostgresStore extends Store {
	/**
	 * While any transaction of this process is open, a promise settled when none is; else null.
	 * The event bus delivers after it, so a stream never reads before the rows it is woken for
	 * are committed (it reads on another connection).
	 */
	writeInProgress(): Promise<void> | null;
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

	let open = 0;
	let allEnded: { promise: Promise<void>; resolve: () => void } | null = null;
	const ended = () => {
		if (--open === 0 && allEnded) {
			allEnded.resolve();
			allEnded = null;
		}
	};

	/** A transaction (or read snapshot) holding one pooled client from BEGIN to COMMIT. */
	async function inTransactionOf<T>(begin: string, fn: (tx: Store) => Promise<T>): Promise<T> {
		outside();
		open++;
		let client: pg.PoolClient;
		try {
			client = await pool.connect();
		} catch (err) {
			ended();
			throw err;
		}
		let live = true;
		let broken = false;
		try {
			await client.query(begin);
			const result = await transactionContext.run(token, () => fn(handle(client, () => live)));
			await client.query('COMMIT');
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
			ended();
		}
	}

	const store: PostgresStore = {
		dialect: 'postgres',
		inTransaction: false,
		writeInProgress() {
			if (open === 0) return null;
			if (!allEnded) {
				let resolve!: () => void;
				const promise = new Promise<void>((r) => (resolve = r));
				allEnded = { promise, resolve };
			}
			return allEnded.promise;
		},
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
		transaction: (fn) => inTransactionOf('BEGIN', fn),
		snapshot: (fn) => inTransactionOf('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn),
		close: () => pool.end()
	};
	return store;
}
