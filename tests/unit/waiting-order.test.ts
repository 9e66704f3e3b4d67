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
import { visitLine } from '../../server/queue/line-order.ts';
import {
	aheadOf,
	changedWaitingOrder,
	nextForDesk,
	placesOf,
	snapshotOf,
	type WaitingChange
} from '../../server/queue/waiting-order.ts';
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
				ticket: pageTicket(e.id, e.category, aheadOf(before, e.id)!),
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
					if (aheadOf(after, p.ticket.id) === undefined) return []; // its ticket left the line
					if (next.refetch) {
						expect(next.refetch).toBe('now'); // only its own ticket makes a page ask
						const ahead = aheadOf(after, p.ticket.id)!;
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
					const ahead = aheadOf(after, p.ticket.id)!;
					expect(p.ticket.ahead, `seed ${seed} step ${step} ticket ${p.ticket.id}`).toBe(ahead);
					expect(p.ticket.estimatedWaitMinutes).toBe(Math.round((ahead + 0.5) * 8));
				}
				// the new tickets' pages open now, with a fresh read
				for (const e of waiting)
					if (!pages.some((p) => p.ticket.id === e.id))
						pages.push({
							ticket: pageTicket(e.id, e.category, aheadOf(after, e.id)!),
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

describe('a snapshot changed ticket by ticket (what a writer keeps)', () => {
	const sortedMoves = (m: ReturnType<typeof orderMoves>) => ({
		...m,
		moves: [...m.moves].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]))
	});

	it('visits a line from any place as a visit from its start does', () => {
		for (let seed = 1; seed <= 200; seed++) {
			const { waiting, lastCallWasPriority } = queue(seed);
			const s = snapshotOf(
				{ hallId: 'h', day: 'd', version: 0 },
				waiting,
				NOW,
				lastCallWasPriority
			);
			for (const line of s.lines.values()) {
				const all: string[] = [];
				visitLine(line, lastCallWasPriority, (e, part, rank, place) =>
					all.push(`${place}:${part}:${rank}:${e.id}`)
				);
				for (let from = 0; from <= all.length + 1; from++) {
					const rest: string[] = [];
					visitLine(
						line,
						lastCallWasPriority,
						(e, part, rank, place) => rest.push(`${place}:${part}:${rank}:${e.id}`),
						from
					);
					expect(rest, `seed ${seed} from ${from}`).toEqual(all.slice(from));
				}
			}
		}
	});

	// desks of one, two and every category, and the ones tickets are sent to
	const callers = [
		{ id: 'd1', categories: ['A'] },
		{ id: 'd2', categories: ['B', 'C'] },
		{ id: 'd3', categories: ['A', 'B', 'C', 'A'] },
		{ id: 'd9', categories: ['C'] }
	];

	it('equals one computed afresh after every change, places and moves, as time passes too', () => {
		let edited = 0;
		let resorted = 0;
		for (let seed = 1; seed <= 300; seed++) {
			const g = queue(seed);
			let waiting = g.waiting;
			let last = g.lastCallWasPriority;
			const key = { hallId: 'h', day: '2027-01-15', version: 0 };
			let kept = snapshotOf(key, waiting, NOW, last);
			// more changes than the id index keeps in its overlay (entry-index.ts folds every 32)
			for (let step = 1; step <= 40; step++) {
				// every fifth seed's clock moves on (appointments fall due between two changes), every
				// seventh's goes back (a snapshot kept from a later instant is not valid earlier)
				const now =
					seed % 5 === 0 ? NOW + step * 7 * MIN : seed % 7 === 0 ? NOW - step * 5 * MIN : NOW;
				const op = g.random();
				let change: WaitingChange = {};
				if (op < 0.35 && waiting.length) {
					const desk = { id: g.pick(DESKS), categories: [g.pick(CATEGORIES), g.pick(CATEGORIES)] };
					const next = pickNext(desk, waiting, now, last);
					if (next) {
						change = { remove: next.id };
						last = next.priority && next.slotStart === null;
					}
				} else if (op < 0.65) {
					// taken now (at the end of its part), or a rejoin placed among the others
					const e = g.entry();
					change = { put: g.random() < 0.7 ? { ...e, orderKey: NOW + step } : e };
				} else if (op < 0.8 && waiting.length) {
					change = { remove: g.pick(waiting).id };
				} else if (waiting.length) {
					const t = g.pick(waiting);
					const toDesk = g.random() < 0.5;
					change = {
						put: {
							...t,
							category: toDesk ? t.category : g.pick(CATEGORIES),
							targetDeskId: toDesk ? g.pick(DESKS) : null,
							priority: g.random() < 0.3 ? !t.priority : t.priority,
							// a check-in becoming a walk-in and back, and a rejoin's new place in line
							slotStart:
								g.random() < 0.2
									? t.slotStart === null
										? NOW + Math.floor((g.random() - 0.5) * 8) * 15 * MIN
										: null
									: t.slotStart,
							orderKey: g.random() < 0.2 ? NOW + step - 30 * MIN : t.orderKey
						}
					};
				}
				const drop = change.remove ?? change.put?.id;
				waiting = waiting.filter((e) => e.id !== drop);
				if (change.put) waiting = [...waiting, change.put];
				const fresh = snapshotOf({ ...key, version: step }, waiting, now, last);
				const { after, edit } = changedWaitingOrder(kept, change, now, last);
				if (edit) edited++;
				else resorted++;
				const at = `seed ${seed} step ${step}`;
				expect(placesOf(after), at).toEqual(placesOf(fresh));
				for (const e of waiting)
					expect(aheadOf(after, e.id), `${at} ${e.id}`).toBe(ticketsAhead(e, waiting, now, last));
				// a desk calls from the kept snapshot whom it would call from every waiting ticket
				for (const desk of callers)
					expect(nextForDesk(after, desk)?.id ?? null, `${at} ${desk.id}`).toBe(
						pickNext(desk, waiting, now, last)?.id ?? null
					);
				expect(sortedMoves(orderMoves(kept, after, edit)), at).toEqual(
					sortedMoves(orderMoves(kept, fresh))
				);
				kept = after;
			}
		}
		// both ways are exercised: the edit, and sorting again once time moved the parts
		expect(edited).toBeGreaterThan(5000);
		expect(resorted).toBeGreaterThan(50);
	}, 30_000); // 300 queues × 40 changes, each checked against the replayed order: seconds on a busy machine

	it('keeps long lines right too: parts of hundreds, kept in several chunks (entry-run.ts)', () => {
		const g = generator(77);
		let waiting = Array.from({ length: 1500 }, g.entry);
		let last = false;
		const key = { hallId: 'h', day: '2027-01-15', version: 0 };
		let kept = snapshotOf(key, waiting, NOW, last);
		const longest = Math.max(
			...[...kept.lines.values()].flatMap((l) => [l.regular.length, l.priority.length])
		);
		expect(longest).toBeGreaterThan(3 * 64);
		for (let step = 1; step <= 150; step++) {
			const op = g.random();
			let change: WaitingChange;
			if (op < 0.3) {
				const next: QueueEntry = pickNext(callers[2], waiting, NOW, last)!;
				change = { remove: next.id };
				last = next.priority && next.slotStart === null;
			} else if (op < 0.6) change = { put: { ...g.entry(), orderKey: NOW + step } };
			else if (op < 0.8) change = { put: g.entry() };
			else change = { remove: g.pick(waiting).id };
			const drop = change.remove ?? change.put?.id;
			waiting = waiting.filter((e) => e.id !== drop);
			if (change.put) waiting = [...waiting, change.put];
			const fresh = snapshotOf({ ...key, version: step }, waiting, NOW, last);
			const { after, edit } = changedWaitingOrder(kept, change, NOW, last);
			const at = `step ${step}`;
			expect(placesOf(after), at).toEqual(placesOf(fresh));
			if (step % 25 === 0) expect(placesOf(after), at).toEqual(waitingOrder(waiting, NOW, last));
			expect(sortedMoves(orderMoves(kept, after, edit)), at).toEqual(
				sortedMoves(orderMoves(kept, fresh))
			);
			kept = after;
		}
	});
});

function categoryOf(waiting: readonly QueueEntry[], id: string) {
	return waiting.find((e) => e.id === id)!.category;
}
