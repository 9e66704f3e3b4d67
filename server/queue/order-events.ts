// Appending a queue event together with what it did to the waiting order (shared/schemas/
// queue-order.ts): the writer already holds the order before its change, computes the order
// after it once, and hands that snapshot to the reads that follow (waiting-order.ts).
import type { Deps } from '../deps.ts';
import { localDate } from '../../shared/dates.ts';
import type { OrderChange } from '../../shared/schemas/queue-order.ts';
import { averageServiceMinutes } from './estimate.ts';
import { sameLine } from './order.ts';
import { appendHallEvent, createQueueRepo } from './repo.ts';
import {
	changedWaitingOrder,
	computeWaitingOrder,
	offerWaitingOrder,
	waitingOrderOf,
	type WaitingChange,
	type WaitingOrderSnapshot
} from './waiting-order.ts';

const MINUTE = 60_000;
/** More runs than this and the event says "refetch" (null) rather than grow with the queue. */
const MAX_MOVES = 64;

/**
 * The runs of old places that moved by the same amount, per category line; tickets sent to a
 * desk listed one by one. Tickets that left or changed line are left out: their own event
 * tells their page to refetch.
 */
export function orderMoves(
	before: WaitingOrderSnapshot,
	after: WaitingOrderSnapshot
): Pick<OrderChange, 'moves' | 'tickets'> & { categories: Set<string> } {
	const moves: OrderChange['moves'] = [];
	const categories = new Set<string>();
	for (const [line, order] of before.sequences) {
		if (!line.startsWith('category:')) continue;
		const category = line.slice('category:'.length);
		let run: [string, number, number, number] | null = null;
		for (let old = 0; old < order.length; old++) {
			const e = order[old];
			const later = after.byId.get(e.id);
			// left the line, or changed it: its own event makes its page ask
			if (later !== e && (!later || !sameLine(later, e))) continue;
			const delta = after.ahead.get(e.id)! - old;
			if (run && run[3] === delta) run[2] = old;
			else {
				run = [category, old, old, delta];
				if (delta !== 0) {
					moves.push(run);
					categories.add(category);
				}
			}
		}
	}
	// a page does not know its ticket was sent to a desk: the moves of its category are not its
	// own, so every such ticket of a category that moved is named, and any that moved itself
	const tickets: OrderChange['tickets'] = {};
	for (const e of after.entries) {
		if (!e.targetDeskId) continue;
		const old = before.byId.get(e.id);
		const now = after.ahead.get(e.id)!;
		const moved = old && sameLine(old, e) && before.ahead.get(e.id) !== now;
		if (moved || categories.has(e.category)) tickets[e.id] = now;
	}
	for (const e of after.entries) if (tickets[e.id] !== undefined) categories.add(e.category);
	return { moves, tickets, categories };
}

export interface QueueEvent {
	hallId: string;
	ticketId: string | null;
	type: string;
	payload: Record<string, unknown>;
	/** Categories whose estimate the change moves (a desk's categories, the ticket's). */
	categories: string[];
	/** A call: whether it was a priority walk-in (the alternation rule reads it from this event). */
	calledPriority?: boolean;
}

/**
 * Inside the writer's transaction, after its change: appends the event with an `order` field.
 * `before` is the waiting order taken at the start of the transaction (null when unknown: the
 * pages then refetch); 'unchanged' when no waiting ticket moved (a recall, a finish, a desk).
 * `change` says what the writer did to the waiting tickets, so the order after it is replayed
 * from the one before without reading every waiting ticket again.
 */
export async function appendQueueEvent(
	deps: Deps,
	event: QueueEvent,
	before: WaitingOrderSnapshot | 'unchanged' | null,
	change?: WaitingChange
): Promise<number> {
	const repo = createQueueRepo(deps.store);
	const base = await repo.lastEventId(event.hallId);
	const now = deps.now();
	let order: OrderChange | null = null;
	let after: WaitingOrderSnapshot | null = null;
	if (before === 'unchanged') {
		order = { base, moves: [], tickets: {}, estimates: {} };
		// nothing waiting moved: the order before is the order after, for the new event id too
		after = await waitingOrderOf(deps, event.hallId);
	} else if (before) {
		after = change
			? changedWaitingOrder(before, change, now, event.calledPriority ?? before.lastCallWasPriority)
			: await computeWaitingOrder(deps, event.hallId, before.day, 0, event.calledPriority);
		const { moves, tickets, categories } = orderMoves(before, after);
		for (const c of event.categories) categories.add(c);
		order =
			moves.length + Object.keys(tickets).length > MAX_MOVES
				? null
				: { base, moves, tickets, estimates: {} };
		if (order)
			for (const c of categories) order.estimates[c] = await estimateOf(deps, event.hallId, c, now);
	}
	if (order && before === 'unchanged')
		for (const c of event.categories)
			order.estimates[c] = await estimateOf(deps, event.hallId, c, now);
	const payload = { ...event.payload, order };
	const id = await appendHallEvent(deps, event.hallId, event.ticketId, event.type, payload, now);
	if (after) offerWaitingOrder(deps, { ...after, version: id }, JSON.stringify(payload));
	return id;
}

async function estimateOf(deps: Deps, hallId: string, category: string, now: number) {
	const repo = createQueueRepo(deps.store);
	const durations = await repo.recentDurations(hallId, category, now - 7 * 24 * 60 * MINUTE);
	const desks = await repo.openDesksOf(hallId);
	return {
		minutes: averageServiceMinutes(durations),
		desks: desks.filter((d) => (d.categories ? d.categories.split(',') : []).includes(category))
			.length
	};
}

/** The waiting order before a change, at the start of the writer's transaction (today's). */
export async function orderBeforeChange(
	deps: Deps,
	hallId: string,
	day: string
): Promise<WaitingOrderSnapshot | 'unchanged'> {
	return day === localDate(deps.now(), deps.config.timeZone)
		? waitingOrderOf(deps, hallId, day)
		: ('unchanged' as const);
}
