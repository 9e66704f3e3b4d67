// Values read from tables that change seldom (the catalog's items, the org units, the desks),
// kept per process until the engine's stamp of those tables moves: this process's write to one
// of them, or any commit of another process sharing the file (engine.tablesStamp). Inside a
// transaction, or where the engine has no cheap stamp (PostgreSQL), they are read every time.
// A take asks for its item, its hall and the halls offering the item: three reads it no longer
// makes (issue 19).
import type { Deps } from '../deps.ts';
import type { Engine } from '../engine.ts';

/** Far more than a city's items or halls: a bound, not a working size. */
const MAX_KEPT = 5_000;

const kept = new WeakMap<Engine, Map<string, { stamp: string; values: Map<string, unknown> }>>();

/**
 * The value under `key` among those kept for `tables`, or `read()` now. Callers share what is
 * returned: it must not be changed (freeze it).
 */
export async function keptUnderTables<T>(
	deps: Pick<Deps, 'engine' | 'store'>,
	tables: readonly string[],
	key: string,
	read: () => Promise<T>
): Promise<T> {
	const stamp = deps.store.inTransaction ? null : deps.engine.tablesStamp(tables);
	if (stamp === null) return read();
	let byTables = kept.get(deps.engine);
	if (!byTables) kept.set(deps.engine, (byTables = new Map()));
	const name = tables.join(',');
	let cache = byTables.get(name);
	if (!cache || cache.stamp !== stamp || cache.values.size >= MAX_KEPT) {
		cache = { stamp, values: new Map() };
		byTables.set(name, cache);
	}
	if (cache.values.has(key)) return cache.values.get(key) as T;
	// the stamp was taken before the read: a change committed in between is in what is read, or
	// moved the stamp, so the next caller reads again
	const value = await read();
	cache.values.set(key, value);
	return value;
}
