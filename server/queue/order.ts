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

const byOrder = (a: QueueEntry, b: QueueEntry) => a.orderKey - b.orderKey || a.seq - b.seq;

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
		.sort((a, b) => a.slotStart! - b.slotStart!);
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
