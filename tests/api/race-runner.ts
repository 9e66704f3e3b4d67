// Runs the processes of a cross-process race (tests/fixtures/*-worker.ts): starts them all,
// waits until each has printed "ready" (tests/fixtures/start-together.ts), then tells them all
// to go at once. Every worker must finish within timeoutMs, or all are killed and the race
// fails naming the worker and its stderr.
import { spawn, type ChildProcess } from 'node:child_process';

export interface RaceOptions {
	/** For the whole race, start-up included; generous for a slow, busy 2-core machine. */
	timeoutMs?: number;
	/** The workers' environment (default: this process's), e.g. the run's DATABASE_URL. */
	env?: NodeJS.ProcessEnv;
}

/** The stdout of each worker after its "ready" line, in the order of argsList. */
export async function race(
	worker: string,
	argsList: string[][],
	{ timeoutMs = 90_000, env }: RaceOptions = {}
): Promise<string[]> {
	const children: ChildProcess[] = [];
	const outs = argsList.map(() => ({ stdout: '', stderr: '', ready: false }));
	let go: () => void = () => {};
	const allReady = new Promise<void>((resolve) => (go = resolve));
	const checkReady = () => {
		if (outs.every((o) => o.ready)) go();
	};
	const finished = argsList.map(
		(args, i) =>
			new Promise<string>((resolve, reject) => {
				const child = spawn(process.execPath, [worker, ...args], {
					stdio: ['pipe', 'pipe', 'pipe'],
					env
				});
				children.push(child);
				const out = outs[i];
				child.stdout!.setEncoding('utf8');
				child.stderr!.setEncoding('utf8');
				child.stdout!.on('data', (chunk: string) => {
					out.stdout += chunk;
					if (!out.ready && out.stdout.includes('ready\n')) {
						out.ready = true;
						out.stdout = out.stdout.slice(out.stdout.indexOf('ready\n') + 'ready\n'.length);
						checkReady();
					}
				});
				child.stderr!.on('data', (chunk: string) => (out.stderr += chunk));
				child.on('error', reject);
				child.on('close', (code, signal) => {
					if (code === 0 && out.ready) resolve(out.stdout);
					else
						reject(
							new Error(
								`worker ${i} (${args.join(' ')}) exited with ${signal ?? code}${out.ready ? '' : ' before it was ready'}:\n${out.stderr}`
							)
						);
				});
			})
	);
	void allReady.then(() => {
		for (const child of children) child.stdin!.end('go\n');
	});
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			const late = outs.map((o, i) => (o.ready ? null : i)).filter((i) => i !== null);
			reject(
				new Error(
					`race did not finish within ${timeoutMs} ms` +
						(late.length ? ` (workers ${late.join(', ')} never got ready)` : '') +
						outs.map((o, i) => `\nworker ${i} stderr: ${o.stderr}`).join('')
				)
			);
		}, timeoutMs);
	});
	try {
		return await Promise.race([Promise.all(finished), timeout]);
	} finally {
		clearTimeout(timer);
		for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
	}
}

/** The last line a worker printed, parsed as JSON. */
export function lastJson<T>(stdout: string): T {
	return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}
