// Positions computed once per change (issue 19, item 3), through the API. Clock: Thursday
// 2026-11-26 09:00 Shanghai. The hall's waiting order is a snapshot per change: another
// process's change is seen, an appointment falling due moves it without any event, and the
// ticket pages that follow the hall's events land where a fresh read puts them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { openEngine } from '../../server/engine.ts';
import { createHarness, type Harness } from './harness.ts';
import { book, newCitizen, serviceByCode, slotAt } from './booking-helpers.ts';
import { desksOf, take, ticketOf } from './queue-helpers.ts';
import { newStaff } from './builders.ts';
import { followHallEvent, type LiveTicket } from '../../web/lib/ticket-live.ts';
import type { Ticket } from '../../shared/schemas/queue.ts';
import {
	computeWaitingOrder,
	placesOf,
	waitingOrderOf,
	waitingOrderReads
} from '../../server/queue/waiting-order.ts';

let h: Harness;
let license: { id: string };
let agent: string;
let desk1: string;
const MIN = 60_000;

beforeEach(async () => {
	h = await createHarness();
	license = await serviceByCode(h, '370281-XZSP-001');
	agent = await h.loginAs('agent');
	desk1 = (await desksOf(h, agent)).find((d) => d.name === '1号窗口')!.id;
	expect(
		(
			await h.request('POST', `/api/desks/${desk1}/open`, {
				token: agent,
				body: { categories: ['A'] }
			})
		).status
	).toBe(200);
});
afterEach(() => h.close());

async function walkIn(body: Record<string, unknown> = {}) {
	const citizen = await newCitizen(h);
	const res = await take(h, citizen.token, { serviceId: license.id, channel: 'video', ...body });
	expect(res.status).toBe(201);
	return { token: citizen.token, ticket: (await res.json()).ticket as Ticket };
}

const newestEventId = async () =>
	(await h.store.get<{ id: number }>('SELECT max(id) AS id FROM queue_events'))!.id;

describe('the waiting order snapshot', () => {
	it('sees a change made by another process sharing the database', async () => {
		const a = await walkIn();
		h.clock.advance(1000);
		await walkIn();
		h.clock.advance(1000);
		const c = await walkIn();
		expect((await ticketOf(h, c.token, c.ticket.id)).position).toBe(3);
		// a second connection (the run's engine: the SQLite file or the PostgreSQL database) with
		// its own app and caches: what another process would be
		const engine2 = openEngine(h.deps.config);
		try {
			const other = createApp({ ...h.deps, engine: engine2, store: engine2.store });
			const res = await other.request(`/api/queue/tickets/${a.ticket.id}/cancel`, {
				method: 'POST',
				headers: { authorization: `Bearer ${a.token}` }
			});
			expect(res.status).toBe(200);
		} finally {
			await engine2.close();
		}
		expect(await ticketOf(h, c.token, c.ticket.id)).toMatchObject({ position: 2, ahead: 1 });
	});

	it('sees a desk opened and a service finished by another process (desks and service times are kept per hall change)', async () => {
		const served = await walkIn();
		h.clock.advance(1000);
		const waiting = await walkIn();
		let before = await ticketOf(h, waiting.token, waiting.ticket.id);
		expect(before).toMatchObject({ desksOpen: 1, position: 2 });
		const engine2 = openEngine(h.deps.config);
		try {
			const other = createApp({ ...h.deps, engine: engine2, store: engine2.store });
			const as = (token: string, path: string, body: unknown = {}) =>
				other.request(path, {
					method: 'POST',
					headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
					body: JSON.stringify(body)
				});
			const hall = (await desksOf(h, agent)).find((d) => d.id === desk1)!.orgUnitId;
			const agent2 = await newStaff(h, { username: 'agent-b', role: 'agent', orgUnitId: hall });
			const desk2 = (await desksOf(h, agent2)).find((d) => d.name === '2号窗口')!.id;
			const opened = await as(agent2, `/api/desks/${desk2}/open`, { categories: ['A'] });
			expect(opened.status, await opened.clone().text()).toBe(200);
			expect((await ticketOf(h, waiting.token, waiting.ticket.id)).desksOpen).toBe(2);
			// served for 20 minutes: the hall's service time (and so the estimate) moves
			const called = await as(agent, `/api/desks/${desk1}/call-next`);
			expect((await called.json()).ticket.id).toBe(served.ticket.id);
			h.clock.advance(20 * MIN);
			// read at the same instant before and after the finish: what is kept for a minute
			// may only change because the hall's version moved
			before = await ticketOf(h, waiting.token, waiting.ticket.id);
			expect((await as(agent, `/api/queue/tickets/${served.ticket.id}/finish`)).status).toBe(200);
		} finally {
			await engine2.close();
		}
		const after = await ticketOf(h, waiting.token, waiting.ticket.id);
		expect(after.position).toBe(1);
		expect(after.estimatedWaitMinutes).not.toBe(before.estimatedWaitMinutes);
	});

	it("keeps the order again once the hall's newest events are deleted (its ids went down)", async () => {
		await walkIn();
		h.clock.advance(1000);
		const b = await walkIn();
		const kept = await newestEventId();
		h.clock.advance(1000);
		const c = await walkIn();
		expect((await ticketOf(h, c.token, c.ticket.id)).position).toBe(3);
		// as a restore (or a bench's clean-up) would: the newest ticket and its events are gone
		await h.store.run('DELETE FROM queue_events WHERE id > ?', [kept]);
		await h.store.run('DELETE FROM tickets WHERE id = ?', [c.ticket.id]);
		const reads = waitingOrderReads.count;
		for (let i = 0; i < 5; i++) expect((await ticketOf(h, b.token, b.ticket.id)).position).toBe(2);
		// computed once for the state that is, then kept (it was computed on every read)
		expect(waitingOrderReads.count - reads).toBe(1);
	});

	it("moves an appointment's check-in ahead of walk-ins when its slot starts, with no event", async () => {
		const booker = await newCitizen(h);
		const slot = await slotAt(h, license.id, '2026-11-26', '10:30');
		const appt = (
			await (await book(h, booker.token, { slotId: slot.id, serviceId: license.id })).json()
		).appointment;
		h.clock.advance(45 * MIN); // 09:45: check-in opens 60 minutes before the slot
		agent = await h.loginAs('agent');
		const w1 = await walkIn();
		h.clock.advance(1000);
		const w2 = await walkIn();
		const checkIn = (await (await take(h, booker.token, { appointmentId: appt.id })).json())
			.ticket as Ticket;
		// early: served only with nobody else waiting
		expect(checkIn.position).toBe(3);
		expect((await ticketOf(h, w1.token, w1.ticket.id)).position).toBe(1);
		const events = await newestEventId();
		h.clock.advance(45 * MIN); // 10:30 and a bit: the slot has started
		expect(await newestEventId()).toBe(events);
		expect((await ticketOf(h, booker.token, checkIn.id)).position).toBe(1);
		expect((await ticketOf(h, w1.token, w1.ticket.id)).position).toBe(2);
		expect((await ticketOf(h, w2.token, w2.ticket.id)).position).toBe(3);
	});
});

describe('ticket pages following the hall events', () => {
	it('land where a fresh read puts them; only the page whose ticket changed asks', async () => {
		const pages: (LiveTicket & { token: string })[] = [];
		const open = async (w: { token: string; ticket: Ticket }) =>
			pages.push({ token: w.token, ticket: w.ticket, seen: await newestEventId() });
		for (let i = 0; i < 8; i++) {
			h.clock.advance(1000);
			await open(await walkIn(i % 3 === 1 ? { priorityReason: 'elderly' } : {}));
		}
		let asked = 0;
		const follow = async () => {
			const events = await h.store.all<{ id: number; type: string; payload: string }>(
				'SELECT id, type, payload FROM queue_events WHERE id > ? ORDER BY id',
				[Math.min(...pages.map((p) => p.seen ?? 0))]
			);
			for (const p of pages)
				for (const e of events) {
					if (e.id <= (p.seen ?? 0)) continue;
					const next = followHallEvent(
						p,
						{ type: e.type, id: e.id, data: JSON.parse(e.payload) },
						h.clock.now
					);
					p.seen = next.seen;
					p.ticket = next.ticket;
					if (next.refetch) {
						expect(next.refetch).toBe('now');
						asked++;
						p.ticket = await ticketOf(h, p.token, p.ticket.id);
					}
				}
			for (const p of pages) {
				const fresh = await ticketOf(h, p.token, p.ticket.id);
				expect(p.ticket, p.ticket.code).toEqual(fresh);
			}
			// the order the writer derived from the one before equals the order read afresh
			const kept = await waitingOrderOf(h.deps, hallId);
			const reads = waitingOrderReads.count;
			const fresh = await computeWaitingOrder(h.deps, hallId, kept.day, kept.version);
			expect(placesOf(kept)).toEqual(placesOf(fresh));
			waitingOrderReads.count = reads;
		};
		const call = async () => {
			const res = await h.request('POST', `/api/desks/${desk1}/call-next`, { token: agent });
			return (await res.json()).ticket as Ticket;
		};
		const act = (id: string, action: string, body?: unknown) =>
			h.request('POST', `/api/queue/tickets/${id}/${action}`, { token: agent, body });

		const hallId = pages[0].ticket.hallId;
		const reads = waitingOrderReads.count;
		const first = await call();
		await follow();
		h.clock.advance(6 * MIN);
		await act(first.id, 'finish');
		await follow(); // a finish moves the category's average, so every estimate
		const second = await call();
		await follow();
		h.clock.advance(MIN);
		expect((await act(second.id, 'transfer', { category: 'B' })).status).toBe(200);
		await follow();
		const cancelling = pages[5];
		await h.request('POST', `/api/queue/tickets/${cancelling.ticket.id}/cancel`, {
			token: cancelling.token
		});
		await follow();
		h.clock.advance(1000);
		await open(await walkIn({ priorityReason: 'pregnant' }));
		await follow();
		const third = await call();
		await follow();
		await act(third.id, 'no-show');
		await follow();
		const missed = pages.find((p) => p.ticket.id === third.id)!;
		h.clock.advance(MIN);
		const rejoined = await h.request('POST', `/api/queue/tickets/${third.id}/rejoin`, {
			token: missed.token
		});
		expect(rejoined.status).toBe(200);
		await follow();
		// the pages asked only about their own ticket: called, transferred, cancelled, missed, back
		expect(asked).toBeLessThanOrEqual(8);
		// and no change, read or page made the server read every waiting ticket again
		expect(waitingOrderReads.count).toBe(reads);
	});
});
