// Who is called next (pure; unit-tested). The rule, in order:
//  1. tickets transferred to this desk;
//  2. appointment check-ins whose slot time has come, earliest slot first;
//  3. priority tickets (绿色通道) and walk-ins alternate: a priority ticket goes first unless
//     the hall's previous call was already a priority ticket and a walk-in is waiting, so
//     priority never takes more than every second call while others wait;
//  4. first come, first served (by place in line, which is the issue time unless moved by a
//     rejoin);
//  5. with nobody else waiting, an early appointment check-in is served rather than idling.

export interface QueueEntry {
	id: string;
	category: string;
	priority: boolean;
	slotStart: number | null;
	orderKey: number;
	/** Issue number: breaks ties between tickets issued in the same millisecond. */
	seq: number;
	targetDeskId: string | null;
}

export interface DeskView {
	id: string;
	categories: readonly string[];
}

// total: the last resort (same millisecond, same number in two categories) is the id, so the
// order never depends on the order the tickets were read in
export const byOrder = (a: QueueEntry, b: QueueEntry) =>
	a.orderKey - b.orderKey || a.seq - b.seq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function eligibleFor(desk: DeskView, entries: readonly QueueEntry[]): QueueEntry[] {
	return entries.filter((e) =>
		e.targetDeskId ? e.targetDeskId === desk.id : desk.categories.includes(e.category)
	);
}

export function pickNext(
	desk: DeskView,
	waiting: readonly QueueEntry[],
	now: number,
	lastCallWasPriority: boolean
): QueueEntry | null {
	const pool = eligibleFor(desk, waiting);
	const targeted = pool.filter((e) => e.targetDeskId === desk.id).sort(byOrder);
	if (targeted.length) return targeted[0];
	const due = pool
		.filter((e) => e.slotStart !== null && e.slotStart <= now)
		.sort((a, b) => a.slotStart! - b.slotStart! || byOrder(a, b));
	if (due.length) return due[0];
	const walkIns = pool.filter((e) => e.slotStart === null);
	const priority = walkIns.filter((e) => e.priority).sort(byOrder);
	const regular = walkIns.filter((e) => !e.priority).sort(byOrder);
	if (priority.length && !(lastCallWasPriority && regular.length)) return priority[0];
	if (regular.length) return regular[0];
	const early = pool
		.filter((e) => e.slotStart !== null)
		.sort((a, b) => a.slotStart! - b.slotStart! || byOrder(a, b));
	return early[0] ?? null;
}

/**
 * How many tickets will be called before this one, replaying pickNext for a desk that serves
 * the ticket's category (assuming no new arrivals).
 */
export function ticketsAhead(
	ticket: QueueEntry,
	waiting: readonly QueueEntry[],
	now: number,
	lastCallWasPriority: boolean
): number {
	const desk: DeskView = { id: ticket.targetDeskId ?? '', categories: [ticket.category] };
	let pool = waiting.filter((e) => (ticket.targetDeskId ? true : e.category === ticket.category));
	let lastPriority = lastCallWasPriority;
	for (let ahead = 0; pool.length; ahead++) {
		const next = pickNext(desk, pool, now, lastPriority);
		if (!next || next.id === ticket.id) return ahead;
		lastPriority = next.priority && next.slotStart === null;
		pool = pool.filter((e) => e.id !== next.id);
	}
	return 0;
}

/**
 * The line a waiting ticket is called from: a ticket transferred to a desk waits for that desk
 * alone; any other waits with its category.
 */
export function lineOf(e: QueueEntry): string {
	return e.targetDeskId ? `desk:${e.targetDeskId}` : `category:${e.category}`;
}

/** lineOf(a) === lineOf(b), without making the two strings (a change compares every waiting ticket). */
export function sameLine(a: QueueEntry, b: QueueEntry): boolean {
	return a.targetDeskId
		? a.targetDeskId === b.targetDeskId
		: !b.targetDeskId && a.category === b.category;
}

/**
 * Every waiting ticket's place, in one pass per line: the same answer as ticketsAhead for each
 * ticket (the replay of pickNext does not depend on which ticket it looks for, so one replay of
 * a line orders all of it), in O(n log n) instead of O(n² log n) per ticket.
 */
export function waitingOrder(
	waiting: readonly QueueEntry[],
	now: number,
	lastCallWasPriority: boolean
): Map<string, number> {
	const ahead = new Map<string, number>();
	for (const order of callingSequences(waiting, now, lastCallWasPriority).values())
		for (let i = 0; i < order.length; i++) ahead.set(order[i].id, i);
	return ahead;
}

/** Each line (see lineOf) in calling order. */
export function callingSequences(
	waiting: readonly QueueEntry[],
	now: number,
	lastCallWasPriority: boolean
): Map<string, QueueEntry[]> {
	const byCategory = new Map<string, QueueEntry[]>();
	const byDesk = new Map<string, QueueEntry[]>();
	for (const e of waiting) {
		const lines = e.targetDeskId ? byDesk : byCategory;
		const key = e.targetDeskId ?? e.category;
		const line = lines.get(key);
		if (line) line.push(e);
		else lines.set(key, [e]);
	}
	const sequences = new Map<string, QueueEntry[]>();
	for (const [category, line] of byCategory)
		sequences.set(`category:${category}`, callingOrderOfCategory(line, now, lastCallWasPriority));
	for (const [desk, line] of byDesk) sequences.set(`desk:${desk}`, line.sort(byOrder));
	return sequences;
}

/** pickNext replayed over one category's untargeted tickets, all at once. */
function callingOrderOfCategory(
	line: QueueEntry[],
	now: number,
	lastCallWasPriority: boolean
): QueueEntry[] {
	line.sort(byOrder);
	const due: QueueEntry[] = [];
	const priority: QueueEntry[] = [];
	const regular: QueueEntry[] = [];
	const early: QueueEntry[] = [];
	for (const e of line) {
		if (e.slotStart === null) (e.priority ? priority : regular).push(e);
		else (e.slotStart <= now ? due : early).push(e);
	}
	// stable sorts of lists already in line order: ties of slot start keep it
	const bySlot = (a: QueueEntry, b: QueueEntry) => a.slotStart! - b.slotStart!;
	due.sort(bySlot);
	early.sort(bySlot);
	const order = due;
	// an appointment called before resets the alternation (it is not a priority walk-in)
	let lastPriority = due.length ? false : lastCallWasPriority;
	let p = 0;
	let r = 0;
	while (p < priority.length || r < regular.length) {
		if (p < priority.length && !(lastPriority && r < regular.length)) {
			order.push(priority[p++]);
			lastPriority = true;
		} else {
			order.push(regular[r++]);
			lastPriority = false;
		}
	}
	for (const e of early) order.push(e);
	return order;
}

/**
 * The instants between which a waiting order computed at `now` stays right: it changes with
 * time alone when an appointment's check-in falls due at its slot start (rule 2 above).
 */
export function orderValidity(
	waiting: readonly QueueEntry[],
	now: number
): { from: number; until: number } {
	let from = -Infinity;
	let until = Infinity;
	for (const e of waiting) {
		if (e.slotStart === null) continue;
		if (e.slotStart <= now) from = Math.max(from, e.slotStart);
		else until = Math.min(until, e.slotStart);
	}
	return { from, until };
}
