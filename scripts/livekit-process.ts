// Starts a local `livekit-server --dev` (the development keys devkey/secret) on free ports and
// stops it again. Used by `npm run dev` and by the end-to-end tests. Given a Redis, the server
// joins it as one node of a cluster (distributed mode: rooms are placed on nodes through Redis,
// RoomService and signal connections reach a room wherever it is hosted); startLiveKitCluster
// starts several such nodes for `npm run cluster` and the cluster tests.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import path from 'node:path';

export const DEV_API_KEY = 'devkey';
export const DEV_API_SECRET = 'secret';

export interface LiveKitProcess {
	url: string;
	apiKey: string;
	apiSecret: string;
	/**
	 * LiveKit's id of this node (ND_…): it draws one at random at every start and cannot be
	 * named, so it is read from the server's start-up line. In a cluster, Redis's
	 * `room_node_map` names the hosting node of each room by this id, and RoomService's
	 * createRoom takes it as `nodeId` to place a room on this node.
	 */
	nodeId: string;
	/** The HTTP/WebSocket port (signal and RoomService). */
	port: number;
	/** ICE over TCP and the one muxed UDP port: what a firewall must let through to this node. */
	rtcTcpPort: number;
	rtcUdpPort: number;
	/**
	 * Sends a signal without waiting. SIGTERM drains: the node stops taking new rooms
	 * (SHUTTING_DOWN in Redis) and exits once its last participant has left; a second SIGTERM
	 * or SIGINT forces it down.
	 */
	kill(signal: NodeJS.Signals): void;
	/** Resolves when the process has exited (with its code, or null after a signal). */
	readonly exited: Promise<number | null>;
	/** SIGTERM, then SIGKILL after 5 s; resolves once the process is gone. */
	stop(): Promise<void>;
}

export function freeTcpPort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

function freeUdpPort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const sock = dgram.createSocket('udp4');
		sock.on('error', reject);
		sock.bind(0, '127.0.0.1', () => {
			const { port } = sock.address();
			sock.close(() => resolve(port));
		});
	});
}

/** Path of the livekit-server binary, or null. build=true may compile it with Go (minutes, once). */
export function findLiveKitBinary(build: boolean): string | null {
	const script = path.join(import.meta.dirname, 'livekit.sh');
	try {
		return (
			execFileSync('bash', [script, ...(build ? [] : ['--no-build'])], {
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'inherit']
			}).trim() || null
		);
	} catch {
		return null;
	}
}

async function waitUntilUp(httpUrl: string, child: ChildProcess, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null)
			throw new Error(`livekit-server exited with code ${child.exitCode}`);
		try {
			const res = await fetch(httpUrl);
			if (res.ok) return;
		} catch {
			/* not listening yet */
		}
		await new Promise((r) => setTimeout(r, 150));
	}
	throw new Error(`livekit-server did not answer on ${httpUrl} within ${timeoutMs} ms`);
}

export interface LiveKitOptions {
	port?: number;
	log?: (line: string) => void;
	webhookUrl?: string;
	/**
	 * Join this Redis as one node of a cluster (livekit-server's `redis.address`, host:port).
	 * Without it the server runs alone, keeping its rooms in memory.
	 */
	redis?: { address: string };
}

/** LiveKit's start-up line carries the node's id: `"nodeID": "ND_…"` (JSON) or `nodeID=ND_…`. */
const NODE_ID = /nodeID["=:\s]+(ND_[A-Za-z0-9]+)/;

export async function startLiveKit(
	binary: string,
	opts: LiveKitOptions = {}
): Promise<LiveKitProcess> {
	const port = opts.port ?? (await freeTcpPort());
	const tcpPort = await freeTcpPort();
	const udpPort = await freeUdpPort();
	// livekit-server has no --port flag: ports go through --config-body. One UDP port (muxed)
	// keeps several servers (dev and tests, or the nodes of a cluster on one machine) from
	// fighting over a port range.
	const configBody = [
		`port: ${port}`,
		'rtc:',
		`  tcp_port: ${tcpPort}`,
		`  udp_port: ${udpPort}`,
		'  use_external_ip: false',
		...(opts.webhookUrl
			? ['webhook:', `  api_key: ${DEV_API_KEY}`, '  urls:', `    - ${opts.webhookUrl}`]
			: []),
		...(opts.redis ? ['redis:', `  address: ${opts.redis.address}`] : [])
	].join('\n');
	const child = spawn(
		binary,
		['--dev', '--bind', '127.0.0.1', '--node-ip', '127.0.0.1', '--config-body', configBody],
		{ stdio: ['ignore', 'pipe', 'pipe'] }
	);
	const log = opts.log ?? (() => {});
	let nodeId = '';
	let tail = '';
	const read = (d: Buffer) => {
		const text = String(d);
		if (!nodeId) nodeId = NODE_ID.exec(text)?.[1] ?? '';
		tail = (tail + text).slice(-2000);
		log(text);
	};
	child.stdout?.on('data', read);
	child.stderr?.on('data', read);
	const exited = new Promise<number | null>((resolve) =>
		child.once('exit', (code) => resolve(code))
	);
	const gone = () => child.exitCode !== null || child.signalCode !== null;
	try {
		await waitUntilUp(`http://127.0.0.1:${port}/`, child, 20_000);
		// the start-up line is written before the port answers; its chunk may still be in the pipe
		for (let i = 0; i < 40 && !nodeId; i++) await new Promise((r) => setTimeout(r, 50));
		if (!nodeId) throw new Error('livekit-server did not print its node id');
	} catch (err) {
		child.kill('SIGKILL');
		throw new Error(`${(err as Error).message}; its last output:\n${tail}`, { cause: err });
	}
	return {
		url: `ws://127.0.0.1:${port}`,
		apiKey: DEV_API_KEY,
		apiSecret: DEV_API_SECRET,
		nodeId,
		port,
		rtcTcpPort: tcpPort,
		rtcUdpPort: udpPort,
		kill: (signal) => {
			if (!gone()) child.kill(signal);
		},
		exited,
		stop: () =>
			new Promise<void>((resolve) => {
				if (gone()) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
				// a node draining waits for its participants: the second step ends it regardless
				setTimeout(() => child.kill('SIGKILL'), 5000).unref();
			})
	};
}

export interface LiveKitCluster {
	nodes: LiveKitProcess[];
	stop(): Promise<void>;
}

/**
 * Starts `nodes` livekit-server processes sharing one Redis: the same development keys and
 * webhook target on every node, each with its own HTTP, TCP and UDP ports. A room lives on one
 * node (chosen when it is created; see README: Running a city), yet any node accepts its tokens
 * and its RoomService calls and relays its signal connections.
 */
export async function startLiveKitCluster(
	binary: string,
	opts: {
		redisAddress: string;
		webhookUrl?: string;
		nodes?: number;
		log?: (line: string, node: number) => void;
	}
): Promise<LiveKitCluster> {
	const count = opts.nodes ?? 2;
	const nodes: LiveKitProcess[] = [];
	const stop = async () => {
		await Promise.all(nodes.map((n) => n.stop()));
	};
	try {
		// one after another: each start draws free ports, and two draws at once could meet
		for (let i = 0; i < count; i++) {
			const log = opts.log;
			nodes.push(
				await startLiveKit(binary, {
					webhookUrl: opts.webhookUrl,
					redis: { address: opts.redisAddress },
					log: log && ((line) => log(line, i))
				})
			);
		}
	} catch (err) {
		await stop();
		throw err;
	}
	return { nodes, stop };
}
