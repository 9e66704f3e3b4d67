// Set-up of project e2e-cluster: a whole city on this machine (scripts/cluster.ts startCity):
// PostgreSQL, Redis, two LiveKit nodes, two app nodes of a fresh production build and nginx in
// front. The shared e2e helpers (hall.ts, scenes.ts) reach app node A directly, its DATA_DIR
// holding the text messages they read; the browsers go through the balancer. A small control
// endpoint lets the test kill and restart app nodes, which live in this process.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { findLiveKitBinary } from '../../scripts/livekit-process.ts';
import { NGINX_BINARY } from '../../scripts/nginx-process.ts';
import { findPostgresBin } from '../../scripts/postgres-process.ts';
import { findRedisServer } from '../../scripts/redis-process.ts';
import { startCity, type City } from '../../scripts/cluster.ts';
import { findChromium } from './chromium.ts';
import type { E2EContext } from './global-setup.ts';

export interface ClusterContext {
	/** the city's address: nginx, round robin over the app nodes */
	balancerUrl: string;
	nodes: { name: string; url: string; dataDir: string }[];
	livekit: { url: string; nodeId: string }[];
	/** the LiveKit cluster's key pair (RoomService calls of the test) */
	livekitKey: { apiKey: string; apiSecret: string };
	/** 127.0.0.1:port of LiveKit's Redis (room placement, scripts/livekit-cluster-state.ts) */
	redisAddress: string;
	/**
	 * POST <control>/kill/<i> (SIGKILL), /stop/<i> (SIGTERM, a rolling restart's stop) end app
	 * node i and answer how it ended (cluster.ts NodeExit, JSON); /restart/<i> starts it again
	 */
	control: string;
}

declare module 'vitest' {
	export interface ProvidedContext {
		cluster: ClusterContext;
	}
}

const root = path.resolve(import.meta.dirname, '../..');

function shout(lines: string[]) {
	const bar = '!'.repeat(78);
	console.warn(['', bar, ...lines.map((l) => `!! ${l}`), bar, ''].join('\n'));
}

/** Kill and restart of app nodes for the test process, on 127.0.0.1 only. */
function controlServer(city: City): Promise<{ url: string; close(): Promise<void> }> {
	const server = http.createServer((req, res) => {
		const match = /^\/(kill|stop|restart)\/(\d+)$/.exec(req.url ?? '');
		const i = Number(match?.[2]);
		if (req.method !== 'POST' || !match || !city.nodes[i]) {
			res.writeHead(404).end();
			return;
		}
		const done =
			match[1] === 'restart'
				? city.restartNode(i)
				: city.killNode(i, match[1] === 'kill' ? 'SIGKILL' : 'SIGTERM');
		done.then(
			(exit) =>
				res
					.writeHead(200, { 'content-type': 'application/json' })
					.end(JSON.stringify(exit ?? null)),
			(err: Error) => res.writeHead(500).end(err.message)
		);
	});
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			resolve({
				url: `http://127.0.0.1:${port}`,
				close: () =>
					new Promise<void>((r) => {
						server.closeAllConnections();
						server.close(() => r());
					})
			});
		})
	);
}

export default async function setup(project: TestProject) {
	const chromium = findChromium();
	const missing = [
		...(chromium ? [] : ['Chromium: apt-get install -y chromium (or set CHROMIUM_PATH)']),
		...(findLiveKitBinary(false) ? [] : ['livekit-server: npm run livekit']),
		...(fs.existsSync(NGINX_BINARY) ? [] : ['nginx: apt-get install -y nginx']),
		...(findRedisServer() ? [] : ['Redis: apt-get install -y redis-server']),
		...(findPostgresBin() ? [] : ['PostgreSQL: apt-get install -y postgresql postgresql-contrib'])
	];
	if (missing.length) {
		const message = `The cross-node e2e test needs: ${missing.join('; ')}`;
		if (process.env.CI === 'true')
			throw new Error(`${message} (CI=true: missing tools fail the run)`);
		shout([message, 'SKIPPING the e2e-cluster tests. Install the above and run npm test again.']);
		const none = { url: '', apiKey: '', apiSecret: '' };
		project.provide('e2e', {
			skip: message,
			baseUrl: '',
			chromium: '',
			livekit: none,
			buildDir: '',
			dataDir: '',
			databaseUrl: null
		});
		project.provide('cluster', {
			balancerUrl: '',
			nodes: [],
			livekit: [],
			livekitKey: { apiKey: '', apiSecret: '' },
			redisAddress: '',
			control: ''
		});
		return;
	}

	// a build of this tree, inside the project so it resolves node_modules like `npm start` does
	fs.mkdirSync(path.join(root, '.svelte-kit'), { recursive: true });
	const buildDir = fs.mkdtempSync(path.join(root, '.svelte-kit', 'e2e-build-cluster-'));
	let city: City | null = null;
	let control: Awaited<ReturnType<typeof controlServer>> | null = null;
	const teardown = async () => {
		await control?.close();
		await city?.stop();
		fs.rmSync(buildDir, { recursive: true, force: true });
	};
	try {
		city = await startCity({
			buildDir,
			build: 'always',
			// every browser and API call of the test comes from 127.0.0.1 (as global-setup.ts)
			env: {
				LOGIN_PER_IP_PER_MINUTE: '10000',
				SMS_CODES_PER_IP_PER_HOUR: '100000',
				REGISTER_PER_IP_PER_HOUR: '100000'
			}
		});
		control = await controlServer(city);
		const [a] = city.nodes;
		const lk = city.livekit.nodes[0];
		const e2e: E2EContext = {
			skip: null,
			baseUrl: a.url,
			chromium: chromium!,
			livekit: { url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret },
			buildDir,
			dataDir: a.dataDir,
			databaseUrl: city.databaseUrl
		};
		project.provide('e2e', e2e);
		project.provide('cluster', {
			balancerUrl: city.balancerUrl,
			nodes: city.nodes.map((n) => ({ name: n.name, url: n.url, dataDir: n.dataDir })),
			livekit: city.livekit.nodes.map((n) => ({ url: n.url, nodeId: n.nodeId })),
			livekitKey: { apiKey: city.livekit.apiKey, apiSecret: city.livekit.apiSecret },
			redisAddress: new URL(city.redisUrl).host,
			control: control.url
		});
	} catch (err) {
		await teardown();
		throw err;
	}
	return teardown;
}
