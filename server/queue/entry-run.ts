// One part of a line (line-order.ts): its waiting tickets in order, kept in chunks of about
// CHUNK. A change copies one chunk and the list of chunks, O(√W)-sized work with W waiting,
// where an array copied the whole part: at 10,000 waiting that copy was the largest piece of a
// take's order change (issue 19). Immutable: a snapshot and the one changed from it share every
// chunk but the one changed, and concurrent reads may hold either.
import type { QueueEntry } from './order.ts';

const CHUNK = 64;

export class EntryRun {
	static readonly EMPTY = new EntryRun([], []);

	private readonly chunks: readonly (readonly QueueEntry[])[];
	/** ends[c]: how many entries chunks 0..c hold */
	private readonly ends: readonly number[];

	private constructor(chunks: readonly (readonly QueueEntry[])[], ends: readonly number[]) {
		this.chunks = chunks;
		this.ends = ends;
	}

	/** The run of these entries, already in order. */
	static of(sorted: readonly QueueEntry[]): EntryRun {
		if (!sorted.length) return EntryRun.EMPTY;
		const chunks: QueueEntry[][] = [];
		const ends: number[] = [];
		for (let i = 0; i < sorted.length; i += CHUNK) {
			chunks.push(sorted.slice(i, i + CHUNK));
			ends.push(Math.min(i + CHUNK, sorted.length));
		}
		return new EntryRun(chunks, ends);
	}

	get length(): number {
		return this.ends.length ? this.ends[this.ends.length - 1] : 0;
	}

	/** The entry at rank k, or undefined past either end. */
	at(k: number): QueueEntry | undefined {
		if (!(k >= 0 && k < this.length)) return undefined;
		const c = this.chunkOf(k);
		return this.chunks[c][k - this.startOf(c)];
	}

	/** The first rank whose entry `compare` does not put before `e` (the run is in that order). */
	lowerBound(e: QueueEntry, compare: (a: QueueEntry, b: QueueEntry) => number): number {
		const { chunks } = this;
		let lo = 0;
		let hi = chunks.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			const chunk = chunks[mid];
			if (compare(chunk[chunk.length - 1], e) < 0) lo = mid + 1;
			else hi = mid;
		}
		if (lo === chunks.length) return this.length;
		const chunk = chunks[lo];
		let a = 0;
		let b = chunk.length;
		while (a < b) {
			const mid = (a + b) >>> 1;
			if (compare(chunk[mid], e) < 0) a = mid + 1;
			else b = mid;
		}
		return this.startOf(lo) + a;
	}

	/** The run with `e` at rank k (0 ≤ k ≤ length). */
	inserted(k: number, e: QueueEntry): EntryRun {
		if (!this.chunks.length) return new EntryRun([[e]], [1]);
		const c = k >= this.length ? this.chunks.length - 1 : this.chunkOf(k);
		const chunk = this.chunks[c].slice();
		chunk.splice(k - this.startOf(c), 0, e);
		const half = chunk.length >> 1;
		return this.replaced(
			c,
			chunk.length > 2 * CHUNK ? [chunk.slice(0, half), chunk.slice(half)] : [chunk]
		);
	}

	/** The run without the entry at rank k. */
	removed(k: number): EntryRun {
		const c = this.chunkOf(k);
		const chunk = this.chunks[c].slice();
		chunk.splice(k - this.startOf(c), 1);
		return this.replaced(c, chunk.length ? [chunk] : []);
	}

	/** Each entry from rank `from` on, in order, with its rank. */
	forEachFrom(from: number, visit: (e: QueueEntry, rank: number) => void): void {
		let k = Math.max(0, from);
		if (k >= this.length) return;
		let c = this.chunkOf(k);
		let i = k - this.startOf(c);
		for (; c < this.chunks.length; c++, i = 0) {
			const chunk = this.chunks[c];
			for (; i < chunk.length; i++) visit(chunk[i], k++);
		}
	}

	/** A reader that walks the run from rank `from` (a merge of two runs reads both in step). */
	cursor(from: number): RunCursor {
		if (from >= this.length) return new RunCursor(this.chunks, this.chunks.length, 0);
		const c = this.chunkOf(Math.max(0, from));
		return new RunCursor(this.chunks, c, Math.max(0, from) - this.startOf(c));
	}

	toArray(): QueueEntry[] {
		return this.chunks.flat();
	}

	private chunkOf(k: number): number {
		const { ends } = this;
		let lo = 0;
		let hi = ends.length - 1;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (ends[mid] > k) hi = mid;
			else lo = mid + 1;
		}
		return lo;
	}

	private startOf(c: number): number {
		return c === 0 ? 0 : this.ends[c - 1];
	}

	private replaced(c: number, replacement: readonly (readonly QueueEntry[])[]): EntryRun {
		const chunks = [...this.chunks.slice(0, c), ...replacement, ...this.chunks.slice(c + 1)];
		// removals can leave many small chunks behind: past twice the chunks a fresh run would
		// have, the run is cut again (O(W), once in at least W / CHUNK changes)
		const size =
			this.length + (replacement.reduce((n, r) => n + r.length, 0) - this.chunks[c].length);
		if (chunks.length > 2 * Math.ceil(size / CHUNK) + 2) return EntryRun.of(chunks.flat());
		const ends = this.ends.slice(0, c);
		let end = this.startOf(c);
		for (let i = c; i < chunks.length; i++) {
			end += chunks[i].length;
			ends.push(end);
		}
		return new EntryRun(chunks, ends);
	}
}

export class RunCursor {
	private readonly chunks: readonly (readonly QueueEntry[])[];
	private c: number;
	private i: number;

	constructor(chunks: readonly (readonly QueueEntry[])[], c: number, i: number) {
		this.chunks = chunks;
		this.c = c;
		this.i = i;
	}

	/** The entry the cursor is at, or undefined at the end. */
	get current(): QueueEntry | undefined {
		return this.chunks[this.c]?.[this.i];
	}

	advance(): void {
		if (++this.i >= (this.chunks[this.c]?.length ?? 0)) {
			this.c++;
			this.i = 0;
		}
	}
}
