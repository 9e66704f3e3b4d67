// Starts a local `livekit-server --dev` (the development keys devkey/secret) on free ports and
// stops it again. Used by `npm run dev` and by the end-to-end tests.
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

export async function startLiveKit(
	binary: string,
	opts: { port?: number; log?: (line: string) => void; webhookUrl?: string } = {}
): Promise<LiveKitProcess> {
	const port = opts.port ?? (await freeTcpPort());
	const tcpPort = await freeTcpPort();
	const udpPort = await freeUdpPort();
	// livekit-server has no --port flag: ports go through --config-body. One UDP port (muxed)
	// keeps several servers (dev and tests) from fighting over a port range.
	const configBody = [
		`port: ${port}`,
		'rtc:',
		`  tcp_port: ${tcpPort}`,
		`  udp_port: ${udpPort}`,
		'  use_external_ip: false',
		...(opts.webhookUrl
			? ['webhook:', `  api_key: ${DEV_API_KEY}`, '  urls:', `    - ${opts.webhookUrl}`]
			: [])
	].join('\n');
	const child = spawn(
		binary,
		['--dev', '--bind', '127.0.0.1', '--node-ip', '127.0.0.1', '--config-body', configBody],
		{ stdio: ['ignore', 'pipe', 'pipe'] }
	);
	const log = opts.log ?? (() => {});
	child.stdout?.on('data', (d) => log(String(d)));
	child.stderr?.on('data', (d) => log(String(d)));
	try {
		await waitUntilUp(`http://127.0.0.1:${port}/`, child, 20_000);
	} catch (err) {
		child.kill('SIGKILL');
		throw err;
	}
	return {
		url: `ws://127.0.0.1:${port}`,
		apiKey: DEV_API_KEY,
		apiSecret: DEV_API_SECRET,
		stop: () =>
			new Promise<void>((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
				setTimeout(() => child.kill('SIGKILL'), 5000).unref();
			})
	};
}
