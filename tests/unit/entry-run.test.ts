// The chunked part of a line (server/queue/entry-run.ts) against a plain sorted array, through
// thousands of random inserts and removals: splits, emptied chunks and the re-cut all happen.
import { describe, expect, it } from 'vitest';
import { EntryRun } from '../../server/queue/entry-run.ts';
import { byOrder, type QueueEntry } from '../../server/queue/order.ts';
import { waitingEntry } from './queue-entries.ts';

const entry = (orderKey: number) => waitingEntry(`t${orderKey}`, orderKey);

function agrees(run: EntryRun, array: QueueEntry[], random: () => number) {
	expect(run.length).toBe(array.length);
	expect(run.toArray()).toEqual(array);
	for (let n = 0; n < 5; n++) {
		const k = Math.floor(random() * (array.length + 2)) - 1;
		expect(run.at(k)).toBe(array[k]);
		const seen: QueueEntry[] = [];
		run.forEachFrom(k, (e, rank) => {
			expect(rank).toBe(Math.max(0, k) + seen.length);
			seen.push(e);
		});
		expect(seen).toEqual(array.slice(Math.max(0, k)));
		const cursor = run.cursor(Math.max(0, k));
		const walked: QueueEntry[] = [];
		for (let e = cursor.current; e; e = cursor.current) {
			walked.push(e);
			cursor.advance();
		}
		expect(walked).toEqual(array.slice(Math.max(0, k)));
	}
}

describe('a part of a line in chunks', () => {
	it('matches a sorted array through random inserts and removals', () => {
		let seed = 5;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		for (const start of [0, 1, 63, 64, 65, 129, 700]) {
			let array = Array.from({ length: start }, (_, i) => entry(i * 10));
			let run = EntryRun.of(array);
			const original = run;
			const originalArray = array;
			agrees(run, array, random);
			for (let step = 0; step < 1500; step++) {
				// mostly at the end (takes), some in the middle (rejoins), removals mostly at the head
				const grow = array.length === 0 || random() < 0.55;
				if (grow) {
					const key =
						random() < 0.7 ? 10 * (array.length + step + 1000) : Math.floor(random() * 20_000);
					const e = entry(key * 7 + (step % 7));
					const rank = run.lowerBound(e, byOrder);
					const expected = array.findIndex((x) => byOrder(x, e) >= 0);
					expect(rank).toBe(expected === -1 ? array.length : expected);
					run = run.inserted(rank, e);
					array = [...array.slice(0, rank), e, ...array.slice(rank)];
				} else {
					const rank = random() < 0.6 ? 0 : Math.floor(random() * array.length);
					run = run.removed(rank);
					array = [...array.slice(0, rank), ...array.slice(rank + 1)];
				}
				if (step % 50 === 0) agrees(run, array, random);
			}
			agrees(run, array, random);
			// the run it started from is untouched
			expect(original.toArray()).toEqual(originalArray);
		}
	});

	it('is empty at rank past either end and from an empty array', () => {
		expect(EntryRun.of([]).length).toBe(0);
		expect(EntryRun.EMPTY.at(0)).toBeUndefined();
		expect(EntryRun.EMPTY.inserted(0, entry(1)).toArray()).toEqual([entry(1)]);
		expect(EntryRun.EMPTY.lowerBound(entry(1), byOrder)).toBe(0);
	});
});
