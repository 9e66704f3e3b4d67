// The catalog page's data kept per query, with the ETag of the API answer it was made from
// (GET /api/catalog). The catalog changes only with an import or a publish: the page asks with
// the tag it holds and, told 304, serves what it made before, so the answer is neither written
// nor parsed nor trimmed again on every request. The data is the same for every visitor (the
// catalog is public and read without the visitor's cookie).

/** Distinct queries kept (searches are free text): the least recently used goes first. */
const LIMIT = 200;

export interface Kept<T> {
	etag: string;
	view: T;
}

export function keptViews<T>() {
	const kept = new Map<string, Kept<T>>();
	return {
		get(query: string): Kept<T> | undefined {
			const hit = kept.get(query);
			if (hit) {
				// most recently used last
				kept.delete(query);
				kept.set(query, hit);
			}
			return hit;
		},
		set(query: string, etag: string, view: T): void {
			kept.delete(query);
			kept.set(query, { etag, view });
			if (kept.size > LIMIT) kept.delete(kept.keys().next().value!);
		}
	};
}
