// Ticket id → waiting entry, shared between a waiting-order snapshot and the one changed from
// it. A change writes into a small overlay rather than copying the map; the overlay is folded
// into a new map once it holds FOLD changes, so a change costs O(1) amortised, not a copy of
// every waiting ticket. Snapshots are shared by concurrent reads: nothing here is mutated once
// made.
import type { QueueEntry } from './order.ts';

const FOLD = 32;

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
		if (this.overlay.size < FOLD) {
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
