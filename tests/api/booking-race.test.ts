// Slot capacity under a real race: 50 booking requests for one slot of capacity 3, sent at the
// same moment from two processes sharing the database (the SQLite file, or the run's PostgreSQL
// database). Then the two rules the schedule lock does not cover on PostgreSQL, where bookings
// at two halls hold two different locks and the unique indexes decide: one active booking per
// citizen, item and day, and one booking per Idempotency-Key.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen, raceDatabase, serviceByCode, slotAt } from './booking-helpers.ts';
import { lastJson, race } from './race-runner.ts';

const worker = path.resolve(import.meta.dirname, '../fixtures/booking-race-worker.ts');
let h: Harness;
beforeAll(async () => {
	h = await createHarness();
});
afterAll(() => h.close());

interface Request {
	token: string;
	slotId: string;
	serviceId: string;
	channel: 'video' | 'onsite';
	key?: string;
}
interface Outcome {
	slotId: string;
	status: number;
	code: string | null;
	appointmentId: string | null;
}

/** Two processes, each sending its share of the requests at the same moment. */
async function raceBookings(name: string, shares: Request[][]): Promise<Outcome[]> {
	const files = shares.map((share, i) => {
		const f = path.join(h.dir, `${name}-${i}.json`);
		fs.writeFileSync(f, JSON.stringify(share));
		return f;
	});
	const outputs = await race(
		worker,
		files.map((f) => [raceDatabase(h), String(h.clock.now), f]),
		{ timeoutMs: 90_000 }
	);
	return outputs.flatMap((o) => lastJson<Outcome[]>(o));
}

/** A video slot of the item at the township hall 阜安街道 (a schedule of its own, capacity 5). */
async function townshipSlot(serviceId: string, date: string, hhmm: string) {
	const admin = await h.loginAs('admin');
	const halls = (await (await h.request('GET', `/api/services/${serviceId}/halls`)).json())
		.halls as { id: string; name: string }[];
	const township = halls.find((o) => o.name === '阜安街道')!.id;
	const created = await h.request('POST', '/api/admin/schedules', {
		token: admin,
		body: {
			orgUnitId: township,
			serviceId,
			channel: 'video',
			slotMinutes: 60,
			capacity: 5,
			hours: Object.fromEntries(
				['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, [['09:00', '11:00']]])
			)
		}
	});
	expect([201, 409]).toContain(created.status);
	const { slots } = (await (
		await h.request(
			'GET',
			`/api/services/${serviceId}/slots?channel=video&date=${date}&hallId=${township}`
		)
	).json()) as { slots: { id: string; start: string }[] };
	return slots.find((s) => s.start.slice(11, 16) === hhmm)!;
}

it('50 concurrent bookings from two processes for 3 places: exactly 3 appointments, 47 clean slot_full', async () => {
	const item = await serviceByCode(h, '370281-XZSP-001');
	const slot = await slotAt(h, item.id, '2026-11-27', '10:00', 'onsite');
	expect(slot.capacity).toBe(3);
	const requests: Request[] = [];
	for (let i = 0; i < 50; i++)
		requests.push({
			token: (await newCitizen(h)).token,
			slotId: slot.id,
			serviceId: item.id,
			channel: 'onsite'
		});
	const results = await raceBookings('capacity', [requests.slice(0, 25), requests.slice(25)]);
	expect(results).toHaveLength(50);
	expect(results.filter((r) => r.status === 201)).toHaveLength(3);
	expect(results.filter((r) => r.status === 409 && r.code === 'slot_full')).toHaveLength(47);
	const booked = await h.store.get<{ n: number }>(
		"SELECT count(*) AS n FROM appointments WHERE schedule_id = ? AND start_at = ? AND status = 'booked'",
		[slot.id.split('.')[0], Number(slot.id.split('.')[1]) * 60_000]
	);
	expect(booked!.n).toBe(3);
}, 150_000);

it('one citizen booking the same item and day at two halls at once, 20 times: one booking, 19 clean already_booked_that_day', async () => {
	const item = await serviceByCode(h, '370281-XZSP-001');
	const district = await slotAt(h, item.id, '2026-11-30', '10:00', 'video');
	const township = await townshipSlot(item.id, '2026-11-30', '09:00');
	const citizen = await newCitizen(h, '两处预约');
	const share = (n: number) =>
		Array.from({ length: n }, (_, i) => ({
			token: citizen.token,
			slotId: (i % 2 ? district : township).id,
			serviceId: item.id,
			channel: 'video' as const
		}));
	const results = await raceBookings('one-per-day', [share(10), share(10)]);
	expect(results).toHaveLength(20);
	expect(results.filter((r) => r.status === 201)).toHaveLength(1);
	expect(
		results.filter((r) => r.status === 409 && r.code === 'already_booked_that_day')
	).toHaveLength(19);
	const rows = await h.store.all(
		"SELECT id FROM appointments WHERE citizen_id = ? AND status = 'booked'",
		[citizen.id]
	);
	expect(rows).toHaveLength(1);
}, 150_000);

it('one Idempotency-Key sent 20 times at once for slots at two halls: one booking, its replays, and 422 for the other slot', async () => {
	const item = await serviceByCode(h, '370281-XZSP-001');
	// two days, so the one-per-day rule stays out of the way: only the key decides
	const district = await slotAt(h, item.id, '2026-12-01', '10:00', 'video');
	const township = await townshipSlot(item.id, '2026-12-02', '09:00');
	const citizen = await newCitizen(h, '重试预约');
	const share = (n: number) =>
		Array.from({ length: n }, (_, i) => ({
			token: citizen.token,
			slotId: (i % 2 ? district : township).id,
			serviceId: item.id,
			channel: 'video' as const,
			key: 'race-key-1'
		}));
	const results = await raceBookings('idempotency', [share(10), share(10)]);
	expect(results).toHaveLength(20);
	const rows = await h.store.all<{ id: string }>(
		'SELECT id FROM appointments WHERE citizen_id = ? AND idempotency_key = ?',
		[citizen.id, 'race-key-1']
	);
	expect(rows).toHaveLength(1);
	const won = results.filter((r) => r.status === 201);
	// every request for the winning slot answers with the one appointment (first or replayed)
	expect(won).toHaveLength(10);
	expect(new Set(won.map((r) => r.appointmentId))).toEqual(new Set([rows[0].id]));
	expect(new Set(won.map((r) => r.slotId)).size).toBe(1);
	const refused = results.filter((r) => r.status !== 201);
	expect(refused).toHaveLength(10);
	for (const r of refused) {
		expect(r).toMatchObject({ status: 422, code: 'idempotency_key_reused' });
		expect(r.slotId).not.toBe(won[0].slotId);
	}
}, 150_000);
