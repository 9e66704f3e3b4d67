// `npm run bench:http`: the production build under concurrent load, each figure as a ratio to a
// reference measured in the same run (issue 19): GET /api/health against a Hono hello-world on
// node:http, and the server-rendered /services (anonymous and signed in) against a page of the
// same build with no data of its own (/assistant: the root layout and one component, no load).
// Three runs; the median and the spread (min–max) of each ratio. Figures are printed, not tested.
//
//   npm run bench:http                      builds into a temp folder first
//   npm run bench:http -- --build <dir>     reuses a build (HALL_BUILD_DIR=<dir> vite build)
//   BENCH_SECONDS=5 BENCH_CONNECTIONS=50 BENCH_RUNS=3
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import {
	findLiveKitBinary,
	freeTcpPort,
	startLiveKit,
	type LiveKitProcess
} from './livekit-process.ts';
import { appEntry } from './app-entry.ts';

const root = path.resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CITIZEN = { login: '13800000001', password: 'Demo@2026' };

const children: ChildProcess[] = [];
let livekit: LiveKitProcess | null = null;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-bench-http-'));
let ownBuild: string | null = null;

async function cleanup() {
	for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
	await livekit?.stop();
	fs.rmSync(tmp, { recursive: true, force: true });
	if (ownBuild) fs.rmSync(ownBuild, { recursive: true, force: true });
}
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));

function buildDir(): string {
	const i = process.argv.indexOf('--build');
	if (i > 0 && process.argv[i + 1]) return path.resolve(process.argv[i + 1]);
	// inside the project, so the build resolves node_modules as `npm start` does
	fs.mkdirSync(path.join(root, '.svelte-kit'), { recursive: true });
	ownBuild = fs.mkdtempSync(path.join(root, '.svelte-kit', 'bench-build-'));
	console.log(`building into ${path.relative(root, ownBuild)} …`);
	execFileSync('npx', ['vite', 'build'], {
		cwd: root,
		env: { ...process.env, NODE_ENV: 'production', HALL_BUILD_DIR: ownBuild },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	return ownBuild;
}

async function waitFor(url: string, child: ChildProcess, logs: string[]) {
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}):\n${logs.join('')}`);
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			/* starting */
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`${url} did not answer within 60 s:\n${logs.join('')}`);
}

function start(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; logs: string[] } {
	const child = spawn(process.execPath, args, {
		cwd: root,
		env,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const logs: string[] = [];
	child.stdout?.on('data', (d) => logs.push(String(d)));
	child.stderr?.on('data', (d) => logs.push(String(d)));
	children.push(child);
	return { child, logs };
}

const HELLO = `
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
const app = new Hono().get('/', (c) => c.text('Hello Hono!'));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
`;

interface Target {
	name: string;
	url: string;
	headers?: Record<string, string>;
	expect404?: boolean;
}

async function load(t: Target, seconds: number): Promise<{ rps: number; p99: number }> {
	const r = await autocannon({
		url: t.url,
		connections: CONNECTIONS,
		duration: seconds,
		headers: t.headers
	});
	const bad = (t.expect404 ? r.requests.total - r['4xx'] : r.non2xx) + r.errors + r.timeouts;
	if (bad) console.warn(`  ${t.name}: ${bad} non-2xx, errors or timeouts of ${r.requests.total}`);
	return { rps: r.requests.average, p99: r.latency.p99 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
	const dir = buildDir();
	const binary = findLiveKitBinary(false);
	if (binary) livekit = await startLiveKit(binary);
	else console.warn('no livekit-server: /api/health runs without LiveKit configured');

	const appPort = await freeTcpPort();
	const { ORIGIN: _origin, ...env } = process.env;
	const app = start(appEntry(dir), {
		...env,
		NODE_ENV: 'production',
		DEMO: '1',
		HOST: '127.0.0.1',
		PORT: String(appPort),
		DATA_DIR: path.join(tmp, 'data'),
		SMS_GATEWAY: 'log',
		...(livekit
			? {
					LIVEKIT_URL: livekit.url,
					LIVEKIT_API_KEY: livekit.apiKey,
					LIVEKIT_API_SECRET: livekit.apiSecret
				}
			: {})
	});
	const base = `http://127.0.0.1:${appPort}`;
	await waitFor(`${base}/api/health`, app.child, app.logs);

	const helloPort = await freeTcpPort();
	const hello = start(['--input-type=module', '-e', HELLO], { ...env, PORT: String(helloPort) });
	await waitFor(`http://127.0.0.1:${helloPort}/`, hello.child, hello.logs);

	const login = await fetch(`${base}/api/auth/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(CITIZEN)
	});
	if (!login.ok) throw new Error(`citizen sign-in: ${login.status} ${await login.text()}`);
	const { token } = (await login.json()) as { token: string };
	const signedIn = { cookie: `hall_session=${token}; lang=zh-CN` };
	const anonymous = { cookie: 'lang=zh-CN' };

	const targets: Target[] = [
		{ name: 'hello-world (Hono, node:http)', url: `http://127.0.0.1:${helloPort}/` },
		{ name: 'GET /api/health', url: `${base}/api/health` },
		// what any /api answer costs in this build before its route does anything: adapter-node,
		// SvelteKit's handle chain (security headers, the cross-site check) and Hono's not-found
		{ name: 'floor: GET /api/nope (404)', url: `${base}/api/nope`, expect404: true },
		{ name: 'floor: GET /assistant', url: `${base}/assistant`, headers: anonymous },
		{ name: 'GET /services anonymous', url: `${base}/services`, headers: anonymous },
		{ name: 'GET /services signed in', url: `${base}/services`, headers: signedIn }
	];
	const ratios: [string, string, string][] = [
		['GET /api/health', 'GET /api/health', 'hello-world (Hono, node:http)'],
		['GET /api/health vs the API floor', 'GET /api/health', 'floor: GET /api/nope (404)'],
		['GET /services anonymous', 'GET /services anonymous', 'floor: GET /assistant'],
		['GET /services signed in', 'GET /services signed in', 'floor: GET /assistant'],
		['floor (a page with no data)', 'floor: GET /assistant', 'hello-world (Hono, node:http)']
	];

	console.log(
		`Cloud Hall HTTP benchmark (Node ${process.version}, ${os.cpus().length} cores, ` +
			`${CONNECTIONS} connections, ${SECONDS} s per target, ${RUNS} runs, LiveKit ${livekit ? 'running' : 'absent'})`
	);
	for (const t of targets) await load(t, 1); // warm-up: JIT, caches, connections

	const rps = new Map<string, number[]>(targets.map((t) => [t.name, []]));
	const runRatios = new Map<string, number[]>(ratios.map(([n]) => [n, []]));
	for (let run = 1; run <= RUNS; run++) {
		console.log(`run ${run}`);
		for (const t of targets) {
			const r = await load(t, SECONDS);
			rps.get(t.name)!.push(r.rps);
			console.log(`  ${t.name.padEnd(32)} ${r.rps.toFixed(0).padStart(7)} req/s  p99 ${r.p99} ms`);
		}
		for (const [name, a, b] of ratios) {
			const list = rps.get(a)!;
			runRatios.get(name)!.push(list[list.length - 1] / rps.get(b)!.at(-1)!);
		}
	}

	console.log('\n| path | req/s (median) |');
	console.log('|---|---|');
	for (const t of targets) console.log(`| ${t.name} | ${median(rps.get(t.name)!).toFixed(0)} |`);
	console.log('\n| ratio | median | spread (min–max) |');
	console.log('|---|---|---|');
	for (const [name, , b] of ratios) {
		const xs = runRatios.get(name)!;
		const f = (x: number) => x.toFixed(3);
		console.log(
			`| ${name.replace(/ vs the API floor$/, '')} ÷ ${b.replace(/^floor: /, '')} | ${f(median(xs))} | ${f(Math.min(...xs))}–${f(Math.max(...xs))} |`
		);
	}
} finally {
	await cleanup();
}
