// PostgreSQL goes away and comes back (issue 21, item 6): while the server is down, requests
// answer 503 storage_unavailable (reads and writes alike, never 500) and /api/health says the
// database is down; once it is back, the same app (nothing recreated) answers again and health
// returns to ok by its own probe. The test starts its own cluster and stops and restarts it
// (never the shared cluster of the api-postgres run), so it is in SQLITE_ONLY.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
	findPostgresBin,
	startPostgres,
	type PostgresProcess
} from '../../scripts/postgres-process.ts';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import type { Deps } from '../../server/deps.ts';
import { seedDemoIfEmpty } from '../../server/demo/seed.ts';
import { DEMO_PASSWORD } from '../../server/demo/hall.ts';
import { openPostgresEngine, type Engine } from '../../server/engine.ts';
import { watchStorage } from '../../server/health/storage.ts';
import { silentLogger } from '../../server/log.ts';
import { createSmsGateway } from '../../server/notify/sms.ts';
import { START } from './clock.ts';

const installed = findPostgresBin() !== null;
/** The storage probe's interval here: short, so recovery is seen within a second or so. */
const PROBE_MS = 200;

let server: PostgresProcess;
let engine: Engine;
let dir: string;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
	if (!installed) return;
	server = await startPostgres();
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-pg-recovery-'));
	engine = openPostgresEngine(server.url);
	await engine.migrate();
	const config = loadConfig({
		DATA_DIR: dir,
		NODE_ENV: 'test',
		SMS_GATEWAY: 'log',
		DATABASE_URL: server.url
	});
	const deps: Deps = {
		engine,
		store: engine.store,
		config,
		now: () => START,
		livekit: null,
		log: silentLogger,
		sms: createSmsGateway(config.sms, silentLogger, config.dataDir)
	};
	await seedDemoIfEmpty(deps);
	app = createApp(deps);
	watchStorage(deps, PROBE_MS);
}, 120_000);

afterAll(async () => {
	if (!installed) return;
	await engine?.close();
	await server?.stop();
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const services = () => app.request('/api/services');
const login = () =>
	app.request('/api/auth/login', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ login: '13800000001', password: DEMO_PASSWORD })
	});
const health = async () => {
	const res = await app.request('/api/health');
	return {
		status: res.status,
		body: (await res.json()) as { database: { ok: boolean; engine: string } }
	};
};

/** Polls until check() holds or the deadline passes; the last value for the assertion. */
async function until<T>(
	get: () => T | Promise<T>,
	check: (v: T) => boolean,
	ms = 15_000
): Promise<T> {
	const deadline = Date.now() + ms;
	for (;;) {
		const v = await get();
		if (check(v) || Date.now() > deadline) return v;
		await new Promise((r) => setTimeout(r, 50));
	}
}

it.skipIf(!installed)(
	'answers 503 storage_unavailable while PostgreSQL is down and recovers by itself when it returns',
	async () => {
		expect((await services()).status).toBe(200);
		expect((await login()).status).toBe(200);
		const up = await until(health, (h) => h.status === 200 && h.body.database.ok);
		expect(up.status).toBe(200);
		expect(up.body.database).toMatchObject({ ok: true, engine: 'postgres' });

		await server.pause();
		try {
			for (const res of [await services(), await login()]) {
				expect(res.status).toBe(503);
				expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
					'storage_unavailable'
				);
			}
			const down = await until(health, (h) => h.status === 503 && !h.body.database.ok);
			expect(down.status).toBe(503);
			expect(down.body.database.ok).toBe(false);
		} finally {
			await server.resume();
		}

		// the same app, nothing recreated: the pool connects again and the probe sees it
		const read = await until(services, (r) => r.status === 200);
		expect(read.status).toBe(200);
		const write = await until(login, (r) => r.status === 200);
		expect(write.status).toBe(200);
		const back = await until(
			health,
			(h) => h.status === 200 && h.body.database.ok,
			10 * PROBE_MS + 5_000
		);
		expect(back.status).toBe(200);
		expect(back.body.database).toMatchObject({ ok: true, engine: 'postgres' });
	},
	60_000
);
