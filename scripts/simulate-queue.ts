import { sqliteEngine } from '../server/engine.ts';
import { sqliteStore } from '../server/db/store.ts';
// `npm run simulate:queue [-- --seed N --hours H --desks D]`: replays a morning of arrivals and
// service times through the real queue code (SQLite file, calling order, estimates), and
// prints how far the estimated wait was from the real wait: the mean absolute error in minutes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { addAccount, createStaff } from '../server/accounts/accounts.ts';
import { hashPassword } from '../server/auth/password.ts';
import { newId } from '../server/ids.ts';
import { createAccountsRepo } from '../server/accounts/repo.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/index.ts';
import { migrate } from '../server/db/migrate.ts';
import type { Deps } from '../server/deps.ts';
import { seedDemoIfEmpty } from '../server/demo/seed.ts';
import { silentLogger } from '../server/log.ts';
import { createLogSmsGateway } from '../server/notify/sms.ts';
import { actOnTicket, callNext, listDesks, openDesk } from '../server/queue/desks.ts';
import { takeTicket } from '../server/queue/queue.ts';
import { createCatalogRepo } from '../server/catalog/repo.ts';
import { zonedTime } from '../shared/dates.ts';
import type { User } from '../shared/schemas/auth.ts';

const { values } = parseArgs({
	options: {
		seed: { type: 'string', default: '7' },
		hours: { type: 'string', default: '3' },
		desks: { type: 'string', default: '2' },
		'arrival-minutes': { type: 'string', default: '3.5' },
		'service-minutes': { type: 'string', default: '6' }
	}
});
const MIN = 60_000;

// mulberry32: a small seeded PRNG, so a run can be repeated exactly
let state = Number(values.seed) >>> 0;
function random() {
	state = (state + 0x6d2b79f5) >>> 0;
	let t = state;
	t = Math.imul(t ^ (t >>> 15), t | 1);
	t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
	return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const exponential = (mean: number) => -Math.log(1 - random()) * mean;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-sim-'));
const config = loadConfig({ DATA_DIR: dir });
const db = openDatabase(config.databasePath);
migrate(db);
const start = zonedTime('2026-11-27', '09:00', config.timeZone); // a Friday
let now = start;
const deps: Deps = {
	engine: sqliteEngine(db),
	store: sqliteStore(db),
	config,
	now: () => now,
	livekit: null,
	log: silentLogger,
	sms: createLogSmsGateway(silentLogger, config.dataDir)
};
await seedDemoIfEmpty(deps);

const hallUnit = (await createAccountsRepo(deps.store).listOrgUnits()).find(
	(o) => o.code === '370281'
)!;
const item = (await createCatalogRepo(deps.store).findItemByCode('370281-XZSP-001'))!;
const deskCount = Number(values.desks);
const agents: User[] = [];
for (let i = 0; i < deskCount; i++)
	agents.push(
		await createStaff(deps, {
			username: `sim${i}`,
			name: `模拟${i}`,
			role: 'agent',
			orgUnitId: hallUnit.id,
			password: 'Simulate#1'
		})
	);
const desks = (await listDesks(deps, agents[0]))
	.filter((d) => d.orgUnitId === hallUnit.id)
	.slice(0, deskCount);
if (desks.length < deskCount) throw new Error(`the demo hall has only ${desks.length} desks`);
for (const [i, d] of desks.entries()) await openDesk(deps, agents[i], d.id, ['A']);

// arrivals over the morning, each with its own service time
const arrivals: { at: number; serviceMs: number }[] = [];
for (
	let t = start + exponential(Number(values['arrival-minutes'])) * MIN;
	t < start + Number(values.hours) * 60 * MIN;
	t += exponential(Number(values['arrival-minutes'])) * MIN
)
	arrivals.push({
		at: t,
		serviceMs: (2 + exponential(Number(values['service-minutes']) - 2)) * MIN
	});
// Simulated citizens are added directly (one password hash for all), as the demo seed does:
// registration proves a phone by SMS, which a simulation has no use for.
const citizens: User[] = [];
const passwordHash = await hashPassword('Simulate#1');
for (let i = 0; i < arrivals.length; i++) {
	const citizen: User = {
		id: newId(),
		role: 'citizen',
		phone: `1770000${String(i).padStart(4, '0')}`,
		username: null,
		name: `群众${i}`,
		orgUnitId: null
	};
	await addAccount(deps, citizen, passwordHash);
	citizens.push(citizen);
}

const tickets = new Map<
	string,
	{ estimate: number; issued: number; serviceMs: number; actual?: number }
>();
const busy: ({ ticketId: string; until: number } | null)[] = desks.map(() => null);
let next = 0;
const STEP = 15_000;
while (
	next < arrivals.length ||
	busy.some(Boolean) ||
	[...tickets.values()].some((t) => t.actual === undefined)
) {
	while (next < arrivals.length && arrivals[next].at <= now) {
		const t = await takeTicket(deps, citizens[next], { serviceId: item.id, channel: 'video' });
		tickets.set(t.id, {
			estimate: t.estimatedWaitMinutes!,
			issued: now,
			serviceMs: arrivals[next].serviceMs
		});
		next++;
	}
	for (const [i, desk] of desks.entries()) {
		const current = busy[i];
		if (current && now >= current.until) {
			await actOnTicket(deps, agents[i], current.ticketId, 'finish');
			busy[i] = null;
		}
		if (!busy[i]) {
			const called = await callNext(deps, agents[i], desk.id);
			if (called) {
				const record = tickets.get(called.id)!;
				record.actual = (now - record.issued) / MIN;
				busy[i] = { ticketId: called.id, until: now + record.serviceMs };
			}
		}
	}
	now += STEP;
	if (now > start + 24 * 60 * MIN) throw new Error('simulation did not finish');
}

const rows = [...tickets.values()];
const mae = rows.reduce((s, r) => s + Math.abs(r.estimate - r.actual!), 0) / rows.length;
const meanWait = rows.reduce((s, r) => s + r.actual!, 0) / rows.length;
console.log(
	`Queue wait-estimate simulation (seed ${values.seed}, ${deskCount} desks, ${values.hours} h)`
);
console.log(`tickets: ${rows.length}`);
console.log(`mean actual wait: ${meanWait.toFixed(1)} min`);
console.log(
	`mean estimated wait: ${(rows.reduce((s, r) => s + r.estimate, 0) / rows.length).toFixed(1)} min`
);
console.log(`mean absolute error: ${mae.toFixed(1)} min`);
db.close();
fs.rmSync(dir, { recursive: true, force: true });
