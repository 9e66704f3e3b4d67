// "Only one may win" in the queue, raced by two processes on the run's database (the SQLite
// file, or the PostgreSQL database of the api-postgres run).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import { desksOf } from './queue-helpers.ts';
import { lastJson, race } from './race-runner.ts';

const worker = path.resolve(import.meta.dirname, '../fixtures/queue-race-worker.ts');
let h: Harness;
beforeAll(async () => {
	h = await createHarness();
});
afterAll(() => h.close());

const spawnWorkers = async (argsList: string[][]) =>
	(
		await race(
			worker,
			argsList.map((args) => [
				h.deps.config.dataDir,
				h.deps.config.databaseUrl ?? '-',
				String(h.clock.now),
				...args
			]),
			{ timeoutMs: 90_000 }
		)
	).map((o) => lastJson<string[]>(o));

it('200 tickets from two processes get unique, gap-free codes per category; two desks then call each exactly once', async () => {
	const a = await serviceByCode(h, '370281-XZSP-001'); // category A
	const b = await serviceByCode(h, '370281-RSJ-003'); // category B
	const requests: { token: string; serviceId: string }[] = [];
	for (let i = 0; i < 100; i++) {
		const c = await newCitizen(h);
		requests.push({ token: c.token, serviceId: a.id }, { token: c.token, serviceId: b.id });
	}
	const files = [
		requests.filter((_, i) => i % 2 === 0),
		requests.filter((_, i) => i % 2 === 1)
	].map((share, i) => {
		const f = path.join(h.dir, `issue-${i}.json`);
		fs.writeFileSync(f, JSON.stringify(share));
		return f;
	});
	const codes = (await spawnWorkers(files.map((f) => ['issue', f]))).flat();
	expect(codes).toHaveLength(200);
	const expected = (p: string) =>
		Array.from({ length: 100 }, (_, i) => `${p}${String(i + 1).padStart(3, '0')}`);
	expect(codes.filter((c) => c.startsWith('A')).sort()).toEqual(expected('A'));
	expect(codes.filter((c) => c.startsWith('B')).sort()).toEqual(expected('B'));

	// two agents at two desks call concurrently until nobody waits
	const agent = await h.loginAs('agent');
	const admin = await h.loginAs('admin');
	const desks = await desksOf(h, agent);
	const d1 = desks.find((d) => d.name === '1号窗口')!;
	const d2 = desks.find((d) => d.name === '2号窗口')!;
	await h.request('POST', '/api/admin/staff', {
		token: admin,
		body: {
			username: 'agent.race',
			name: '赛跑',
			role: 'agent',
			orgUnitId: d1.orgUnitId,
			password: 'Agent#2026'
		}
	});
	const agent2 = (
		await (
			await h.request('POST', '/api/auth/login', {
				body: { login: 'agent.race', password: 'Agent#2026' }
			})
		).json()
	).token;
	for (const [token, desk] of [
		[agent, d1.id],
		[agent2, d2.id]
	])
		expect(
			(
				await h.request('POST', `/api/desks/${desk}/open`, {
					token,
					body: { categories: ['A', 'B'] }
				})
			).status
		).toBe(200);
	const [first, second] = await spawnWorkers([
		['call', agent, d1.id],
		['call', agent2, d2.id]
	]);
	const all = [...first, ...second];
	expect(new Set(all).size).toBe(all.length); // nobody called twice
	expect(all).toHaveLength(200); // nobody lost
	expect(first.length).toBeGreaterThan(0);
	expect(second.length).toBeGreaterThan(0);
}, 300_000);
