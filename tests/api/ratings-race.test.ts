// One rating per service under a real race: the citizen's first rating of each of four ended
// sessions is sent ten times at the same moment from two processes sharing the database (the
// SQLite file, or the run's PostgreSQL database).
// Exactly one request per session wins (201), the others get a clean 409 already_rated, and
// exactly one follow-up opens per (bad) rating.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen, raceDatabase, serviceByCode } from './booking-helpers.ts';
import { desksOf, take } from './queue-helpers.ts';
import { lastJson, race } from './race-runner.ts';

const worker = path.resolve(import.meta.dirname, '../fixtures/ratings-race-worker.ts');
let h: Harness;
beforeAll(async () => {
	h = await createHarness();
});
afterAll(() => h.close());

it('10 simultaneous first ratings per session from two processes: exactly one 201 per session', async () => {
	const agent = await h.loginAs('agent');
	const item = await serviceByCode(h, '370281-XZSP-001');
	const desk = (await desksOf(h, agent)).find((d) => d.name === '1号窗口')!;
	await h.request('POST', `/api/desks/${desk.id}/open`, {
		token: agent,
		body: { categories: ['A'] }
	});
	const subjects: { token: string; subjectId: string }[] = [];
	for (let i = 0; i < 4; i++) {
		const citizen = await newCitizen(h, `竞评群众${i}`);
		const ticket = (
			await (await take(h, citizen.token, { serviceId: item.id, channel: 'video' })).json()
		).ticket;
		await h.request('POST', `/api/desks/${desk.id}/call-next`, { token: agent });
		const session = (
			await (
				await h.request('POST', '/api/video-sessions', {
					token: agent,
					body: { ticketId: ticket.id }
				})
			).json()
		).session;
		// finishing the ticket ends its session
		expect(
			(await h.request('POST', `/api/queue/tickets/${ticket.id}/finish`, { token: agent })).status
		).toBe(200);
		subjects.push({ token: citizen.token, subjectId: session.id });
	}
	const files = [1, 2].map((score, i) => {
		const f = path.join(h.dir, `ratings-race-${i}.json`);
		const requests = subjects.flatMap((s) => Array.from({ length: 5 }, () => ({ ...s, score })));
		fs.writeFileSync(f, JSON.stringify(requests));
		return f;
	});
	const outputs = await race(
		worker,
		files.map((f) => [raceDatabase(h), String(h.clock.now), f]),
		{ timeoutMs: 90_000 }
	);
	const results = outputs.flatMap((o) =>
		lastJson<{ subjectId: string; status: number; code: string | null }[]>(o)
	);
	expect(results).toHaveLength(40);
	for (const { subjectId } of subjects) {
		const mine = results.filter((r) => r.subjectId === subjectId);
		expect(mine.filter((r) => r.status === 201)).toHaveLength(1);
		expect(mine.filter((r) => r.status === 409 && r.code === 'already_rated')).toHaveLength(9);
		const rows = await h.store.all<{ score: number; followups: number }>(
			`SELECT r.id, r.score, (SELECT count(*) FROM rating_followups f WHERE f.rating_id = r.id) AS followups
			 FROM ratings r WHERE r.subject_type = 'session' AND r.subject_id = ?`,
			[subjectId]
		);
		expect(rows).toHaveLength(1);
		expect(rows[0].followups).toBe(1);
	}
}, 150_000);
