import { describe, expect, it } from 'vitest';
import { pickNext, ticketsAhead, type QueueEntry } from '../../server/queue/order.ts';
import { waitingEntry } from './queue-entries.ts';
import { averageServiceMinutes, estimateWaitMinutes } from '../../server/queue/estimate.ts';

const T = waitingEntry;
const desk = { id: 'd1', categories: ['A'] };
const NOW = 1_000_000;

describe('calling order', () => {
	it('is first come, first served by default', () => {
		expect(pickNext(desk, [T('b', 2), T('a', 1), T('c', 3)], NOW, false)?.id).toBe('a');
	});

	it('serves due appointment check-ins first, then lets priority alternate with walk-ins', () => {
		const waiting = [
			T('w1', 1),
			T('w2', 2),
			T('p1', 3, { priority: true }),
			T('p2', 4, { priority: true }),
			T('appt', 5, { slotStart: NOW - 1 })
		];
		const order: string[] = [];
		let pool = waiting;
		let lastPriority = false;
		while (pool.length) {
			const next: QueueEntry = pickNext(desk, pool, NOW, lastPriority)!;
			order.push(next.id);
			lastPriority = next.priority;
			pool = pool.filter((e) => e.id !== next.id);
		}
		expect(order).toEqual(['appt', 'p1', 'w1', 'p2', 'w2']);
	});

	it('keeps a not-yet-due appointment waiting unless nobody else waits', () => {
		const early = T('appt', 1, { slotStart: NOW + 600_000 });
		expect(pickNext(desk, [early, T('w', 2)], NOW, false)?.id).toBe('w');
		expect(pickNext(desk, [early], NOW, false)?.id).toBe('appt');
	});

	it('honours desk categories and transfers to a desk', () => {
		const b = T('b', 1, { category: 'B' });
		expect(pickNext(desk, [b], NOW, false)).toBeNull();
		const toMe = T('t', 9, { category: 'B', targetDeskId: 'd1' });
		const toOther = T('o', 0, { targetDeskId: 'd2' });
		expect(pickNext(desk, [T('a', 1), toMe, toOther], NOW, false)?.id).toBe('t');
		expect(pickNext(desk, [toOther], NOW, false)).toBeNull();
	});

	it('counts the people ahead by replaying the order', () => {
		const waiting = [
			T('w1', 1),
			T('w2', 2),
			T('p1', 3, { priority: true }),
			T('me', 4),
			T('x', 5, { category: 'B' })
		];
		expect(ticketsAhead(waiting[3], waiting, NOW, false)).toBe(3);
		expect(ticketsAhead(waiting[2], waiting, NOW, false)).toBe(0);
		expect(ticketsAhead(waiting[2], waiting, NOW, true)).toBe(1);
	});
});

describe('wait estimate', () => {
	it('uses recent service times, default 8 minutes without history', () => {
		expect(averageServiceMinutes([])).toBe(8);
		expect(averageServiceMinutes([4 * 60_000, 6 * 60_000])).toBe(5);
	});

	it('is (ahead + ½) × average ÷ open desks, rounded', () => {
		expect(estimateWaitMinutes(0, 8, 1)).toBe(4);
		expect(estimateWaitMinutes(3, 6, 2)).toBe(11);
		expect(estimateWaitMinutes(5, 10, 0)).toBe(55);
	});
});
