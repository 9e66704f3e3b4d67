import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { isDatabaseUnreachable, storageFault } from '../../server/db/faults.ts';
import type { Deps } from '../../server/deps.ts';
import { openPostgresEngine, type Engine } from '../../server/engine.ts';
import { silentLogger } from '../../server/log.ts';
import { createSmsGateway } from '../../server/notify/sms.ts';
import { createLiveKitGateway } from '../../server/video/livekit.ts';
import { freeTcpPort } from '../../scripts/livekit-process.ts';
import { createHarness, START, type Harness } from './harness.ts';

describe('without LiveKit', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await createHarness({ livekit: null });
	});
	afterAll(() => h.close());

	it('health reports the database ok and video unavailable', async () => {
		const res = await h.request('GET', '/api/health');
		expect(res.status).toBe(200);
		const body = await res.json();
		expect(body).toMatchObject({
			status: 'degraded',
			database: {
				ok: true,
				engine: h.engine,
				schemaVersion: expect.any(Number),
				// PostgreSQL: idle until a stream opens on this node, then LISTEN
				events: h.engine === 'postgres' ? expect.stringMatching(/^(idle|listening)$/) : 'file'
			},
			livekit: { configured: false, ok: false }
		});
		expect(body.time).toBe('2026-11-26T09:00:00.000+08:00');
	});

	it('the device check says clearly that video is unavailable', async () => {
		const token = await h.loginAs('citizen');
		const res = await h.request('POST', '/api/device-check/token', { token });
		expect(res.status).toBe(503);
		expect((await res.json()).error.code).toBe('video_unavailable');
	});
});

describe('with a LiveKit that does not answer', () => {
	const livekit = createLiveKitGateway({
		url: 'ws://127.0.0.1:9',
		apiKey: 'devkey',
		apiSecret: 'secret'
	});
	let h: Harness;
	beforeAll(async () => {
		h = await createHarness({
			livekit,
			env: {
				LIVEKIT_URL: 'ws://127.0.0.1:9',
				LIVEKIT_API_KEY: 'devkey',
				LIVEKIT_API_SECRET: 'secret'
			}
		});
	});
	afterAll(() => h.close());

	it('health says LiveKit is down', async () => {
		const body = await (await h.request('GET', '/api/health')).json();
		expect(body.status).toBe('degraded');
		expect(body.livekit).toMatchObject({ configured: true, ok: false, error: expect.any(String) });
	});

	it('refuses a device-check token like a session token: video_unavailable', async () => {
		const token = await h.loginAs('citizen');
		const res = await h.request('POST', '/api/device-check/token', { token });
		expect(res.status).toBe(503);
		expect((await res.json()).error.code).toBe('video_unavailable');
	});
});

describe('with PostgreSQL unreachable', () => {
	// The run's PostgreSQL cluster is shared by every test file, so it is never stopped here: an
	// engine pointed at a port nothing listens on stands for a server that is down.
	let engine: Engine;
	let dir: string;
	let app: ReturnType<typeof createApp>;
	const lines: { event: string; fields?: Record<string, unknown> }[] = [];
	beforeAll(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-pg-down-'));
		const config = loadConfig({
			DATA_DIR: dir,
			NODE_ENV: 'test',
			SMS_GATEWAY: 'log',
			DATABASE_URL: `postgres://hall@127.0.0.1:${await freeTcpPort()}/hall`
		});
		engine = openPostgresEngine(config.databaseUrl!);
		const deps: Deps = {
			engine,
			store: engine.store,
			config,
			now: () => START,
			livekit: null,
			log: (event, fields) => lines.push({ event, fields }),
			sms: createSmsGateway(config.sms, silentLogger, dir)
		};
		app = createApp(deps);
	});
	afterAll(async () => {
		await engine.close();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('health answers 503 and names the database as what is down', async () => {
		const res = await app.request('/api/health', {}, { ip: '203.0.113.7' });
		expect(res.status).toBe(503);
		const body = await res.json();
		expect(body).toMatchObject({
			status: 'down',
			database: { ok: false, engine: 'postgres' },
			storage: { ok: false, error: 'ECONNREFUSED' }
		});
		// logged once per burst by whoever saw it first (this probe, or a request of the other
		// test of this block when it ran first), naming the code
		const faults = lines.filter((l) => l.event === 'storage fault');
		expect(faults.length).toBeGreaterThanOrEqual(1);
		expect(faults.every((l) => l.fields?.code === 'ECONNREFUSED')).toBe(true);
		const seenBy = faults.map((l) => l.fields?.seenBy);
		expect(new Set(seenBy).size).toBe(seenBy.length);
	});

	it('a request that needs the database answers 503 storage_unavailable, never 500', async () => {
		const requests: [string, RequestInit][] = [
			['/api/queue/halls', { method: 'GET' }],
			[
				'/api/auth/login',
				{
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ login: 'admin', password: 'Secret#2026' })
				}
			]
		];
		for (const [url, init] of requests) {
			const res = await app.request(url, init, { ip: '203.0.113.7' });
			expect(res.status).toBe(503);
			expect(res.headers.get('retry-after')).toBe('30');
			const { error } = await res.json();
			expect(error).toEqual({
				code: 'storage_unavailable',
				message: expect.stringMatching(/database cannot be reached.*nothing was saved/)
			});
		}
		expect(lines.some((l) => l.event === 'unhandled error')).toBe(false);
	});
});

describe('what counts as storage being unavailable', () => {
	const error = (message: string, fields: Record<string, unknown> = {}) =>
		Object.assign(new Error(message), fields);

	it('PostgreSQL refusing, dropping or not answering: its SQLSTATE, the socket’s code', () => {
		expect(
			storageFault(error('terminating connection due to administrator command', { code: '57P01' }))
		).toBe('57P01');
		expect(storageFault(error('the database system is starting up', { code: '57P03' }))).toBe(
			'57P03'
		);
		expect(storageFault(error('connection failure', { code: '08006' }))).toBe('08006');
		expect(storageFault(error('could not connect', { code: '08001' }))).toBe('08001');
		expect(
			storageFault(error('could not extend file: No space left on device', { code: '53100' }))
		).toBe('53100');
		expect(
			storageFault(
				error('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED', syscall: 'connect' })
			)
		).toBe('ECONNREFUSED');
		expect(
			storageFault(error('getaddrinfo ENOTFOUND db', { code: 'ENOTFOUND', syscall: 'getaddrinfo' }))
		).toBe('ENOTFOUND');
		// node-postgres's own connection errors carry no code: said as connection_failure
		expect(storageFault(error('Connection terminated unexpectedly'))).toBe('08006');
		expect(storageFault(error('timeout exceeded when trying to connect'))).toBe('08006');
		for (const code of ['57P01', '08006', 'ECONNREFUSED'])
			expect(isDatabaseUnreachable(code)).toBe(true);
		for (const code of ['53100', 'SQLITE_FULL', 'ENOSPC'])
			expect(isDatabaseUnreachable(code)).toBe(false);
	});

	it('a rule’s or a statement’s own error is not: it stays an internal error', () => {
		expect(storageFault(error('duplicate key value', { code: '23505' }))).toBeNull();
		expect(storageFault(error('relation "x" does not exist', { code: '42P01' }))).toBeNull();
		expect(storageFault(error('could not serialize access', { code: '40001' }))).toBeNull();
		expect(
			storageFault(error('permission denied', { code: 'EACCES', syscall: 'connect' }))
		).toBeNull();
		expect(storageFault(error('Connection terminated by the test'))).toBeNull();
		expect(storageFault(new Error('boom'))).toBeNull();
		expect(storageFault(null)).toBeNull();
	});
});
