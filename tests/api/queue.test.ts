// The virtual queue through the API. Clock: Thursday 2026-11-26 09:00 Shanghai.
// Every test gets a fresh hall (no desk open, nobody waiting) and opens what it needs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { book, newCitizen, serviceByCode, slotAt } from './booking-helpers.ts';
import { desksOf, take, ticketOf } from './queue-helpers.ts';
import { newStaff } from './builders.ts';
import { isUniqueViolation } from '../../server/db/dialect.ts';

let h: Harness;
let license: { id: string };
let agent: string;
let desk1: string;
let desk2: string;
const MIN = 60_000;

beforeEach(async () => {
	h = await createHarness();
	license = await serviceByCode(h, '370281-XZSP-001');
	agent = await h.loginAs('agent');
	const desks = await desksOf(h, agent);
	desk1 = desks.find((d) => d.name === '1号窗口')!.id;
	desk2 = desks.find((d) => d.name === '2号窗口')!.id;
});
afterEach(() => h.close());

async function openAs(token: string, deskId: string, categories = ['A']) {
	const res = await h.request('POST', `/api/desks/${deskId}/open`, { token, body: { categories } });
	expect(res.status).toBe(200);
}
async function callNext(token: string, deskId: string) {
	const res = await h.request('POST', `/api/desks/${deskId}/call-next`, { token });
	return res.status === 204 ? null : (await res.json()).ticket;
}
async function act(token: string, id: string, action: string, body?: unknown) {
	return h.request('POST', `/api/queue/tickets/${id}/${action}`, { token, body });
}

describe('tickets', () => {
	it('issues A001, A002 ... with position, people ahead and an estimate; one active ticket per item', async () => {
		await openAs(agent, desk1);
		const a = await newCitizen(h);
		const b = await newCitizen(h);
		const first = await take(h, a.token, { serviceId: license.id, channel: 'video' });
		expect(first.status).toBe(201);
		const t1 = (await first.json()).ticket;
		expect(t1).toMatchObject({
			code: 'A001',
			status: 'waiting',
			position: 1,
			ahead: 0,
			estimatedWaitMinutes: 4,
			hallName: '胶州市',
			desksOpen: 1,
			opensAt: null,
			closesAt: '2026-11-26T17:00:00.000+08:00',
			pastClosing: false
		});
		const t2 = (await (await take(h, b.token, { serviceId: license.id, channel: 'video' })).json())
			.ticket;
		expect(t2).toMatchObject({ code: 'A002', position: 2, ahead: 1, estimatedWaitMinutes: 12 });
		const again = await take(h, a.token, { serviceId: license.id, channel: 'video' });
		expect(again.status).toBe(409);
		expect((await again.json()).error.code).toBe('already_queued');
		const other = await newCitizen(h);
		expect(
			(await h.request('GET', `/api/queue/tickets/${t1.id}`, { token: other.token })).status
		).toBe(404);
	});

	it('refuses missing or bad fields, naming them', async () => {
		const c = await newCitizen(h);
		const res = await take(h, c.token, { channel: 'fax' });
		expect(res.status).toBe(400);
		expect(Object.keys((await res.json()).error.fields).sort()).toEqual(['channel', 'serviceId']);
	});
});

describe('desks and calling', () => {
	it('lists each desk with the ticket it is on now, read for all desks at once', async () => {
		const agent2 = await newStaff(h, {
			username: 'agent.list',
			name: '周明',
			role: 'agent',
			orgUnitId: (await desksOf(h, agent)).find((d) => d.id === desk2)!.orgUnitId,
			password: 'Agent#2026'
		});
		await openAs(agent, desk1);
		await openAs(agent2, desk2);
		const first = (
			await (
				await take(h, (await newCitizen(h)).token, { serviceId: license.id, channel: 'video' })
			).json()
		).ticket;
		const second = (
			await (
				await take(h, (await newCitizen(h)).token, { serviceId: license.id, channel: 'video' })
			).json()
		).ticket;
		expect((await callNext(agent, desk1)).id).toBe(first.id);
		expect((await callNext(agent2, desk2)).id).toBe(second.id);
		const listed = async () =>
			(await (await h.request('GET', '/api/desks', { token: agent })).json()).desks as {
				id: string;
				current: { id: string } | null;
			}[];
		const current = (desks: { id: string; current: { id: string } | null }[], id: string) =>
			desks.find((d) => d.id === id)!.current?.id ?? null;
		let desks = await listed();
		expect(current(desks, desk1)).toBe(first.id);
		expect(current(desks, desk2)).toBe(second.id);
		expect(
			desks.filter((d) => d.id !== desk1 && d.id !== desk2).every((d) => d.current === null)
		).toBe(true);
		await act(agent, first.id, 'finish');
		desks = await listed();
		expect(current(desks, desk1)).toBeNull();
		expect(current(desks, desk2)).toBe(second.id);
	});

	it('lets an agent serve one desk at a time; the database holds it across halls too', async () => {
		await openAs(agent, desk1);
		const second = await h.request('POST', `/api/desks/${desk2}/open`, {
			token: agent,
			body: { categories: ['A'] }
		});
		expect(second.status).toBe(409);
		expect((await second.json()).error.code).toBe('already_serving');
		// the locks of two halls do not exclude each other: the unique index desks_one_per_agent
		// refuses a second desk written past openDesk's check (openDesk answers it 409 too)
		const { served_by } = (await h.store.get<{ served_by: string }>(
			'SELECT served_by FROM desks WHERE id = ?',
			[desk1]
		))!;
		const refused = await h.store
			.run('UPDATE desks SET served_by = ? WHERE id = ?', [served_by, desk2])
			.then(
				() => null,
				(err: unknown) => err
			);
		expect(isUniqueViolation(refused)).toBe(true);
	});

	it('opens a desk for one agent only, calls in order, serves and finishes', async () => {
		await openAs(agent, desk1);
		const township = await h.loginAs('township');
		expect(
			(
				await h.request('POST', `/api/desks/${desk1}/open`, {
					token: township,
					body: { categories: ['A'] }
				})
			).status
		).toBe(404);
		const c1 = await newCitizen(h);
		const c2 = await newCitizen(h);
		const t1 = (await (await take(h, c1.token, { serviceId: license.id, channel: 'video' })).json())
			.ticket;
		h.clock.advance(1000);
		const t2 = (await (await take(h, c2.token, { serviceId: license.id, channel: 'video' })).json())
			.ticket;
		const called = await callNext(agent, desk1);
		expect(called).toMatchObject({
			id: t1.id,
			status: 'called',
			desk: { id: desk1, name: '1号窗口' }
		});
		expect(
			(await h.request('POST', `/api/desks/${desk1}/call-next`, { token: agent })).status
		).toBe(409); // busy
		expect((await act(agent, t1.id, 'recall')).status).toBe(200);
		expect((await ticketOf(h, c1.token, t1.id)).recalls).toBe(1);
		expect((await act(agent, t1.id, 'start')).status).toBe(200);
		h.clock.advance(6 * MIN);
		const done = await act(agent, t1.id, 'finish');
		expect((await done.json()).ticket.status).toBe('done');
		// the estimate now uses the measured 6 minutes and the one open desk
		expect(await ticketOf(h, c2.token, t2.id)).toMatchObject({
			position: 1,
			estimatedWaitMinutes: 3,
			desksOpen: 1
		});
		expect((await callNext(agent, desk1)).id).toBe(t2.id);
		await act(agent, t2.id, 'finish');
		expect(await callNext(agent, desk1)).toBeNull();
	});

	it('marks a no-show, lets the citizen rejoin once within 30 minutes behind the next 3', async () => {
		await openAs(agent, desk1);
		const holder = await newCitizen(h);
		const t = (
			await (await take(h, holder.token, { serviceId: license.id, channel: 'video' })).json()
		).ticket;
		const others = [];
		for (let i = 0; i < 4; i++) {
			h.clock.advance(1000);
			others.push(
				(
					await (
						await take(h, (await newCitizen(h)).token, { serviceId: license.id, channel: 'video' })
					).json()
				).ticket
			);
		}
		expect((await callNext(agent, desk1)).id).toBe(t.id);
		const missed = await act(agent, t.id, 'no-show');
		expect((await missed.json()).ticket).toMatchObject({ status: 'no_show', canRejoin: true });
		const back = await h.request('POST', `/api/queue/tickets/${t.id}/rejoin`, {
			token: holder.token
		});
		expect(back.status).toBe(200);
		expect((await back.json()).ticket).toMatchObject({
			status: 'waiting',
			code: t.code,
			position: 4,
			ahead: 3
		});
		const order = [];
		for (let i = 0; i < 5; i++) {
			const next = await callNext(agent, desk1);
			order.push(next.id);
			await act(agent, next.id, next.id === t.id ? 'no-show' : 'finish');
		}
		expect(order).toEqual([others[0].id, others[1].id, others[2].id, t.id, others[3].id]);
		const twice = await h.request('POST', `/api/queue/tickets/${t.id}/rejoin`, {
			token: holder.token
		});
		expect((await twice.json()).error.code).toBe('cannot_rejoin');
	});

	it('lets priority tickets go first but at most every second call', async () => {
		await openAs(agent, desk1);
		const w = [];
		for (let i = 0; i < 2; i++) {
			h.clock.advance(1000);
			w.push(
				(
					await (
						await take(h, (await newCitizen(h)).token, { serviceId: license.id, channel: 'video' })
					).json()
				).ticket
			);
		}
		const p = [];
		for (let i = 0; i < 2; i++) {
			h.clock.advance(1000);
			p.push(
				(
					await (
						await take(h, (await newCitizen(h)).token, {
							serviceId: license.id,
							channel: 'video',
							priorityReason: 'elderly'
						})
					).json()
				).ticket
			);
		}
		expect(p[0]).toMatchObject({ priority: true, priorityReason: 'elderly', position: 1 });
		const order = [];
		for (let i = 0; i < 4; i++) {
			const next = await callNext(agent, desk1);
			order.push(next.id);
			await act(agent, next.id, 'finish');
		}
		expect(order).toEqual([p[0].id, w[0].id, p[1].id, w[1].id]);
	});

	it('serves a checked-in appointment at its slot time ahead of walk-ins', async () => {
		await openAs(agent, desk1);
		const booker = await newCitizen(h);
		const slot = await slotAt(h, license.id, '2026-11-26', '10:30');
		const appt = (
			await (await book(h, booker.token, { slotId: slot.id, serviceId: license.id })).json()
		).appointment;
		expect((await take(h, booker.token, { appointmentId: appt.id })).status).toBe(409); // opens 60 min before
		h.clock.advance(45 * MIN); // ~09:46
		agent = await h.loginAs('agent'); // after 45 idle minutes the agent signs in again
		const walkIn = (
			await (
				await take(h, (await newCitizen(h)).token, { serviceId: license.id, channel: 'video' })
			).json()
		).ticket;
		const checkIn = (await (await take(h, booker.token, { appointmentId: appt.id })).json()).ticket;
		expect(checkIn.appointmentId).toBe(appt.id);
		expect((await callNext(agent, desk1)).id).toBe(walkIn.id); // slot not due yet
		await act(agent, walkIn.id, 'finish');
		const walkIn2 = (
			await (
				await take(h, (await newCitizen(h)).token, { serviceId: license.id, channel: 'video' })
			).json()
		).ticket;
		h.clock.advance(50 * MIN); // past 10:30
		agent = await h.loginAs('agent');
		expect((await callNext(agent, desk1)).id).toBe(checkIn.id);
		await act(agent, checkIn.id, 'finish');
		expect((await callNext(agent, desk1)).id).toBe(walkIn2.id);
		await act(agent, walkIn2.id, 'finish');
		const appointment = (
			await (await h.request('GET', `/api/appointments/${appt.id}`, { token: booker.token })).json()
		).appointment;
		expect(appointment.status).toBe('checked_in');
	});

	it('transfers a ticket to another desk, which calls it first', async () => {
		await openAs(agent, desk1);
		const agent2 = await newStaff(h, {
			username: 'agent.two',
			name: '王敏',
			role: 'agent',
			orgUnitId: (await desksOf(h, agent)).find((d) => d.id === desk2)!.orgUnitId,
			password: 'Agent#2026'
		});
		await openAs(agent2, desk2, ['A', 'B']);
		const walker = await newCitizen(h);
		const t = (
			await (await take(h, walker.token, { serviceId: license.id, channel: 'video' })).json()
		).ticket;
		h.clock.advance(1000);
		const later = (
			await (
				await take(h, (await newCitizen(h)).token, { serviceId: license.id, channel: 'video' })
			).json()
		).ticket;
		expect((await callNext(agent, desk1)).id).toBe(t.id);
		expect((await act(agent2, t.id, 'finish')).status).toBe(409); // not their desk
		const moved = await act(agent, t.id, 'transfer', { deskId: desk2 });
		expect((await moved.json()).ticket).toMatchObject({ status: 'waiting', desk: null });
		expect((await callNext(agent2, desk2)).id).toBe(t.id);
		expect((await callNext(agent, desk1)).id).toBe(later.id);
		await act(agent2, t.id, 'finish');
		await act(agent, later.id, 'finish');
		expect((await h.request('POST', `/api/desks/${desk2}/close`, { token: agent2 })).status).toBe(
			200
		);
	});

	it('a citizen cancels a waiting ticket; it is never called', async () => {
		await openAs(agent, desk1);
		const c = await newCitizen(h);
		const t = (await (await take(h, c.token, { serviceId: license.id, channel: 'video' })).json())
			.ticket;
		const res = await h.request('POST', `/api/queue/tickets/${t.id}/cancel`, { token: c.token });
		expect((await res.json()).ticket.status).toBe('cancelled');
		expect(await callNext(agent, desk1)).toBeNull();
	});
});

describe('board and events', () => {
	it('shows recent calls and waiting counts; SSE replays a missed call after Last-Event-ID', async () => {
		await openAs(agent, desk1);
		const hall = (await desksOf(h, agent)).find((d) => d.id === desk1)!.orgUnitId;
		const before = (await (await h.request('GET', `/api/queue/board?hallId=${hall}`)).json())
			.lastEventId as number;
		const c = await newCitizen(h);
		const t = (await (await take(h, c.token, { serviceId: license.id, channel: 'onsite' })).json())
			.ticket;
		await callNext(agent, desk1);
		const board = await (await h.request('GET', `/api/queue/board?hallId=370281`)).json();
		expect(board.calling[0]).toMatchObject({ code: t.code, deskName: '1号窗口' });

		// a client that saw everything up to `before` reconnects and receives what it missed
		const controller = new AbortController();
		const res = await h.app.request(`/api/queue/events?hallId=${hall}`, {
			headers: { 'last-event-id': String(before) },
			signal: controller.signal
		});
		expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
		const reader = res.body!.getReader();
		let text = '';
		const decoder = new TextDecoder();
		while (!text.includes('event: ticket.called')) {
			const { value, done } = await reader.read();
			if (done) break;
			text += decoder.decode(value);
		}
		controller.abort();
		await reader.cancel().catch(() => {});
		expect(text).toContain('event: ticket.issued');
		expect(text).toMatch(
			/event: ticket.called\ndata: .*"code":"A\d{3}".*"deskName":"1号窗口".*\nid: \d+/
		);
		expect(text).not.toContain(c.phone);
		await act(agent, t.id, 'finish');
	});

	it('shows onsite tickets only, and drops a call once its ticket is finished or missed', async () => {
		await openAs(agent, desk1);
		const agent2 = await newStaff(h, {
			username: 'agent.board',
			role: 'agent',
			orgUnitId: (await desksOf(h, agent)).find((d) => d.id === desk2)!.orgUnitId
		});
		await openAs(agent2, desk2);
		const board = async () =>
			(await (await h.request('GET', `/api/queue/board?hallId=370281`)).json()) as {
				calling: { code: string; deskName: string }[];
				waiting: { category: string; count: number }[];
			};
		const [home, onsite, later] = [await newCitizen(h), await newCitizen(h), await newCitizen(h)];
		const video = (
			await (await take(h, home.token, { serviceId: license.id, channel: 'video' })).json()
		).ticket;
		h.clock.advance(1000);
		const here = (
			await (await take(h, onsite.token, { serviceId: license.id, channel: 'onsite' })).json()
		).ticket;
		h.clock.advance(1000);
		await take(h, later.token, { serviceId: license.id, channel: 'onsite' });
		// waiting: the two onsite tickets, not the video one
		expect((await board()).waiting).toEqual([{ category: 'A', name: '商事登记', count: 2 }]);
		expect((await callNext(agent, desk1)).id).toBe(video.id);
		expect((await callNext(agent2, desk2)).id).toBe(here.id);
		const calling = (await board()).calling;
		expect(calling.map((c) => c.code)).toEqual([here.code]);
		expect(calling[0].deskName).toBe('2号窗口');
		// a recall shows the ticket once, not twice
		await act(agent2, here.id, 'recall');
		expect((await board()).calling.map((c) => c.code)).toEqual([here.code]);
		await act(agent2, here.id, 'finish');
		expect((await board()).calling).toEqual([]);
		await act(agent, video.id, 'finish');
	});
});
