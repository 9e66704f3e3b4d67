// The catalog read by every page (the list, departments, bundles) kept in memory: it changes only
// by an admin's import (and the demo seed at start-up). This process forgets it when it writes
// the catalog (forgetCatalog); a write by another process sharing the database file moves
// SQLite's data_version, which is checked on every read (a statement already prepared, a few µs).
import type { Db } from '../db/index.ts';
import { createCatalogRepo } from './repo.ts';

interface Cache {
	dataVersion: number;
	values: Map<string, unknown>;
}

const caches = new WeakMap<Db, Cache>();

/** The value under key, loaded once per catalog change. */
export function cachedCatalog<T>(db: Db, key: string, load: () => T): T {
	const dataVersion = createCatalogRepo(db).dataVersion();
	let cache = caches.get(db);
	if (!cache || cache.dataVersion !== dataVersion) {
		cache = { dataVersion, values: new Map() };
		caches.set(db, cache);
	}
	if (cache.values.has(key)) return cache.values.get(key) as T;
	const value = load();
	cache.values.set(key, value);
	return value;
}

/** The catalog was written by this process: the next read loads it again. */
export function forgetCatalog(db: Db): void {
	caches.delete(db);
}
