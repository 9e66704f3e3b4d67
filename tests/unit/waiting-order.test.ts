// The hall's waiting order computed once per change (issue 19): on generated queues it agrees
// with the calling order replayed ticket by ticket (ticketsAhead, pickNext), and a page that
// follows the queue events' moves lands where a fresh read would put it.
import { describe, expect, it } from 'vitest';
import {
	orderValidity,
	pickNext,
	ticketsAhead,
	waitingOrder,
	type QueueEntry
} from '../../server/queue/order.ts';
import { orderMoves } from '../../server/queue/order-events.ts';
import { snapshotOf } from '../../server/queue/waiting-order.ts';
import { followHallEvent } from '../../web/lib/ticket-live.ts';
import type { Ticket } from '../../shared/schemas/queue.ts';

const NOW = 1_800_000_000_000;
const MIN = 60_000;
const CATEGORIES = ['A', 'B', 'C'];
const DESKS = ['d1', 'd2'];

function generator(seed: number) {
	let s = seed >>> 0 || 1;
	const random = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
	const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
	let n = 0;
	// categories, priority tickets, appointments due and not yet due, tickets sent to a desk,
	// and places in line that tie (a rejoin lands next to another ticket)
	const entry = (): QueueEntry => {
		n++;
		const kind = random();
		return {
			id: `t${n}`,
			category: pick(CATEGORIES),
			priority: random() < 0.25,
			slotStart: kind < 0.25 ? NOW + Math.floor((random() - 0.5) * 8) * 15 * MIN : null,
			orderKey: NOW - Math.floor(random() * 40) * MIN,
			seq: n,
			targetDeskId: kind > 0.9 ? pick(DESKS) : null
		};
	};
	return { random, pick, entry };
}

function queue(seed: number) {
	const g = generator(seed);
	const size = Math.floor(g.random() * 80);
	return {
		...g,
		waiting: Array.from({ length: size }, g.entry),
		lastCallWasPriority: g.random() < 0.5
	};
}

describe('waiting order snapshot', () => {
	it('agrees with ticketsAhead for every ticket of 600 generated queues', () => {
		for (let seed = 1; seed <= 600; seed++) {
			const { waiting, lastCallWasPriority } = queue(seed);
			const order = waitingOrder(waiting, NOW, lastCallWasPriority);
			for (const t of waiting)
				expect(order.get(t.id), `seed ${seed}, ticket ${t.id}`).toBe(
					ticketsAhead(t, waiting, NOW, lastCallWasPriority)
				);
		}
	});

	it('stays right until the next appointment falls due, and changes then', () => {
		let changed = 0;
		for (let seed = 1; seed <= 300; seed++) {
			const { waiting, lastCallWasPriority } = queue(seed);
			const { from, until } = orderValidity(waiting, NOW);
			const at = (time: number) => waitingOrder(waiting, time, lastCallWasPriority);
			const now = at(NOW);
			expect(from).toBeLessThanOrEqual(NOW);
			if (from > -Infinity) expect(at(from)).toEqual(now);
			if (until === Infinity) continue;
			expect(at(until - 1)).toEqual(now);
			const later = at(until);
			for (const t of waiting)
				expect(later.get(t.id)).toBe(ticketsAhead(t, waiting, until, lastCallWasPriority));
			if (JSON.stringify([...later]) !== JSON.stringify([...now])) changed++;
		}
		expect(changed).toBeGreaterThan(10); // time alone moves tickets: the case is exercised
	});
});

/** A page's view of a waiting ticket: what followHallEvent reads and writes. */
function pageTicket(id: string, category: string, ahead: number): Ticket {
	return {
		id,
		status: 'waiting',
		category,
		ahead,
		position: ahead + 1,
		desksOpen: 1,
		estimatedWaitMinutes: Math.round((ahead + 0.5) * 8),
		opensAt: null,
		closesAt: null,
		pastClosing: false
	} as Ticket;
}

describe('pages following the queue events', () => {
	it('land on the position a fresh read gives, over 300 generated queues and 20 changes each', () => {
		let moved = 0;
		for (let seed = 1; seed <= 300; seed++) {
			const g = queue(seed);
			let waiting = g.waiting;
			let last = g.lastCallWasPriority;
			const key = { hallId: 'h', day: '2027-01-15', version: 0 };
			let before = snapshotOf(key, waiting, NOW, last);
			let pages = waiting.map((e) => ({
				ticket: pageTicket(e.id, e.category, before.ahead.get(e.id)!),
				seen: 0 as number | null
			}));
			for (let step = 1; step <= 20; step++) {
				const op = g.random();
				let subject: string | null = null;
				if (op < 0.4 && waiting.length) {
					// a desk serving one or two categories calls its next ticket
					const desk = { id: g.pick(DESKS), categories: [g.pick(CATEGORIES), g.pick(CATEGORIES)] };
					const next = pickNext(desk, waiting, NOW, last);
					if (next) {
						subject = next.id;
						last = next.priority && next.slotStart === null;
						waiting = waiting.filter((e) => e.id !== next.id);
					}
				} else if (op < 0.65) {
					const e = g.entry();
					waiting = [...waiting, { ...e, orderKey: NOW + step }];
				} else if (op < 0.85 && waiting.length) {
					subject = g.pick(waiting).id; // cancelled
					waiting = waiting.filter((e) => e.id !== subject);
				} else if (waiting.length) {
					// sent back to the queue for another category or desk
					const t = g.pick(waiting);
					subject = t.id;
					const toDesk = g.random() < 0.5;
					waiting = waiting.map((e) =>
						e.id === t.id
							? {
									...e,
									category: toDesk ? e.category : g.pick(CATEGORIES),
									targetDeskId: toDesk ? g.pick(DESKS) : null
								}
							: e
					);
				}
				const after = snapshotOf({ ...key, version: step }, waiting, NOW, last);
				const { moves, tickets, categories } = orderMoves(before, after);
				const estimates = Object.fromEntries(
					[...categories].map((c) => [c, { minutes: 8, desks: 1 }])
				);
				const event = {
					type: 'ticket.called',
					id: step,
					data: {
						ticketId: subject,
						order: { base: step - 1, moves, tickets, estimates }
					}
				};
				pages = pages.flatMap((p) => {
					const next = followHallEvent(p, event, NOW);
					if (!after.ahead.has(p.ticket.id)) return []; // its ticket left the line
					if (next.refetch) {
						expect(next.refetch).toBe('now'); // only its own ticket makes a page ask
						const ahead = after.ahead.get(p.ticket.id)!;
						return [
							{
								ticket: pageTicket(p.ticket.id, categoryOf(waiting, p.ticket.id), ahead),
								seen: next.seen
							}
						];
					}
					if (next.ticket.ahead !== p.ticket.ahead) moved++;
					return [{ ticket: next.ticket, seen: next.seen }];
				});
				for (const p of pages) {
					const ahead = after.ahead.get(p.ticket.id)!;
					expect(p.ticket.ahead, `seed ${seed} step ${step} ticket ${p.ticket.id}`).toBe(ahead);
					expect(p.ticket.estimatedWaitMinutes).toBe(Math.round((ahead + 0.5) * 8));
				}
				// the new tickets' pages open now, with a fresh read
				for (const e of waiting)
					if (!pages.some((p) => p.ticket.id === e.id))
						pages.push({
							ticket: pageTicket(e.id, e.category, after.ahead.get(e.id)!),
							seen: step
						});
				before = after;
			}
		}
		expect(moved).toBeGreaterThan(1000);
	});

	it('refetch (spread) after a missed event, and at once for their own ticket', () => {
		const page = { ticket: pageTicket('t1', 'A', 3), seen: 7 };
		const order = {
			base: 8,
			moves: [['A', 0, 10, -1]],
			tickets: {},
			estimates: { A: { minutes: 8, desks: 1 } }
		};
		expect(followHallEvent(page, { type: 'ticket.called', id: 9, data: { order } }).refetch).toBe(
			'soon'
		);
		expect(
			followHallEvent(page, {
				type: 'ticket.called',
				id: 8,
				data: { ticketId: 't1', order: { ...order, base: 7 } }
			}).refetch
		).toBe('now');
		const applied = followHallEvent(page, {
			type: 'ticket.called',
			id: 8,
			data: { order: { ...order, base: 7 } }
		});
		expect(applied).toMatchObject({
			refetch: false,
			seen: 8,
			ticket: { ahead: 2, position: 3, estimatedWaitMinutes: 20 }
		});
		// a recall moves nobody: nothing to ask
		expect(followHallEvent(page, { type: 'ticket.recalled', id: 8, data: {} }).refetch).toBe(false);
	});
});

function categoryOf(waiting: readonly QueueEntry[], id: string) {
	return waiting.find((e) => e.id === id)!.category;
}
