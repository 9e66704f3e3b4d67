// Outbox claims across processes (issue 21, item 3): several processes deliver the same due
// notices at the same moment against the run's database (the SQLite file, or the run's
// PostgreSQL database); the conditional claim (sent_at set only where it is still null) lets
// each notice go out exactly once: one line per message in sms.log, every notice marked sent.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueueNotice } from '../../server/notify/outbox.ts';
import { smsLogPath } from '../../server/notify/sms.ts';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen, raceDatabase } from './booking-helpers.ts';
import { lastJson, race } from './race-runner.ts';

const worker = path.resolve(import.meta.dirname, '../fixtures/outbox-worker.ts');
const WORKERS = 4;
const CITIZENS = 4;
const PER_CITIZEN = 25;

let h: Harness;
beforeAll(async () => {
	h = await createHarness();
});
afterAll(() => h.close());

function smsLines(): { to: string; text: string }[] {
	const file = smsLogPath(h.dir);
	if (!fs.existsSync(file)) return [];
	return fs
		.readFileSync(file, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((l) => JSON.parse(l) as { to: string; text: string });
}

it(`${WORKERS} processes delivering the same due notices at once send each exactly once`, async () => {
	const citizens = [];
	for (let i = 0; i < CITIZENS; i++) citizens.push(await newCitizen(h));
	const markers: string[] = [];
	for (const [c, citizen] of citizens.entries())
		for (let i = 0; i < PER_CITIZEN; i++) {
			const marker = `竞争事项-${c}-${i}`;
			markers.push(marker);
			await enqueueNotice(h.deps, {
				userId: citizen.id,
				kind: 'case_completed',
				params: { serviceName: marker },
				dueAt: h.clock.now - 1_000,
				key: `outbox-race:${marker}`,
				channels: ['sms', 'in_app']
			});
		}
	const before = smsLines().length;

	const outs = await race(
		worker,
		Array.from({ length: WORKERS }, () => [raceDatabase(h), h.dir, String(h.clock.now)]),
		{ env: process.env }
	);
	const counts = outs.map((o) => lastJson<{ sms: number; inApp: number }>(o));

	// sms.log: every marker's message exactly once, addressed to its citizen
	const sent = smsLines().slice(before);
	for (const [c, citizen] of citizens.entries())
		for (let i = 0; i < PER_CITIZEN; i++) {
			const mine = sent.filter((m) => m.text.includes(`竞争事项-${c}-${i}已办结`));
			expect(mine, `竞争事项-${c}-${i}`).toHaveLength(1);
			expect(mine[0].to).toBe(citizen.phone);
		}
	// the workers' own counts agree with the log: nothing sent twice, nothing lost
	expect(counts.reduce((n, c) => n + c.sms, 0)).toBe(sent.length);
	// the outbox: every notice of ours marked sent, on both channels
	const rows = await h.store.all<{ channel: string; sent_at: number | null }>(
		"SELECT channel, sent_at FROM notifications WHERE dedupe_key LIKE 'outbox-race:%'"
	);
	expect(rows).toHaveLength(markers.length * 2);
	expect(rows.every((r) => r.sent_at !== null)).toBe(true);
	expect(counts.reduce((n, c) => n + c.inApp, 0)).toBeGreaterThanOrEqual(markers.length);
	// more than one process took part (the race really overlapped)
	expect(counts.filter((c) => c.sms + c.inApp > 0).length).toBeGreaterThan(1);
}, 120_000);
