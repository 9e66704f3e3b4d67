// What the two engines write differently, in one place, so a repo keeps one SQL text where they
// agree and names the difference where they do not (README: PostgreSQL).
import type { Dialect, Store } from './store.ts';

/**
 * The values of a JSON array parameter as rows (`x IN (${jsonValues(db)})`, the parameter a
 * JSON.stringify'd array): SQLite's json_each, PostgreSQL's json_array_elements_text. `param` is
 * `?` or `@name`.
 */
export function jsonValues(dialect: Dialect | Store, param = '?'): string {
	return dialectOf(dialect) === 'postgres'
		? `SELECT json_array_elements_text(${param}::json)`
		: `SELECT value FROM json_each(${param})`;
}

/**
 * A listing kept to some service items (代办: a grant of chosen items, server/access/acting.ts
 * listableItems): ` AND column IN (…)` and its parameter, or nothing for 'all'. In the query, so
 * the listing's LIMIT counts only the rows that may be shown.
 */
export function inItems(
	dialect: Dialect | Store,
	column: string,
	items: 'all' | readonly string[]
): { sql: string; params: string[] } {
	return items === 'all'
		? { sql: '', params: [] }
		: { sql: ` AND ${column} IN (${jsonValues(dialect)})`, params: [JSON.stringify(items)] };
}

/**
 * A bound parameter compared with a column of a multi-column index, on a hot path: `+?` on
 * SQLite, the same value, which better-sqlite3's SQLite (3.54) plans once; against a bare `?` it
 * plans the statement again on every run (measured per run: the hall's latest event id 15 µs
 * against 3, the recent service times 28 against 15, as with the value written in the SQL).
 * PostgreSQL has no unary plus for an untyped parameter: `?` there.
 */
export function plannedOnce(dialect: Dialect | Store): string {
	return dialectOf(dialect) === 'postgres' ? '?' : '+?';
}

/** `FOR UPDATE` on PostgreSQL (the row stays locked until commit); nothing on SQLite, where
 * BEGIN IMMEDIATE already holds the database's write lock. */
export function forUpdate(dialect: Dialect | Store): string {
	return dialectOf(dialect) === 'postgres' ? ' FOR UPDATE' : '';
}

/**
 * Serialises, until commit, every transaction that takes the same key (`hall:<id>`,
 * `phone:<number>`…): PostgreSQL's transaction-scoped advisory lock, for rules with no row to
 * lock or whose rule spans many rows. On SQLite BEGIN IMMEDIATE already serialises every write
 * transaction, so nothing is done.
 */
export async function lockKey(tx: Store, key: string): Promise<void> {
	if (tx.dialect !== 'postgres') return;
	if (!tx.inTransaction) throw new Error(`lockKey(${key}) outside a transaction holds nothing`);
	await tx.get('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [key]);
}

/** A unique constraint refused the write (SQLite's SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY, SQLSTATE 23505). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
	const e = err as { code?: string; constraint?: string; message?: string };
	if (e?.code === '23505') return !constraint || e.constraint === constraint;
	if (e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
		return !constraint || (e.message ?? '').includes(constraint);
	return false;
}

function dialectOf(d: Dialect | Store): Dialect {
	return typeof d === 'string' ? d : d.dialect;
}
