// Appending a queue event together with what it did to the waiting order (shared/schemas/
// queue-order.ts): the writer already holds the order before its change, computes the order
// after it once, and hands that snapshot to the reads that follow (waiting-order.ts).
import type { Deps } from '../deps.ts';
import { localDate } from '../../shared/dates.ts';
import type { OrderChange } from '../../shared/schemas/queue-order.ts';
import { averageServiceMinutes } from './estimate.ts';
import { sameLine, type QueueEntry } from './order.ts';
import {
	alternationMatters,
	placeOf,
	rankAfter,
	visitLine,
	type Line,
	type LineEdit,
	type Part
} from './line-order.ts';
import { appendHallEvent, createQueueRepo } from './repo.ts';
import {
	aheadOf,
	changedWaitingOrder,
	computeWaitingOrder,
	offerWaitingOrder,
	waitingOrderOf,
	type OrderEdit,
	type WaitingChange,
	type WaitingOrderSnapshot
} from './waiting-order.ts';

const MINUTE = 60_000;
/** More runs than this and the event says "refetch" (null) rather than grow with the queue. */
const MAX_MOVES = 64;

/**
 * The runs of old places that moved by the same amount, per category line; tickets sent to a
 * desk listed one by one. Tickets that left or changed line are left out: their own event
 * tells their page to refetch. With the edit that made `after` from `before`, a ticket's new
 * place is arithmetic on its rank (line-order.ts) and lines nobody moved in are skipped;
 * without it, each is looked up.
 */
export function orderMoves(
	before: WaitingOrderSnapshot,
	after: WaitingOrderSnapshot,
	edit?: OrderEdit | null
): Pick<OrderChange, 'moves' | 'tickets'> & { categories: Set<string> } {
	const moves: OrderChange['moves'] = [];
	const categories = new Set<string>();
	for (const [key, line] of before.lines) {
		if (!key.startsWith('category:')) continue;
		const later = after.lines.get(key);
		const lineEdit = edit?.lines.get(key);
		if (
			edit &&
			!lineEdit &&
			later === line &&
			(before.lastCallWasPriority === after.lastCallWasPriority || !alternationMatters(line))
		)
			continue; // nobody in this line moved
		const category = key.slice('category:'.length);
		let run: [string, number, number, number] | null = null;
		visitLine(
			line,
			before.lastCallWasPriority,
			(e, part, rank, old) => {
				const place = edit ? placeAfterEdit(e, part, rank) : placeAfter(e);
				// left the line, or changed it: its own event makes its page ask
				if (place === undefined) return;
				const delta = place - old;
				if (run && run[3] === delta) run[2] = old;
				else {
					run = [category, old, old, delta];
					if (delta !== 0) {
						moves.push(run);
						categories.add(category);
					}
				}
			},
			edit ? firstMoved(line, later!, lineEdit) : 0
		);
		/**
		 * The merge of the calling order runs alike before and after the edit up to the first
		 * place it touched (or the alternation, when the hall's last call changed it): nobody
		 * before that place moved.
		 */
		function firstMoved(line: Line, later: Line | undefined, lineEdit: LineEdit | undefined) {
			let first = Infinity;
			const { removed, inserted } = lineEdit ?? {};
			if (removed) first = placeOf(line, removed.part, removed.rank, before.lastCallWasPriority);
			if (inserted)
				first = Math.min(
					first,
					placeOf(later!, inserted.part, inserted.rank, after.lastCallWasPriority)
				);
			if (before.lastCallWasPriority !== after.lastCallWasPriority)
				first = Math.min(first, line.due.length);
			return first;
		}
		function placeAfterEdit(e: QueueEntry, part: Part, rank: number): number | undefined {
			if (e.id !== edit!.id)
				return placeOf(later!, part, rankAfter(lineEdit, part, rank), after.lastCallWasPriority);
			const put = lineEdit?.inserted;
			return put && placeOf(later!, put.part, put.rank, after.lastCallWasPriority);
		}
	}
	function placeAfter(e: QueueEntry): number | undefined {
		const later = after.byId.get(e.id);
		return later && sameLine(later, e) ? aheadOf(after, e.id) : undefined;
	}
	// a page does not know its ticket was sent to a desk: the moves of its category are not its
	// own, so every such ticket of a category that moved is named, and any that moved itself
	const tickets: OrderChange['tickets'] = {};
	for (const [key, line] of after.lines) {
		if (!key.startsWith('desk:')) continue;
		const unchanged = edit && !edit.lines.has(key) && before.lines.get(key) === line;
		visitLine(line, after.lastCallWasPriority, (e, _part, _rank, place) => {
			const old = before.byId.get(e.id);
			const moved = !unchanged && old && sameLine(old, e) && aheadOf(before, e.id) !== place;
			if (moved || categories.has(e.category)) tickets[e.id] = place;
		});
	}
	for (const id of Object.keys(tickets)) categories.add(after.byId.get(id)!.category);
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
		const changed = change
			? changedWaitingOrder(before, change, now, event.calledPriority ?? before.lastCallWasPriority)
			: {
					after: await computeWaitingOrder(deps, event.hallId, before.day, 0, event.calledPriority),
					edit: null
				};
		after = changed.after;
		const { moves, tickets, categories } = orderMoves(before, after, changed.edit);
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
