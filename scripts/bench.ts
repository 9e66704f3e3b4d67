// `npm run bench`: figures for the foundation's hot paths, measured in-process against a real
// SQLite file. Prints numbers; asserts nothing (performance goals are read, not unit-tested).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/index.ts';
import { migrate } from '../server/db/migrate.ts';
import { seedDemoIfEmpty } from '../server/demo/seed.ts';
import { silentLogger } from '../server/log.ts';
import { createLogSmsGateway } from '../server/notify/sms.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-bench-'));
const config = loadConfig({ DATA_DIR: dir, LOGIN_PER_IP_PER_MINUTE: '10000' });
const db = openDatabase(config.databasePath);
migrate(db);
const deps = {
	db,
	config,
	now: () => Date.now(),
	livekit: null,
	log: silentLogger,
	sms: createLogSmsGateway(silentLogger)
};
await seedDemoIfEmpty(deps);
const app = createApp(deps);

function percentile(sorted: number[], p: number) {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(name: string, n: number, fn: (i: number) => unknown) {
	const times: number[] = [];
	const start = performance.now();
	for (let i = 0; i < n; i++) {
		const t = performance.now();
		await fn(i);
		times.push(performance.now() - t);
	}
	const total = performance.now() - start;
	times.sort((a, b) => a - b);
	console.log(
		`${name.padEnd(34)} n=${String(n).padStart(5)}  ${(n / (total / 1000)).toFixed(0).padStart(6)}/s  p50 ${percentile(times, 50).toFixed(2)} ms  p99 ${percentile(times, 99).toFixed(2)} ms`
	);
}

const json = (body: unknown) => ({
	method: 'POST',
	headers: { 'content-type': 'application/json' },
	body: JSON.stringify(body)
});

const login = await app.request('/api/auth/login', json({ login: 'agent', password: 'Demo@2026' }));
const { token } = (await login.json()) as { token: string };

console.log(`Cloud Hall foundation benchmark (Node ${process.version}, ${os.cpus().length} cores)`);
await measure('GET /api/me (session check)', 5000, () =>
	app.request('/api/me', { headers: { authorization: `Bearer ${token}` } })
);
await measure('GET /api/health (no LiveKit)', 2000, () => app.request('/api/health'));
await measure('POST /api/auth/login (Argon2id)', 50, () =>
	app.request('/api/auth/login', json({ login: 'agent', password: 'Demo@2026' }))
);
await measure('POST /api/auth/register (Argon2id)', 50, (i) =>
	app.request(
		'/api/auth/register',
		json({ phone: `1590000${String(i).padStart(4, '0')}`, password: 'Bench#2026', name: '压测' })
	)
);
await measure('POST /api/auth/register 400 (invalid)', 2000, () =>
	app.request('/api/auth/register', json({ phone: '1', password: '', name: '' }))
);

const items = (await (await app.request('/api/services')).json()) as {
	items: { id: string; code: string }[];
};
const license = items.items.find((i) => i.code === '370281-XZSP-001')!;
await measure('GET /api/services?q=营业执照 (FTS5)', 2000, () =>
	app.request('/api/services?q=' + encodeURIComponent('营业执照'))
);
await measure('GET /api/services?q=社保 (short term)', 2000, () =>
	app.request('/api/services?q=' + encodeURIComponent('社保'))
);
await measure('GET /api/services/:id/days (14 days)', 500, () =>
	app.request(`/api/services/${license.id}/days?channel=video`)
);

db.close();
fs.rmSync(dir, { recursive: true, force: true });
