import { sqliteEngine } from '../server/engine.ts';
import { sqliteStore } from '../server/db/store.ts';
// One server of `npm run bench:realtime`, run as a child process so its CPU and memory are its
// own: `app` is the hall's Hono app (createApp) on a real SQLite file, `bare` is a Hono
// streamSSE server that pushes from memory with the same heartbeats. The parent talks to it over
// IPC: `call` makes one ticket call reach every open hall stream, `usage` reports CPU and RSS.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { serve } from '@hono/node-server';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/index.ts';
import { migrate } from '../server/db/migrate.ts';
import { seedDemoIfEmpty } from '../server/demo/seed.ts';
import { silentLogger } from '../server/log.ts';
import { createLogSmsGateway } from '../server/notify/sms.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../server/demo/hall.ts';
import { totpCode, totpStep } from '../server/auth/two-factor.ts';

const HEARTBEAT_MS = 15_000;
// Thursday 2026-11-26 10:00 in Shanghai, moving with the wall clock: the hall is open
const START = Date.parse('2026-11-26T02:00:00Z');
const began = Date.now();

interface Server {
	path: string;
	fetch: (req: Request, env?: unknown) => Response | Promise<Response>;
	call(): Promise<void>;
}

async function bareServer(): Promise<Server> {
	const streams = new Set<(event: string, data: string, id: number) => Promise<unknown>>();
	let id = 0;
	const app = new Hono();
	app.get('/events', (c) =>
		streamSSE(c, async (stream) => {
			let open = true;
			const push = (event: string, data: string, eid: number) =>
				stream.writeSSE({ id: String(eid), event, data });
			streams.add(push);
			stream.onAbort(() => {
				open = false;
				streams.delete(push);
			});
			await stream.writeSSE({
				event: 'ready',
				data: JSON.stringify({ lastEventId: id }),
				retry: 2000
			});
			while (open) {
				await stream.sleep(HEARTBEAT_MS);
				if (open) await stream.write(': keep-alive\n\n');
			}
		})
	);
	return {
		path: '/events',
		fetch: app.fetch,
		async call() {
			id++;
			const data = JSON.stringify({
				ticketId: 'x',
				code: `A${id}`,
				category: 'A',
				deskName: '1号窗口'
			});
			for (const push of streams) void push('ticket.called', data, id);
		}
	};
}

async function appServer(): Promise<Server> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-bench-rt-'));
	const config = loadConfig({
		DATA_DIR: dir,
		LOGIN_PER_IP_PER_MINUTE: '10000',
		SMS_CODES_PER_IP_PER_HOUR: '100000',
		REGISTER_PER_IP_PER_HOUR: '100000'
	});
	const db = openDatabase(config.databasePath);
	migrate(db);
	const deps = {
		engine: sqliteEngine(db),
		store: sqliteStore(db),
		config,
		now: () => START + (Date.now() - began),
		livekit: null,
		log: silentLogger,
		sms: createLogSmsGateway(silentLogger, config.dataDir)
	};
	await seedDemoIfEmpty(deps);
	const app = createApp(deps);
	const env = { ip: '203.0.113.7' };
	const request = async (method: string, url: string, token?: string, body?: unknown) => {
		const headers: Record<string, string> = {};
		if (token) headers.authorization = `Bearer ${token}`;
		if (body !== undefined) headers['content-type'] = 'application/json';
		const res = await app.request(
			url,
			{ method, headers, body: body === undefined ? undefined : JSON.stringify(body) },
			env
		);
		if (res.status >= 400) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
		return res.status === 204 ? null : ((await res.json()) as Record<string, never>);
	};
	const login = (await request('POST', '/api/auth/login', undefined, {
		login: 'agent',
		password: DEMO_PASSWORD
	})) as unknown as { token: string; secondFactor: string | null };
	if (login.secondFactor === 'verify') {
		const code = totpCode(decodeBase32IgnorePadding(DEMO_TOTP_SECRET), totpStep(deps.now()));
		await request('POST', '/api/auth/two-factor/verify', login.token, { code });
	}
	const token = login.token;
	const desks = (await request('GET', '/api/desks', token)) as unknown as {
		desks: { id: string; name: string; orgUnitId: string }[];
	};
	const desk = desks.desks.find((d) => d.name === '1号窗口')!;
	const items = (await request('GET', '/api/services')) as unknown as {
		items: { id: string; code: string }[];
	};
	const service = items.items.find((i) => i.code === '370281-XZSP-001')!;
	await request('POST', `/api/desks/${desk.id}/open`, token, { categories: ['A'] });
	let current: string | null = null;
	return {
		path: `/api/queue/events?hallId=${desk.orgUnitId}`,
		fetch: (req) => app.fetch(req, env),
		// untimed set-up: the previous ticket finished and a new one waiting (both announced)
		async prepare() {
			if (current) await request('POST', `/api/queue/tickets/${current}/finish`, token);
			await request('POST', '/api/queue/kiosk-tickets', token, {
				serviceId: service.id,
				hallId: desk.orgUnitId
			});
		},
		async call() {
			const called = (await request(
				'POST',
				`/api/desks/${desk.id}/call-next`,
				token
			)) as unknown as {
				ticket: { id: string };
			};
			current = called.ticket.id;
		}
	} as Server & { prepare(): Promise<void> };
}

const kind = process.argv[2];
const server = kind === 'app' ? await appServer() : await bareServer();
const http = serve({ fetch: server.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
	process.send!({ type: 'listening', port: info.port, path: server.path });
});
http.on('connection', (socket) => socket.setNoDelay(true));

process.on('message', (msg: { type: string; seq: number }) => void onMessage(msg));

async function onMessage(msg: { type: string; seq: number }) {
	if (msg.type === 'prepare') {
		await (server as Server & { prepare?: () => Promise<void> }).prepare?.();
		process.send!({ type: 'prepared', seq: msg.seq });
	} else if (msg.type === 'call') {
		const start = performance.now();
		await server.call();
		process.send!({ type: 'called', seq: msg.seq, ms: performance.now() - start });
	} else if (msg.type === 'usage') {
		const cpu = process.cpuUsage();
		process.send!({
			type: 'usage',
			seq: msg.seq,
			cpuMicros: cpu.user + cpu.system,
			rss: process.memoryUsage.rss()
		});
	} else if (msg.type === 'stop') {
		process.exit(0);
	}
}
