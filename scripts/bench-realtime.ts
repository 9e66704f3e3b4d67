// `npm run bench:realtime`: N concurrent hall-stream clients against the hall's app (Hono app on a
// real SQLite file, served by @hono/node-server in a child process) and, in the same run,
// against a bare Hono streamSSE server pushing from memory with the same heartbeats. Figures:
// call → every client p99, idle CPU over 15 s (one heartbeat period, so
// every stream of either server beats once in it), RSS per connection; each as a ratio to the bare
// server, three runs, median and spread. Prints numbers; asserts nothing.
//   --n=500,2000          client counts (add 5000 with --n=500,2000,5000 or --all)
//   --runs=3 --calls=5    runs per N, timed calls per run
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

const arg = (name: string, fallback: string) =>
	process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const NS = (process.argv.includes('--all') ? '500,2000,5000' : arg('n', '500,2000'))
	.split(',')
	.map(Number);
const RUNS = Number(arg('runs', '3'));
const CALLS = Number(arg('calls', '5'));
// one heartbeat period: every stream of either server beats exactly once in the window
const IDLE_MS = 15_000;
const CPU_FLOOR = 0.001;
const SETTLE_MS = 2000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Child {
	proc: ChildProcess;
	port: number;
	path: string;
	ask<T>(type: string): Promise<T>;
}

async function startServer(kind: 'app' | 'bare'): Promise<Child> {
	const proc = fork(new URL('./bench-realtime-server.ts', import.meta.url).pathname, [kind], {
		stdio: ['ignore', 'inherit', 'inherit', 'ipc']
	});
	let seq = 0;
	const waiting = new Map<number, (msg: unknown) => void>();
	const listening = new Promise<{ port: number; path: string }>((resolve, reject) => {
		proc.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
		proc.on('message', (msg: { type: string; seq?: number; port?: number; path?: string }) => {
			if (msg.type === 'listening') resolve({ port: msg.port!, path: msg.path! });
			else if (msg.seq !== undefined) waiting.get(msg.seq)?.(msg);
		});
	});
	const { port, path } = await listening;
	return {
		proc,
		port,
		path,
		ask<T>(type: string) {
			const s = ++seq;
			return new Promise<T>((resolve) => {
				waiting.set(s, (m) => {
					waiting.delete(s);
					resolve(m as T);
				});
				proc.send({ type, seq: s });
			});
		}
	};
}

interface Client {
	ready: boolean;
	calls: number;
	req: http.ClientRequest;
}

function connect(child: Child, onCall: (client: Client) => void): Client {
	const client: Client = { ready: false, calls: 0, req: null as never };
	client.req = http.get(
		{ host: '127.0.0.1', port: child.port, path: child.path, agent: false },
		(res) => {
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => {
				if (!client.ready && chunk.includes('event: ready')) client.ready = true;
				let at = chunk.indexOf('event: ticket.called');
				while (at !== -1) {
					client.calls++;
					onCall(client);
					at = chunk.indexOf('event: ticket.called', at + 1);
				}
			});
			res.on('error', () => {});
		}
	);
	client.req.on('error', () => {});
	return client;
}

async function until(check: () => boolean, timeoutMs: number) {
	const start = Date.now();
	while (!check()) {
		if (Date.now() - start > timeoutMs) return false;
		await sleep(20);
	}
	return true;
}

function percentile(sorted: number[], p: number) {
	return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))];
}

interface Usage {
	cpuMicros: number;
	rss: number;
}
interface Figures {
	p50: number;
	p99: number;
	missed: number;
	/** the call itself, inside the server (the rule and its commit; 0 for the bare server) */
	callMs: number;
	idleCpu: number;
	rssPerConn: number;
}

async function measure(kind: 'app' | 'bare', n: number): Promise<Figures> {
	const child = await startServer(kind);
	await sleep(500);
	const before = await child.ask<Usage>('usage');
	const callStart: number[] = [];
	const latencies: number[] = [];
	const clients: Client[] = [];
	const onCall = (c: Client) => {
		const t0 = callStart[c.calls - 1];
		if (t0 !== undefined) latencies.push(performance.now() - t0);
	};
	for (let i = 0; i < n; i++) {
		clients.push(connect(child, onCall));
		if (i % 200 === 199) await sleep(10);
	}
	const connected = await until(() => clients.every((c) => c.ready), 120_000);
	if (!connected)
		console.log(`  ${kind}: only ${clients.filter((c) => c.ready).length}/${n} streams ready`);
	await sleep(SETTLE_MS);
	const idle0 = await child.ask<Usage>('usage');
	await sleep(IDLE_MS);
	const idle1 = await child.ask<Usage>('usage');
	let missed = 0;
	const callMs: number[] = [];
	for (let k = 1; k <= CALLS; k++) {
		await child.ask('prepare');
		await sleep(300);
		callStart[k - 1] = performance.now();
		callMs.push((await child.ask<{ ms: number }>('call')).ms);
		if (!(await until(() => clients.every((c) => c.calls >= k), 30_000)))
			missed += clients.filter((c) => c.calls < k).length;
		await sleep(500);
	}
	for (const c of clients) c.req.destroy();
	child.proc.send({ type: 'stop' });
	await new Promise((r) => child.proc.once('exit', r));
	latencies.sort((a, b) => a - b);
	return {
		p50: percentile(latencies, 50),
		p99: percentile(latencies, 99),
		missed,
		callMs: median(callMs),
		idleCpu: (idle1.cpuMicros - idle0.cpuMicros) / 1000 / IDLE_MS,
		rssPerConn: (idle1.rss - before.rss) / n
	};
}

const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const kb = (x: number) => `${(x / 1024).toFixed(1)} KB`;

console.log(
	`Cloud Hall real-time benchmark (Node ${process.version}, ${os.cpus().length} cores, N = ${NS.join(', ')}, ${RUNS} runs, ${CALLS} calls each)`
);
const results = new Map<number, { app: Figures; bare: Figures }[]>();
for (let run = 1; run <= RUNS; run++) {
	for (const n of NS) {
		const bare = await measure('bare', n);
		const app = await measure('app', n);
		const list = results.get(n) ?? [];
		list.push({ app, bare });
		results.set(n, list);
		console.log(
			`run ${run} N=${String(n).padStart(5)}  p50 ${app.p50.toFixed(1)} / ${bare.p50.toFixed(1)} ms  p99 ${app.p99.toFixed(1)} / ${bare.p99.toFixed(1)} ms (×${(app.p99 / bare.p99).toFixed(2)})  call itself ${app.callMs.toFixed(1)} ms  idle CPU ${pct(app.idleCpu)} / ${pct(bare.idleCpu)}  RSS/conn ${kb(app.rssPerConn)} / ${kb(bare.rssPerConn)}${app.missed + bare.missed ? `  missed ${app.missed} / ${bare.missed}` : ''}  (app / bare)`
		);
	}
}
console.log(
	'\n| N | call → every client p99, app / bare (ratio) | idle CPU over 15 s, app / bare (ratio, bare ≥ 0.1 %) | RSS per connection, app / bare | the call itself (app) |'
);
console.log('|---|---|---|---|---|');
for (const [n, list] of results) {
	const p99 = list.map((r) => r.app.p99 / r.bare.p99);
	// a bare server often spends nothing measurable in 10 s: counted as 0.1 % of a core
	const cpu = list.map((r) => r.app.idleCpu / Math.max(r.bare.idleCpu, CPU_FLOOR));
	console.log(
		`| ${n} | ${median(list.map((r) => r.app.p99)).toFixed(0)} / ${median(list.map((r) => r.bare.p99)).toFixed(0)} ms (×${median(p99).toFixed(2)}, ${spread(p99)}) | ${pct(median(list.map((r) => r.app.idleCpu)))} / ${pct(median(list.map((r) => r.bare.idleCpu)))} (×${median(cpu).toFixed(1)}, ${spread(cpu)}) | ${kb(median(list.map((r) => r.app.rssPerConn)))} / ${kb(median(list.map((r) => r.bare.rssPerConn)))} | ${median(list.map((r) => r.app.callMs)).toFixed(0)} ms |`
	);
}
