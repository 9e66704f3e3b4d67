// The event bus across app nodes on PostgreSQL (issue 22): two engines on one database stand for
// two nodes. An event committed on one wakes the other's streams through LISTEN/NOTIFY; a rolled
// back one wakes nobody; sign-out ends the other node's streams; when a node loses its LISTEN
// connection it polls the event log instead and nothing is missed. Runs in project api with a
// throwaway cluster of its own (it kills connections), so it is left out of api-postgres.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresProcess } from '../../scripts/postgres-process.ts';
import { openPostgresEngine, type Engine } from '../../server/engine.ts';
import { appendHallEvent } from '../../server/queue/repo.ts';
import { noticePayloads } from '../../server/realtime/postgres-bus.ts';
import { newId } from '../../server/ids.ts';

let server: PostgresProcess;
let a: Engine;
let b: Engine;
beforeAll(async () => {
	server = await startPostgres();
	a = openPostgresEngine(server.url, { poolSize: 3 });
	await a.migrate();
	b = openPostgresEngine(server.url, { poolSize: 3 });
}, 120_000);
afterAll(async () => {
	await a?.close();
	await b?.close();
	await server?.stop();
});

/** A hall of its own per test: its queue events are a topic no other test touches. */
async function newHall(): Promise<string> {
	const id = newId();
	const city = newId();
	await a.store.run(
		"INSERT INTO org_units (id, parent_id, level, code, name, created_at) VALUES (?, NULL, 'city', ?, 'city', 0)",
		[city, `c-${city}`]
	);
	await a.store.run(
		"INSERT INTO org_units (id, parent_id, level, code, name, created_at) VALUES (?, ?, 'district', ?, 'hall', 0)",
		[id, city, `h-${id}`]
	);
	return id;
}

/** Collects what a subscriber on `engine` hears of `topic`. */
function listenOn(engine: Engine, topic: string) {
	const heard: number[] = [];
	const waiters: { id: number; resolve: () => void }[] = [];
	const stop = engine.events.subscribe(topic, (id) => {
		heard.push(id);
		for (const w of waiters.filter((w) => id >= w.id)) w.resolve();
	});
	return {
		heard,
		stop,
		/** resolves once an id ≥ id was heard; rejects after ms */
		until: (id: number, ms = 10_000) =>
			new Promise<void>((resolve, reject) => {
				if (heard.some((h) => h >= id)) return resolve();
				const timer = setTimeout(() => reject(new Error(`not heard: ${id} (${heard})`)), ms);
				waiters.push({ id, resolve: () => (clearTimeout(timer), resolve()) });
			})
	};
}

async function untilMode(engine: Engine, mode: string, ms = 15_000) {
	const deadline = Date.now() + ms;
	while (engine.crossNodeEvents() !== mode) {
		if (Date.now() > deadline) throw new Error(`still ${engine.crossNodeEvents()}, not ${mode}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

describe('the event bus across two nodes on PostgreSQL', () => {
	it('an event committed on node A wakes node B with its id; a rolled-back one wakes nobody', async () => {
		const hall = await newHall();
		const onB = listenOn(b, `hall:${hall}`);
		await untilMode(b, 'listening');
		const rolledBack = await a.store
			.transaction(async (tx) => {
				await appendHallEvent({ engine: a, store: tx }, hall, null, 't', {}, 1);
				throw new Error('undo');
			})
			.catch((e: Error) => e.message);
		expect(rolledBack).toBe('undo');
		const id = await a.store.transaction((tx) =>
			appendHallEvent({ engine: a, store: tx }, hall, null, 'ticket.taken', {}, 2)
		);
		await onB.until(id);
		// one wake for the commit; the rolled-back transaction sent nothing
		expect(onB.heard).toEqual([id]);
		onB.stop();
	});

	it('a transaction touching many topics sends one notice (several only past 8,000 bytes)', async () => {
		const halls = await Promise.all(Array.from({ length: 3 }, newHall));
		const subs = halls.map((hall) => listenOn(b, `hall:${hall}`));
		await untilMode(b, 'listening');
		const ids = await a.store.transaction(async (tx) => {
			const out: number[] = [];
			for (const hall of halls)
				for (let i = 0; i < 3; i++)
					out.push(await appendHallEvent({ engine: a, store: tx }, hall, null, 't', {}, 3));
			return out;
		});
		// each topic hears only the newest of its three ids: one wake per topic per transaction
		for (const [i, sub] of subs.entries()) {
			await sub.until(ids[i * 3 + 2]);
			expect(sub.heard).toEqual([ids[i * 3 + 2]]);
			sub.stop();
		}
		const big = {
			topics: new Map(Array.from({ length: 400 }, (_, i) => [`case:${newId()}`, i] as const)),
			ends: new Set(['user:x'])
		};
		const payloads = noticePayloads('node', big);
		expect(payloads.length).toBeGreaterThan(1);
		for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThan(8000);
		const back = payloads.map((p) => JSON.parse(p) as { p?: [string, number][]; e?: string[] });
		expect(back.flatMap((n) => n.p ?? []).length).toBe(400);
		expect(back.flatMap((n) => n.e ?? [])).toEqual(['user:x']);
	});

	it("a sign-out on node A ends the user's streams on node B", async () => {
		const key = `user:${newId()}`;
		const hall = await newHall();
		const sub = listenOn(b, `hall:${hall}`); // a stream open on B keeps its LISTEN in force
		await untilMode(b, 'listening');
		const ended = new Promise<void>((resolve) => b.events.onEnd(key, resolve));
		await a.store.transaction(async () => a.events.end(key));
		await ended;
		sub.stop();
	});

	it('an event whose notice was lost (its node died right after COMMIT) still reaches node B, by the safety-net poll', async () => {
		const hall = await newHall();
		const onB = listenOn(b, `hall:${hall}`);
		await untilMode(b, 'listening');
		// the row committed, the notify never sent: as if node A died between the two
		const row = await a.store.get<{ id: number }>(
			"INSERT INTO queue_events (hall_id, ticket_id, type, payload, created_at) VALUES (?, NULL, 'ticket.taken', '{}', 6) RETURNING id",
			[hall]
		);
		await onB.until(row!.id, 12_000);
		onB.stop();
	}, 20_000);

	it('node B loses its LISTEN connection: it polls, misses nothing, and listens again', async () => {
		const hall = await newHall();
		const onB = listenOn(b, `hall:${hall}`);
		await untilMode(b, 'listening');
		const killed = await a.store.get<{ n: number }>(
			"SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE query LIKE 'LISTEN cloud_hall_events%' AND pid <> pg_backend_pid()"
		);
		expect(killed!.n).toBeGreaterThan(0);
		// written while B is not listening: the notice is lost, the poll (or the catch-up) finds it
		const id = await a.store.transaction((tx) =>
			appendHallEvent({ engine: a, store: tx }, hall, null, 'ticket.taken', {}, 4)
		);
		await onB.until(id, 15_000);
		await untilMode(b, 'listening');
		const next = await a.store.transaction((tx) =>
			appendHallEvent({ engine: a, store: tx }, hall, null, 'ticket.called', {}, 5)
		);
		await onB.until(next);
		onB.stop();
	});
});
