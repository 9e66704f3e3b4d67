// The catalog read by every page (the list, departments, bundles) kept in memory: it changes only
// by an admin's import (and the demo seed at start-up). This process forgets it when it writes
// the catalog (forgetCatalog); a write by another process sharing the database file moves
// SQLite's data_version, which is checked on every read (a statement already prepared, a few µs).
// PostgreSQL has no data_version, and another node may write the catalog at any time: there the
// catalog is read afresh on every call (one indexed query per list; README: PostgreSQL).
import { randomBytes } from 'node:crypto';
import type { Store } from '../db/store.ts';
import { createCatalogRepo } from './repo.ts';

interface Cache {
	dataVersion: number;
	/** the forgetCatalog count when it was started */
	written: number;
	/** which cache of this process it is: 1, 2, … (the catalog's tag) */
	serial: number;
	values: Map<string, unknown>;
}

/** This process's start: a tag of another process (or of this one before a restart) never matches. */
const BOOT = randomBytes(6).toString('base64url');
let serials = 0;

const caches = new WeakMap<Store, Cache>();
/**
 * How many times this process wrote the catalog. Counted for the whole process, not per store:
 * an import may run on a transaction's handle (the demo seed), while pages read the store.
 */
let written = 0;

/** The value under key, loaded once per catalog change. */
export async function cachedCatalog<T>(
	store: Store,
	key: string,
	load: () => Promise<T>
): Promise<T> {
	// no cheap stamp covering items, departments and bundles on PostgreSQL: read afresh
	if (store.dialect !== 'sqlite') return load();
	const cache = await currentCache(store);
	if (cache.values.has(key)) return cache.values.get(key) as T;
	const value = await load();
	// a load that an import overtook lands in a cache already forgotten, never in the current one
	cache.values.set(key, value);
	return value;
}

async function currentCache(store: Store): Promise<Cache> {
	const dataVersion = await createCatalogRepo(store).dataVersion();
	let cache = caches.get(store);
	if (!cache || cache.dataVersion !== dataVersion || cache.written !== written) {
		cache = { dataVersion, written, serial: ++serials, values: new Map() };
		caches.set(store, cache);
	}
	return cache;
}

/**
 * An entity tag (ETag) for everything kept above: it changes whenever a kept value may have
 * changed, so an answer built from kept values only can be answered 304 to a client holding it.
 * Taken before the values are read: they are then as new as the tag or newer, and a newer
 * answer under an older tag only costs the client one full answer later. Null where nothing is
 * kept (PostgreSQL).
 */
export async function catalogTag(store: Store): Promise<string | null> {
	if (store.dialect !== 'sqlite') return null;
	return `"catalog-${BOOT}-${(await currentCache(store)).serial}"`;
}

/** The catalog was written by this process: the next read loads it again. */
export function forgetCatalog(): void {
	written++;
}
