// Starts a throwaway PostgreSQL cluster (Debian's `postgresql` package) in a temporary folder on
// a free port, and stops and removes it again. Used by the tests that run the hall's Store on
// PostgreSQL. The cluster is created UTF-8 with the C.UTF-8 locale, so Chinese text compares
// and splits into trigrams by code point, as the city engine needs (README: PostgreSQL).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeTcpPort } from './livekit-process.ts';

export interface PostgresProcess {
	/** postgres://… of the cluster's `hall` database, owned by the `hall` role */
	url: string;
	stop(): Promise<void>;
	/**
	 * Stops the server (fast shutdown) and keeps its data folder and port, so resume() brings
	 * the same cluster back: what a test of an outage and the app's recovery needs.
	 */
	pause(): Promise<void>;
	/** Starts the paused server again on the same data folder and port; resolves once it is ready. */
	resume(): Promise<void>;
}

/** The newest installed server's bin folder (/usr/lib/postgresql/<major>/bin), or null. */
export function findPostgresBin(): string | null {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return null;
	const majors = fs
		.readdirSync(root)
		.filter((v) => /^\d+$/.test(v) && fs.existsSync(path.join(root, v, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return majors.length ? path.join(root, majors[0], 'bin') : null;
}

/**
 * PostgreSQL refuses to run as root: as root (CI containers), the cluster runs as the
 * `postgres` account the Debian package creates, in a folder it owns.
 */
function asServerUser(): { uid: number; gid: number } | null {
	if (process.getuid?.() !== 0) return null;
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((l) => l.startsWith('postgres:'));
	if (!line) throw new Error('running as root and no postgres account to run the server as');
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

export async function startPostgres(
	opts: {
		timeoutMs?: number;
		/**
		 * true: fsync and full-page writes on, as a production server runs (a benchmark that
		 * compares durable commits with SQLite's synchronous = FULL); the default leaves them off
		 */
		durable?: boolean;
	} = {}
): Promise<PostgresProcess> {
	const bin = findPostgresBin();
	if (!bin)
		throw new Error(
			'PostgreSQL is not installed (Debian: apt-get install postgresql postgresql-contrib)'
		);
	const user = asServerUser();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-pg-'));
	fs.chmodSync(dir, 0o755);
	const data = path.join(dir, 'data');
	const sockets = path.join(dir, 'run');
	fs.mkdirSync(sockets);
	if (user) for (const owned of [dir, sockets]) fs.chownSync(owned, user.uid, user.gid);
	const run = (cmd: string, args: string[]) =>
		execFileSync(path.join(bin, cmd), args, {
			stdio: ['ignore', 'pipe', 'pipe'],
			timeout: 120_000,
			...(user ? { uid: user.uid, gid: user.gid } : {}),
			env: { ...process.env, LC_ALL: 'C.UTF-8' }
		});
	run('initdb', [
		'-D',
		data,
		'-U',
		'hall',
		'-A',
		'trust',
		'-E',
		'UTF8',
		'--locale=C.UTF-8',
		'--no-sync'
	]);
	const port = await freeTcpPort();
	const launch = async () => {
		const child = spawn(
			path.join(bin, 'postgres'),
			[
				'-D',
				data,
				'-p',
				String(port),
				'-k',
				sockets,
				'-c',
				'listen_addresses=127.0.0.1',
				'-c',
				'max_connections=200',
				// a throwaway test cluster: its crash safety is not what the tests measure
				'-c',
				opts.durable ? 'fsync=on' : 'fsync=off',
				'-c',
				opts.durable ? 'full_page_writes=on' : 'full_page_writes=off'
			],
			{ stdio: ['ignore', 'ignore', 'pipe'], ...(user ? { uid: user.uid, gid: user.gid } : {}) }
		);
		let stderr = '';
		child.stderr?.on('data', (b) => (stderr = (stderr + b).slice(-4000)));
		const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
		for (;;) {
			if (child.exitCode !== null)
				throw new Error(`postgres exited (${child.exitCode}): ${stderr}`);
			try {
				run('pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-U', 'hall', '-d', 'postgres']);
				break;
			} catch {
				if (Date.now() > deadline) {
					child.kill('SIGKILL');
					throw new Error(`postgres did not start in time: ${stderr}`);
				}
				await new Promise((r) => setTimeout(r, 100));
			}
		}
		return child;
	};
	const halt = async (child: ReturnType<typeof spawn>) => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise((r) => child.once('exit', r));
		child.kill('SIGINT'); // fast shutdown: roll back open transactions, exit
		await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
		if (child.exitCode === null && child.signalCode === null) {
			const killed = new Promise((r) => child.once('exit', r));
			child.kill('SIGKILL');
			await Promise.race([killed, new Promise((r) => setTimeout(r, 5_000))]);
		}
	};
	let child = await launch();
	let paused = false;
	run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'hall', 'hall']);
	return {
		url: `postgres://hall@127.0.0.1:${port}/hall`,
		async stop() {
			await halt(child);
			fs.rmSync(dir, { recursive: true, force: true });
		},
		async pause() {
			if (paused) return;
			paused = true;
			await halt(child);
		},
		async resume() {
			if (!paused) return;
			child = await launch();
			paused = false;
		}
	};
}
