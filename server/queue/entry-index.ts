// Ticket id → waiting entry, shared between a waiting-order snapshot and the one changed from
// it. A two-level table of 64 × 64 slots by a hash of the id, each slot a small bucket: a change
// copies one slot row, one row of the root and one bucket (about 130 references), whatever the
// queue's size. (An overlay folded into a copy of the whole map every 32, then every √W,
// changes cost a take tens of microseconds at 10,000 waiting, issue 19.) Snapshots are shared by
// concurrent reads: nothing here is mutated once made.
import type { QueueEntry } from './order.ts';

const WIDTH = 64;
type Bucket = readonly (readonly [string, QueueEntry])[];
type Row = readonly (Bucket | undefined)[];

/**
 * FNV-1a over the id's last 8 characters: the random ones, whether the id is random throughout
 * (newId) or starts with its instant (newTimeOrderedId).
 */
function hashOf(id: string): number {
	let h = 0x811c9dc5;
	for (let i = Math.max(0, id.length - 8); i < id.length; i++)
		h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
	return h >>> 0;
}

export class EntryIndex {
	private readonly root: readonly (Row | undefined)[];

	private constructor(root: readonly (Row | undefined)[]) {
		this.root = root;
	}

	static of(entries: readonly QueueEntry[]): EntryIndex {
		const root: [string, QueueEntry][][][] = [];
		for (const e of entries) {
			const h = hashOf(e.id);
			const row = (root[h % WIDTH] ??= []);
			const bucket = (row[(h >>> 6) % WIDTH] ??= []);
			// a later entry of the same id wins, as in a Map
			const k = bucket.findIndex(([id]) => id === e.id);
			if (k >= 0) bucket[k] = [e.id, e];
			else bucket.push([e.id, e]);
		}
		return new EntryIndex(root);
	}

	get(id: string): QueueEntry | undefined {
		const h = hashOf(id);
		const bucket = this.root[h % WIDTH]?.[(h >>> 6) % WIDTH];
		if (!bucket) return undefined;
		for (let i = 0; i < bucket.length; i++) if (bucket[i][0] === id) return bucket[i][1];
		return undefined;
	}

	/** The index with `id` set to `entry`, or taken out (null). */
	with(id: string, entry: QueueEntry | null): EntryIndex {
		const h = hashOf(id);
		const r = h % WIDTH;
		const s = (h >>> 6) % WIDTH;
		const row = (this.root[r] ?? []).slice();
		const rest = (row[s] ?? []).filter(([key]) => key !== id);
		row[s] = entry ? [...rest, [id, entry]] : rest.length ? rest : undefined;
		const root = this.root.slice();
		root[r] = row;
		return new EntryIndex(root);
	}
}
