// A fresh app on a fresh SQLite file, with a clock the test moves. Tests that change the hall
// make one per test (beforeEach): seeding the demo hall costs a few tens of milliseconds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { openDatabase, type Db } from '../../server/db/index.ts';
import { migrate } from '../../server/db/migrate.ts';
import type { Deps } from '../../server/deps.ts';
import { seedDemoIfEmpty } from '../../server/demo/seed.ts';
import { DEMO_PASSWORD, demoAccounts } from '../../server/demo/hall.ts';
import { silentLogger } from '../../server/log.ts';
import type { LiveKitGateway } from '../../server/video/livekit.ts';
import type { SmsGateway } from '../../server/notify/sms.ts';
import type { Role } from '../../shared/roles.ts';

export interface RecordingSms extends SmsGateway {
	sent: { phone: string; text: string }[];
}

export function recordingSms(): RecordingSms {
	const sent: { phone: string; text: string }[] = [];
	return {
		sent,
		async send(phone, text) {
			sent.push({ phone, text });
		}
	};
}

export const START = Date.parse('2026-11-26T01:00:00Z');

export interface Harness {
	app: ReturnType<typeof createApp>;
	deps: Deps;
	db: Db;
	dir: string;
	clock: { now: number; advance(ms: number): void };
	/** Every SMS the app sent (the recording implementation of the SMS edge). */
	sms: RecordingSms;
	request(method: string, url: string, opts?: RequestOpts): Promise<Response>;
	loginAs(role: Role): Promise<string>;
	close(): void;
}

export interface RequestOpts {
	body?: unknown;
	token?: string;
	cookie?: string;
	headers?: Record<string, string>;
	ip?: string;
}

export interface HarnessOptions {
	/** Seed the demo hall (default true; ignored with `from`). */
	seed?: boolean;
	env?: Record<string, string>;
	livekit?: LiveKitGateway | null;
	/**
	 * Start from a copy of this harness's database (its rows and signed-in sessions, not its
	 * DATA_DIR files): a data set built once per file, then a fresh copy for every test.
	 */
	from?: Harness;
}

export async function createHarness(opts: HarnessOptions = {}): Promise<Harness> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-api-'));
	const config = loadConfig({ DATA_DIR: dir, NODE_ENV: 'test', ...opts.env });
	if (opts.from) await opts.from.db.backup(config.databasePath);
	const db = openDatabase(config.databasePath);
	migrate(db);
	const clock = {
		now: START,
		advance(ms: number) {
			this.now += ms;
		}
	};
	const sms = recordingSms();
	const deps: Deps = {
		db,
		config,
		now: () => clock.now,
		livekit: opts.livekit ?? null,
		log: silentLogger,
		sms
	};
	if (opts.seed !== false && !opts.from) await seedDemoIfEmpty(deps);
	const app = createApp(deps);

	const request: Harness['request'] = (method, url, o = {}) => {
		const headers: Record<string, string> = { ...o.headers };
		if (o.token) headers.authorization = `Bearer ${o.token}`;
		if (o.cookie) headers.cookie = o.cookie;
		let body: BodyInit | undefined;
		if (o.body !== undefined) {
			headers['content-type'] ??= 'application/json';
			body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
		}
		return Promise.resolve(
			app.request(url, { method, headers, body }, { ip: o.ip ?? '203.0.113.7' })
		);
	};

	return {
		app,
		deps,
		db,
		dir,
		clock,
		sms,
		request,
		async loginAs(role) {
			const account = demoAccounts.find((a) => a.role === role)!;
			const res = await request('POST', '/api/auth/login', {
				body: { login: account.login, password: DEMO_PASSWORD },
				ip: `198.51.100.${ROLE_IP[role]}`
			});
			if (res.status !== 200)
				throw new Error(`login as ${role}: ${res.status} ${await res.text()}`);
			return ((await res.json()) as { token: string }).token;
		},
		close() {
			db.close();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	};
}

const ROLE_IP: Record<Role, number> = {
	citizen: 1,
	agent: 2,
	township: 3,
	supervisor: 4,
	admin: 5
};

export function count(db: Db, table: string): number {
	return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}
