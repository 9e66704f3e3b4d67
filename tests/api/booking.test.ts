// Booking scenarios. The clock starts on Thursday 2026-11-26 at 09:00 in Shanghai; the demo
// schedules open weekdays 09:00-12:00 and 13:30-17:00 with 30-minute video slots for 2 people
// and a 60-minute cut-off. Every test books on a fresh hall, so no slot is taken or day closed
// by another test.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverDueNotifications } from '../../server/notify/outbox.ts';
import { count, createHarness, type Harness } from './harness.ts';
import { book, newCitizen, serviceByCode, slotAt, slotsOn } from './booking-helpers.ts';

let h: Harness;
let license: { id: string; name: string };
let food: { id: string; name: string };
const MIN = 60_000;

beforeEach(async () => {
	h = await createHarness();
	license = await serviceByCode(h, '370281-XZSP-001');
	food = await serviceByCode(h, '370281-XZSP-014');
});
afterEach(() => h.close());

describe('slots', () => {
	it('lists a weekday as 13 half-hour slots for 2 people, the weekend as none', async () => {
		const friday = await slotsOn(h, license.id, '2026-11-27');
		expect(friday.slots.map((s) => s.start.slice(11, 16))).toEqual([
			'09:00',
			'09:30',
			'10:00',
			'10:30',
			'11:00',
			'11:30',
			'13:30',
			'14:00',
			'14:30',
			'15:00',
			'15:30',
			'16:00',
			'16:30'
		]);
		expect(friday.slots.every((s) => s.capacity === 2 && s.remaining === 2 && s.bookable)).toBe(
			true
		);
		expect(friday.slots[0].start).toBe('2026-11-27T09:00:00.000+08:00');
		expect((await slotsOn(h, license.id, '2026-11-28')).slots).toEqual([]);
	});

	it("marks today's past and cut-off slots as not bookable", async () => {
		const today = (await slotsOn(h, license.id, '2026-11-26')).slots;
		expect(today.find((s) => s.start.includes('T09:00'))!.reason).toBe('past');
		expect(today.find((s) => s.start.includes('T09:30'))!.reason).toBe('cutoff');
		// the cut-off is inclusive: at 09:00 sharp the 10:00 slot can still be booked
		expect(today.find((s) => s.start.includes('T10:00'))!.bookable).toBe(true);
	});

	it('offers the next 14 days, today first', async () => {
		const res = await h.request('GET', `/api/services/${license.id}/days?channel=video`);
		const { days } = await res.json();
		expect(days).toHaveLength(14);
		expect(days[0].date).toBe('2026-11-26');
		expect(days[13].date).toBe('2026-12-09');
		expect(days.find((d: { date: string }) => d.date === '2026-11-28').remaining).toBe(0);
		expect(days.find((d: { date: string }) => d.date === '2026-11-27').remaining).toBe(26);
	});

	it('refuses a bad date or channel naming the field', async () => {
		const res = await h.request(
			'GET',
			`/api/services/${license.id}/slots?date=tomorrow&channel=fax`
		);
		expect(res.status).toBe(400);
		expect(Object.keys((await res.json()).error.fields).sort()).toEqual(['channel', 'date']);
	});
});

describe('booking', () => {
	it('books a slot, shows it under my appointments and sends an in-app confirmation', async () => {
		const citizen = await newCitizen(h);
		const slot = await slotAt(h, license.id, '2026-11-27', '10:00');
		const res = await book(h, citizen.token, { slotId: slot.id, serviceId: license.id });
		expect(res.status).toBe(201);
		const { appointment } = await res.json();
		expect(appointment).toMatchObject({
			serviceName: '个体工商户设立登记',
			orgUnitName: '胶州市',
			channel: 'video',
			start: '2026-11-27T10:00:00.000+08:00',
			end: '2026-11-27T10:30:00.000+08:00',
			status: 'booked',
			changeable: true,
			changeableUntil: '2026-11-27T09:00:00.000+08:00'
		});
		const mine = await (
			await h.request('GET', '/api/appointments', { token: citizen.token })
		).json();
		expect(mine.appointments.map((a: { id: string }) => a.id)).toEqual([appointment.id]);
		expect((await slotAt(h, license.id, '2026-11-27', '10:00')).remaining).toBe(1);
		const notices = await (
			await h.request('GET', '/api/notifications', { token: citizen.token })
		).json();
		expect(notices.notifications.map((n: { kind: string }) => n.kind)).toEqual([
			'appointment_booked'
		]);
	});

	it('answers a retried POST with the same Idempotency-Key with the first appointment', async () => {
		const citizen = await newCitizen(h);
		const slot = await slotAt(h, license.id, '2026-11-30', '09:00');
		const first = await book(
			h,
			citizen.token,
			{ slotId: slot.id, serviceId: license.id },
			'retry-key-0001'
		);
		const again = await book(
			h,
			citizen.token,
			{ slotId: slot.id, serviceId: license.id },
			'retry-key-0001'
		);
		expect(first.status).toBe(201);
		expect(again.status).toBe(201);
		expect((await again.json()).appointment.id).toBe((await first.json()).appointment.id);
		const other = await slotAt(h, license.id, '2026-12-01', '09:00');
		const misuse = await book(
			h,
			citizen.token,
			{ slotId: other.id, serviceId: license.id },
			'retry-key-0001'
		);
		expect(misuse.status).toBe(422);
		expect((await misuse.json()).error.code).toBe('idempotency_key_reused');
		const mine = await (
			await h.request('GET', '/api/appointments', { token: citizen.token })
		).json();
		expect(mine.appointments).toHaveLength(1);
	});

	it('refuses a second booking for the same item and day, allows another item or day', async () => {
		const citizen = await newCitizen(h);
		const morning = await slotAt(h, license.id, '2026-12-02', '09:00');
		const afternoon = await slotAt(h, license.id, '2026-12-02', '14:00');
		expect(
			(await book(h, citizen.token, { slotId: morning.id, serviceId: license.id })).status
		).toBe(201);
		const second = await book(h, citizen.token, { slotId: afternoon.id, serviceId: license.id });
		expect(second.status).toBe(409);
		expect((await second.json()).error).toMatchObject({
			code: 'already_booked_that_day',
			message: expect.stringContaining('2026-12-02')
		});
		const otherItem = await slotAt(h, food.id, '2026-12-02', '14:00');
		expect(
			(await book(h, citizen.token, { slotId: otherItem.id, serviceId: food.id })).status
		).toBe(201);
		const nextDay = await slotAt(h, license.id, '2026-12-03', '14:00');
		expect(
			(await book(h, citizen.token, { slotId: nextDay.id, serviceId: license.id })).status
		).toBe(201);
	});

	it('refuses a full slot with slot_full and writes nothing', async () => {
		const slot = await slotAt(h, license.id, '2026-12-04', '11:30');
		for (let i = 0; i < 2; i++)
			expect(
				(await book(h, (await newCitizen(h)).token, { slotId: slot.id, serviceId: license.id }))
					.status
			).toBe(201);
		const before = await count(h.store, 'appointments');
		const late = await book(h, (await newCitizen(h)).token, {
			slotId: slot.id,
			serviceId: license.id
		});
		expect(late.status).toBe(409);
		expect((await late.json()).error.code).toBe('slot_full');
		expect(await count(h.store, 'appointments')).toBe(before);
	});

	it('refuses past slots, slots inside the cut-off, days beyond 14 and slots of another item or channel', async () => {
		const citizen = await newCitizen(h);
		const today = (await slotsOn(h, license.id, '2026-11-26')).slots;
		const past = await book(h, citizen.token, { slotId: today[0].id, serviceId: license.id });
		expect((await past.json()).error.code).toBe('slot_in_past');
		const cutoff = await book(h, citizen.token, { slotId: today[1].id, serviceId: license.id });
		expect((await cutoff.json()).error.code).toBe('booking_closed');
		const far = (await slotsOn(h, license.id, '2026-12-10')).slots[0];
		expect(
			(await (await book(h, citizen.token, { slotId: far.id, serviceId: license.id })).json()).error
				.code
		).toBe('too_far_ahead');
		const foreign = await book(h, citizen.token, { slotId: today[5].id, serviceId: food.id });
		expect(foreign.status).toBe(400);
		expect((await foreign.json()).error.fields).toEqual({
			slotId: 'belongs to another service item'
		});
		const onsite = await book(h, citizen.token, {
			slotId: today[5].id,
			serviceId: license.id,
			channel: 'onsite'
		});
		expect((await onsite.json()).error.fields).toEqual({ slotId: 'is not a onsite slot' });
		const forged = await book(h, citizen.token, {
			slotId: `${today[5].id.split('.')[0]}.${Number(today[5].id.split('.')[1]) + 7}`,
			serviceId: license.id
		});
		expect((await forged.json()).error.fields).toEqual({ slotId: 'no such slot' });
	});
});

describe('cancel and reschedule', () => {
	it('cancels until the cut-off, then refuses', async () => {
		const citizen = await newCitizen(h);
		const a = await (
			await book(h, citizen.token, {
				slotId: (await slotAt(h, license.id, '2026-11-27', '14:00')).id,
				serviceId: license.id
			})
		).json();
		const cancel = await h.request('POST', `/api/appointments/${a.appointment.id}/cancel`, {
			token: citizen.token
		});
		expect(cancel.status).toBe(200);
		expect((await cancel.json()).appointment).toMatchObject({
			status: 'cancelled',
			cancelReason: 'citizen'
		});
		expect(
			(
				await h.request('POST', `/api/appointments/${a.appointment.id}/cancel`, {
					token: citizen.token
				})
			).status
		).toBe(409);

		const b = await (
			await book(h, citizen.token, {
				slotId: (await slotAt(h, license.id, '2026-11-26', '15:00')).id,
				serviceId: license.id
			})
		).json();
		h.clock.advance(5 * 60 * MIN + 1); // 14:00:00.001, the cut-off of the 15:00 slot passed
		const late = await h.request('POST', `/api/appointments/${b.appointment.id}/cancel`, {
			token: citizen.token
		});
		h.clock.advance(-(5 * 60 * MIN + 1));
		expect(late.status).toBe(409);
		expect((await late.json()).error.code).toBe('change_closed');
	});

	it('another citizen cannot see or cancel my appointment', async () => {
		const me = await newCitizen(h);
		const other = await newCitizen(h);
		const a = await (
			await book(h, me.token, {
				slotId: (await slotAt(h, license.id, '2026-12-07', '09:00')).id,
				serviceId: license.id
			})
		).json();
		expect(
			(await h.request('GET', `/api/appointments/${a.appointment.id}`, { token: other.token }))
				.status
		).toBe(404);
		expect(
			(
				await h.request('POST', `/api/appointments/${a.appointment.id}/cancel`, {
					token: other.token
				})
			).status
		).toBe(404);
		expect(
			(await h.request('GET', `/api/appointments/${a.appointment.id}/ics`, { token: other.token }))
				.status
		).toBe(404);
	});

	it('reschedules in one step, also to another time the same day', async () => {
		const citizen = await newCitizen(h);
		const a = await (
			await book(h, citizen.token, {
				slotId: (await slotAt(h, license.id, '2026-12-08', '09:00')).id,
				serviceId: license.id
			})
		).json();
		const target = await slotAt(h, license.id, '2026-12-08', '16:30');
		const res = await h.request('POST', `/api/appointments/${a.appointment.id}/reschedule`, {
			token: citizen.token,
			body: { slotId: target.id }
		});
		expect(res.status).toBe(200);
		const moved = (await res.json()).appointment;
		expect(moved.start).toBe('2026-12-08T16:30:00.000+08:00');
		const old = (
			await (
				await h.request('GET', `/api/appointments/${a.appointment.id}`, { token: citizen.token })
			).json()
		).appointment;
		expect(old).toMatchObject({ status: 'cancelled', cancelReason: 'rescheduled' });
		expect((await slotAt(h, license.id, '2026-12-08', '09:00')).remaining).toBe(2);
	});

	it('a failed reschedule (full target) keeps the original booking', async () => {
		const citizen = await newCitizen(h);
		const a = await (
			await book(h, citizen.token, {
				slotId: (await slotAt(h, license.id, '2026-12-09', '09:00')).id,
				serviceId: license.id
			})
		).json();
		const full = await slotAt(h, license.id, '2026-12-09', '10:00');
		for (let i = 0; i < 2; i++)
			await book(h, (await newCitizen(h)).token, { slotId: full.id, serviceId: license.id });
		const res = await h.request('POST', `/api/appointments/${a.appointment.id}/reschedule`, {
			token: citizen.token,
			body: { slotId: full.id }
		});
		expect(res.status).toBe(409);
		const still = (
			await (
				await h.request('GET', `/api/appointments/${a.appointment.id}`, { token: citizen.token })
			).json()
		).appointment;
		expect(still.status).toBe('booked');
	});
});

describe('waitlist', () => {
	it('books the first auto-booking waiter when a place frees, and offers the next one the following place', async () => {
		const slot = await slotAt(h, food.id, '2026-11-30', '15:00');
		const holders = [await newCitizen(h), await newCitizen(h)];
		const held = [];
		for (const c of holders)
			held.push(
				(await (await book(h, c.token, { slotId: slot.id, serviceId: food.id })).json()).appointment
			);
		const auto = await newCitizen(h, '自动候补');
		const manual = await newCitizen(h, '手动候补');
		const join = (c: { token: string }, autoBook: boolean) =>
			h.request('POST', '/api/waitlist', {
				token: c.token,
				body: { slotId: slot.id, serviceId: food.id, channel: 'video', autoBook }
			});
		const j1 = await join(auto, true);
		expect(j1.status).toBe(201);
		expect((await j1.json()).entry).toMatchObject({ status: 'waiting', position: 1 });
		expect((await (await join(manual, false)).json()).entry.position).toBe(2);
		expect((await join(manual, false)).status).toBe(409);

		await h.request('POST', `/api/appointments/${held[0].id}/cancel`, { token: holders[0].token });
		const autoMine = await (
			await h.request('GET', '/api/appointments', { token: auto.token })
		).json();
		expect(autoMine.appointments).toHaveLength(1);
		expect(autoMine.appointments[0]).toMatchObject({
			status: 'booked',
			start: '2026-11-30T15:00:00.000+08:00'
		});
		const autoNotices = await (
			await h.request('GET', '/api/notifications', { token: auto.token })
		).json();
		expect(autoNotices.notifications.map((n: { kind: string }) => n.kind)).toContain(
			'waitlist_booked'
		);

		await h.request('POST', `/api/appointments/${held[1].id}/cancel`, { token: holders[1].token });
		const offers = await (
			await h.request('GET', '/api/notifications', { token: manual.token })
		).json();
		expect(offers.notifications.map((n: { kind: string }) => n.kind)).toEqual(['waitlist_offer']);
		const entries = await (await h.request('GET', '/api/waitlist', { token: manual.token })).json();
		expect(entries.entries[0].status).toBe('offered');
		expect((await book(h, manual.token, { slotId: slot.id, serviceId: food.id })).status).toBe(201);
	});

	it('refuses to waitlist a slot that still has places', async () => {
		const slot = await slotAt(h, food.id, '2026-12-01', '16:30');
		const res = await h.request('POST', '/api/waitlist', {
			token: (await newCitizen(h)).token,
			body: { slotId: slot.id, serviceId: food.id, channel: 'video' }
		});
		expect(res.status).toBe(409);
		expect((await res.json()).error.code).toBe('slot_available');
	});
});

describe('staff', () => {
	it("an agent lists its org unit's appointments of a day with masked phones; a township worker elsewhere sees none", async () => {
		const citizen = await newCitizen(h, '赵六');
		await book(h, citizen.token, {
			slotId: (await slotAt(h, license.id, '2026-12-03', '16:00')).id,
			serviceId: license.id
		});
		const agent = await h.loginAs('agent');
		const list = (
			await (await h.request('GET', '/api/appointments?date=2026-12-03', { token: agent })).json()
		).appointments;
		const mine = list.find((a: { citizen: { name: string } }) => a.citizen.name === '赵六');
		expect(mine.citizen.phone).toMatch(/^152\*{4}\d{4}$/);
		const township = await h.loginAs('township');
		expect(
			(
				await (
					await h.request('GET', '/api/appointments?date=2026-12-03', { token: township })
				).json()
			).appointments
		).toEqual([]);
	});

	it('records a no-show only once the slot has started', async () => {
		const citizen = await newCitizen(h);
		const a = (
			await (
				await book(h, citizen.token, {
					slotId: (await slotAt(h, license.id, '2026-11-26', '16:00')).id,
					serviceId: license.id
				})
			).json()
		).appointment;
		const agent = await h.loginAs('agent');
		const early = await h.request('POST', `/api/appointments/${a.id}/no-show`, { token: agent });
		expect((await early.json()).error.code).toBe('too_early');
		h.clock.advance(7 * 60 * MIN + 5 * MIN); // 16:05
		// seven idle hours later the agent signs in again
		const ok = await h.request('POST', `/api/appointments/${a.id}/no-show`, {
			token: await h.loginAs('agent')
		});
		h.clock.advance(-(7 * 60 * MIN + 5 * MIN));
		expect(ok.status).toBe(200);
		expect((await ok.json()).appointment.status).toBe('no_show');
	});
});

describe('closing a day', () => {
	it("cancels the day's bookings, tells each citizen in-app and by SMS, and shows the notice on the slots", async () => {
		const citizen = await newCitizen(h);
		const a = (
			await (
				await book(h, citizen.token, {
					slotId: (await slotAt(h, license.id, '2026-12-04', '09:00')).id,
					serviceId: license.id
				})
			).json()
		).appointment;
		const admin = await h.loginAs('admin');
		const res = await h.request('POST', '/api/admin/closures', {
			token: admin,
			body: {
				orgUnitId: a.orgUnitId,
				date: '2026-12-04',
				kind: 'closure',
				notice: '系统升级，暂停办理'
			}
		});
		expect(res.status).toBe(201);
		expect((await res.json()).closure.cancelledAppointments).toBeGreaterThanOrEqual(1);
		const after = (
			await (await h.request('GET', `/api/appointments/${a.id}`, { token: citizen.token })).json()
		).appointment;
		expect(after).toMatchObject({ status: 'cancelled', cancelReason: 'closure' });
		const day = await slotsOn(h, license.id, '2026-12-04');
		expect(day.slots).toEqual([]);
		expect(day.closures).toEqual([{ kind: 'closure', notice: '系统升级，暂停办理' }]);
		await deliverDueNotifications(h.deps);
		expect(h.sms.sent.find((m) => m.phone === citizen.phone)?.text).toContain('系统升级，暂停办理');
		const notices = await (
			await h.request('GET', '/api/notifications', { token: citizen.token })
		).json();
		expect(notices.notifications.map((n: { kind: string }) => n.kind)).toContain(
			'appointment_cancelled_closure'
		);
	});

	it("closes the day's waitlist entries and tells each waiter, leaving other days' entries alone", async () => {
		const slot = await slotAt(h, food.id, '2026-12-07', '15:00');
		const other = await slotAt(h, food.id, '2026-12-08', '15:00');
		let hall = '';
		for (const s of [slot, other])
			for (let i = 0; i < 2; i++) {
				const res = await book(h, (await newCitizen(h)).token, {
					slotId: s.id,
					serviceId: food.id
				});
				expect(res.status).toBe(201);
				hall = (await res.json()).appointment.orgUnitId;
			}
		const waiter = await newCitizen(h, '候补者');
		for (const s of [slot, other])
			expect(
				(
					await h.request('POST', '/api/waitlist', {
						token: waiter.token,
						body: { slotId: s.id, serviceId: food.id, channel: 'video', autoBook: true }
					})
				).status
			).toBe(201);
		const admin = await h.loginAs('admin');
		const res = await h.request('POST', '/api/admin/closures', {
			token: admin,
			body: { orgUnitId: hall, date: '2026-12-07', kind: 'closure', notice: '线路检修' }
		});
		expect(res.status).toBe(201);
		expect((await res.json()).closure.closedWaitlistEntries).toBe(1);
		const { entries } = await (
			await h.request('GET', '/api/waitlist', { token: waiter.token })
		).json();
		const byStart = Object.fromEntries(
			entries.map((e: { start: string; status: string }) => [e.start.slice(0, 10), e.status])
		);
		expect(byStart).toEqual({ '2026-12-07': 'cancelled', '2026-12-08': 'waiting' });
		const notices = await (
			await h.request('GET', '/api/notifications', { token: waiter.token })
		).json();
		const closed = notices.notifications.filter(
			(n: { kind: string }) => n.kind === 'waitlist_closed'
		);
		expect(closed).toHaveLength(1);
		expect(closed[0]).toMatchObject({
			params: { notice: '线路检修', serviceName: food.name },
			link: `/services/${food.id}`
		});
		await deliverDueNotifications(h.deps);
		expect(h.sms.sent.find((m) => m.phone === waiter.phone)?.text).toContain('线路检修');
	});

	it('refuses a closure with a bad date or unknown org unit, writing nothing', async () => {
		const admin = await h.loginAs('admin');
		const before = await count(h.store, 'closures');
		const res = await h.request('POST', '/api/admin/closures', {
			token: admin,
			body: { orgUnitId: 'nope', date: '2026-02-30', kind: 'closure', notice: '' }
		});
		expect(res.status).toBe(400);
		expect(await count(h.store, 'closures')).toBe(before);
	});
});

describe('choosing where to book', () => {
	it('lists the halls with a schedule for the item and narrows days and slots to the chosen one', async () => {
		const admin = await h.loginAs('admin');
		const township = (
			await (await h.request('GET', `/api/services/${license.id}/halls`)).json()
		).halls.find((o: { name: string }) => o.name === '阜安街道').id as string;
		const created = await h.request('POST', '/api/admin/schedules', {
			token: admin,
			body: {
				orgUnitId: township,
				serviceId: license.id,
				channel: 'video',
				slotMinutes: 60,
				capacity: 1,
				hours: Object.fromEntries(
					['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, d === '5' ? [['09:00', '11:00']] : []])
				)
			}
		});
		expect(created.status, JSON.stringify(await created.clone().json())).toBe(201);
		const all = await (
			await h.request('GET', `/api/services/${license.id}/days?channel=video`)
		).json();
		expect(all.halls.map((o: { name: string }) => o.name).sort()).toEqual(['胶州市', '阜安街道']);
		const there = await (
			await h.request(
				'GET',
				`/api/services/${license.id}/slots?channel=video&date=2026-11-27&hallId=${township}`
			)
		).json();
		expect(there.slots.map((s: { start: string }) => s.start.slice(11, 16))).toEqual([
			'09:00',
			'10:00'
		]);
		expect(new Set(there.slots.map((s: { orgUnitName: string }) => s.orgUnitName))).toEqual(
			new Set(['阜安街道'])
		);
		const days = await (
			await h.request('GET', `/api/services/${license.id}/days?channel=video&hallId=${township}`)
		).json();
		expect(days.days.find((d: { date: string }) => d.date === '2026-11-27').remaining).toBe(2);
	});
});
