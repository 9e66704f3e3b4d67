// A fresh app on a fresh database, with a clock the test moves. Tests that change the hall make
// one per test (beforeEach): seeding the demo hall costs a few tens of milliseconds. The engine
// is SQLite (a fresh file) in the api project, and PostgreSQL (a fresh database copied from a
// template the run's set-up built, tests/api/postgres-setup.ts) in the api-postgres project.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { inject } from 'vitest';
import { openDatabase, type Db } from '../../server/db/index.ts';
import type { Store } from '../../server/db/store.ts';
import { openPostgresEngine, sqliteEngine, type Engine } from '../../server/engine.ts';
import { migrate } from '../../server/db/migrate.ts';
import type { Deps } from '../../server/deps.ts';
import { seedDemoIfEmpty } from '../../server/demo/seed.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, demoAccounts } from '../../server/demo/hall.ts';
import { totpCode, totpStep } from '../../server/auth/two-factor.ts';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { silentLogger } from '../../server/log.ts';
import type { LiveKitGateway } from '../../server/video/livekit.ts';
import { createSmsGateway, smsLogPath, type SmsGateway } from '../../server/notify/sms.ts';
import type { Role } from '../../shared/roles.ts';

export interface RecordingSms extends SmsGateway {
	/** key: the idempotency key the sender gave (a notice's id) */
	sent: { phone: string; text: string; key?: string }[];
}

/**
 * The configured gateway (SMS_GATEWAY=log unless a test says otherwise: DATA_DIR/sms.log), with
 * what it was given also kept in memory for assertions. Without a gateway it records nothing.
 */
export function recordingSms(inner?: SmsGateway): RecordingSms {
	const sent: RecordingSms['sent'] = [];
	return {
		sent,
		kind: inner?.kind ?? 'log',
		delivers: false,
		async send(phone, text, opts) {
			await inner?.send(phone, text, opts);
			sent.push({ phone, text, ...(opts?.idempotencyKey ? { key: opts.idempotencyKey } : {}) });
		}
	};
}

/** The code in the last message sms.log holds for a phone, read as an outside tool would. */
export function lastSmsCode(dataDir: string, phone: string): string | null {
	const file = smsLogPath(dataDir);
	if (!fs.existsSync(file)) return null;
	const lines = fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean);
	const mine = lines
		.map((l) => JSON.parse(l) as { to: string; text: string })
		.filter((m) => m.to === phone);
	return mine.at(-1)?.text.match(/\d{6}/)?.[0] ?? null;
}

export { START } from './clock.ts';
import { START } from './clock.ts';

export interface Harness {
	app: ReturnType<typeof createApp>;
	deps: Deps;
	/** the engine's store (the database as rules see it; for setup and assertions on both engines) */
	store: Store;
	/** SQLite only: the raw connection (a test that needs it runs on SQLite alone) */
	db: Db;
	/** 'sqlite' or 'postgres': the engine this run of the test uses */
	engine: Engine['kind'];
	dir: string;
	clock: { now: number; advance(ms: number): void };
	/** Every SMS the app sent (the recording implementation of the SMS edge). */
	sms: RecordingSms;
	request(method: string, url: string, opts?: RequestOpts): Promise<Response>;
	loginAs(role: Role): Promise<string>;
	close(): Promise<void>;
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
	const postgres = inject('postgres');
	const postgresName = postgres ? `h_${randomUUID().replaceAll('-', '').slice(0, 20)}` : null;
	const config = loadConfig({
		DATA_DIR: dir,
		NODE_ENV: 'test',
		SMS_GATEWAY: 'log',
		// on PostgreSQL the harness's own database: what a worker process of a race test opens too
		...(postgres
			? { DATABASE_URL: postgres.adminUrl.replace(/\/[^/]+$/, `/${postgresName}`) }
			: {}),
		...opts.env
	});
	let engine: Engine;
	let db: Db | null = null;
	let seeded = false;
	let dropDatabase = async () => {};
	if (postgres && postgresName && config.databaseUrl) {
		const name = postgresName;
		// the demo hall seeded once for the run (at this clock's start), unless a test's settings
		// could change what the seed writes
		const template = opts.from
			? postgresNameOf.get(opts.from)!
			: opts.seed !== false && !opts.env
				? postgres.seeded
				: postgres.schema;
		seeded = template === postgres.seeded || !!opts.from;
		await createDatabaseFrom(postgres.adminUrl, name, template);
		engine = openPostgresEngine(config.databaseUrl, { poolSize: 4 });
		dropDatabase = () => dropPostgresDatabase(postgres.adminUrl, name);
	} else {
		if (opts.from) await opts.from.db.backup(config.databasePath);
		db = openDatabase(config.databasePath);
		migrate(db);
		engine = sqliteEngine(db);
	}
	const clock = {
		now: START,
		advance(ms: number) {
			this.now += ms;
		}
	};
	const sms = recordingSms(createSmsGateway(config.sms, silentLogger, config.dataDir));
	const deps: Deps = {
		engine,
		store: engine.store,
		config,
		now: () => clock.now,
		livekit: opts.livekit ?? null,
		log: silentLogger,
		sms
	};
	if (opts.seed !== false && !opts.from && !seeded) await seedDemoIfEmpty(deps);
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

	// a copy of another harness's database holds that harness's sessions, so its tokens still work
	const roleTokens = new Map(opts.from ? signedInRoles.get(opts.from) : []);
	const harness: Harness = {
		app,
		deps,
		store: engine.store,
		get db(): Db {
			if (!db)
				throw new Error(
					'This test reads the SQLite connection (h.db): use h.store, which runs on both engines'
				);
			return db;
		},
		engine: engine.kind,
		dir,
		clock,
		sms,
		request,
		async loginAs(role) {
			// The clock stands still in a test, so each staff account has only three unused codes
			// (steps c-1, c, c+1): a role's session is reused while it is still signed in.
			const cached = roleTokens.get(role);
			if (cached && (await request('GET', '/api/me', { token: cached })).status === 200)
				return cached;
			const account = demoAccounts.find((a) => a.role === role)!;
			const ip = `198.51.100.${ROLE_IP[role]}`;
			const res = await request('POST', '/api/auth/login', {
				body: { login: account.login, password: DEMO_PASSWORD },
				ip
			});
			if (res.status !== 200)
				throw new Error(`login as ${role}: ${res.status} ${await res.text()}`);
			const signed = (await res.json()) as { token: string; secondFactor: string | null };
			if (signed.secondFactor === 'verify')
				await completeSecondFactor(harness, signed.token, DEMO_TOTP_SECRET, ip);
			else if (signed.secondFactor)
				throw new Error(`login as ${role}: second factor ${signed.secondFactor} asked`);
			roleTokens.set(role, signed.token);
			return signed.token;
		},
		async close() {
			await engine.close();
			await dropDatabase();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	};
	signedInRoles.set(harness, roleTokens);
	if (postgresName) postgresNameOf.set(harness, postgresName);
	return harness;
}

/** Per harness, the token loginAs last got for each role. */
const signedInRoles = new WeakMap<Harness, Map<Role, string>>();

/**
 * Gives the TOTP code of `secret` (base32) for a session awaiting its second factor, as an
 * authenticator app would at the harness clock: the codes of steps c-1, c and c+1 in turn,
 * moving on while the account already used one.
 */
export async function completeSecondFactor(
	h: Pick<Harness, 'request' | 'clock'>,
	token: string,
	secret: string,
	ip?: string
): Promise<void> {
	const key = decodeBase32IgnorePadding(secret);
	const current = totpStep(h.clock.now);
	for (const step of [current - 1, current, current + 1]) {
		const res = await h.request('POST', '/api/auth/two-factor/verify', {
			token,
			body: { code: totpCode(key, step) },
			ip
		});
		if (res.status === 200) return;
		const body = await res.text();
		if (!body.includes('"code_already_used"'))
			throw new Error(`second factor: ${res.status} ${body}`);
	}
	throw new Error('second factor: the codes of this moment are used up; advance the clock');
}

const ROLE_IP: Record<Role, number> = {
	citizen: 1,
	agent: 2,
	township: 3,
	supervisor: 4,
	admin: 5,
	grid: 6
};

/** The rows of a table, on either engine. */
export async function count(store: Store, table: string): Promise<number> {
	return (await store.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;
}

/** PostgreSQL: each harness's database name, so another harness can start from a copy of it. */
const postgresNameOf = new WeakMap<Harness, string>();

/** CREATE DATABASE name TEMPLATE template (no one may be connected to the template meanwhile). */
async function createDatabaseFrom(adminUrl: string, name: string, template: string) {
	const admin = openPostgresEngine(adminUrl, { poolSize: 1 });
	try {
		// a harness copied from another: that one's idle connections would block the copy
		await admin.store.run(
			'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()',
			[template]
		);
		await admin.store.run(`CREATE DATABASE ${name} TEMPLATE ${template}`);
	} finally {
		await admin.close();
	}
}

async function dropPostgresDatabase(adminUrl: string, name: string) {
	const admin = openPostgresEngine(adminUrl, { poolSize: 1 });
	try {
		await admin.store.run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
	} finally {
		await admin.close();
	}
}
