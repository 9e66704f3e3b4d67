// Slot capacity under a real race: 50 booking requests for one slot of capacity 3, sent at the
// same moment from two processes sharing the database (the SQLite file, or the run's PostgreSQL
// database).
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

it('50 concurrent bookings from two processes for 3 places: exactly 3 appointments, 47 clean slot_full', async () => {
	const item = await serviceByCode(h, '370281-XZSP-001');
	const slot = await slotAt(h, item.id, '2026-11-27', '10:00', 'onsite');
	expect(slot.capacity).toBe(3);
	const tokens: string[] = [];
	for (let i = 0; i < 50; i++) tokens.push((await newCitizen(h)).token);
	const halves = [tokens.slice(0, 25), tokens.slice(25)].map((share, i) => {
		const f = path.join(h.dir, `race-${i}.json`);
		fs.writeFileSync(f, JSON.stringify({ slotId: slot.id, serviceId: item.id, tokens: share }));
		return f;
	});
	const outputs = await race(
		worker,
		halves.map((f) => [raceDatabase(h), String(h.clock.now), f]),
		{ timeoutMs: 90_000 }
	);
	const results = outputs.flatMap((o) => lastJson<{ status: number; code: string | null }[]>(o));
	expect(results).toHaveLength(50);
	expect(results.filter((r) => r.status === 201)).toHaveLength(3);
	expect(results.filter((r) => r.status === 409 && r.code === 'slot_full')).toHaveLength(47);
	const booked = await h.store.get<{ n: number }>(
		"SELECT count(*) AS n FROM appointments WHERE schedule_id = ? AND start_at = ? AND status = 'booked'",
		[slot.id.split('.')[0], Number(slot.id.split('.')[1]) * 60_000]
	);
	expect(booked!.n).toBe(3);
}, 150_000);
