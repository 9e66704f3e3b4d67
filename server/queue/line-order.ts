// A hall's waiting tickets kept line by line (order.ts, lineOf), each line in the parts its
// calling order merges (order.ts, callingOrderOfCategory): appointments due, priority walk-ins,
// other walk-ins, early appointments; a desk's own line in order alone. A ticket's place is then
// arithmetic on its rank within its part, and a change to one ticket copies one part of one
// line: a take with thousands waiting costs a binary search and an array copy, not a replay of
// the whole queue (issue 19). Pure; tests/unit/waiting-order.test.ts checks it against the
// replayed calling order.
import { EntryRun } from './entry-run.ts';
import { byOrder, type QueueEntry } from './order.ts';

export type Part = 'due' | 'priority' | 'regular' | 'early' | 'desk';

export interface Line {
	/** Appointment check-ins whose slot has come, by slot, then place in line. */
	readonly due: EntryRun;
	/** Priority walk-ins (绿色通道), by place in line. */
	readonly priority: EntryRun;
	readonly regular: EntryRun;
	/** Check-ins before their slot, by slot: served only when nobody else waits. */
	readonly early: EntryRun;
	/** A desk's line: the tickets transferred to it, by place in line (the other parts empty). */
	readonly desk: EntryRun;
}

const NONE = EntryRun.EMPTY;
export const EMPTY_LINE: Line = {
	due: NONE,
	priority: NONE,
	regular: NONE,
	early: NONE,
	desk: NONE
};

/** The part of its line a waiting ticket is in, the calling order's rules applied at `at`. */
export function partOf(e: QueueEntry, at: number): Part {
	if (e.targetDeskId) return 'desk';
	if (e.slotStart === null) return e.priority ? 'priority' : 'regular';
	return e.slotStart <= at ? 'due' : 'early';
}

const bySlot = (a: QueueEntry, b: QueueEntry) => a.slotStart! - b.slotStart! || byOrder(a, b);
/** How a part is sorted (rankIn searches it so). */
export const orderOfPart = (part: Part) => (part === 'due' || part === 'early' ? bySlot : byOrder);

/** Where `e` is in its part, or would go: the first rank not before it (the order is total). */
export function rankIn(line: Line, part: Part, e: QueueEntry): number {
	return line[part].lowerBound(e, orderOfPart(part));
}

/**
 * Whether the alternation of priority and other walk-ins starts with a walk-in: the hall's last
 * call was a priority walk-in, and no appointment due is called first (one resets it).
 */
const regularFirst = (line: Line, lastCallWasPriority: boolean) =>
	line.due.length === 0 && lastCallWasPriority;

/**
 * How many tickets of the line are called before the one at `rank` of `part`: the merge of
 * callingOrderOfCategory in closed form. Priority and other walk-ins alternate while both
 * wait, then the rest of whichever is longer follows.
 */
export function placeOf(
	line: Line,
	part: Part,
	rank: number,
	lastCallWasPriority: boolean
): number {
	if (part === 'desk' || part === 'due') return rank;
	const due = line.due.length;
	const np = line.priority.length;
	const nr = line.regular.length;
	if (part === 'early') return due + np + nr + rank;
	const walkInFirst = regularFirst(line, lastCallWasPriority);
	if (part === 'priority')
		return (
			due +
			(walkInFirst ? (rank < nr ? 2 * rank + 1 : nr + rank) : rank <= nr ? 2 * rank : nr + rank)
		);
	return (
		due + (walkInFirst ? (rank <= np ? 2 * rank : np + rank) : rank < np ? 2 * rank + 1 : np + rank)
	);
}

/**
 * Each ticket of the line in calling order from place `from` on, with its part, its rank there
 * and its place. Where the merge stands at `from` is worked out, not replayed: a change at the
 * end of a long line visits only what comes after it.
 */
export function visitLine(
	line: Line,
	lastCallWasPriority: boolean,
	visit: (e: QueueEntry, part: Part, rank: number, place: number) => void,
	from = 0
): void {
	const { desk, due, priority, regular, early } = line;
	desk.forEachFrom(from, (e, k) => visit(e, 'desk', k, k));
	due.forEachFrom(from, (e, k) => visit(e, 'due', k, k));
	const np = priority.length;
	const nr = regular.length;
	const walkInFirst = regularFirst(line, lastCallWasPriority);
	const w = Math.max(0, from - due.length);
	let { p, r, lastPriority } = mergeAt(np, nr, walkInFirst, w);
	let place = due.length + w;
	const priorities = priority.cursor(p);
	const regulars = regular.cursor(r);
	while (p < np || r < nr) {
		if (p < np && !(lastPriority && r < nr)) {
			visit(priorities.current!, 'priority', p, place++);
			priorities.advance();
			p++;
			lastPriority = true;
		} else {
			visit(regulars.current!, 'regular', r, place++);
			regulars.advance();
			r++;
			lastPriority = false;
		}
	}
	const before = due.length + np + nr;
	early.forEachFrom(from - before, (e, k) => visit(e, 'early', k, before + k));
}

/**
 * The merge of np priority and nr other walk-ins after its first w picks: how many of each it
 * took, and whether the last was a priority one. They alternate while both last, then the
 * longer goes on alone.
 */
function mergeAt(
	np: number,
	nr: number,
	walkInFirst: boolean,
	w: number
): { p: number; r: number; lastPriority: boolean } {
	if (w >= np + nr) return { p: np, r: nr, lastPriority: false };
	if (w === 0) return { p: 0, r: 0, lastPriority: walkInFirst };
	const both = 2 * Math.min(np, nr);
	if (w <= both) {
		const first = Math.ceil(w / 2);
		const second = w - first;
		// within the alternation the priority ones stand at the even picks, or the odd ones
		const lastPriority = (w - 1) % 2 === (walkInFirst ? 1 : 0);
		return walkInFirst
			? { p: second, r: first, lastPriority }
			: { p: first, r: second, lastPriority };
	}
	return np > nr
		? { p: w - nr, r: nr, lastPriority: true }
		: { p: np, r: w - np, lastPriority: false };
}

/** Whether a change of the hall's last call moves anybody in this line. */
export function alternationMatters(line: Line): boolean {
	return line.due.length === 0 && line.priority.length > 0 && line.regular.length > 0;
}

/** The line with `e` put in its part (a copy of that part only), and the rank it took. */
export function withEntry(line: Line, part: Part, e: QueueEntry): { line: Line; rank: number } {
	const rank = rankIn(line, part, e);
	return { line: { ...line, [part]: line[part].inserted(rank, e) }, rank };
}

/** The line without the ticket at `rank` of `part`. */
export function withoutEntry(line: Line, part: Part, rank: number): Line {
	return { ...line, [part]: line[part].removed(rank) };
}

export const lineSize = (line: Line) =>
	line.due.length +
	line.priority.length +
	line.regular.length +
	line.early.length +
	line.desk.length;

/**
 * The instants between which the parts stay what they are: the latest slot already come and
 * the earliest still to come (a desk's line ignores slots).
 */
export function lineValidity(line: Line): { from: number; until: number } {
	return {
		from: line.due.length ? line.due.at(line.due.length - 1)!.slotStart! : -Infinity,
		until: line.early.length ? line.early.at(0)!.slotStart! : Infinity
	};
}

/** One change to a line: a ticket taken out and/or one put in (ranks in the part it changed). */
export interface LineEdit {
	removed?: { part: Part; rank: number };
	inserted?: { part: Part; rank: number };
}

/** A ticket's rank in the line after the edit, from its rank before (not the edited ticket). */
export function rankAfter(edit: LineEdit | undefined, part: Part, rank: number): number {
	if (!edit) return rank;
	let k = rank;
	if (edit.removed && edit.removed.part === part && k > edit.removed.rank) k--;
	if (edit.inserted && edit.inserted.part === part && k >= edit.inserted.rank) k++;
	return k;
}
