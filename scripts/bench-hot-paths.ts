// The hall's hot paths through the API, in-process: on a real SQLite file (synchronous = FULL),
// or, with DATABASE_URL set, on that PostgreSQL database (empty: migrated and seeded here). `npm
// run bench:compare` runs it on two commits (SQLite), `npm run bench:engines` on both engines. It
// talks to the app only through HTTP requests and one lookup in SQL, so the same file runs
// against an earlier commit's server code too (one without server/engine.ts: SQLite only).
// Prints one line per path: throughput, p50 and p99.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/index.ts';
import { migrate } from '../server/db/migrate.ts';
import { seedDemoIfEmpty } from '../server/demo/seed.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../server/demo/hall.ts';
import { totpCode, totpStep } from '../server/auth/two-factor.ts';
import { silentLogger } from '../server/log.ts';
import { createLogSmsGateway } from '../server/notify/sms.ts';
import * as storeModule from '../server/db/store.ts';

/** What this file needs of server/engine.ts's Engine (absent on commits before issue 21). */
interface BenchEngine {
	kind: 'sqlite' | 'postgres';
	store: { get<R>(sql: string): Promise<R | undefined> };
	migrate(): Promise<unknown>;
	close(): Promise<void>;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-bench-hot-'));
const databaseUrl = process.env.DATABASE_URL || undefined;
const config = loadConfig({
	DATA_DIR: dir,
	LOGIN_PER_IP_PER_MINUTE: '10000',
	...(databaseUrl ? { DATABASE_URL: databaseUrl } : {})
});
// a Monday, 10:00 in the hall's time zone: the halls are open whenever the bench runs
let clock = Date.parse('2026-11-30T02:00:00Z');
const engineModule = (await import('../server/engine.ts').catch(() => null)) as {
	sqliteEngine?: (d: ReturnType<typeof openDatabase>) => BenchEngine;
	openEngine?: (c: typeof config) => BenchEngine;
} | null;
let db: ReturnType<typeof openDatabase> | null = null;
let engine: BenchEngine | undefined;
let store: unknown;
if (databaseUrl) {
	// PostgreSQL: the engine the hall opens from the same configuration, no SQLite connection
	if (!engineModule?.openEngine)
		throw new Error('DATABASE_URL is set, but this tree has no engine');
	engine = engineModule.openEngine(config);
	await engine.migrate();
	store = engine.store;
} else {
	db = openDatabase(config.databasePath);
	migrate(db);
	// the same file runs on earlier commits: before the awaitable store Deps had no `store`, and
	// before the engine no `engine` (the rules took the connection as `db`)
	store = (storeModule as { sqliteStore?: (d: typeof db) => unknown }).sqliteStore?.(db);
	engine = engineModule?.sqliteEngine?.(db);
}
const deps = {
	db,
	engine,
	store,
	config,
	now: () => clock,
	livekit: null,
	log: silentLogger,
	sms: createLogSmsGateway(silentLogger, config.dataDir)
} as unknown as Parameters<typeof createApp>[0];
await seedDemoIfEmpty(deps);
const app = createApp(deps);

const percentile = (sorted: number[], p: number) =>
	sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))];

async function measure(name: string, n: number, fn: (i: number) => Response | Promise<Response>) {
	const times: number[] = [];
	const start = performance.now();
	for (let i = 0; i < n; i++) {
		const t = performance.now();
		const res = await fn(i);
		times.push(performance.now() - t);
		if (res.status >= 400) throw new Error(`${name}: ${res.status} ${await res.text()}`);
		await res.arrayBuffer();
	}
	const total = performance.now() - start;
	times.sort((a, b) => a - b);
	console.log(
		`${name.padEnd(40)} n=${String(n).padStart(5)}  ${(n / (total / 1000)).toFixed(0).padStart(6)}/s  p50 ${percentile(times, 50).toFixed(2)} ms  p99 ${percentile(times, 99).toFixed(2)} ms`
	);
}

const post = (token: string, body?: unknown) => ({
	method: 'POST',
	headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
	body: body === undefined ? undefined : JSON.stringify(body)
});
const getAs = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

async function signIn(login: string): Promise<string> {
	const res = await app.request('/api/auth/login', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ login, password: DEMO_PASSWORD })
	});
	const body = (await res.json()) as { token: string; secondFactor: string | null };
	if (body.secondFactor === 'verify') {
		const code = totpCode(decodeBase32IgnorePadding(DEMO_TOTP_SECRET), totpStep(clock));
		const verified = await app.request('/api/auth/two-factor/verify', post(body.token, { code }));
		if (verified.status !== 200) throw new Error(`second factor of ${login}: ${verified.status}`);
	}
	return body.token;
}
const agent = await signIn('agent');
const supervisor = await signIn('supervisor');
const citizen = await signIn('13800000001');

const HALL = "SELECT id FROM org_units WHERE code = '370281'";
const hallId = (
	db ? (db.prepare(HALL).get() as { id: string }) : (await engine!.store.get<{ id: string }>(HALL))!
).id;
const service = (
	(await (await app.request('/api/services')).json()) as { items: { id: string; code: string }[] }
).items.find((i) => i.code === '370281-XZSP-001')!;
const desk = (
	(await (await app.request('/api/desks', getAs(agent))).json()) as {
		desks: { id: string; orgUnitId: string; categories: string[] }[];
	}
).desks.find((d) => d.orgUnitId === hallId)!;

console.log(
	`Cloud Hall hot paths on ${databaseUrl ? 'PostgreSQL' : 'SQLite'} (Node ${process.version}, ${os.cpus().length} cores)`
);
await measure('GET /api/me (session check)', 3000, () => app.request('/api/me', getAs(citizen)));
await measure('GET /api/services?q=营业执照', 1000, () =>
	app.request('/api/services?q=' + encodeURIComponent('营业执照'))
);
// issue 25: a term that finds nothing is tried as a typo, then as pinyin initials, over the names
await measure('GET /api/services?q=营业执造 (one typo)', 1000, () =>
	app.request('/api/services?q=' + encodeURIComponent('营业执造'))
);
await measure('GET /api/services?q=yyzz (pinyin initials)', 1000, () =>
	app.request('/api/services?q=yyzz')
);
await measure('GET /api/services/:id/days', 300, () =>
	app.request(`/api/services/${service.id}/days?channel=video`)
);
const ids: string[] = [];
await measure('POST /api/queue/kiosk-tickets (take)', 1000, async () => {
	clock += 50;
	const res = await app.request(
		'/api/queue/kiosk-tickets',
		post(agent, { serviceId: service.id, hallId })
	);
	ids.push(((await res.clone().json()) as { ticket: { id: string } }).ticket.id);
	return res;
});
await measure('GET /api/queue/tickets/:id (1,000 waiting)', 1000, (i) =>
	app.request(`/api/queue/tickets/${ids[(i * 7) % ids.length]}`, getAs(agent))
);
await measure('GET /api/queue/board', 500, () =>
	app.request(`/api/queue/board?hallId=${hallId}`, getAs(agent))
);
await app.request(`/api/desks/${desk.id}/open`, post(agent, { categories: desk.categories }));
await measure('POST call-next + start + finish', 200, async () => {
	clock += 1000;
	const called = await app.request(`/api/desks/${desk.id}/call-next`, post(agent));
	const { ticket } = (await called.json()) as { ticket: { id: string } };
	await app.request(`/api/queue/tickets/${ticket.id}/start`, post(agent));
	return app.request(`/api/queue/tickets/${ticket.id}/finish`, post(agent));
});
await measure('GET /api/stats/live', 300, () => app.request('/api/stats/live', getAs(supervisor)));
await measure('GET /api/cases (citizen)', 1000, () => app.request('/api/cases', getAs(citizen)));
await measure('GET /api/appointments (citizen)', 1000, () =>
	app.request('/api/appointments', getAs(citizen))
);

if (db) db.close();
else await engine!.close();
fs.rmSync(dir, { recursive: true, force: true });
