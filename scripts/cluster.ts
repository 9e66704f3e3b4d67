// `npm run cluster`: a whole city on one machine (issue 22, item 4). A throwaway PostgreSQL, a
// Redis, two LiveKit nodes sharing it, two app nodes (the production build as `npm start` runs it)
// on the one database, and nginx in front balancing them round robin, all on free ports. Prints
// the URLs and stops everything again on Ctrl-C. startCity is the same city for programs: the
// cross-node e2e test (tests/e2e/cluster-setup.ts) and `npm run bench:cluster` start it, kill
// and restart app nodes in it and stop it. How the same pieces run on real hosts: README
// "Running a city".
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
	findLiveKitBinary,
	freeTcpPort,
	startLiveKitCluster,
	type LiveKitCluster,
	type LiveKitProcess
} from './livekit-process.ts';
import { startBalancer, type Balancer } from './nginx-process.ts';
import { startPostgres, type PostgresProcess } from './postgres-process.ts';
import { startRedis, type RedisProcess } from './redis-process.ts';
import { appEntry } from './app-entry.ts';

const root = path.resolve(import.meta.dirname, '..');

/** One app node of the city: the build (scripts/app-entry.ts) on a port of its own. */
export interface CityNode {
	/** 'A', 'B', … */
	name: string;
	/** http://127.0.0.1:<port>, the node itself (the balancer's upstream) */
	url: string;
	port: number;
	/** its DATA_DIR (sms.log and the health probe's file; documents are in PostgreSQL) */
	dataDir: string;
	/** the LiveKit node its video tokens and RoomService calls go to */
	livekitUrl: string;
	/** false after killNode until restartNode */
	readonly running: boolean;
}

export interface City {
	/** http://127.0.0.1:<port>: nginx in front of the app nodes, the city's address */
	balancerUrl: string;
	nodes: CityNode[];
	livekit: {
		nodes: LiveKitProcess[];
		apiKey: string;
		apiSecret: string;
	};
	/** postgres://… of the city's database */
	databaseUrl: string;
	/** redis://… LiveKit's nodes share */
	redisUrl: string;
	/** the production build the app nodes run */
	buildDir: string;
	/**
	 * Ends app node i without warning (SIGKILL, a crashed host) or by the signal given (SIGTERM:
	 * a rolling restart's stop); resolves once the process is gone, with how it went (a node
	 * still there 10 s after SIGTERM is SIGKILLed: `forced`).
	 */
	killNode(i: number, signal?: NodeJS.Signals): Promise<NodeExit>;
	/** Starts app node i again on the same port and DATA_DIR; resolves once it is healthy. */
	restartNode(i: number): Promise<void>;
	/** Stops everything (app nodes, balancer, LiveKit, Redis, PostgreSQL) and removes temp folders. */
	stop(): Promise<void>;
}

/** How an app node ended (null when it was not running). */
export type NodeExit = {
	/** ms from the signal to the process's exit */
	ms: number;
	/** its exit code, or the signal that ended it */
	code: number | null;
	signal: NodeJS.Signals | null;
	/** it outlived the grace period and was SIGKILLed */
	forced: boolean;
} | null;

export interface CityOptions {
	/** app nodes (default 2) */
	appNodes?: number;
	/** LiveKit nodes (default 2); app node i talks to LiveKit node i mod this */
	livekitNodes?: number;
	/** the production build to run (default: build/ of the repository) */
	buildDir?: string;
	/** 'missing' (default): build only when buildDir has no index.js; 'always'; 'never' */
	build?: 'missing' | 'always' | 'never';
	/** extra environment of every app node (e.g. the tests' raised per-address limits) */
	env?: Record<string, string>;
	/** the balancer's port (default: a free one) */
	port?: number;
	/** every line of every process, named by its source ('app A', 'livekit 1', 'nginx', …) */
	log?: (source: string, line: string) => void;
	/** passed the build's and the start's progress, one line each */
	progress?: (line: string) => void;
}

// A slow, busy 2-core machine: a hung build or start fails with its output instead of waiting.
const BUILD_TIMEOUT_MS = 15 * 60_000;
const HEALTHY_WITHIN_MS = 120_000;

/** `vite build` of the hall into outDir (NODE_ENV=production as in `npm run build`). */
export function buildApp(outDir: string): Promise<void> {
	const vite = path.join(root, 'node_modules', '.bin', 'vite');
	return new Promise((resolve, reject) => {
		const child = spawn(vite, ['build'], {
			cwd: root,
			env: { ...process.env, NODE_ENV: 'production', HALL_BUILD_DIR: outDir },
			stdio: ['ignore', 'ignore', 'pipe']
		});
		let stderr = '';
		child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-8000)));
		const timer = setTimeout(() => child.kill('SIGKILL'), BUILD_TIMEOUT_MS);
		child.once('exit', (code, signal) => {
			clearTimeout(timer);
			if (code === 0) resolve();
			else reject(new Error(`vite build failed (${code ?? signal}):\n${stderr}`));
		});
	});
}

/** The caller's settings that would point an app node elsewhere or change how it reads requests. */
const NOT_INHERITED = [
	'ORIGIN',
	'DATABASE_URL',
	'DATA_DIR',
	'ADDRESS_HEADER',
	'XFF_DEPTH',
	'PROTOCOL_HEADER',
	'HOST_HEADER',
	'PORT_HEADER',
	'HOST',
	'PORT',
	'LIVEKIT_URL',
	'LIVEKIT_PUBLIC_URL',
	'LIVEKIT_API_KEY',
	'LIVEKIT_API_SECRET',
	'NODE_OPTIONS'
];

function inheritedEnv(): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [k, v] of Object.entries(process.env))
		if (v !== undefined && !NOT_INHERITED.includes(k)) env[k] = v;
	return env;
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string) {
	const deadline = Date.now() + HEALTHY_WITHIN_MS;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(
				`app node ${url} exited (${child.exitCode ?? child.signalCode}):\n${output()}`
			);
		try {
			const res = await fetch(`${url}/api/health`);
			if (res.ok && (await res.json()).livekit?.ok) return;
		} catch {
			/* starting */
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(
		`app node ${url} did not become healthy in ${HEALTHY_WITHIN_MS} ms:\n${output()}`
	);
}

export async function startCity(opts: CityOptions = {}): Promise<City> {
	const appCount = opts.appNodes ?? 2;
	const livekitCount = opts.livekitNodes ?? 2;
	const log = opts.log ?? (() => {});
	const progress = opts.progress ?? (() => {});
	const buildDir = path.resolve(opts.buildDir ?? path.join(root, 'build'));
	const built = fs.existsSync(path.join(buildDir, 'index.js'));
	if (opts.build === 'always' || (!built && opts.build !== 'never')) {
		progress(`building the app into ${path.relative(root, buildDir) || buildDir} (minutes) …`);
		await buildApp(buildDir);
	} else if (!built) throw new Error(`no build in ${buildDir} (npm run build, or --build)`);
	const livekitBinary = findLiveKitBinary(false);
	if (!livekitBinary)
		throw new Error(
			'livekit-server not found: npm run livekit (builds it with Go) or put it on PATH'
		);

	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-city-'));
	let postgres: PostgresProcess | null = null;
	let redis: RedisProcess | null = null;
	let livekit: LiveKitCluster | null = null;
	let balancer: Balancer | null = null;
	const processes: (ChildProcess | null)[] = [];

	const endApp = async (i: number, signal: NodeJS.Signals): Promise<NodeExit> => {
		const child = processes[i];
		if (!child || child.exitCode !== null || child.signalCode !== null) return null;
		const exited = new Promise<[number | null, NodeJS.Signals | null]>((r) =>
			child.once('exit', (code, sig) => r([code, sig]))
		);
		const from = performance.now();
		child.kill(signal);
		// a node lets go of its database connections and streams within seconds; then it is ended
		let forced = false;
		const force = setTimeout(() => {
			forced = true;
			child.kill('SIGKILL');
		}, 10_000);
		const [code, sig] = await exited;
		clearTimeout(force);
		return { ms: Math.round(performance.now() - from), code, signal: sig, forced };
	};
	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		await Promise.all(processes.map((_, i) => endApp(i, 'SIGTERM')));
		await balancer?.stop();
		await livekit?.stop();
		await redis?.stop();
		await postgres?.stop();
		fs.rmSync(tmp, { recursive: true, force: true });
	};

	try {
		progress('starting PostgreSQL …');
		postgres = await startPostgres();
		progress('starting Redis …');
		redis = await startRedis({ log: (l) => log('redis', l) });
		// LiveKit's webhooks go to the balancer, as a real city's go to its public address: any
		// app node takes them. Its port is drawn now, nginx starts on it once the nodes are up.
		const balancerPort = opts.port ?? (await freeTcpPort());
		const balancerUrl = `http://127.0.0.1:${balancerPort}`;
		progress(`starting ${livekitCount} LiveKit nodes …`);
		livekit = await startLiveKitCluster(livekitBinary, {
			redisAddress: redis.address,
			webhookUrl: `${balancerUrl}/api/livekit/webhook`,
			nodes: livekitCount,
			log: (line, node) => log(`livekit ${node + 1}`, line)
		});
		const lk = livekit.nodes;

		const nodes: CityNode[] = [];
		const outputs: string[] = [];
		const envs: Record<string, string>[] = [];
		const launch = (i: number) => {
			const child = spawn(process.execPath, appEntry(buildDir), {
				cwd: root,
				env: envs[i],
				stdio: ['ignore', 'pipe', 'pipe']
			});
			const take = (d: Buffer) => {
				outputs[i] = (outputs[i] + d).slice(-8000);
				for (const line of String(d).split('\n'))
					if (line.trim()) log(`app ${nodes[i].name}`, line);
			};
			child.stdout?.on('data', take);
			child.stderr?.on('data', take);
			processes[i] = child;
			return child;
		};
		for (let i = 0; i < appCount; i++) {
			const port = await freeTcpPort();
			const name = String.fromCharCode(65 + i);
			const dataDir = path.join(tmp, `data-${name.toLowerCase()}`);
			const video = lk[i % lk.length];
			const node: CityNode = {
				name,
				url: `http://127.0.0.1:${port}`,
				port,
				dataDir,
				livekitUrl: video.url,
				get running() {
					const child = processes[i];
					return !!child && child.exitCode === null && child.signalCode === null;
				}
			};
			nodes.push(node);
			outputs.push('');
			envs.push({
				...inheritedEnv(),
				NODE_ENV: 'production',
				DEMO: '1',
				SMS_GATEWAY: 'log',
				BODY_SIZE_LIMIT: '12M',
				HOST: '127.0.0.1',
				PORT: String(port),
				DATA_DIR: dataDir,
				DATABASE_URL: postgres.url,
				// its own LiveKit node first (RoomService and the browsers' address), then the others:
				// a page served by this node may get its token from another app node, whose LiveKit
				// node this node's Content-Security-Policy must allow too
				LIVEKIT_URL: [video, ...lk.filter((other) => other !== video)].map((n) => n.url).join(','),
				LIVEKIT_API_KEY: video.apiKey,
				LIVEKIT_API_SECRET: video.apiSecret,
				// behind nginx: the client's address is the right-most X-Forwarded-For entry (the one
				// nginx appends), so per-address limits count citizens, not the balancer. No ORIGIN:
				// a node answers under whatever host it is reached by (balancer or its own port),
				// nginx passes the Host on, and the hall's CSRF check compares Origin with it.
				ADDRESS_HEADER: 'x-forwarded-for',
				XFF_DEPTH: '1',
				PROTOCOL_HEADER: 'x-forwarded-proto',
				...opts.env
			});
			// one after another: the first node migrates the empty database and seeds the demo
			// hall; the next finds both done
			progress(`starting app node ${name} …`);
			const child = launch(i);
			await waitForHealth(node.url, child, () => outputs[i]);
		}

		progress('starting the balancer (nginx) …');
		balancer = await startBalancer({
			upstreams: nodes.map((n) => n.url),
			port: balancerPort,
			log: (l) => log('nginx', l)
		});

		return {
			balancerUrl: balancer.url,
			nodes,
			livekit: { nodes: lk, apiKey: lk[0].apiKey, apiSecret: lk[0].apiSecret },
			databaseUrl: postgres.url,
			redisUrl: redis.url,
			buildDir,
			killNode: (i, signal = 'SIGKILL') => endApp(i, signal),
			async restartNode(i) {
				if (nodes[i].running) throw new Error(`app node ${nodes[i].name} is running`);
				outputs[i] = '';
				const child = launch(i);
				await waitForHealth(nodes[i].url, child, () => outputs[i]);
			},
			stop
		};
	} catch (err) {
		await stop();
		throw err;
	}
}

function printCity(city: City) {
	const lines = [
		'',
		'Cloud Hall: a city on one machine',
		`  the city (nginx, round robin)  ${city.balancerUrl}`,
		...city.nodes.map(
			(n) => `  app node ${n.name}                    ${n.url}   (video: ${n.livekitUrl})`
		),
		...city.livekit.nodes.map(
			(n, i) =>
				`  LiveKit node ${i + 1}                ${n.url}   (${n.nodeId}; RTC tcp ${n.rtcTcpPort}, udp ${n.rtcUdpPort})`
		),
		`  PostgreSQL                    ${city.databaseUrl}`,
		`  Redis (LiveKit's)             ${city.redisUrl}`,
		'',
		`Open ${city.balancerUrl} . Demo accounts (DEMO=1, password Demo@2026): citizen 13800000001;`,
		'staff agent, township, supervisor, admin with a second factor (npm run demo:code prints the',
		'current code; README "Demo accounts"). Text messages go to each node\'s DATA_DIR/sms.log:',
		...city.nodes.map((n) => `  node ${n.name}: ${path.join(n.dataDir, 'sms.log')}`),
		'',
		'Ctrl-C stops the city and removes its data.',
		''
	];
	console.log(lines.join('\n'));
}

async function main() {
	const { values } = parseArgs({
		options: {
			build: { type: 'boolean', default: false },
			verbose: { type: 'boolean', short: 'v', default: false },
			port: { type: 'string' },
			help: { type: 'boolean', short: 'h', default: false }
		}
	});
	if (values.help) {
		console.log(
			[
				'npm run cluster [-- --build] [--port N] [--verbose]',
				'  --build    build the app first even if build/ has one',
				'  --port N   the balancer listens on N (default: a free port)',
				'  --verbose  print every line of every process'
			].join('\n')
		);
		return;
	}
	let city: City | null = null;
	let stopping = false;
	const shutdown = async (code: number) => {
		if (stopping) return;
		stopping = true;
		// still starting: startCity's own clean-up or the line after it stops what is up
		if (!city) return;
		console.log('\nstopping the city: app nodes, balancer, LiveKit, Redis, PostgreSQL …');
		await city.stop();
		process.exit(code);
	};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
		process.on(signal, () => void shutdown(0));
	try {
		city = await startCity({
			build: values.build ? 'always' : 'missing',
			port: values.port ? Number(values.port) : undefined,
			progress: (line) => console.log(line),
			log: values.verbose ? (source, line) => console.log(`[${source}] ${line}`) : undefined
		});
	} catch (err) {
		console.error(`cloud-hall cluster: ${(err as Error).message}`);
		process.exit(1);
	}
	if (stopping) {
		await city.stop();
		process.exit(0);
	}
	printCity(city);
}

// run as `node scripts/cluster.ts`; imported (tests, benchmarks) it only exports startCity
if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) await main();
