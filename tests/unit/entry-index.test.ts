// The id index of a waiting-order snapshot (server/queue/entry-index.ts) against a Map, through
// random puts and removals; every earlier version stays as it was (snapshots share it).
import { describe, expect, it } from 'vitest';
import { EntryIndex } from '../../server/queue/entry-index.ts';
import type { QueueEntry } from '../../server/queue/order.ts';
import { waitingEntry } from './queue-entries.ts';
import { newId, newTimeOrderedId } from '../../server/ids.ts';

const entry = waitingEntry;

describe('the waiting entries by id', () => {
	it('agrees with a Map through random changes, and keeps every earlier version', () => {
		let seed = 11;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		// random and time-ordered ids, as tickets have had both
		const ids = Array.from({ length: 3000 }, (_, i) =>
			i % 2 ? newId() : newTimeOrderedId(1_800_000_000_000 + i)
		);
		const start = ids.slice(0, 1000).map((id, i) => entry(id, i));
		let index = EntryIndex.of(start);
		let map = new Map(start.map((e) => [e.id, e]));
		const versions: { index: EntryIndex; map: Map<string, QueueEntry> }[] = [];
		for (let step = 0; step < 4000; step++) {
			const id = ids[Math.floor(random() * ids.length)];
			if (random() < 0.5) {
				index = index.with(id, null);
				map.delete(id);
			} else {
				const e = entry(id, 1000 + step);
				index = index.with(id, e);
				map.set(id, e);
			}
			if (step % 500 === 0) {
				versions.push({ index, map });
				map = new Map(map);
			}
		}
		versions.push({ index, map });
		for (const v of versions) for (const id of ids) expect(v.index.get(id), id).toBe(v.map.get(id));
	});
});
