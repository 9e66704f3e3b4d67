// What a waiting citizen is told about the hall's hours, and what closing does to the queue.
// Clock: Thursday 2026-11-26 09:00 Shanghai; the demo halls open weekdays 09:00-12:00 and
// 13:30-17:00 (the union of their schedules' hours).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngine } from '../../server/engine.ts';
import { deliverDueNotifications } from '../../server/notify/outbox.ts';
import { cancelTicketsAtClosing } from '../../server/queue/closing.ts';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import { ticketOf } from './queue-helpers.ts';
import { LICENSE, openDesk, takeTicket } from './builders.ts';

let h: Harness;
let license: { id: string; name: string };
const MIN = 60_000;
const HOUR = 60 * MIN;

beforeEach(async () => {
	h = await createHarness();
	license = await serviceByCode(h, LICENSE);
});
afterEach(() => h.close());

describe('the wait while no desk is open', () => {
	it('gives no estimate with no desk open; out of hours it says when the hall opens', async () => {
		const c = await newCitizen(h);
		// 09:00 Thursday: the hall is open but nobody serves yet
		const t = await takeTicket(h, c.token, { serviceId: license.id, channel: 'onsite' });
		expect(t).toMatchObject({ desksOpen: 0, estimatedWaitMinutes: null, opensAt: null });
		// 12:30, the lunch break: the hall opens again at 13:30
		h.clock.advance(3.5 * HOUR);
		expect(await ticketOf(h, c.token, t.id)).toMatchObject({
			estimatedWaitMinutes: null,
			opensAt: '2026-11-26T13:30:00.000+08:00'
		});
		// a desk opens: an estimate again, and no opening time
		h.clock.advance(1.5 * HOUR);
		await openDesk(h, await h.loginAs('agent'));
		expect(await ticketOf(h, c.token, t.id)).toMatchObject({
			estimatedWaitMinutes: 4,
			opensAt: null,
			pastClosing: false
		});
	});

	it('on a Friday evening the next opening is Monday 09:00', async () => {
		h.clock.advance(24 * HOUR + 10 * HOUR); // Friday 19:00
		const c = await newCitizen(h);
		const t = await takeTicket(h, c.token, { serviceId: license.id, channel: 'video' });
		expect(t).toMatchObject({
			estimatedWaitMinutes: null,
			opensAt: '2026-11-30T09:00:00.000+08:00',
			closesAt: '2026-11-27T17:00:00.000+08:00'
		});
	});

	it('says so when the estimate runs past closing time', async () => {
		const agent = await h.loginAs('agent');
		await openDesk(h, agent);
		h.clock.advance(7 * HOUR + 40 * MIN); // 16:40
		const tickets = [];
		for (let i = 0; i < 3; i++) {
			const c = await newCitizen(h);
			tickets.push({
				c,
				t: await takeTicket(h, c.token, { serviceId: license.id, channel: 'onsite' })
			});
			h.clock.advance(1000);
		}
		// 8 minutes a service, one desk: the first in about 4 minutes, the third in about 20
		const first = await ticketOf(h, tickets[0].c.token, tickets[0].t.id);
		const third = await ticketOf(h, tickets[2].c.token, tickets[2].t.id);
		expect(first).toMatchObject({ estimatedWaitMinutes: 4, pastClosing: false });
		expect(third).toMatchObject({
			estimatedWaitMinutes: 20,
			pastClosing: true,
			closesAt: '2026-11-26T17:00:00.000+08:00'
		});
	});
});

describe('the hours a ticket read keeps', () => {
	it('follow a closure written after them: by a raw statement here, and removed by another process', async () => {
		const c = await newCitizen(h);
		const t = await takeTicket(h, c.token, { serviceId: license.id, channel: 'video' });
		const closes = '2026-11-26T17:00:00.000+08:00';
		expect(await ticketOf(h, c.token, t.id)).toMatchObject({ closesAt: closes });
		// tickets taken meanwhile leave the kept hours alone; a closure of the whole hall today,
		// written past the API on this same connection, does not
		await takeTicket(h, (await newCitizen(h)).token, { serviceId: license.id, channel: 'video' });
		await h.store.run(
			`INSERT INTO closures (id, org_unit_id, service_item_id, date, kind, notice, created_by, created_at)
			 VALUES ('closed-today', ?, NULL, '2026-11-26', 'closure', 'closed', NULL, ?)`,
			[t.hallId, h.clock.now]
		);
		expect(await ticketOf(h, c.token, t.id)).toMatchObject({ closesAt: null });
		// another process (its own connection and caches) lifts it
		const engine2 = openEngine(h.deps.config);
		try {
			await engine2.store.run(`DELETE FROM closures WHERE id = 'closed-today'`);
		} finally {
			await engine2.close();
		}
		expect(await ticketOf(h, c.token, t.id)).toMatchObject({ closesAt: closes });
	});
});

describe('closing time', () => {
	it('cancels the tickets still waiting at closing, tells each citizen and keeps them listed with the reason', async () => {
		h.clock.advance(7 * HOUR + 30 * MIN); // 16:30
		const waiting = await newCitizen(h, '等到关门');
		const t = await takeTicket(h, waiting.token, { serviceId: license.id, channel: 'onsite' });
		const served = await newCitizen(h, '已叫号');
		const agent = await h.loginAs('agent');
		const desk = await openDesk(h, agent);
		h.clock.advance(1000);
		const called = await takeTicket(h, served.token, { serviceId: license.id, channel: 'video' });
		// the desk calls the first in line; the second still waits
		const first = await h.request('POST', `/api/desks/${desk.id}/call-next`, { token: agent });
		expect((await first.json()).ticket.id).toBe(t.id);
		await h.request('POST', `/api/queue/tickets/${t.id}/finish`, { token: agent });

		expect(await cancelTicketsAtClosing(h.deps)).toBe(0); // 16:30: still open
		h.clock.advance(30 * MIN); // 17:00
		expect(await cancelTicketsAtClosing(h.deps)).toBe(1);
		expect(await cancelTicketsAtClosing(h.deps)).toBe(0); // once only
		const mine = await (
			await h.request('GET', '/api/queue/tickets', { token: served.token })
		).json();
		expect(mine.tickets).toEqual([
			expect.objectContaining({ id: called.id, status: 'cancelled', cancelReason: 'hall_closed' })
		]);
		const notices = await (
			await h.request('GET', '/api/notifications', { token: served.token })
		).json();
		const notice = notices.notifications.find(
			(n: { kind: string }) => n.kind === 'ticket_cancelled_closing'
		);
		expect(notice).toMatchObject({
			params: { code: called.code, serviceName: license.name, hallName: '胶州市' },
			link: `/services/${license.id}/book?channel=video`
		});
		await deliverDueNotifications(h.deps);
		expect(h.sms.sent.find((m) => m.phone === served.phone)?.text).toContain('已取消');
		// still listed the next morning, with the reason
		h.clock.advance(16 * HOUR);
		const next = await (
			await h.request('GET', '/api/queue/tickets', { token: served.token })
		).json();
		expect(next.tickets.map((x: { id: string }) => x.id)).toEqual([called.id]);
		// a ticket the citizen gave up is not "closed": cancelling says citizen
		const other = await newCitizen(h);
		const mineToGiveUp = await takeTicket(h, other.token, {
			serviceId: license.id,
			channel: 'video'
		});
		const gaveUp = await h.request('POST', `/api/queue/tickets/${mineToGiveUp.id}/cancel`, {
			token: other.token
		});
		expect((await gaveUp.json()).ticket).toMatchObject({
			status: 'cancelled',
			cancelReason: 'citizen'
		});
	});

	it('leaves a ticket taken after closing until the next day, then cancels it too', async () => {
		h.clock.advance(10 * HOUR); // 19:00
		const c = await newCitizen(h);
		const t = await takeTicket(h, c.token, { serviceId: license.id, channel: 'video' });
		expect(t).toMatchObject({ pastClosing: true });
		expect(await cancelTicketsAtClosing(h.deps)).toBe(0);
		h.clock.advance(6 * HOUR); // Friday 01:00
		expect(await cancelTicketsAtClosing(h.deps)).toBe(1);
		expect(await ticketOf(h, c.token, t.id)).toMatchObject({
			status: 'cancelled',
			cancelReason: 'hall_closed'
		});
	});
});

describe('choosing the hall', () => {
	it("offers the township hall that serves the item; its desk calls the ticket, the district's does not", async () => {
		const c = await newCitizen(h, '街道群众');
		const choice = async (serviceId: string, token?: string) =>
			(await (await h.request('GET', `/api/services/${serviceId}/halls`, { token })).json()) as {
				halls: { id: string; name: string; level: string }[];
				defaultHallId: string;
			};
		const offered = await choice(license.id, c.token);
		expect(offered.halls.map((o) => o.name)).toEqual(['胶州市', '阜安街道']);
		const [district, township] = offered.halls;
		expect(offered.defaultHallId).toBe(district.id);
		// 食品经营许可 is accepted at district level only
		const food = await serviceByCode(h, '370281-XZSP-014');
		expect((await choice(food.id)).halls.map((o) => o.name)).toEqual(['胶州市']);
		const refused = await h.request('POST', '/api/queue/tickets', {
			token: c.token,
			body: { serviceId: food.id, channel: 'onsite', hallId: township.id }
		});
		expect(refused.status).toBe(400);
		expect(Object.keys((await refused.json()).error.fields)).toEqual(['hallId']);

		const t = await takeTicket(h, c.token, {
			serviceId: license.id,
			channel: 'onsite',
			hallId: township.id
		});
		expect(t).toMatchObject({ hallId: township.id, hallName: '阜安街道' });
		const agent = await h.loginAs('agent');
		const districtDesk = await openDesk(h, agent);
		expect(
			(await h.request('POST', `/api/desks/${districtDesk.id}/call-next`, { token: agent })).status
		).toBe(204);
		const townshipStaff = await h.loginAs('township');
		const townshipDesk = await openDesk(h, townshipStaff, '阜安街道便民服务窗口');
		const called = await h.request('POST', `/api/desks/${townshipDesk.id}/call-next`, {
			token: townshipStaff
		});
		expect((await called.json()).ticket).toMatchObject({
			id: t.id,
			desk: { name: '阜安街道便民服务窗口' }
		});
		// next time the township is the default
		expect((await choice(license.id, c.token)).defaultHallId).toBe(township.id);
		expect((await choice(license.id)).defaultHallId).toBe(district.id);
	});

	it('follows the desks: a township whose desks stop serving the category stops offering it, at once', async () => {
		const c = await newCitizen(h);
		const halls = async () =>
			(
				(await (
					await h.request('GET', `/api/services/${license.id}/halls`, { token: c.token })
				).json()) as { halls: { id: string; name: string }[] }
			).halls;
		const names = async () => (await halls()).map((o) => o.name);
		expect(await names()).toEqual(['胶州市', '阜安街道']);
		const township = (await halls())[1].id;
		const before = await h.store.all<{ id: string; categories: string }>(
			'SELECT id, categories FROM desks WHERE org_unit_id = ?',
			[township]
		);
		// written past the API on this same connection
		await h.store.run(`UPDATE desks SET categories = 'Z' WHERE org_unit_id = ?`, [township]);
		expect(await names()).toEqual(['胶州市']);
		const take = await h.request('POST', '/api/queue/tickets', {
			token: c.token,
			body: { serviceId: license.id, channel: 'onsite', hallId: township }
		});
		expect(take.status).toBe(400);
		// another process (its own connection and caches) puts the categories back
		const engine2 = openEngine(h.deps.config);
		try {
			for (const d of before)
				await engine2.store.run('UPDATE desks SET categories = ? WHERE id = ?', [
					d.categories,
					d.id
				]);
		} finally {
			await engine2.close();
		}
		expect(await names()).toEqual(['胶州市', '阜安街道']);
	});
});
