// Booking and ratings rules raced from two nodes on one database (docs/transactions.md lists them
// with no race test): cancelling an appointment twice, a cancel freeing a place while waiters
// join, a reschedule against a cancel, a closure against a booking, a rating changed twice at
// once, a follow-up contacted twice at once, a double no-show, a double check-in, leaving a
// waitlist while its place frees, and one schedule created twice. The clock starts on Thursday 2026-11-26 at 09:00
// in Shanghai; every test builds its own state on a fresh hall.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { openEngine } from '../../server/engine.ts';
import { createHarness, type Harness } from './harness.ts';
import { book, newCitizen, serviceByCode, slotAt } from './booking-helpers.ts';
import { desksOf, take } from './queue-helpers.ts';

let h: Harness;
let closeNode: (() => Promise<void>) | null = null;

beforeEach(async () => {
	h = await createHarness();
});
afterEach(async () => {
	await closeNode?.();
	closeNode = null;
	await h?.close();
});

type Node = (
	method: string,
	url: string,
	o: { token: string; body?: unknown }
) => Promise<Response>;

/**
 * A second node of the hall on the harness's database, as another process would run it: on
 * PostgreSQL its own engine (its own pool, whose connections really run in parallel with the
 * harness's) and its own app. On SQLite the second app shares the harness's connection: a second
 * connection in this one process would block the event loop in its busy wait while the first
 * holds the write lock; the store's gate serialises them, as the write lock does between
 * processes.
 */
function secondNode(): Node {
	const own = h.engine === 'postgres';
	const engine = own ? openEngine(h.deps.config) : h.deps.engine;
	const app = createApp({ ...h.deps, engine, store: engine.store });
	if (own) closeNode = () => engine.close();
	return (method, url, o) =>
		Promise.resolve(
			app.request(
				url,
				{
					method,
					headers: {
						authorization: `Bearer ${o.token}`,
						...(o.body === undefined ? {} : { 'content-type': 'application/json' })
					},
					body: o.body === undefined ? undefined : JSON.stringify(o.body)
				},
				{ ip: '203.0.113.8' }
			)
		);
}

const first: Node = (method, url, o) => h.request(method, url, o);

async function answer(res: Response) {
	const body = (await res.json()) as { error?: { code: string } } & Record<string, unknown>;
	return { status: res.status, code: body.error?.code ?? null, body };
}

/** Active bookings of a schedule's slot (never more than its capacity). */
async function bookedAt(scheduleId: string, startAt: number) {
	return (await h.store.get<{ n: number }>(
		"SELECT count(*) AS n FROM appointments WHERE schedule_id = ? AND start_at = ? AND status IN ('booked', 'checked_in')",
		[scheduleId, startAt]
	))!.n;
}

async function appointmentRow(id: string) {
	return (await h.store.get<{
		status: string;
		cancel_reason: string | null;
		schedule_id: string;
		start_at: number;
		org_unit_id: string;
		local_date: string;
	}>('SELECT * FROM appointments WHERE id = ?', [id]))!;
}

async function bookOk(token: string, slotId: string, serviceId: string) {
	const res = await book(h, token, { slotId, serviceId });
	expect(res.status, `book ${slotId}`).toBe(201);
	return (await res.json()).appointment as { id: string; orgUnitId: string };
}

function joinWaitlist(node: Node, token: string, slotId: string, serviceId: string) {
	return node('POST', '/api/waitlist', {
		token,
		body: { slotId, serviceId, channel: 'video', autoBook: true }
	});
}

/** A slot (capacity 2) filled by two new citizens; returns them and their appointments. */
async function fullSlot(serviceId: string, date: string, hhmm: string) {
	const slot = await slotAt(h, serviceId, date, hhmm);
	const holders = [await newCitizen(h), await newCitizen(h)];
	const held = [];
	for (const c of holders) held.push(await bookOk(c.token, slot.id, serviceId));
	const row = await appointmentRow(held[0].id);
	return { slot, holders, held, scheduleId: row.schedule_id, startAt: row.start_at };
}

const DAYS = ['2026-11-27', '2026-11-30', '2026-12-01'];

describe('booking on two nodes at once', () => {
	it('a citizen cancels one appointment on both nodes: one 200, one 409 not_active, the place goes to the first waiter once', async () => {
		const food = await serviceByCode(h, '370281-XZSP-014');
		const other = secondNode();
		for (const date of DAYS) {
			const { slot, holders, held, scheduleId, startAt } = await fullSlot(food.id, date, '15:00');
			const waiters = [await newCitizen(h, '候补一'), await newCitizen(h, '候补二')];
			for (const w of waiters)
				expect((await joinWaitlist(first, w.token, slot.id, food.id)).status).toBe(201);

			const url = `/api/appointments/${held[0].id}/cancel`;
			const results = await Promise.all([
				first('POST', url, { token: holders[0].token }).then(answer),
				other('POST', url, { token: holders[0].token }).then(answer)
			]);
			expect(results.map((r) => r.status).sort(), date).toEqual([200, 409]);
			expect(results.find((r) => r.status === 409)!.code).toBe('not_active');
			expect((await appointmentRow(held[0].id)).status).toBe('cancelled');

			// the freed place went to the first waiter, once; the second still waits; never overbooked
			expect(await bookedAt(scheduleId, startAt)).toBe(2);
			const entries = await h.store.all<{ citizen_id: string; status: string }>(
				'SELECT citizen_id, status FROM waitlist_entries WHERE schedule_id = ? AND start_at = ?',
				[scheduleId, startAt]
			);
			expect(entries.find((e) => e.citizen_id === waiters[0].id)!.status).toBe('booked');
			expect(entries.find((e) => e.citizen_id === waiters[1].id)!.status).toBe('waiting');
			const firstWaiterBookings = await h.store.get<{ n: number }>(
				"SELECT count(*) AS n FROM appointments WHERE citizen_id = ? AND status = 'booked'",
				[waiters[0].id]
			);
			expect(firstWaiterBookings!.n).toBe(1);
			const notices = await h.store.get<{ n: number }>(
				"SELECT count(*) AS n FROM notifications WHERE user_id = ? AND kind = 'waitlist_booked' AND channel = 'in_app'",
				[waiters[0].id]
			);
			expect(notices!.n).toBe(1);
		}
	});

	it('two citizens join a full slot’s waitlist while a booked citizen cancels: one waiter gets the place, never overbooked', async () => {
		const food = await serviceByCode(h, '370281-XZSP-014');
		const other = secondNode();
		for (const date of DAYS) {
			const { slot, holders, held, scheduleId, startAt } = await fullSlot(food.id, date, '15:30');
			const waiters = [await newCitizen(h, '候补甲'), await newCitizen(h, '候补乙')];
			const [joinA, joinB, cancel] = await Promise.all([
				joinWaitlist(first, waiters[0].token, slot.id, food.id).then(answer),
				joinWaitlist(other, waiters[1].token, slot.id, food.id).then(answer),
				(date === DAYS[1] ? first : other)('POST', `/api/appointments/${held[0].id}/cancel`, {
					token: holders[0].token
				}).then(answer)
			]);
			expect(cancel.status, date).toBe(200);
			for (const j of [joinA, joinB]) {
				// joined the full slot, or came after the cancel and found a free place
				expect([201, 409], `${date} ${JSON.stringify(j.body)}`).toContain(j.status);
			}

			const booked = await bookedAt(scheduleId, startAt);
			expect(booked).toBeLessThanOrEqual(2);
			const entries = await h.store.all<{ citizen_id: string; status: string }>(
				'SELECT citizen_id, status FROM waitlist_entries WHERE schedule_id = ? AND start_at = ?',
				[scheduleId, startAt]
			);
			const autoBooked = entries.filter((e) => e.status === 'booked');
			expect(autoBooked.length, date).toBeLessThanOrEqual(1);
			const waiting = entries.filter((e) => e.status === 'waiting' || e.status === 'offered');
			if (entries.length > 0) {
				// someone was on the list when the place freed: exactly one waiter got it
				expect(autoBooked.length, `${date} ${JSON.stringify(entries)}`).toBe(1);
				expect(booked).toBe(2);
			}
			// a free place is never left while a waiter still waits
			if (waiting.length > 0) expect(booked, `${date} ${JSON.stringify(entries)}`).toBe(2);
			expect(entries.length).toBe([joinA, joinB].filter((j) => j.status === 201).length);
		}
	});

	it('a reschedule racing a cancel of the same appointment: exactly one applies, never two bookings', async () => {
		const license = await serviceByCode(h, '370281-XZSP-001');
		const other = secondNode();
		for (const [i, date] of DAYS.entries()) {
			const citizen = await newCitizen(h);
			const a = await bookOk(
				citizen.token,
				(await slotAt(h, license.id, date, '09:30')).id,
				license.id
			);
			const target = await slotAt(h, license.id, date, '16:00');
			const cancelOn = i % 2 === 0 ? first : other;
			const moveOn = i % 2 === 0 ? other : first;
			const [cancel, move] = await Promise.all([
				cancelOn('POST', `/api/appointments/${a.id}/cancel`, { token: citizen.token }).then(answer),
				moveOn('POST', `/api/appointments/${a.id}/reschedule`, {
					token: citizen.token,
					body: { slotId: target.id }
				}).then(answer)
			]);
			expect([cancel.status, move.status].sort(), date).toEqual([200, 409]);
			const active = await h.store.all<{ id: string; start_at: number }>(
				"SELECT id, start_at FROM appointments WHERE citizen_id = ? AND status = 'booked'",
				[citizen.id]
			);
			const old = await appointmentRow(a.id);
			expect(old.status).toBe('cancelled');
			if (move.status === 200) {
				expect(old.cancel_reason).toBe('rescheduled');
				expect(active).toHaveLength(1);
				expect(active[0].id).toBe((move.body.appointment as { id: string }).id);
			} else {
				expect(old.cancel_reason).toBe('citizen');
				expect(active).toHaveLength(0);
			}
			expect((await slotAt(h, license.id, date, '09:30')).remaining).toBe(2);
		}
	});

	it('closing a day racing a booking on it: the booking is refused or cancelled by the closure, none survives', async () => {
		const license = await serviceByCode(h, '370281-XZSP-001');
		const admin = await h.loginAs('admin');
		const other = secondNode();
		// the hall of the item's video schedule, learnt from a booking on another day
		const probe = await newCitizen(h);
		const orgUnitId = (
			await bookOk(probe.token, (await slotAt(h, license.id, '2026-12-02', '09:00')).id, license.id)
		).orgUnitId;
		for (const [i, date] of DAYS.entries()) {
			const citizen = await newCitizen(h);
			const slot = await slotAt(h, license.id, date, '10:30');
			const bookOn = i % 2 === 0 ? first : other;
			const closeOn = i % 2 === 0 ? other : first;
			const [booking, closure] = await Promise.all([
				bookOn('POST', '/api/appointments', {
					token: citizen.token,
					body: { slotId: slot.id, serviceId: license.id, channel: 'video' }
				}).then(answer),
				closeOn('POST', '/api/admin/closures', {
					token: admin,
					body: { orgUnitId, date, kind: 'closure', notice: '系统维护，暂停办理' }
				}).then(answer)
			]);
			expect(closure.status, `${date} ${JSON.stringify(closure.body)}`).toBe(201);
			if (booking.status === 201) {
				const row = await appointmentRow((booking.body.appointment as { id: string }).id);
				expect(row).toMatchObject({ status: 'cancelled', cancel_reason: 'closure' });
			} else {
				expect(booking.status, `${date} ${JSON.stringify(booking.body)}`).toBeGreaterThanOrEqual(
					400
				);
				expect(booking.status).toBeLessThan(500);
			}
			const survivors = await h.store.get<{ n: number }>(
				"SELECT count(*) AS n FROM appointments WHERE org_unit_id = ? AND local_date = ? AND status = 'booked'",
				[orgUnitId, date]
			);
			expect(survivors!.n, date).toBe(0);
		}
	});
});

describe('ratings on two nodes at once', () => {
	let agent: string;
	let deskId: string;
	let item: { id: string };

	async function setUpDesk() {
		agent = await h.loginAs('agent');
		item = await serviceByCode(h, '370281-XZSP-001');
		deskId = (await desksOf(h, agent)).find((d) => d.name === '1号窗口')!.id;
		await h.request('POST', `/api/desks/${deskId}/open`, {
			token: agent,
			body: { categories: ['A', 'B'] }
		});
	}

	/** A citizen's ended video session at the district desk, rated `score`; returns the rating. */
	async function ratedSession(score: number) {
		const citizen = await newCitizen(h);
		const ticket = (
			await (await take(h, citizen.token, { serviceId: item.id, channel: 'video' })).json()
		).ticket;
		expect(
			(await h.request('POST', `/api/desks/${deskId}/call-next`, { token: agent })).status
		).toBe(200);
		const opened = await h.request('POST', '/api/video-sessions', {
			token: agent,
			body: { ticketId: ticket.id }
		});
		expect(opened.status).toBe(201);
		const session = (await opened.json()).session as { id: string };
		expect(
			(await h.request('POST', `/api/queue/tickets/${ticket.id}/finish`, { token: agent })).status
		).toBe(200);
		const rated = await h.request('POST', '/api/ratings', {
			token: citizen.token,
			body: { subjectType: 'session', subjectId: session.id, score }
		});
		expect(rated.status).toBe(201);
		return { citizen, rating: (await rated.json()).rating as { id: string } };
	}

	const followUpsOf = (ratingId: string) =>
		h.store.all<{ id: string; status: string }>(
			'SELECT id, status FROM rating_followups WHERE rating_id = ?',
			[ratingId]
		);

	it('a rating changed on both nodes at once with different scores: the follow-up matches the final score', async () => {
		await setUpDesk();
		const other = secondNode();
		const { citizen, rating } = await ratedSession(1);
		for (const [a, b] of [
			[5, 1],
			[2, 4],
			[1, 5],
			[4, 2]
		]) {
			const url = `/api/ratings/${rating.id}`;
			const results = await Promise.all([
				first('PUT', url, { token: citizen.token, body: { score: a } }).then(answer),
				other('PUT', url, { token: citizen.token, body: { score: b } }).then(answer)
			]);
			expect(
				results.map((r) => r.status),
				JSON.stringify(results.map((r) => r.body))
			).toEqual([200, 200]);
			const row = await h.store.get<{ score: number }>('SELECT score FROM ratings WHERE id = ?', [
				rating.id
			]);
			expect([a, b]).toContain(row!.score);
			const followUps = await followUpsOf(rating.id);
			expect(followUps).toHaveLength(1);
			expect(followUps[0].status, `${a} vs ${b}: final ${row!.score}`).toBe(
				row!.score <= 2 ? 'open' : 'cancelled'
			);
			h.clock.advance(60_000);
		}
	});

	it('a follow-up contacted on both nodes at once: one 200, one 409 wrong_state', async () => {
		await setUpDesk();
		const supervisor = await h.loginAs('supervisor');
		const other = secondNode();
		for (let round = 0; round < 3; round++) {
			const { rating } = await ratedSession(1);
			const [followUp] = await followUpsOf(rating.id);
			const url = `/api/rating-followups/${followUp.id}/contact`;
			const results = await Promise.all([
				first('POST', url, { token: supervisor, body: { note: '已电话联系' } }).then(answer),
				other('POST', url, { token: supervisor, body: { note: '已上门回访' } }).then(answer)
			]);
			expect(results.map((r) => r.status).sort(), `round ${round}`).toEqual([200, 409]);
			expect(results.find((r) => r.status === 409)!.code).toBe('wrong_state');
			const row = await h.store.get<{ status: string; contact_note: string }>(
				'SELECT status, contact_note FROM rating_followups WHERE id = ?',
				[followUp.id]
			);
			expect(row!.status).toBe('contacted');
			const winner = results[0].status === 200 ? '已电话联系' : '已上门回访';
			expect(row!.contact_note).toBe(winner);
		}
	});
});

describe('appointments, waitlist and schedules on two nodes at once', () => {
	const FRIDAY = '2026-11-27';
	/** Friday hh:mm in Shanghai as the harness clock's milliseconds. */
	const fridayAt = (hhmm: string) => Date.parse(`${FRIDAY}T${hhmm}:00+08:00`);

	/** Ten new citizens' video bookings of the item on Friday, two in each slot from 09:00. */
	async function fridayBookings(serviceId: string) {
		const booked = [];
		for (const hhmm of ['09:00', '09:30', '10:00', '10:30', '11:00']) {
			const slot = await slotAt(h, serviceId, FRIDAY, hhmm);
			for (let i = 0; i < 2; i++) {
				const citizen = await newCitizen(h);
				booked.push({
					citizen,
					hhmm,
					appointment: await bookOk(citizen.token, slot.id, serviceId)
				});
			}
		}
		return booked;
	}

	it('a no-show recorded on both nodes at once: one 200, one 409 not_active', async () => {
		const license = await serviceByCode(h, '370281-XZSP-001');
		const booked = await fridayBookings(license.id);
		const other = secondNode();
		h.clock.now = fridayAt('11:05'); // every slot has started
		const agent = await h.loginAs('agent');
		for (const [round, { appointment }] of booked.entries()) {
			const url = `/api/appointments/${appointment.id}/no-show`;
			const results = await Promise.all([
				(round % 2 ? first : other)('POST', url, { token: agent }).then(answer),
				(round % 2 ? other : first)('POST', url, { token: agent }).then(answer)
			]);
			expect(results.map((r) => r.status).sort(), `round ${round}`).toEqual([200, 409]);
			expect(results.find((r) => r.status === 409)!.code).toBe('not_active');
			expect((await appointmentRow(appointment.id)).status).toBe('no_show');
		}
		const marked = await h.store.get<{ n: number }>(
			"SELECT count(*) AS n FROM appointments WHERE local_date = ? AND status = 'no_show'",
			[FRIDAY]
		);
		expect(marked!.n).toBe(booked.length);
	});

	it('a citizen checks in on both nodes at once: one ticket, the other 409 not_active', async () => {
		const license = await serviceByCode(h, '370281-XZSP-001');
		const booked = await fridayBookings(license.id);
		const other = secondNode();
		for (const [round, { citizen, hhmm, appointment }] of booked.entries()) {
			h.clock.now = Math.max(h.clock.now, fridayAt(hhmm)); // inside the check-in window
			const body = { appointmentId: appointment.id };
			const results = await Promise.all([
				(round % 2 ? first : other)('POST', '/api/queue/tickets', {
					token: citizen.token,
					body
				}).then(answer),
				(round % 2 ? other : first)('POST', '/api/queue/tickets', {
					token: citizen.token,
					body
				}).then(answer)
			]);
			expect(
				results.map((r) => r.status).sort(),
				`round ${round} ${JSON.stringify(results.map((r) => r.body))}`
			).toEqual([201, 409]);
			expect(results.find((r) => r.status === 409)!.code).toBe('not_active');
			expect((await appointmentRow(appointment.id)).status).toBe('checked_in');
			const tickets = await h.store.all<{ id: string }>(
				'SELECT id FROM tickets WHERE appointment_id = ?',
				[appointment.id]
			);
			expect(tickets.map((t) => t.id)).toEqual([
				(results.find((r) => r.status === 201)!.body.ticket as { id: string }).id
			]);
		}
		// each check-in drew one number: the hall's numbers of the day have no gap
		const numbers = await h.store.all<{ number: number }>(
			'SELECT number FROM tickets WHERE appointment_id IS NOT NULL AND day = ? ORDER BY number',
			[FRIDAY]
		);
		expect(numbers.map((t) => t.number)).toEqual(booked.map((_, i) => i + 1));
	});

	it('a waiter leaves the waitlist while a booked citizen cancels: the entry is either left or booked, never both', async () => {
		const food = await serviceByCode(h, '370281-XZSP-014');
		const other = secondNode();
		let round = 0;
		for (const date of DAYS)
			for (const hhmm of ['09:00', '10:00', '14:00', '16:00']) {
				const { slot, holders, held, scheduleId, startAt } = await fullSlot(food.id, date, hhmm);
				const waiter = await newCitizen(h, '候补');
				const joined = await answer(await joinWaitlist(first, waiter.token, slot.id, food.id));
				expect(joined.status).toBe(201);
				const entryId = (joined.body.entry as { id: string }).id;
				const [leaveOn, cancelOn] = round++ % 2 ? [first, other] : [other, first];
				const [leave, cancel] = await Promise.all([
					leaveOn('POST', `/api/waitlist/${entryId}/cancel`, { token: waiter.token }).then(answer),
					cancelOn('POST', `/api/appointments/${held[0].id}/cancel`, {
						token: holders[0].token
					}).then(answer)
				]);
				expect([leave.status, cancel.status], `${date} ${hhmm}`).toEqual([200, 200]);
				const entry = await h.store.get<{ status: string; appointment_id: string | null }>(
					'SELECT status, appointment_id FROM waitlist_entries WHERE id = ?',
					[entryId]
				);
				// the answer shows the entry as it is
				expect((leave.body.entry as { status: string }).status).toBe(entry!.status);
				const waiterBookings = await h.store.all<{ id: string }>(
					"SELECT id FROM appointments WHERE citizen_id = ? AND status = 'booked'",
					[waiter.id]
				);
				if (entry!.status === 'booked') {
					// the place went to the waiter before the leave: kept, once
					expect(waiterBookings.map((a) => a.id)).toEqual([entry!.appointment_id]);
					expect(await bookedAt(scheduleId, startAt)).toBe(2);
				} else {
					// the waiter left first: nobody took the freed place
					expect(entry!.status, `${date} ${hhmm}`).toBe('cancelled');
					expect(waiterBookings).toHaveLength(0);
					expect(await bookedAt(scheduleId, startAt)).toBe(1);
				}
			}
	});

	it('two admins create the same schedule on two nodes at once: one 201, one 409 schedule_exists', async () => {
		const admin = await h.loginAs('admin');
		const orgs = (await (await h.request('GET', '/api/org-units', { token: admin })).json())
			.orgUnits as { id: string; code: string }[];
		const items = (await (await h.request('GET', '/api/services')).json()).items as {
			id: string;
			code: string;
		}[];
		const other = secondNode();
		let round = 0;
		// org units without any schedule of their own in the demo hall
		for (const code of ['370281002', '370213'])
			for (const item of items.slice(0, 6)) {
				const orgUnitId = orgs.find((o) => o.code === code)!.id;
				const body = {
					orgUnitId,
					serviceId: item.id,
					channel: 'video',
					slotMinutes: 30,
					capacity: 2,
					hours: Object.fromEntries(
						['1', '2', '3', '4', '5', '6', '7'].map((d) => [
							d,
							d === '1' ? [['09:00', '12:00']] : []
						])
					)
				};
				const results = await Promise.all([
					(round % 2 ? first : other)('POST', '/api/admin/schedules', { token: admin, body }).then(
						answer
					),
					(round % 2 ? other : first)('POST', '/api/admin/schedules', { token: admin, body }).then(
						answer
					)
				]);
				round++;
				expect(
					results.map((r) => r.status).sort(),
					`${code} ${item.code} ${JSON.stringify(results.map((r) => r.body))}`
				).toEqual([201, 409]);
				expect(results.find((r) => r.status === 409)!.code).toBe('schedule_exists');
				const rows = await h.store.all<{ id: string }>(
					"SELECT id FROM schedules WHERE org_unit_id = ? AND service_item_id = ? AND channel = 'video'",
					[orgUnitId, item.id]
				);
				expect(rows.map((r) => r.id)).toEqual([
					(results.find((r) => r.status === 201)!.body.schedule as { id: string }).id
				]);
			}
		expect(round).toBe(12);
	});
});
