// End-to-end set-up: build the app, start a real `livekit-server --dev` and the production
// build (`node build`) on free ports with a fresh database and the demo hall. When Chromium or
// LiveKit is missing: with CI=true the run fails; locally the e2e tests say so loudly and skip.
// The database is a SQLite file in DATA_DIR (project e2e) or, through postgres-setup.ts
// (project e2e-postgres), a throwaway PostgreSQL cluster the app reaches by DATABASE_URL.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import {
	findLiveKitBinary,
	freeTcpPort,
	startLiveKit,
	type LiveKitProcess
} from '../../scripts/livekit-process.ts';
import { startPostgres, type PostgresProcess } from '../../scripts/postgres-process.ts';
import { appEntry } from '../../scripts/app-entry.ts';
import { findChromium } from './chromium.ts';

export interface E2EContext {
	skip: string | null;
	baseUrl: string;
	chromium: string;
	livekit: { url: string; apiKey: string; apiSecret: string };
	/** the production build (scripts/app-entry.ts starts it), for tests that start their own app */
	buildDir: string;
	/** the app's DATA_DIR: its sms.log holds every text message (SMS_GATEWAY=log) */
	dataDir: string;
	/** the app's DATABASE_URL on e2e-postgres (its PostgreSQL cluster), else null (SQLite) */
	databaseUrl: string | null;
}

declare module 'vitest' {
	export interface ProvidedContext {
		e2e: E2EContext;
	}
}

const root = path.resolve(import.meta.dirname, '../..');

function shout(lines: string[]) {
	const bar = '!'.repeat(78);
	console.warn(['', bar, ...lines.map((l) => `!! ${l}`), bar, ''].join('\n'));
}

// Generous limits for a slow, busy 2-core machine: a hung build or server fails the run with
// its output instead of waiting forever, a slow one still gets there.
const BUILD_TIMEOUT_MS = 15 * 60_000;
const HEALTHY_WITHIN_MS = 120_000;

async function waitForHealth(url: string, app: ChildProcess, logs: string[]) {
	const deadline = Date.now() + HEALTHY_WITHIN_MS;
	while (Date.now() < deadline) {
		if (app.exitCode !== null) throw new Error(`app exited (${app.exitCode}):\n${logs.join('')}`);
		try {
			const res = await fetch(`${url}/api/health`);
			if (res.ok && (await res.json()).livekit.ok) return;
		} catch {
			/* starting */
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`app did not become healthy within ${HEALTHY_WITHIN_MS} ms:\n${logs.join('')}`);
}

export interface E2EOptions {
	/** run the app on a throwaway PostgreSQL cluster (DATABASE_URL) instead of DATA_DIR's SQLite */
	postgres?: boolean;
}

export default async function setup(project: TestProject, opts: E2EOptions = {}) {
	const chromium = findChromium();
	const livekitBinary = findLiveKitBinary(false);
	const missing = [
		...(chromium ? [] : ['Chromium: apt-get install -y chromium (or set CHROMIUM_PATH)']),
		...(livekitBinary
			? []
			: ['livekit-server: npm run livekit (builds v1.13.5 with Go) or put it on PATH'])
	];
	const none = { url: '', apiKey: '', apiSecret: '' };
	if (missing.length) {
		const message = `End-to-end tests need: ${missing.join('; ')}`;
		if (process.env.CI === 'true')
			throw new Error(`${message} (CI=true: missing tools fail the run)`);
		shout([message, 'SKIPPING the e2e tests. Install the above and run npm test again.']);
		project.provide('e2e', {
			skip: message,
			baseUrl: '',
			chromium: '',
			livekit: none,
			buildDir: '',
			dataDir: '',
			databaseUrl: null
		});
		return;
	}

	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-e2e-'));
	// Inside the project, so the build resolves node_modules like `npm start` does.
	fs.mkdirSync(path.join(root, '.svelte-kit'), { recursive: true });
	const buildDir = fs.mkdtempSync(path.join(root, '.svelte-kit', 'e2e-build-'));
	execFileSync('vite', ['build'], {
		cwd: root,
		// NODE_ENV=production as in `npm run build`: vitest sets it to "test", which would make
		// Vite resolve the "development" export conditions (dev = true in $app/environment)
		env: { ...process.env, NODE_ENV: 'production', HALL_BUILD_DIR: buildDir },
		stdio: ['ignore', 'ignore', 'inherit'],
		timeout: BUILD_TIMEOUT_MS,
		killSignal: 'SIGKILL'
	});

	let livekit: LiveKitProcess | null = null;
	let postgres: PostgresProcess | null = null;
	let app: ChildProcess | null = null;
	const teardown = async () => {
		if (app && app.exitCode === null) {
			// the app lets go of its database connections before the cluster stops
			const exited = new Promise((r) => app!.once('exit', r));
			app.kill('SIGTERM');
			await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
		}
		await livekit?.stop();
		await postgres?.stop();
		fs.rmSync(tmp, { recursive: true, force: true });
		fs.rmSync(buildDir, { recursive: true, force: true });
	};
	try {
		if (opts.postgres) postgres = await startPostgres();
		const port = await freeTcpPort();
		// LiveKit reports joins and leaves to the app's webhook, as in production
		livekit = await startLiveKit(livekitBinary!, {
			webhookUrl: `http://127.0.0.1:${port}/api/livekit/webhook`
		});
		const logs: string[] = [];
		// No ORIGIN: same-origin form and JSON POSTs must work over plain http on localhost. No
		// DATABASE_URL of the caller's: the project says which engine the app runs on.
		const { ORIGIN: _origin, DATABASE_URL: _databaseUrl, ...env } = process.env;
		app = spawn(process.execPath, appEntry(buildDir), {
			cwd: root,
			env: {
				...env,
				NODE_ENV: 'production',
				DEMO: '1',
				// every browser and API call of the suite comes from 127.0.0.1, where a real hall sees
				// one address per citizen: the per-address sign-in limit (30 a minute) would turn a fast
				// run into 429s. The limit itself is tested in the API tests and in
				// production-server.test.ts, on an app of its own.
				LOGIN_PER_IP_PER_MINUTE: '10000',
				// the same for registrations and SMS codes; their limits are tested in the API tests
				SMS_GATEWAY: 'log',
				SMS_CODES_PER_IP_PER_HOUR: '100000',
				REGISTER_PER_IP_PER_HOUR: '100000',
				BODY_SIZE_LIMIT: '12M',
				HOST: '127.0.0.1',
				PORT: String(port),
				DATA_DIR: path.join(tmp, 'data'),
				LIVEKIT_URL: livekit.url,
				LIVEKIT_API_KEY: livekit.apiKey,
				LIVEKIT_API_SECRET: livekit.apiSecret,
				// the hall's data in PostgreSQL; DATA_DIR still holds sms.log and documents
				...(postgres ? { DATABASE_URL: postgres.url } : {})
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		app.stdout?.on('data', (d) => logs.push(String(d)));
		app.stderr?.on('data', (d) => logs.push(String(d)));
		const baseUrl = `http://127.0.0.1:${port}`;
		await waitForHealth(baseUrl, app, logs);
		project.provide('e2e', {
			skip: null,
			baseUrl,
			chromium: chromium!,
			livekit: { url: livekit.url, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret },
			buildDir,
			dataDir: path.join(tmp, 'data'),
			databaseUrl: postgres?.url ?? null
		});
	} catch (err) {
		await teardown();
		throw err;
	}
	return teardown;
}
