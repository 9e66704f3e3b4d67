import { sqliteEngine } from '../server/engine.ts';
import { sqliteStore } from '../server/db/store.ts';
// `npm run bench:queue`: the virtual queue's hot paths with 1,000 tickets waiting in one hall
// (issue 19, item 3). Figures are printed, not tested; three runs after a warm-up run, median and spread (min–max).
//  1. One call (叫号) with 1,000 ticket pages open: the server CPU of the call plus every
//     follow-up request the pages make after its event (a page decides what to fetch with the
//     same code the browser runs, web/lib/ticket-live.ts; before it existed every page refetched).
//  2. One ticket read at position 1 and at position 1,000 (in-process, CPU per read).
//  3. Under concurrent HTTP load (autocannon, BENCH_CONNECTIONS connections, BENCH_SECONDS each):
//     GET /api/queue/tickets/:id ÷ a Hono hello-world, and POST /api/queue/tickets ÷ a bare Hono
//     handler doing one BEGIN IMMEDIATE insert into the same database file (synchronous = FULL);
//     beside it, the take's writes alone (takeFloor below) against the same bare insert.
//     The servers run in a child process (node:http through @hono/node-server), the load here.
//     BENCH_PROFILE=<dir> has that process write a CPU profile (node --cpu-prof) when it stops;
//     BENCH_LOAD=get or post loads only that one (its profile is then that path's alone).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

const WAITING = Number(process.env.BENCH_WAITING ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
// citizens who take a ticket each: more than the fastest load takes in one run (~8,000/s here)
const POST_CITIZENS = Number(process.env.BENCH_POST_CITIZENS ?? 60_000);
// BENCH_LOAD=get or post: only that figure under load (a CPU profile of that path alone)
const LOAD = process.env.BENCH_LOAD ?? 'both';
const GET_ONLY = LOAD === 'get';
const POST_ONLY = LOAD === 'post';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs: number[], digits = 2) =>
	`${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;

async function openHall(dir: string) {
	const { createApp } = await import('../server/app.ts');
	const { loadConfig } = await import('../server/config.ts');
	const { openDatabase } = await import('../server/db/index.ts');
	const { migrate } = await import('../server/db/migrate.ts');
	const { silentLogger } = await import('../server/log.ts');
	const { createLogSmsGateway } = await import('../server/notify/sms.ts');
	const config = loadConfig({ DATA_DIR: dir });
	const db = openDatabase(config.databasePath);
	migrate(db);
	const deps = {
		engine: sqliteEngine(db),
		store: sqliteStore(db),
		config,
		now: () => Date.now(),
		livekit: null,
		log: silentLogger,
		sms: createLogSmsGateway(silentLogger, config.dataDir)
	};
	return { deps, db, app: createApp(deps) };
}

// ---- child: the servers under load ----
if (process.argv[2] === 'serve') {
	const { serve } = await import('@hono/node-server');
	const { Hono } = await import('hono');
	const { deps, db, app } = await openHall(process.argv[3]);
	db.exec(
		'CREATE TABLE IF NOT EXISTS bench_inserts (id INTEGER PRIMARY KEY, body TEXT NOT NULL, created_at INTEGER NOT NULL)'
	);
	const insert = db.prepare('INSERT INTO bench_inserts (body, created_at) VALUES (?, ?)');
	const bare = new Hono().post('/', async (c) => {
		const body = await c.req.text();
		db.transaction(() => insert.run(body, deps.now())).immediate();
		return c.json({ ok: true }, 201);
	});
	const hello = new Hono().get('/', (c) => c.text('Hello Hono!'));
	const floor = await takeFloor(deps, db);
	const ports = [0, 0, 0, 0];
	const servers = [app, hello, bare, floor].map((a, i) =>
		serve({ fetch: a.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
			ports[i] = info.port;
			if (ports.every(Boolean)) process.stdout.write(`ports ${ports.join(' ')}\n`);
		})
	);
	process.on('SIGTERM', () => {
		for (const s of servers) s.close();
		process.exit(0);
	});
} else await main();

/**
 * The floor of a take's writes: a bare handler that writes what a take must (the category's
 * next number, the ticket row with every index the reads need, its hall event) group-committed
 * as the take is, and nothing else: no session, no checks, no waiting order, no estimate. What
 * it leaves to the bare insert is what the schema's writes cost; the take's own logic is the rest.
 */
async function takeFloor(
	deps: { store: import('../server/db/store.ts').Store; config: { timeZone: string } },
	db: import('../server/db/index.ts').Db
) {
	const { Hono } = await import('hono');
	const { groupCommit } = await import('../server/db/group-commit.ts');
	const { newTimeOrderedId } = await import('../server/ids.ts');
	const { localDate } = await import('../shared/dates.ts');
	const item = db
		.prepare(
			"SELECT i.id, i.category, d.org_unit_id AS hall FROM service_items i JOIN departments d ON d.id = i.department_id WHERE i.code = '370281-XZSP-001'"
		)
		.get() as { id: string; category: string; hall: string };
	// citizens without a ticket (the bench's posters): one ticket each, as the take's rule says
	const citizens = (
		db
			.prepare(
				"SELECT id FROM users WHERE role = 'citizen' AND id NOT IN (SELECT citizen_id FROM tickets WHERE citizen_id IS NOT NULL) ORDER BY created_at, id"
			)
			.all() as { id: string }[]
	).map((r) => r.id);
	let next = 0;
	return new Hono()
		.post('/', async (c) => {
			const body = (await c.req.json()) as { serviceId: string };
			// each citizen once per run (the run's tickets are removed after it): a second ticket
			// would break the one-active rule, and a failing write is not the figure
			if (next >= citizens.length)
				return c.json({ error: 'out of citizens: BENCH_POST_CITIZENS' }, 500);
			const citizen = citizens[next++];
			const now = Date.now();
			const day = localDate(now, deps.config.timeZone);
			await groupCommit(deps.store, async (tx) => {
				const number = (await tx.get<{ last_number: number }>(
					`INSERT INTO ticket_counters (hall_id, day, category, last_number) VALUES (?, ?, ?, 1)
				 ON CONFLICT (hall_id, day, category) DO UPDATE SET last_number = ticket_counters.last_number + 1
				 RETURNING last_number`,
					[item.hall, day, item.category]
				))!.last_number;
				const id = newTimeOrderedId(now);
				await tx.run(
					`INSERT INTO tickets (id, hall_id, day, category, number, code, service_item_id, channel, citizen_id,
				   priority, status, order_key, created_by, created_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?, 'video', ?, 0, 'waiting', ?, ?, ?)`,
					[
						id,
						item.hall,
						day,
						item.category,
						number,
						`${item.category}${number}`,
						body.serviceId,
						citizen,
						now,
						citizen,
						now
					]
				);
				await tx.get(
					'INSERT INTO queue_events (hall_id, ticket_id, type, payload, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id',
					[
						item.hall,
						id,
						'ticket.issued',
						JSON.stringify({
							ticketId: id,
							code: `${item.category}${number}`,
							category: item.category,
							order: null
						}),
						now
					]
				);
			});
			return c.json({ ok: true }, 201);
		})
		.post('/next-run', (c) => {
			next = 0; // the run before's tickets are gone: its citizens may take again
			return c.body(null, 204);
		});
}

async function main() {
	const { sessionIdFromToken, generateSessionToken } = await import('../server/auth/session.ts');
	const { seedDemoIfEmpty } = await import('../server/demo/seed.ts');
	const { localDate } = await import('../shared/dates.ts');
	const { newId } = await import('../server/ids.ts');
	let followHallEvent:
		| ((
				page: { ticket: unknown; seen: number | null },
				event: { type: string; id: number; data: Record<string, unknown> }
		  ) => { ticket: unknown; seen: number | null; refetch: boolean })
		| null = null;
	try {
		({ followHallEvent } = (await import('../web/lib/ticket-live.ts')) as never);
	} catch {
		console.log('(no web/lib/ticket-live.ts: every page refetches on every hall event)');
	}

	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-bench-queue-'));
	const { deps, db, app } = await openHall(dir);
	await seedDemoIfEmpty(deps);
	const item = db
		.prepare(
			"SELECT i.id, i.category, d.org_unit_id AS hall FROM service_items i JOIN departments d ON d.id = i.department_id WHERE i.code = '370281-XZSP-001'"
		)
		.get() as { id: string; category: string; hall: string };
	const day = localDate(Date.now(), deps.config.timeZone);

	// citizens with sessions, written straight to the database (the bench is about the queue)
	const now = Date.now();
	const addUser = db.prepare(
		"INSERT INTO users (id, role, phone, name, password_hash, created_at) VALUES (?, 'citizen', ?, ?, 'x', ?)"
	);
	const addSession = db.prepare(
		'INSERT INTO sessions (id, user_id, created_at, expires_at, two_factor_verified, last_active_at) VALUES (?, ?, ?, ?, 1, ?)'
	);
	const citizen = (i: number) => {
		const id = newId();
		const token = generateSessionToken();
		addUser.run(id, `166${String(i).padStart(8, '0')}`, `市民${i}`, now);
		addSession.run(sessionIdFromToken(token), id, now, now + 30 * 86_400_000, now);
		return { id, token };
	};
	const pages: { token: string; ticketId: string; priority: boolean }[] = [];
	const addTicket = db.prepare(
		`INSERT INTO tickets (id, hall_id, day, category, number, code, service_item_id, channel, citizen_id,
		   priority, priority_reason, status, order_key, created_by, created_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, 'video', ?, ?, ?, 'waiting', ?, ?, ?)`
	);
	db.transaction(() => {
		for (let n = 1; n <= WAITING; n++) {
			const c = citizen(n);
			const id = newId();
			const priority = n % 10 === 0;
			addTicket.run(
				id,
				item.hall,
				day,
				item.category,
				n,
				`${item.category}${String(n).padStart(3, '0')}`,
				item.id,
				c.id,
				priority ? 1 : 0,
				priority ? 'elderly' : null,
				now - 3_600_000 + n,
				c.id,
				now - 3_600_000 + n
			);
			pages.push({ token: c.token, ticketId: id, priority });
		}
		db.prepare(
			'INSERT INTO ticket_counters (hall_id, day, category, last_number) VALUES (?, ?, ?, ?)'
		).run(item.hall, day, item.category, WAITING);
	})();
	const postTokens: string[] = [];
	db.transaction(() => {
		for (let n = 0; n < POST_CITIZENS; n++) postTokens.push(citizen(WAITING + 1 + n).token);
	})();

	const json = (token: string, body?: unknown) => ({
		method: body === undefined ? 'GET' : 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const { DEMO_PASSWORD, DEMO_TOTP_SECRET } = await import('../server/demo/hall.ts');
	const { totpCode, totpStep } = await import('../server/auth/two-factor.ts');
	const { decodeBase32IgnorePadding } = await import('@oslojs/encoding');
	const login = (await (
		await app.request('/api/auth/login', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ login: 'agent', password: DEMO_PASSWORD })
		})
	).json()) as { token: string; secondFactor: string | null };
	if (login.secondFactor === 'verify')
		await app.request('/api/auth/two-factor/verify', {
			...json(login.token, {
				code: totpCode(decodeBase32IgnorePadding(DEMO_TOTP_SECRET), totpStep(Date.now()))
			})
		});
	const agent = login.token;
	const desks = (
		(await (await app.request('/api/desks', json(agent))).json()) as {
			desks: { id: string; orgUnitId: string }[];
		}
	).desks.filter((d) => d.orgUnitId === item.hall);
	const desk = desks[0];
	const opened = await app.request(
		`/api/desks/${desk.id}/open`,
		json(agent, { categories: [item.category] })
	);
	if (opened.status !== 200) throw new Error(`open desk: ${opened.status} ${await opened.text()}`);

	const read = async (p: { token: string; ticketId: string }) => {
		const res = await app.request(`/api/queue/tickets/${p.ticketId}`, json(p.token));
		if (res.status !== 200) throw new Error(`read: ${res.status}`);
		return ((await res.json()) as { ticket: { status: string } }).ticket;
	};
	const cpuMs = (since: NodeJS.CpuUsage) => {
		const d = process.cpuUsage(since);
		return (d.user + d.system) / 1000;
	};

	console.log(
		`Cloud Hall queue benchmark (Node ${process.version}, ${os.cpus().length} cores): ${WAITING} waiting in one hall, category ${item.category}, every 10th a priority ticket`
	);

	// ---- 1. one call with every page open ----
	const lastEvent = db.prepare<[string], { id: number | null }>(
		'SELECT max(id) AS id FROM queue_events WHERE hall_id = ?'
	);
	const eventsAfter = db.prepare<[string, number], { id: number; type: string; payload: string }>(
		'SELECT id, type, payload FROM queue_events WHERE hall_id = ? AND id > ? ORDER BY id'
	);
	let open = pages.map((p) => ({ ...p, ticket: null as unknown, seen: null as number | null }));
	{
		const t0 = performance.now();
		for (const p of open) {
			p.ticket = await read(p);
			p.seen = lastEvent.get(item.hall)?.id ?? 0;
		}
		console.log(`(${open.length} pages loaded in ${(performance.now() - t0).toFixed(0)} ms)`);
	}
	const callCpu: number[] = [];
	const pageWork: number[] = [];
	const followUps: number[] = [];
	for (let run = 0; run < RUNS; run++) {
		const before = lastEvent.get(item.hall)?.id ?? 0;
		// server CPU: the call, reading its events once for the streams, every follow-up request;
		// what each page decides from the event runs in its browser and is counted apart
		let cpu = process.cpuUsage();
		const called = await app.request(`/api/desks/${desk.id}/call-next`, json(agent, {}));
		if (called.status !== 200) throw new Error(`call: ${called.status}`);
		const calledId = ((await called.json()) as { ticket: { id: string } }).ticket.id;
		const events = eventsAfter.all(item.hall, before).map((e) => ({
			type: e.type,
			id: e.id,
			data: JSON.parse(e.payload) as Record<string, unknown>
		}));
		let serverMs = cpuMs(cpu);
		let clientMs = 0;
		let requests = 0;
		for (const p of open) {
			let refetch = !followHallEvent;
			if (followHallEvent) {
				cpu = process.cpuUsage();
				for (const e of events) {
					const next = followHallEvent(p, e);
					p.ticket = next.ticket;
					p.seen = next.seen;
					refetch ||= next.refetch;
				}
				clientMs += cpuMs(cpu);
			}
			if (refetch) {
				cpu = process.cpuUsage();
				p.ticket = await read(p);
				serverMs += cpuMs(cpu);
				requests++;
			}
		}
		pageWork.push((clientMs / open.length) * 1000);
		callCpu.push(serverMs);
		followUps.push(requests);
		// the called ticket is served and its page closed
		await app.request(`/api/queue/tickets/${calledId}/finish`, json(agent, {}));
		open = open.filter((p) => p.ticketId !== calledId);
		const sync = lastEvent.get(item.hall)?.id ?? 0;
		for (const p of open) {
			if (followHallEvent)
				for (const e of eventsAfter.all(item.hall, before)) {
					if (e.id <= (p.seen ?? 0)) continue;
					const next = followHallEvent(p, {
						type: e.type,
						id: e.id,
						data: JSON.parse(e.payload) as Record<string, unknown>
					});
					p.ticket = next.ticket;
					p.seen = next.seen;
					if (next.refetch) p.ticket = await read(p);
				}
			p.seen = sync;
		}
	}
	console.log(
		`one call, ${open.length} pages open: server CPU ${median(callCpu).toFixed(1)} ms (${spread(callCpu, 1)}), follow-up requests ${median(followUps)} (${spread(followUps, 0)})`
	);
	if (followHallEvent)
		console.log(
			`  each page's own work on the event (in its browser): ${median(pageWork).toFixed(1)} µs (${spread(pageWork, 1)})`
		);
	// a page's ticket after the calls equals a fresh read (the pages' local position is right)
	if (followHallEvent) {
		let wrong = 0;
		for (const p of open) {
			const fresh = (await read(p)) as unknown as {
				ahead: number | null;
				estimatedWaitMinutes: number | null;
			};
			const mine = p.ticket as typeof fresh;
			if (mine.ahead !== fresh.ahead || mine.estimatedWaitMinutes !== fresh.estimatedWaitMinutes) {
				if (process.env.BENCH_DEBUG && wrong < 5) console.log('differs', mine, fresh);
				wrong++;
			}
		}
		console.log(`pages whose position or estimate differs from a fresh read: ${wrong}`);
	}

	// ---- 2. one read at position 1 and at the last position ----
	const first = open[0];
	const last = open.findLast((p) => !p.priority)!;
	const perRead = async (p: (typeof open)[number], n: number) => {
		for (let i = 0; i < 20; i++) await read(p); // warm-up
		const cpu = process.cpuUsage();
		for (let i = 0; i < n; i++) await read(p);
		return cpuMs(cpu) / n;
	};
	const at1: number[] = [];
	const atLast: number[] = [];
	for (let run = 0; run < RUNS; run++) {
		at1.push(await perRead(first, 200));
		atLast.push(await perRead(last, followHallEvent ? 200 : 20));
	}
	const pos = (await read(last)) as unknown as { position: number };
	console.log(
		`GET /api/queue/tickets/:id CPU per read: position 1 ${median(at1).toFixed(3)} ms (${spread(at1, 3)}), position ${pos.position} ${median(atLast).toFixed(3)} ms (${spread(atLast, 3)})`
	);
	db.close();

	// ---- 3. HTTP load against a child process ----
	const profile = process.env.BENCH_PROFILE
		? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_PROFILE)]
		: [];
	const child: ChildProcess = spawn(
		process.execPath,
		[...profile, import.meta.filename, 'serve', dir],
		{
			stdio: ['ignore', 'pipe', 'inherit']
		}
	);
	try {
		const ports = await new Promise<number[]>((resolve, reject) => {
			let out = '';
			child.stdout!.on('data', (d) => {
				out += String(d);
				const m = out.match(/ports (\d+) (\d+) (\d+) (\d+)/);
				if (m) resolve([Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])]);
			});
			child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
		});
		const [appPort, helloPort, barePort, floorPort] = ports;
		// a slow endpoint leaves requests the server has read but not answered when the load stops:
		// wait until it answers a hello-world quickly again, so they do not slow the next figure
		const settle = async () => {
			const deadline = Date.now() + 300_000;
			for (let quick = 0; quick < 3 && Date.now() < deadline;) {
				const t = performance.now();
				await fetch(`http://127.0.0.1:${helloPort}/`).then((r) => r.text());
				quick = performance.now() - t < 10 ? quick + 1 : 0;
			}
		};
		const load = async (opts: autocannon.Options) => {
			await settle();
			const r = await autocannon({ connections: CONNECTIONS, duration: SECONDS, ...opts });
			const bad = r.non2xx + r.errors + r.timeouts;
			if (bad) console.warn(`  ${opts.url}: ${bad} non-2xx, errors or timeouts`);
			return r.requests.average;
		};
		let nextPoster = 0;
		const getRatio: number[] = [];
		const postRatio: number[] = [];
		const floorRatio: number[] = [];
		const rows: string[] = [];
		// run 0 warms the servers up (V8 compiles the app's paths under load; hello-world's are
		// few) and is printed but not counted
		for (let run = 0; run <= RUNS; run++) {
			const counted = run > 0;
			const hello = await load({ url: `http://127.0.0.1:${helloPort}/` });
			const get = POST_ONLY
				? NaN
				: await load({
						url: `http://127.0.0.1:${appPort}/api/queue/tickets/${last.ticketId}`,
						headers: { authorization: `Bearer ${last.token}` }
					});
			const label = counted ? `run ${run}` : 'warm-up, not counted';
			if (GET_ONLY) {
				if (counted) getRatio.push(get / hello);
				rows.push(`  ${label}: hello ${hello.toFixed(0)}/s, GET ticket ${get.toFixed(0)}/s`);
				continue;
			}
			const bare = await load({
				url: `http://127.0.0.1:${barePort}/`,
				method: 'POST',
				body: JSON.stringify({ serviceId: item.id, channel: 'video' })
			});
			// every POST run starts from the same queue: the tickets (and events) of the run before
			// are removed by another connection, which the server sees as another process's write
			const { openDatabase } = await import('../server/db/index.ts');
			const writtenBy = async (run: () => Promise<number>) => {
				const mark = openDatabase(path.join(dir, 'hall.db'));
				const marks = mark
					.prepare(
						'SELECT (SELECT max(rowid) FROM tickets) AS ticket, (SELECT max(id) FROM queue_events) AS event'
					)
					.get() as { ticket: number; event: number };
				mark.close();
				const rate = await run();
				await settle();
				const undo = openDatabase(path.join(dir, 'hall.db'));
				undo.transaction(() => {
					undo.prepare('DELETE FROM queue_events WHERE id > ?').run(marks.event);
					undo.prepare('DELETE FROM tickets WHERE rowid > ?').run(marks.ticket);
				})();
				undo.close();
				return rate;
			};
			const takeBody = JSON.stringify({ serviceId: item.id, channel: 'video' });
			const floor = await writtenBy(async () => {
				await fetch(`http://127.0.0.1:${floorPort}/next-run`, { method: 'POST' });
				return load({ url: `http://127.0.0.1:${floorPort}/`, method: 'POST', body: takeBody });
			});
			const post = await writtenBy(() =>
				load({
					url: `http://127.0.0.1:${appPort}/api/queue/tickets`,
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: takeBody,
					requests: [
						{
							setupRequest: (req) => ({
								...req,
								headers: {
									...req.headers,
									authorization: `Bearer ${postTokens[nextPoster++ % postTokens.length]}`
								}
							})
						}
					]
				})
			);
			if (counted) {
				getRatio.push(get / hello);
				postRatio.push(post / bare);
				floorRatio.push(floor / bare);
			}
			rows.push(
				`  ${label}: hello ${hello.toFixed(0)}/s, GET ticket ${get.toFixed(0)}/s, bare insert ${bare.toFixed(0)}/s, take's writes alone ${floor.toFixed(0)}/s, POST ticket ${post.toFixed(0)}/s`
			);
		}
		console.log(rows.join('\n'));
		if (!POST_ONLY)
			console.log(
				`GET /api/queue/tickets/:id (${WAITING}+ waiting) ÷ hello-world: ${median(getRatio).toFixed(3)} (${spread(getRatio, 3)})`
			);
		if (!GET_ONLY)
			console.log(
				`POST /api/queue/tickets (from ${WAITING} waiting) ÷ bare BEGIN IMMEDIATE insert: ${median(postRatio).toFixed(3)} (${spread(postRatio, 3)}); ${nextPoster} tickets taken`
			);
		if (!GET_ONLY)
			console.log(
				`  the take's writes alone (number, ticket row, event; group-committed; no session, checks or order) ÷ bare insert: ${median(floorRatio).toFixed(3)} (${spread(floorRatio, 3)})`
			);
	} finally {
		child.kill('SIGTERM');
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
