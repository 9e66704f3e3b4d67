// What a ticket read needs besides its own row and place (the hall's open desks, its recent
// service times) changes only with the hall's queue events: every desk opening or closing and
// every finished ticket appends one. So it is kept per process under the hall's latest event id,
// the version its waiting order is kept under (waiting-order.ts), and read again only when that
// moves or after maxAgeMs (for what time alone changes). Issue 19: a ticket read paid ~45 µs
// under load for these two queries, more than for its own row.
import type { Deps } from '../deps.ts';
import type { Engine } from '../engine.ts';

interface Kept {
	version: number;
	readAt: number;
	value: unknown;
}

const kept = new WeakMap<Engine, Map<string, Kept>>();
/** Far more than the halls and categories of a city: a bound, not a working size. */
const MAX_KEPT = 10_000;

/**
 * The value for `key` read at the hall's current `version`, or read now. `version` is null inside
 * a transaction (what it reads may still roll back): then it is read and not kept. The version is
 * taken before the read, so a change committed during the read only makes the next caller read.
 */
export async function keptPerHallVersion<T>(
	deps: Deps,
	key: string,
	version: number | null,
	maxAgeMs: number,
	read: () => Promise<T>
): Promise<T> {
	if (version === null || deps.store.inTransaction) return read();
	let map = kept.get(deps.engine);
	if (!map) {
		map = new Map();
		kept.set(deps.engine, map);
	}
	const now = deps.now();
	const found = map.get(key);
	if (found && found.version === version && now - found.readAt < maxAgeMs && now >= found.readAt)
		return found.value as T;
	const value = await read();
	if (map.size >= MAX_KEPT) map.clear();
	map.set(key, { version, readAt: now, value });
	return value;
}
