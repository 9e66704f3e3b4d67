// `npm run bench:cluster` (issue 22, "Benchmarks"): a city on this machine (scripts/cluster.ts
// startCity: PostgreSQL, Redis, two LiveKit nodes, two app nodes of the production build, nginx)
// and, in one run, each figure of two app nodes against one app node of the same city on the same
// PostgreSQL. Figures are printed, not tested.
//  1. SSE fan-out: N hall-stream clients on node A alone, then N/2 on A and N/2 on B (directly at
//     the nodes, or through the balancer with --fanout-via=balancer); the agent calls a ticket
//     through node A; the time from sending the call until each client has its ticket.called
//     (bench-realtime's "call → every client"), p50 and p99, as a ratio split / single.
//  2. Ticket issue throughput: POST /api/queue/tickets by distinct signed-in citizens (sessions
//     written to the database beforehand, as bench:queue does; an Idempotency-Key each, as the
//     page sends), autocannon through the balancer: pinned to node A (its hall_node cookie) vs
//     round robin over both; req/s, runs alternating, each from the same queue. Twice: every
//     ticket in one hall (a hall's morning rush), and spread over every (item, hall) the demo
//     city offers. Where the CPU went (by process) and what PostgreSQL's sessions were doing
//     (waiting for a lock, running, idle inside a transaction) are printed with each run.
//  3. Failover: EventSource-like clients through the balancer (round robin), a kiosk ticket every
//     200 ms through node B; node A is killed (SIGKILL), later stopped (SIGTERM, a rolling
//     restart's stop); for each client that was on A, the time from the kill until its stream is
//     open again on B and until it has an event again, with every event id checked (none missed,
//     none twice) against clients that stayed on B.
//
//   npm run bench:cluster [-- --n=5000 --calls=5 --rounds=2 --seconds=6 --runs=3 --connections=64
//                            --failover-n=2000 --fanout-via=direct|balancer --build --quick]
//   --build  builds the current tree first, into a temp folder removed afterwards (or into
//            --build-dir=DIR, kept); without it build/ or DIR is used, built if missing
//   --quick  a smoke run: n=400, calls=3, rounds=1, seconds=2, runs=1, failover-n=200
//   (fan-out: --calls calls in each of --rounds rounds, single and split alternating)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { startCity, type City } from './cluster.ts';
import { PIN_COOKIE, UPSTREAM_HEADER } from './nginx-process.ts';
import { SseClient } from './bench-cluster-sse.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../server/demo/hall.ts';
import { totpCode, totpStep } from '../server/auth/two-factor.ts';
import { generateSessionToken, sessionIdFromToken } from '../server/auth/session.ts';
import { newId } from '../server/ids.ts';

const root = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
	options: {
		n: { type: 'string' },
		calls: { type: 'string' },
		rounds: { type: 'string' },
		seconds: { type: 'string' },
		runs: { type: 'string' },
		connections: { type: 'string' },
		'failover-n': { type: 'string' },
		'fanout-via': { type: 'string', default: 'direct' },
		build: { type: 'boolean', default: false },
		'build-dir': { type: 'string' },
		quick: { type: 'boolean', default: false },
		verbose: { type: 'boolean', short: 'v', default: false },
		help: { type: 'boolean', short: 'h', default: false }
	}
});
if (args.help) {
	console.log(fs.readFileSync(import.meta.filename, 'utf8').split('\nimport ')[0]);
	process.exit(0);
}
const quick = args.quick;
const num = (v: string | undefined, full: number, small: number) =>
	v !== undefined ? Number(v) : quick ? small : full;
const N = num(args.n, 5000, 400);
const CALLS = num(args.calls, 5, 3);
const FANOUT_ROUNDS = num(args.rounds, 2, 1);
const SECONDS = num(args.seconds, 6, 2);
const RUNS = num(args.runs, 3, 1);
const CONNECTIONS = num(args.connections, 64, 32);
const FAILOVER_N = num(args['failover-n'], 2000, 200);
const FANOUT_VIA = args['fanout-via'] === 'balancer' ? 'balancer' : 'direct';
// one ticket each per run; a run never issues more than this (a 2-core box does hundreds/s)
const CITIZENS = Math.max(2000, SECONDS * 4000);
const ITEM_CODE = '370281-XZSP-001';
const PRODUCE_EVERY_MS = 200;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted: number[], p: number) =>
	sorted.length
		? sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))]
		: NaN;
const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : '—');
const ratio = (a: number, b: number) => `×${(a / b).toFixed(2)}`;
const since = (t0: number) => ((performance.now() - t0) / 1000).toFixed(0);

async function until(check: () => boolean, timeoutMs: number, every = 20): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) return false;
		await sleep(every);
	}
	return true;
}

/** Busy share of all cores over a span (from /proc/stat): how loaded the machine was. */
function cpuTimes(): { busy: number; total: number } {
	const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
	const f = line.trim().split(/\s+/).slice(1).map(Number);
	const idle = f[3] + (f[4] ?? 0);
	const total = f.reduce((a, b) => a + b, 0);
	return { busy: total - idle, total };
}
const busyShare = (a: ReturnType<typeof cpuTimes>, b: ReturnType<typeof cpuTimes>) =>
	(b.busy - a.busy) / Math.max(1, b.total - a.total);

/** CPU ticks (user + system) of this process and its descendants, by what each one is. */
function cityCpu(city: City): Map<string, number> {
	const procs: { pid: number; ppid: number; comm: string; ticks: number }[] = [];
	for (const name of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
			const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
			const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			procs.push({
				pid: Number(name),
				ppid: Number(f[1]),
				comm,
				ticks: Number(f[11]) + Number(f[12])
			});
		} catch {
			/* gone */
		}
	}
	const ours = new Set([process.pid]);
	for (let grew = true; grew;) {
		grew = false;
		for (const p of procs)
			if (!ours.has(p.pid) && ours.has(p.ppid)) {
				ours.add(p.pid);
				grew = true;
			}
	}
	const ports = new Map(city.nodes.map((n) => [String(n.port), `app ${n.name}`]));
	const byKind = new Map<string, number>();
	for (const p of procs) {
		if (!ours.has(p.pid)) continue;
		let kind = 'other';
		if (p.pid === process.pid) kind = 'load generator';
		else if (p.comm.startsWith('postgres')) kind = 'PostgreSQL';
		else if (p.comm.startsWith('nginx')) kind = 'nginx';
		else if (p.comm.startsWith('livekit')) kind = 'LiveKit';
		else if (p.comm.startsWith('redis')) kind = 'Redis';
		else {
			try {
				const port = /(?:^|\0)PORT=(\d+)/.exec(fs.readFileSync(`/proc/${p.pid}/environ`, 'latin1'));
				kind = (port && ports.get(port[1])) ?? 'other';
			} catch {
				/* gone */
			}
		}
		byKind.set(kind, (byKind.get(kind) ?? 0) + p.ticks);
	}
	return byKind;
}

/** Each kind's share of the machine's CPU time between two cityCpu readings. */
function cpuShares(
	a: Map<string, number>,
	b: Map<string, number>,
	m0: ReturnType<typeof cpuTimes>,
	m1: ReturnType<typeof cpuTimes>
): string {
	const total = Math.max(1, m1.total - m0.total);
	const pct = (t: number) => `${((t / total) * 100).toFixed(0)} %`;
	const parts: string[] = [];
	let ours = 0;
	for (const [kind, t] of [...b].sort((x, y) => x[0].localeCompare(y[0]))) {
		const d = t - (a.get(kind) ?? 0);
		ours += d;
		if (d > 0) parts.push(`${kind} ${pct(d)}`);
	}
	parts.push(`outside the city ${pct(Math.max(0, m1.busy - m0.busy - ours))}`);
	parts.push(`idle ${pct(total - (m1.busy - m0.busy))}`);
	return parts.join(', ');
}

async function api<T = Record<string, unknown>>(
	base: string,
	method: string,
	url: string,
	token?: string,
	body?: unknown
): Promise<T> {
	const headers: Record<string, string> = {};
	if (token) headers.authorization = `Bearer ${token}`;
	if (body !== undefined) headers['content-type'] = 'application/json';
	const res = await fetch(base + url, {
		method,
		headers,
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const text = await res.text();
	if (res.status >= 400) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 300)}`);
	return (text ? JSON.parse(text) : null) as T;
}

// ---- the agent's side: sign in, open a desk, make hall events ----

interface Hall {
	hallId: string;
	deskId: string;
	serviceId: string;
	agent: string;
}

async function agentOf(base: string): Promise<Hall> {
	const login = await api<{ token: string; secondFactor: string | null }>(
		base,
		'POST',
		'/api/auth/login',
		undefined,
		{ login: 'agent', password: DEMO_PASSWORD }
	);
	if (login.secondFactor === 'verify')
		await api(base, 'POST', '/api/auth/two-factor/verify', login.token, {
			code: totpCode(decodeBase32IgnorePadding(DEMO_TOTP_SECRET), totpStep(Date.now()))
		});
	const { desks } = await api<{ desks: { id: string; name: string; orgUnitId: string }[] }>(
		base,
		'GET',
		'/api/desks',
		login.token
	);
	const desk = desks.find((d) => d.name === '1号窗口') ?? desks[0];
	const { items } = await api<{ items: { id: string; code: string }[] }>(
		base,
		'GET',
		'/api/services'
	);
	const service = items.find((i) => i.code === ITEM_CODE)!;
	await api(base, 'POST', `/api/desks/${desk.id}/open`, login.token, { categories: ['A'] });
	return { hallId: desk.orgUnitId, deskId: desk.id, serviceId: service.id, agent: login.token };
}

/** The desk's calls: before each, the last one finished and one kiosk ticket waiting (untimed). */
function caller(hall: Hall) {
	let current: string | null = null;
	return {
		async prepare(base: string) {
			if (current) await api(base, 'POST', `/api/queue/tickets/${current}/finish`, hall.agent);
			current = null;
			await api(base, 'POST', '/api/queue/kiosk-tickets', hall.agent, {
				serviceId: hall.serviceId,
				hallId: hall.hallId
			});
		},
		async call(base: string) {
			const res = await api<{ ticket: { id: string } } | null>(
				base,
				'POST',
				`/api/desks/${hall.deskId}/call-next`,
				hall.agent
			);
			current = res?.ticket.id ?? null;
		}
	};
}

const streamPath = (hall: Hall) => `/api/queue/events?hallId=${encodeURIComponent(hall.hallId)}`;

// ---- 1. SSE fan-out ----

interface FanOut {
	/** call → client, every client of every call, sorted */
	latencies: number[];
	p50: number;
	p99: number;
	max: number;
	missed: number;
	callMs: number;
	ready: number;
	onNodes: Record<string, number>;
}

async function fanOut(
	targets: { url: string; headers?: Record<string, string> }[],
	hall: Hall,
	callVia: string
): Promise<FanOut> {
	const desk = caller(hall);
	const callStart: number[] = [];
	const latencies: number[] = [];
	const calls = new Map<SseClient, number>();
	const clients: SseClient[] = [];
	for (let i = 0; i < targets.length; i++) {
		clients.push(
			new SseClient({
				...targets[i],
				onEvent: (c, e) => {
					if (e.event !== 'ticket.called') return;
					const k = (calls.get(c) ?? 0) + 1;
					calls.set(c, k);
					const t0 = callStart[k - 1];
					if (t0 !== undefined) latencies.push(e.at - t0);
				}
			})
		);
		if (i % 200 === 199) await sleep(10);
	}
	await until(() => clients.every((c) => c.ready), 120_000, 50);
	const ready = clients.filter((c) => c.ready).length;
	const onNodes: Record<string, number> = {};
	for (const c of clients) {
		const up = c.current?.upstream ?? 'direct';
		onNodes[up] = (onNodes[up] ?? 0) + 1;
	}
	await sleep(2000);
	let missed = 0;
	const callMs: number[] = [];
	for (let k = 1; k <= CALLS; k++) {
		await desk.prepare(callVia);
		await sleep(500);
		callStart[k - 1] = performance.now();
		await desk.call(callVia);
		callMs.push(performance.now() - callStart[k - 1]);
		if (!(await until(() => clients.every((c) => (calls.get(c) ?? 0) >= k), 30_000)))
			missed += clients.filter((c) => (calls.get(c) ?? 0) < k).length;
		await sleep(500);
	}
	await desk.prepare(callVia); // finishes the last call (the extra kiosk ticket stays waiting)
	for (const c of clients) c.close();
	await sleep(2000);
	latencies.sort((a, b) => a - b);
	return {
		latencies,
		p50: percentile(latencies, 50),
		p99: percentile(latencies, 99),
		max: latencies.at(-1) ?? NaN,
		missed,
		callMs: median(callMs),
		ready,
		onNodes
	};
}

/** The rounds of one case as one: every latency of every call. */
function pooled(rounds: FanOut[]): FanOut {
	const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
	return {
		latencies,
		p50: percentile(latencies, 50),
		p99: percentile(latencies, 99),
		max: latencies.at(-1) ?? NaN,
		missed: rounds.reduce((n, r) => n + r.missed, 0),
		callMs: median(rounds.map((r) => r.callMs)),
		ready: Math.min(...rounds.map((r) => r.ready)),
		onNodes: rounds[0].onNodes
	};
}

// ---- 2. ticket issue throughput ----

interface Citizens {
	tokens: string[];
	ids: string[];
}

/** Citizens with signed-in sessions, written straight to the city's database. */
async function seedCitizens(db: pg.Client, count: number): Promise<Citizens> {
	const now = Date.now();
	const ids: string[] = [];
	const tokens: string[] = [];
	for (let from = 0; from < count; from += 5000) {
		const batch = Math.min(5000, count - from);
		const u = { id: [] as string[], phone: [] as string[], name: [] as string[] };
		const s = { id: [] as string[], user: [] as string[] };
		for (let i = from; i < from + batch; i++) {
			const id = newId();
			const token = generateSessionToken();
			u.id.push(id);
			u.phone.push(`166${String(i).padStart(8, '0')}`);
			u.name.push(`市民${i}`);
			s.id.push(sessionIdFromToken(token));
			s.user.push(id);
			ids.push(id);
			tokens.push(token);
		}
		await db.query(
			`INSERT INTO users (id, role, phone, name, password_hash, created_at)
			 SELECT id, 'citizen', phone, name, 'x', $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, phone, name)`,
			[u.id, u.phone, u.name, now]
		);
		await db.query(
			`INSERT INTO sessions (id, user_id, created_at, expires_at, two_factor_verified, last_active_at)
			 SELECT id, user_id, $3, $4, 1, $3 FROM unnest($1::text[], $2::text[]) AS t(id, user_id)`,
			[s.id, s.user, now, now + 30 * 86_400_000]
		);
	}
	return { tokens, ids };
}

/**
 * The queue as it was before a run: the run's tickets and their events removed, once the requests
 * the nodes had read when the load stopped are answered (the count stands still).
 */
async function undoRun(db: pg.Client, citizens: Citizens) {
	const count = async () =>
		Number(
			(
				await db.query<{ n: string }>(
					'SELECT count(*) AS n FROM tickets WHERE citizen_id = ANY($1::text[])',
					[citizens.ids]
				)
			).rows[0].n
		);
	for (let last = -1, now = await count(); now !== last;) {
		await sleep(500);
		[last, now] = [now, await count()];
	}
	await db.query(
		`WITH run AS (SELECT id FROM tickets WHERE citizen_id = ANY($1::text[])),
		   events AS (DELETE FROM queue_events WHERE ticket_id IN (SELECT id FROM run))
		 DELETE FROM tickets WHERE id IN (SELECT id FROM run)`,
		[citizens.ids]
	);
}

/** What a citizen asks for: an item, the hall to queue in, the channel. */
interface Take {
	serviceId: string;
	hallId: string;
	channel: string;
}

/** Every (item, hall) the citizens may take a number for: the spread of a whole city's rush. */
async function allTakes(base: string): Promise<Take[]> {
	const { items } = await api<{ items: { id: string; channels: string[] }[] }>(
		base,
		'GET',
		'/api/services'
	);
	const takes: Take[] = [];
	for (const item of items) {
		const channel = ['video', 'onsite'].find((c) => item.channels.includes(c));
		if (!channel) continue;
		const { halls } = await api<{ halls: { id: string }[] }>(
			base,
			'GET',
			`/api/services/${item.id}/halls`
		);
		for (const h of halls) takes.push({ serviceId: item.id, hallId: h.id, channel });
	}
	return takes;
}

async function issueLoad(
	url: string,
	headers: Record<string, string>,
	takes: Take[],
	citizens: Citizens,
	seconds: number
) {
	let next = 0;
	const r = await autocannon({
		url: `${url}/api/queue/tickets`,
		method: 'POST',
		connections: CONNECTIONS,
		duration: seconds,
		headers: { 'content-type': 'application/json', ...headers },
		requests: [
			{
				setupRequest: (req) => {
					const i = next++;
					return {
						...req,
						body: JSON.stringify(takes[i % takes.length]),
						headers: {
							...req.headers,
							authorization: `Bearer ${citizens.tokens[i % citizens.tokens.length]}`,
							'idempotency-key': `bench-${i}-${newId()}`
						}
					};
				}
			}
		]
	});
	return {
		rps: r.requests.average,
		ok: r['2xx'],
		bad: r.non2xx + r.errors + r.timeouts,
		p99: r.latency.p99,
		taken: next
	};
}

/**
 * What the city's PostgreSQL sessions do while the load runs, sampled every 50 ms: waiting for a
 * lock (the hall's advisory lock, a row), running a statement, or idle inside a transaction (the
 * app node between two statements of a transaction, e.g. holding the hall's lock).
 */
function sampleSessions(db: pg.Client) {
	const sums = { lock: 0, running: 0, idleInTx: 0 };
	let samples = 0;
	let on = true;
	const done = (async () => {
		while (on) {
			const { rows } = await db.query<{ lock: string; running: string; idle_tx: string }>(
				`SELECT count(*) FILTER (WHERE wait_event_type = 'Lock') AS lock,
				        count(*) FILTER (WHERE state = 'active' AND wait_event_type IS DISTINCT FROM 'Lock') AS running,
				        count(*) FILTER (WHERE state LIKE 'idle in transaction%') AS idle_tx
				   FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`
			);
			sums.lock += Number(rows[0].lock);
			sums.running += Number(rows[0].running);
			sums.idleInTx += Number(rows[0].idle_tx);
			samples++;
			await sleep(50);
		}
	})();
	return async () => {
		on = false;
		await done;
		const avg = (x: number) => (x / Math.max(1, samples)).toFixed(1);
		return {
			lockWaits: sums.lock / Math.max(1, samples),
			text: `PostgreSQL sessions on average: ${avg(sums.lock)} waiting for a lock, ${avg(sums.running)} running a statement, ${avg(sums.idleInTx)} idle in a transaction`
		};
	};
}

interface Throughput {
	one: number[];
	two: number[];
	oneBusy: number[];
	twoBusy: number[];
	/** where the CPU went in the last run of each */
	oneCpu: string;
	twoCpu: string;
	oneLockWaits: number[];
	twoLockWaits: number[];
	bad: number;
}

/** Runs alternating one node (pinned to A through nginx) and two (round robin), same queue each. */
async function throughput(
	city: City,
	db: pg.Client,
	citizens: Citizens,
	takes: Take[],
	log: (s: string) => void
): Promise<Throughput> {
	const sampler = new pg.Client({ connectionString: city.databaseUrl });
	await sampler.connect();
	const t: Throughput = {
		one: [],
		two: [],
		oneBusy: [],
		twoBusy: [],
		oneCpu: '',
		twoCpu: '',
		oneLockWaits: [],
		twoLockWaits: [],
		bad: 0
	};
	// warm-up of both nodes (JIT, pools), then the queue as before
	await issueLoad(city.balancerUrl, {}, takes, citizens, 2);
	await undoRun(db, citizens);
	for (let run = 1; run <= RUNS; run++) {
		for (const two of [false, true]) {
			await sleep(1000);
			const c0 = cpuTimes();
			const k0 = cityCpu(city);
			const headers: Record<string, string> = two ? {} : { cookie: `${PIN_COOKIE}=0` };
			const sampled = sampleSessions(sampler);
			const r = await issueLoad(city.balancerUrl, headers, takes, citizens, SECONDS);
			const sessions = await sampled();
			const k1 = cityCpu(city);
			const c1 = cpuTimes();
			await undoRun(db, citizens);
			const shares = cpuShares(k0, k1, c0, c1);
			(two ? t.two : t.one).push(r.rps);
			(two ? t.twoBusy : t.oneBusy).push(busyShare(c0, c1));
			if (two) t.twoCpu = `${shares}; ${sessions.text}`;
			else t.oneCpu = `${shares}; ${sessions.text}`;
			(two ? t.twoLockWaits : t.oneLockWaits).push(sessions.lockWaits);
			t.bad += r.bad;
			log(
				`  run ${run} ${(two ? 'two nodes (round robin)' : 'one node (A, pinned)').padEnd(24)} ${r.rps.toFixed(0).padStart(5)} req/s  p99 ${r.p99} ms  ${r.ok} issued${r.bad ? `, ${r.bad} not 2xx/errors` : ''}  machine busy ${(busyShare(c0, c1) * 100).toFixed(0)} %\n      CPU: ${shares}\n      ${sessions.text}`
			);
		}
	}
	await sampler.end();
	return t;
}

// ---- 3. failover ----

/** nginx's error log lines, by what they say (addresses and ids stripped), since the last summary. */
const nginxLines = new Map<string, number>();
function noteNginx(line: string) {
	const what = line
		.replace(/^\S+ \S+ /, '')
		.replace(/\d+#\d+: \*\d+ /, '')
		.replace(/, client: .*$/, '')
		.replace(/\d+\.\d+\.\d+\.\d+:\d+/g, 'host:port')
		.slice(0, 120);
	nginxLines.set(what, (nginxLines.get(what) ?? 0) + 1);
}
function summarizeNginx(): string {
	const s = [...nginxLines]
		.sort((x, y) => y[1] - x[1])
		.slice(0, 5)
		.map(([what, n]) => `${n} × "${what}"`)
		.join('; ');
	nginxLines.clear();
	return s;
}

interface Failover {
	subjects: number;
	others: number;
	backOnB: number[];
	eventAgain: number[];
	notBack: number;
	missed: number;
	twice: number;
	failedAttempts: number;
	/** per client back on B: the events it got by replay (made while it was away) */
	replayed: number[];
	killMs: number;
}

async function failover(
	city: City,
	hall: Hall,
	signal: NodeJS.Signals,
	log: (s: string) => void
): Promise<Failover> {
	const [a, b] = city.nodes;
	summarizeNginx(); // what came before is not this failover's
	const hostA = new URL(a.url).host;
	const hostB = new URL(b.url).host;
	const clients: SseClient[] = [];
	for (let i = 0; i < FAILOVER_N; i++) {
		clients.push(new SseClient({ url: city.balancerUrl + streamPath(hall) }));
		if (i % 200 === 199) await sleep(10);
	}
	await until(() => clients.every((c) => c.ready), 60_000, 50);
	const subjects = clients.filter((c) => c.connections[0].upstream === hostA);
	const others = clients.filter((c) => c.connections[0].upstream === hostB);
	log(`  ${subjects.length} clients on A, ${others.length} on B (${clients.length} through nginx)`);
	await sleep(1000);

	// hall events keep coming through node B, as the desks of a real hall make them
	let producing = true;
	const produced: number[] = [];
	const producer = (async () => {
		while (producing) {
			const t = performance.now();
			await api(b.url, 'POST', '/api/queue/kiosk-tickets', hall.agent, {
				serviceId: hall.serviceId,
				hallId: hall.hallId
			}).catch(() => {});
			produced.push(t);
			await sleep(Math.max(0, PRODUCE_EVERY_MS - (performance.now() - t)));
		}
	})();
	await sleep(1500);
	const killedAt = performance.now();
	await city.killNode(0, signal);
	const killMs = performance.now() - killedAt;

	const backOf = (c: SseClient) =>
		c.connections.find((x) => x.openedAt > killedAt && x.readyAt && x.upstream === hostB);
	await until(() => subjects.every((c) => backOf(c)), 30_000, 50);
	await sleep(1500);
	producing = false;
	await producer;
	await sleep(500);
	// everyone has the last event (the clients on B never left)
	const lastId = Math.max(...others.map((c) => c.ids.at(-1) ?? 0));
	await until(() => subjects.every((c) => (c.ids.at(-1) ?? 0) >= lastId), 10_000);

	// the events every client must have: those an undisturbed client on B received
	const referenceClient = others.length
		? others.reduce((best, c) => (c.ids.length > best.ids.length ? c : best))
		: null;
	const reference = referenceClient?.ids ?? [];
	const replayed: number[] = [];
	const backOnB: number[] = [];
	const eventAgain: number[] = [];
	let notBack = 0;
	let missed = 0;
	let twice = 0;
	let failedAttempts = 0;
	const failures = new Map<string, number>();
	let twiceExample = '';
	for (const c of subjects) {
		failedAttempts += c.failedAttempts;
		for (const [kind, n] of c.failures) failures.set(kind, (failures.get(kind) ?? 0) + n);
		const back = backOf(c);
		if (!back?.readyAt) {
			notBack++;
			continue;
		}
		backOnB.push(back.readyAt - killedAt);
		// its first event over the new connection (a replay of what it missed, or a new one)
		const again = c.arrivals.find((at) => at >= back.readyAt!);
		if (again !== undefined) eventAgain.push(again - killedAt);
		// of those, the ones made while it was away: the reconnect's Last-Event-ID replay
		if (referenceClient) {
			const i = referenceClient.arrivals.findLastIndex((at) => at < back.readyAt!);
			const madeBefore = i === -1 ? 0 : referenceClient.ids[i];
			replayed.push(
				c.ids.filter((id, j) => c.arrivals[j] >= back.readyAt! && id <= madeBefore).length
			);
		}
		const seen = new Set<number>();
		for (const [j, id] of c.ids.entries()) {
			if (seen.has(id)) {
				twice++;
				// where it happened: the ids around it, and each connection's Last-Event-ID
				twiceExample ||= `id ${id} again at #${j} of ${c.ids
					.map((x, k) => `${x}@${c.via[k]}`)
					.slice(Math.max(0, j - 4), j + 3)
					.join(
						','
					)} (id@connection); connections opened with Last-Event-ID ${c.connections.map((x) => `${x.lastEventId ?? '-'}→${x.upstream ?? 'none'}${x.readyAt ? '' : ' (no ready)'}`).join(' ')}`;
			}
			seen.add(id);
		}
		const first = c.ids[0];
		for (const id of reference) if (id >= first && id <= lastId && !seen.has(id)) missed++;
	}
	for (const c of clients) c.close();
	log(
		`  ${signal}: node A gone in ${killMs.toFixed(0)} ms; ${produced.length} kiosk tickets made through B`
	);
	if (failures.size)
		log(
			`  failed attempts of A's clients: ${[...failures].map(([k, n]) => `${k} × ${n}`).join(', ')}`
		);
	if (twiceExample) log(`  an event received twice: ${twiceExample}`);
	const nginxSummary = summarizeNginx();
	if (nginxSummary) log(`  nginx's error log meanwhile: ${nginxSummary}`);
	return {
		subjects: subjects.length,
		others: others.length,
		backOnB: backOnB.sort((x, y) => x - y),
		eventAgain: eventAgain.sort((x, y) => x - y),
		notBack,
		missed,
		twice,
		failedAttempts,
		replayed,
		killMs
	};
}

/**
 * Node A up again and back in the balancer's round robin. nginx counts a failed node back in only
 * when a request it sent there after fail_timeout (5 s) has completed: an event stream does not
 * complete, so short requests (a city's page loads, here health checks) bring A back.
 */
async function restartA(city: City) {
	await city.restartNode(0);
	await sleep(5500);
	const hostA = new URL(city.nodes[0].url).host;
	let servedByA = 0;
	for (let i = 0; i < 200 && servedByA < 3; i++) {
		const res = await fetch(`${city.balancerUrl}/api/health`);
		await res.arrayBuffer();
		if (res.headers.get(UPSTREAM_HEADER)?.split(', ').at(-1) === hostA) servedByA++;
		await sleep(50);
	}
}

// ---- the run ----

async function main() {
	const t0 = performance.now();
	const log = (s: string) => console.log(s);
	let buildDir: string | undefined = args['build-dir'] && path.resolve(args['build-dir']);
	let ownBuild = false;
	if (args.build && !buildDir) {
		ownBuild = true;
		fs.mkdirSync(path.join(root, '.svelte-kit'), { recursive: true });
		buildDir = fs.mkdtempSync(path.join(root, '.svelte-kit', 'bench-cluster-build-'));
	}
	let city: City | null = null;
	const stopAll = async () => {
		await city?.stop();
		if (ownBuild && buildDir) fs.rmSync(buildDir, { recursive: true, force: true });
	};
	process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
	let db: pg.Client | null = null;
	try {
		city = await startCity({
			buildDir,
			build: args.build ? 'always' : 'missing',
			// the citizens and the agent all come from 127.0.0.1: no per-address limit in the way
			env: {
				LOGIN_PER_IP_PER_MINUTE: '10000',
				SMS_CODES_PER_IP_PER_HOUR: '100000',
				REGISTER_PER_IP_PER_HOUR: '100000'
			},
			progress: (line) => log(`[${since(t0)} s] ${line}`),
			log: (source, line) => {
				if (source === 'nginx') noteNginx(line);
				if (args.verbose) log(`[${source}] ${line}`);
			}
		});
		const [a, b] = city.nodes;
		const cores = os.cpus().length;
		const machine = `${cores} cores (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, load average ${os
			.loadavg()
			.map((x) => x.toFixed(2))
			.join(' ')} at start`;
		log(`[${since(t0)} s] city up: balancer ${city.balancerUrl}, A ${a.url}, B ${b.url}`);
		log(
			`Cloud Hall cluster benchmark (Node ${process.version}; ${machine}; N = ${N}, ${FANOUT_ROUNDS} × ${CALLS} calls, ` +
				`${RUNS} × ${SECONDS} s × ${CONNECTIONS} connections, failover ${FAILOVER_N} clients)`
		);

		const hall = await agentOf(a.url);
		db = new pg.Client({ connectionString: city.databaseUrl });
		await db.connect();

		// 1. fan-out
		log(`[${since(t0)} s] 1. SSE fan-out, ${N} clients, ${FANOUT_VIA} …`);
		const via = (node: number | null) =>
			FANOUT_VIA === 'balancer'
				? {
						url: city!.balancerUrl + streamPath(hall),
						headers: node === null ? undefined : { cookie: `${PIN_COOKIE}=${node}` }
					}
				: { url: city!.nodes[node ?? 0].url + streamPath(hall) };
		// rounds alternate single and split, so neither gets the warmer or quieter machine
		const rounds: { single: FanOut; split: FanOut }[] = [];
		const show = (label: string, f: FanOut) =>
			log(
				`  ${label} p50 ${ms(f.p50)} p99 ${ms(f.p99)} max ${ms(f.max)}, call itself ${ms(f.callMs)}, ready ${f.ready}/${N}, missed ${f.missed}${FANOUT_VIA === 'balancer' ? `, ${JSON.stringify(f.onNodes)}` : ''}`
			);
		for (let round = 1; round <= FANOUT_ROUNDS; round++) {
			const single = await fanOut(
				Array.from({ length: N }, () => via(0)),
				hall,
				a.url
			);
			show(`round ${round} single (all on A):`, single);
			const split = await fanOut(
				Array.from({ length: N }, (_, i) => (FANOUT_VIA === 'balancer' ? via(null) : via(i % 2))),
				hall,
				a.url
			);
			show(`round ${round} split (A and B): `, split);
			rounds.push({ single, split });
		}
		const single = pooled(rounds.map((r) => r.single));
		const split = pooled(rounds.map((r) => r.split));

		// 2. throughput
		log(`[${since(t0)} s] 2. ticket issue throughput: seeding ${CITIZENS} citizens …`);
		const citizens = await seedCitizens(db, CITIZENS);
		const oneHall = [{ serviceId: hall.serviceId, hallId: hall.hallId, channel: 'video' }];
		const spread = await allTakes(a.url);
		const hallCount = new Set(spread.map((x) => x.hallId)).size;
		log(`  one hall (${ITEM_CODE} in the agent's hall):`);
		const inOneHall = await throughput(city, db, citizens, oneHall, log);
		log(`  all halls (${spread.length} items × halls, ${hallCount} halls, in turn):`);
		const inAllHalls = await throughput(city, db, citizens, spread, log);

		// 3. failover
		log(`[${since(t0)} s] 3. failover, ${FAILOVER_N} clients through the balancer …`);
		const killed = await failover(city, hall, 'SIGKILL', log);
		await restartA(city);
		const stopped = await failover(city, hall, 'SIGTERM', log);

		// ---- the table ----
		const fan = (f: FanOut) =>
			`p50 ${ms(f.p50)}, p99 ${ms(f.p99)} (call itself ${ms(f.callMs)})${f.missed ? `, ${f.missed} missed` : ''}`;
		const issueRow = (what: string, t: Throughput) => {
			const one = median(t.one);
			const two = median(t.two);
			const runs = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
			return `| Ticket issue, ${what}: POST /api/queue/tickets by distinct citizens, ${CONNECTIONS} connections through nginx, ${RUNS} × ${SECONDS} s | ${one.toFixed(0)} req/s (runs ${runs(t.one)}; machine busy ${(median(t.oneBusy) * 100).toFixed(0)} %) | ${two.toFixed(0)} req/s (runs ${runs(t.two)}; machine busy ${(median(t.twoBusy) * 100).toFixed(0)} %) | ×${(two / one).toFixed(2)} (goal ≥ 1.6) | ${two / one >= 1.6 ? 'meets' : 'misses'} the 1.6× goal${t.bad ? ` (${t.bad} answers not 2xx)` : ''}; ${median(t.oneBusy) > 0.9 ? `the ${cores} cores are saturated with one node already` : `the cores are not saturated with one node (${(median(t.oneBusy) * 100).toFixed(0)} % busy)`}; on average ${median(t.oneLockWaits).toFixed(1)} / ${median(t.twoLockWaits).toFixed(1)} requests wait for a lock in PostgreSQL (one / two nodes) |`;
		};
		const fo = (f: Failover) =>
			`back on B: p50 ${ms(percentile(f.backOnB, 50))}, p99 ${ms(percentile(f.backOnB, 99))}, max ${ms(f.backOnB.at(-1) ?? NaN)}; an event again: p50 ${ms(percentile(f.eventAgain, 50))}, p99 ${ms(percentile(f.eventAgain, 99))}, max ${ms(f.eventAgain.at(-1) ?? NaN)} (${f.subjects} clients on A${f.notBack ? `, ${f.notBack} not back` : ''}; ${f.missed} events missed, ${f.twice} twice, median ${median(f.replayed.length ? f.replayed : [NaN])} replayed from Last-Event-ID; ${f.failedAttempts} failed attempts)`;
		const foReading = (f: Failover) => {
			const worst = f.backOnB.at(-1) ?? Infinity;
			return `${worst < 5000 && !f.notBack ? 'meets' : 'misses'} the < 5 s goal (max ${ms(worst)}); ${f.missed || f.twice ? 'events lost or doubled' : 'nothing missed or repeated'}`;
		};
		const via2 =
			FANOUT_VIA === 'balancer'
				? 'through nginx (single: pinned to A; split: round robin)'
				: 'directly at the nodes (single: all on A; split: half on A, half on B)';
		const lines = [
			'',
			`## bench:cluster — ${new Date().toISOString()}`,
			'',
			`Machine: ${machine}; Node ${process.version}. One city: PostgreSQL, Redis, 2 LiveKit, 2 app nodes (production build), nginx; the load generator and every server share these ${cores} cores.`,
			'',
			'| figure | one node | two nodes | ratio (two / one) | reading |',
			'|---|---|---|---|---|',
			`| SSE fan-out, ${N} hall streams ${via2}; call → every client, ${FANOUT_ROUNDS} × ${CALLS} calls through A | ${fan(single)} | ${fan(split)} | p50 ${ratio(split.p50, single.p50)}, p99 ${ratio(split.p99, single.p99)} | ${split.p99 < single.p99 ? 'splitting the streams shortens the call → every client tail' : 'splitting does not shorten the tail here'}: each node writes to half the streams, B's woken by PostgreSQL NOTIFY |`,
			issueRow(`one hall (${ITEM_CODE})`, inOneHall),
			issueRow(`all ${hallCount} halls (${spread.length} item × hall pairs in turn)`, inAllHalls),
			`| Failover, SIGKILL of A, ${FAILOVER_N} clients through nginx | — | ${fo(killed)} | — | ${foReading(killed)} |`,
			`| Rolling restart, SIGTERM of A | — | ${fo(stopped)} | — | ${foReading(stopped)} |`,
			'',
			"Where the cores went in each case's last run (share of all cores' time; 'outside the city' is other work on the machine):",
			`- one hall, one node: ${inOneHall.oneCpu}`,
			`- one hall, two nodes: ${inOneHall.twoCpu}`,
			`- all halls, one node: ${inAllHalls.oneCpu}`,
			`- all halls, two nodes: ${inAllHalls.twoCpu}`,
			'',
			`Total ${since(t0)} s.`
		];
		log(lines.join('\n'));
	} finally {
		await db?.end().catch(() => {});
		await stopAll();
	}
}

await main();
