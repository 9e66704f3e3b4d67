// Starts a throwaway Redis (Debian's `redis-server`) on a free port in a temporary folder and
// stops it again. LiveKit nodes share one to run as a cluster (README: Running a city); nothing
// in it outlives the run, so it keeps no snapshot and no append-only file.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freeTcpPort } from './livekit-process.ts';

export interface RedisProcess {
	/** redis://127.0.0.1:port */
	url: string;
	/** 127.0.0.1:port, as livekit-server's `redis.address` wants it */
	address: string;
	port: number;
	stop(): Promise<void>;
}

/** Path of Debian's redis-server, or null when it is not installed. */
export function findRedisServer(): string | null {
	const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/sbin'];
	for (const dir of dirs) {
		if (!dir) continue;
		const candidate = path.join(dir, 'redis-server');
		try {
			fs.accessSync(candidate, fs.constants.X_OK);
			return candidate;
		} catch {
			/* not here */
		}
	}
	return null;
}

export type Reply<B = string> = B | number | null | Reply<B>[];

/**
 * Sends one command over RESP and resolves with its reply (errors reject). Enough for tests and
 * scripts to look into what LiveKit keeps there (which node hosts a room) without a client library.
 */
export function redisCommand(address: string, ...args: string[]): Promise<Reply> {
	return send(address, args, (b) => b.toString('utf8'));
}

/** As redisCommand, with bulk replies as bytes (LiveKit stores its nodes as protobuf). */
export function redisCommandBytes(address: string, ...args: string[]): Promise<Reply<Buffer>> {
	return send(address, args, (b) => b);
}

function send<B>(address: string, args: string[], bulk: (b: Buffer) => B): Promise<Reply<B>> {
	const [host, port] = address.split(':');
	return new Promise((resolve, reject) => {
		const socket = net.connect(Number(port), host);
		let buffer = Buffer.alloc(0);
		socket.setTimeout(5000, () => socket.destroy(new Error(`redis ${address}: no answer`)));
		socket.on('error', reject);
		socket.on('connect', () => {
			const parts = [`*${args.length}\r\n`];
			for (const a of args) parts.push(`$${Buffer.byteLength(a)}\r\n${a}\r\n`);
			socket.write(parts.join(''));
		});
		socket.on('data', (chunk) => {
			buffer = Buffer.concat([buffer, chunk]);
			try {
				const parsed = parseReply(buffer, 0, bulk);
				if (!parsed) return; // the reply is not complete yet
				socket.end();
				resolve(parsed.value);
			} catch (err) {
				socket.destroy();
				reject(err as Error);
			}
		});
	});
}

function parseReply<B>(
	buf: Buffer,
	at: number,
	bulk: (b: Buffer) => B
): { value: Reply<B>; next: number } | null {
	const eol = buf.indexOf('\r\n', at);
	if (eol < 0) return null;
	const line = buf.toString('utf8', at + 1, eol);
	switch (String.fromCharCode(buf[at])) {
		case '+':
			return { value: bulk(Buffer.from(line)), next: eol + 2 };
		case '-':
			throw new Error(`redis: ${line}`);
		case ':':
			return { value: Number(line), next: eol + 2 };
		case '$': {
			const len = Number(line);
			if (len < 0) return { value: null, next: eol + 2 };
			if (buf.length < eol + 2 + len + 2) return null;
			return { value: bulk(buf.subarray(eol + 2, eol + 2 + len)), next: eol + 2 + len + 2 };
		}
		case '*': {
			const n = Number(line);
			if (n < 0) return { value: null, next: eol + 2 };
			const items: Reply<B>[] = [];
			let next = eol + 2;
			for (let i = 0; i < n; i++) {
				const item = parseReply(buf, next, bulk);
				if (!item) return null;
				items.push(item.value);
				next = item.next;
			}
			return { value: items, next };
		}
		default:
			throw new Error(`redis: unexpected reply ${JSON.stringify(line)}`);
	}
}

export async function startRedis(
	opts: { port?: number; log?: (line: string) => void; timeoutMs?: number } = {}
): Promise<RedisProcess> {
	const binary = findRedisServer();
	if (!binary)
		throw new Error('redis-server is not installed (Debian: apt-get install redis-server)');
	const port = opts.port ?? (await freeTcpPort());
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-redis-'));
	const child = spawn(
		binary,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--dir',
			dir,
			// a throwaway: no snapshot, no append-only file, in the foreground under our control
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
			'--protected-mode',
			'yes',
			'--logfile',
			''
		],
		{ stdio: ['ignore', 'pipe', 'pipe'] }
	);
	let output = '';
	const log = opts.log ?? (() => {});
	const keep = (d: Buffer) => {
		output = (output + d).slice(-4000);
		log(String(d));
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	const address = `127.0.0.1:${port}`;
	const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
	const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
	for (;;) {
		if (child.exitCode !== null) {
			removeDir();
			throw new Error(`redis-server exited (${child.exitCode}): ${output}`);
		}
		try {
			if ((await redisCommand(address, 'PING')) === 'PONG') break;
		} catch {
			/* not listening yet */
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			removeDir();
			throw new Error(`redis-server did not answer on ${address}: ${output}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	return {
		url: `redis://${address}`,
		address,
		port,
		stop: () =>
			new Promise<void>((resolve) => {
				const done = () => {
					removeDir();
					resolve();
				};
				if (child.exitCode !== null || child.signalCode !== null) return done();
				child.once('exit', done);
				child.kill('SIGTERM');
				setTimeout(() => child.kill('SIGKILL'), 5000).unref();
			})
	};
}
