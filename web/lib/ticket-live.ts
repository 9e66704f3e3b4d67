// What an open ticket page does with a hall event (issue 19): most events move its ticket by
// what the event itself says (shared/schemas/queue-order.ts), so a call to a desk costs the
// server one event, not one request per citizen waiting. The page asks the server again only
// when the event is about its own ticket ('now': the citizen must hear the call at once), or
// when the event cannot be applied (a missed event, no desk open any more, an older server):
// 'soon', which the page spreads over a few seconds so a thousand pages do not ask at once.
// Relative imports: the queue benchmark (scripts/bench-queue.ts) runs this module in Node.
import { readOrderChange } from '../../shared/order-change-reader.ts';
import type { Ticket } from '../../shared/schemas/queue.ts';
import { estimateWaitMinutes } from '../../shared/wait-estimate.ts';

export interface LiveTicket {
	ticket: Ticket;
	/** The id of the last hall event applied (null until the first one arrives). */
	seen: number | null;
}

export interface HallEventLike {
	type: string;
	id: number;
	data: Record<string, unknown>;
}

export type Refetch = false | 'now' | 'soon';

/** Events that can move a waiting ticket or its estimate. */
const MOVING = new Set([
	'ticket.issued',
	'ticket.called',
	'ticket.cancelled',
	'ticket.rejoined',
	'ticket.transferred',
	'ticket.finished',
	'desk.opened',
	'desk.closed'
]);

export function followHallEvent(
	page: LiveTicket,
	event: HallEventLike,
	now: number = Date.now()
): LiveTicket & { refetch: Refetch } {
	const { ticket } = page;
	const next = { ticket, seen: event.id, refetch: false as Refetch };
	if (event.type === 'refetch') return { ...next, refetch: 'soon' };
	if (event.data.ticketId === ticket.id) return { ...next, refetch: 'now' };
	if (ticket.status !== 'waiting') return next;
	if (!('order' in event.data)) return { ...next, refetch: MOVING.has(event.type) && 'soon' };
	const order = readOrderChange(event.data.order) ?? null;
	if (!order || (page.seen !== null && order.base !== page.seen))
		return { ...next, refetch: 'soon' };
	let ahead = ticket.ahead ?? 0;
	const own = order.tickets[ticket.id];
	if (own !== undefined) ahead = own;
	else {
		const move = order.moves.find(
			([category, from, to]) => category === ticket.category && from <= ahead && ahead <= to
		);
		if (move) ahead += move[3];
	}
	const estimate = order.estimates[ticket.category];
	if (ahead === ticket.ahead && !estimate) return next;
	if (estimate && estimate.desks === 0 && ticket.desksOpen > 0) return { ...next, refetch: 'soon' }; // the page then says when the hall opens
	const desksOpen = estimate?.desks ?? ticket.desksOpen;
	let minutes = ticket.estimatedWaitMinutes;
	if (estimate && desksOpen > 0)
		minutes = estimateWaitMinutes(ahead, estimate.minutes, estimate.desks);
	else if (!estimate && ahead !== ticket.ahead && desksOpen > 0)
		return { ...next, refetch: 'soon' };
	const closesAt = ticket.closesAt === null ? null : Date.parse(ticket.closesAt);
	if (desksOpen === 0) minutes = null;
	return {
		...next,
		ticket: {
			...ticket,
			ahead,
			position: ahead + 1,
			desksOpen,
			estimatedWaitMinutes: minutes,
			opensAt: desksOpen > 0 ? null : ticket.opensAt,
			pastClosing: closesAt !== null && now + (minutes ?? 0) * 60_000 >= closesAt
		}
	};
}

/** A pause before a spread refetch: up to `spreadMs`, uniformly. */
export function refetchDelay(refetch: Refetch, spreadMs = 5000): number {
	return refetch === 'soon' ? Math.floor(Math.random() * spreadMs) : 0;
}
