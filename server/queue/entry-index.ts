// Ticket id → waiting entry, shared between a waiting-order snapshot and the one changed from
// it. A change writes into a small overlay rather than copying the map; the overlay is folded
// into a new map once it holds about √W changes (W waiting, at least MIN_FOLD): a change copies
// the overlay and, every √W changes, the W entries, so it costs O(√W) amortised rather than a
// copy of every waiting ticket. (A fixed 32 made the fold most of a take's order change at 8,000
// waiting.) Snapshots are shared by concurrent reads: nothing here is mutated once made.
import type { QueueEntry } from './order.ts';

const MIN_FOLD = 32;

export class EntryIndex {
	private readonly base: ReadonlyMap<string, QueueEntry>;
	/** null: taken out since `base` was made */
	private readonly overlay: ReadonlyMap<string, QueueEntry | null>;

	private constructor(
		base: ReadonlyMap<string, QueueEntry>,
		overlay: ReadonlyMap<string, QueueEntry | null>
	) {
		this.base = base;
		this.overlay = overlay;
	}

	static of(entries: readonly QueueEntry[]): EntryIndex {
		return new EntryIndex(new Map(entries.map((e) => [e.id, e])), new Map());
	}

	get(id: string): QueueEntry | undefined {
		const changed = this.overlay.get(id);
		return changed === undefined ? this.base.get(id) : (changed ?? undefined);
	}

	/** The index with `id` set to `entry`, or taken out (null). */
	with(id: string, entry: QueueEntry | null): EntryIndex {
		if (this.overlay.size < Math.max(MIN_FOLD, Math.sqrt(this.base.size))) {
			const overlay = new Map(this.overlay);
			overlay.set(id, entry);
			return new EntryIndex(this.base, overlay);
		}
		const base = new Map(this.base);
		for (const [k, e] of [...this.overlay, [id, entry] as const])
			if (e) base.set(k, e);
			else base.delete(k);
		return new EntryIndex(base, new Map());
	}
}
