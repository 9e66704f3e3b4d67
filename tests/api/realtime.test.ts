// Live streams on the event bus: a stream reads only its own topic, replay counts within that
// topic, another process's event reaches a stream here, and losing access ends a stream at once.
// Streams read their events by id from the event tables, on both engines.
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendHallEvent, createQueueRepo } from '../../server/queue/repo.ts';
import { MAX_REPLAY } from '../../server/realtime/sse.ts';
import { userKey } from '../../server/realtime/bus.ts';
import { createHarness, type Harness } from './harness.ts';
import { openDesk, openVideoSession } from './builders.ts';

let h: Harness;
let hallA: string;
let hallB: string;

beforeEach(async () => {
	h = await createHarness();
	const halls = (await (await h.request('GET', '/api/queue/halls')).json()).halls as {
		id: string;
	}[];
	[hallA, hallB] = halls.map((x) => x.id);
	expect(hallB).toBeTruthy();
});
afterEach(() => h.close());

interface Received {
	id: string | null;
	event: string;
	data: string;
}

/** An open SSE response, read message by message as a browser's EventSource would. */
async function openStream(url: string, o: { token?: string; lastEventId?: number } = {}) {
	const controller = new AbortController();
	const headers: Record<string, string> = {};
	if (o.token) headers.authorization = `Bearer ${o.token}`;
	if (o.lastEventId !== undefined) headers['last-event-id'] = String(o.lastEventId);
	const res = await h.app.request(
		url,
		{ headers, signal: controller.signal },
		{ ip: '203.0.113.7' }
	);
	expect(res.status).toBe(200);
	const reader = res.body!.getReader();
	const decoder = new TextDecoder();
	const received: Received[] = [];
	let buffer = '';
	let ended = false;
	const pump = (async () => {
		try {
			for (;;) {
				const chunk = await reader.read();
				if (chunk.done) break;
				buffer += decoder.decode(chunk.value, { stream: true });
				let end: number;
				while ((end = buffer.indexOf('\n\n')) !== -1) {
					const block = buffer.slice(0, end);
					buffer = buffer.slice(end + 2);
					const field = (name: string) =>
						block
							.split('\n')
							.find((l) => l.startsWith(`${name}: `))
							?.slice(name.length + 2) ?? null;
					const event = field('event');
					if (event) received.push({ id: field('id'), event, data: field('data') ?? '' });
				}
			}
		} catch {
			// aborted by the test
		}
		ended = true;
	})();
	return {
		received,
		/** Waits until `check` holds (or fails after ms). */
		async until(check: (r: Received[]) => boolean, ms = 5000) {
			const deadline = Date.now() + ms;
			while (!check(received)) {
				if (Date.now() > deadline)
					throw new Error(`stream: condition not met; got ${received.map((r) => r.event)}`);
				await new Promise((r) => setTimeout(r, 10));
			}
		},
		get ended() {
			return ended;
		},
		async waitEnded(ms = 2000) {
			await Promise.race([pump, new Promise((r) => setTimeout(r, ms))]);
			return ended;
		},
		close() {
			controller.abort();
		}
	};
}

const hallStream = (hallId: string, lastEventId?: number) =>
	openStream(`/api/queue/events?hallId=${hallId}`, { lastEventId });

/** Appends queue events as the rules do (in a transaction; published after commit). */
function appendHallEvents(hallId: string, n: number, type = 'desk.opened'): Promise<number[]> {
	return h.deps.store.transaction(async (tx) => {
		const ids: number[] = [];
		for (let i = 0; i < n; i++)
			ids.push(
				await appendHallEvent(
					{ ...h.deps, store: tx },
					hallId,
					null,
					type,
					{ deskId: `d${i}` },
					h.clock.now
				)
			);
		return ids;
	});
}

describe('topics', () => {
	it('a stream of hall A misses nothing while hall B writes 10,000 events, and replays only its own', async () => {
		const a = await hallStream(hallA);
		await a.until((r) => r.some((e) => e.event === 'ready'));
		const mine: number[] = [];
		for (let round = 0; round < 10; round++) {
			await appendHallEvents(hallB, 1000);
			mine.push(...(await appendHallEvents(hallA, 1, 'desk.closed')));
		}
		await a.until((r) => r.filter((e) => e.event === 'desk.closed').length === 10);
		expect(
			a.received.filter((e) => e.id !== null && e.event !== 'ready').map((e) => Number(e.id))
		).toEqual(mine);
		expect(a.received.some((e) => e.event === 'refetch')).toBe(false);
		a.close();

		// back after its first event: 9 of its own missed (10,000 of others' in between), replayed
		const back = await hallStream(hallA, mine[0]);
		await back.until((r) => r.filter((e) => e.event === 'desk.closed').length === 9);
		expect(back.received.map((e) => e.event)).not.toContain('refetch');
		expect(
			back.received.filter((e) => e.id !== null && e.event !== 'ready').map((e) => Number(e.id))
		).toEqual(mine.slice(1));
		back.close();
	});

	it('a client that has had no event yet reconnects from the ready event’s id and gets what it missed', async () => {
		// a page that opened its stream and saw nothing before its node went down: the browser
		// sends back the last id it was given, the ready event's, so the gap is replayed
		const first = await hallStream(hallA);
		await first.until((r) => r.some((e) => e.event === 'ready'));
		const ready = first.received.find((e) => e.event === 'ready')!;
		expect(ready.id).toMatch(/^\d+$/);
		first.close();
		const [missed] = await appendHallEvents(hallA, 1, 'ticket.called');
		const again = await hallStream(hallA, Number(ready.id));
		await again.until((r) => r.some((e) => e.event === 'ticket.called'));
		expect(again.received.find((e) => e.event === 'ticket.called')!.id).toBe(String(missed));
		again.close();
	});

	it('a client that missed more than the limit of its own topic is told to refetch', async () => {
		const [first] = await appendHallEvents(hallA, 1);
		await appendHallEvents(hallA, MAX_REPLAY + 1);
		const newest = await createQueueRepo(h.deps.store).lastEventId(hallA);
		const s = await hallStream(hallA, first - 1);
		await s.until((r) => r.some((e) => e.event === 'ready'));
		expect(s.received[0]).toMatchObject({ event: 'refetch', id: String(newest) });
		expect(s.received.filter((e) => e.event === 'desk.opened')).toHaveLength(0);
		// and then it is live again
		const [next] = await appendHallEvents(hallA, 1, 'desk.closed');
		await s.until((r) => r.some((e) => e.id === String(next)));
		s.close();

		// exactly the limit is still replayed
		const limit = await hallStream(hallA, next - MAX_REPLAY);
		await limit.until(
			(r) => r.filter((e) => e.id !== null && e.event !== 'ready').length === MAX_REPLAY
		);
		expect(limit.received.map((e) => e.event)).not.toContain('refetch');
		limit.close();
	});
});

/** What a worker process needs to open this harness's database, on either engine. */
function engineEnv(): NodeJS.ProcessEnv {
	const { DATABASE_URL: _inherited, ...env } = process.env;
	const url = h.deps.config.databaseUrl;
	return { ...env, ...(url ? { DATABASE_URL: url } : {}) };
}

/** Runs a worker fixture as another process on this harness's database; resolves with its stdout. */
function runWorker(args: string[]): Promise<string> {
	return new Promise<string>((resolve, reject) => {
		const child = spawn(process.execPath, args, {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: engineEnv()
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (c) => (stdout += c));
		child.stderr.on('data', (c) => (stderr += c));
		child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(stderr))));
	});
}

describe('across processes', () => {
	it('an event another process appends to the database reaches a stream here, by id', async () => {
		const s = await hallStream(hallA);
		await s.until((r) => r.some((e) => e.event === 'ready'));
		const out = await runWorker(['tests/fixtures/event-writer-worker.ts', h.dir, hallA, '3']);
		const ids = JSON.parse(out) as number[];
		// SQLite: this process's watcher of the file wakes the stream at once. PostgreSQL: the bus
		// is this process's own until LISTEN/NOTIFY carries it between processes (a later issue),
		// so the stream reads the other process's rows, by id, when its topic next grows here.
		if (h.engine === 'postgres') ids.push(...(await appendHallEvents(hallA, 1)));
		await s.until((r) => r.filter((e) => e.event === 'desk.opened').length === ids.length, 10_000);
		expect(
			s.received.filter((e) => e.id !== null && e.event !== 'ready').map((e) => Number(e.id))
		).toEqual(ids);
		s.close();
	}, 30_000);
});

describe('access', () => {
	it('signing out ends that sign-in’s video stream at once; the host’s goes on', async () => {
		const agent = await h.loginAs('agent');
		const desk = (await openDesk(h, agent, '1号窗口', ['A', 'B'])).id;
		const { citizen, session } = await openVideoSession(h, agent, desk, {
			citizenName: '视频群众'
		});
		const url = `/api/video-sessions/${session.id}/events`;
		const citizenStream = await openStream(url, { token: citizen.token });
		const hostStream = await openStream(url, { token: agent });
		await citizenStream.until((r) => r.some((e) => e.event === 'ready'));
		await hostStream.until((r) => r.some((e) => e.event === 'ready'));

		expect((await h.request('POST', '/api/auth/logout', { token: citizen.token })).status).toBe(
			204
		);
		expect(await citizenStream.waitEnded()).toBe(true);
		expect(hostStream.ended).toBe(false);
		hostStream.close();
	});

	it('a sign-out in another process ends a video stream at its next event, which it does not get', async () => {
		const agent = await h.loginAs('agent');
		const desk = (await openDesk(h, agent, '1号窗口', ['A', 'B'])).id;
		const { citizen, session } = await openVideoSession(h, agent, desk, {
			citizenName: '视频群众'
		});
		const s = await openStream(`/api/video-sessions/${session.id}/events`, {
			token: citizen.token
		});
		await s.until((r) => r.some((e) => e.event === 'ready'));
		// as another process would: the session row goes, and no end signal reaches this one
		await h.store.run('DELETE FROM sessions WHERE user_id = ?', [citizen.id]);
		const said = await h.request('POST', `/api/video-sessions/${session.id}/chat`, {
			token: agent,
			body: { text: '还在吗' }
		});
		expect(said.status).toBe(201);
		expect(await s.waitEnded()).toBe(true);
		expect(s.received.map((e) => e.event)).not.toContain('chat');
	});

	it('a sign-out in another process ends a dashboard stream at once', async () => {
		const supervisor = await h.loginAs('supervisor');
		const s = await openStream('/api/stats/live/events', { token: supervisor });
		await s.until((r) => r.some((e) => e.event === 'snapshot'));
		await runWorker(['tests/fixtures/sign-out-worker.ts', h.dir, supervisor]);
		// no event of the dashboard's reaches it meanwhile: only the end signal can close it
		expect(await s.waitEnded(5000)).toBe(true);
	}, 30_000);

	it('an end signal of its own does not come back to close a later sign-in’s stream', async () => {
		// a stream open throughout keeps this process's watcher of the file running
		const hall = await hallStream(hallA);
		await hall.until((r) => r.some((e) => e.event === 'ready'));
		const supervisor = await h.loginAs('supervisor');
		const me = (await (await h.request('GET', '/api/me', { token: supervisor })).json()).user;
		// every stream of the user ends (as a password reset does), then the user signs in again
		h.deps.engine.events.end(userKey(me.id));
		await new Promise((r) => setTimeout(r, 100));
		expect((await h.request('POST', '/api/auth/logout', { token: supervisor })).status).toBe(204);
		const again = await h.loginAs('supervisor');
		const s = await openStream('/api/stats/live/events', { token: again });
		await s.until((r) => r.some((e) => e.event === 'snapshot'));
		// another process commits: this process's watcher reads what was written meanwhile,
		// including its own end signal (SQLite), or hears the other process's NOTIFY (PostgreSQL)
		await runWorker(['tests/fixtures/event-writer-worker.ts', h.dir, hallA, '1']);
		await hall.until((r) => r.some((e) => e.event === 'desk.opened'), 10_000);
		expect(await s.waitEnded(2500)).toBe(false);
		s.close();
		hall.close();
	}, 30_000);

	it('an account disabled ends all its streams', async () => {
		const agent = await h.loginAs('agent');
		const desk = (await openDesk(h, agent, '1号窗口', ['A', 'B'])).id;
		const { session } = await openVideoSession(h, agent, desk, { citizenName: '视频群众' });
		const s = await openStream(`/api/video-sessions/${session.id}/events`, { token: agent });
		await s.until((r) => r.some((e) => e.event === 'ready'));
		const me = (await (await h.request('GET', '/api/me', { token: agent })).json()).user;
		const admin = await h.loginAs('admin');
		const off = await h.request('POST', `/api/admin/staff/${me.id}/disable`, { token: admin });
		expect(off.status).toBe(200);
		expect(await s.waitEnded()).toBe(true);
	});

	it('a participant removed from the session hears the removal, then the stream ends', async () => {
		const agent = await h.loginAs('agent');
		const desk = (await openDesk(h, agent, '1号窗口', ['A', 'B'])).id;
		const { session } = await openVideoSession(h, agent, desk, { citizenName: '视频群众' });
		const post = (path: string, body?: unknown) =>
			h.request('POST', `/api/video-sessions/${session.id}${path}`, { token: agent, body });
		const invitable = (
			await (
				await h.request('GET', `/api/video-sessions/${session.id}/invitable`, { token: agent })
			).json()
		).users as { id: string; role: string }[];
		const guest = invitable.find((u) => u.role === 'township')!;
		expect((await post('/invite', { userId: guest.id })).status).toBe(200);
		const township = await h.loginAs('township');
		const s = await openStream(`/api/video-sessions/${session.id}/events`, { token: township });
		await s.until((r) => r.some((e) => e.event === 'ready'));
		expect((await post('/remove', { userId: guest.id })).status).toBe(200);
		await s.until((r) => r.some((e) => e.event === 'participant.removed'));
		expect(await s.waitEnded()).toBe(true);
	});

	it('the session’s end ends its streams', async () => {
		const agent = await h.loginAs('agent');
		const desk = (await openDesk(h, agent, '1号窗口', ['A', 'B'])).id;
		const { citizen, session } = await openVideoSession(h, agent, desk, {
			citizenName: '视频群众'
		});
		const s = await openStream(`/api/video-sessions/${session.id}/events`, {
			token: citizen.token
		});
		await s.until((r) => r.some((e) => e.event === 'ready'));
		const ended = await h.request('POST', `/api/video-sessions/${session.id}/end`, {
			token: agent
		});
		expect(ended.status).toBe(200);
		await s.until((r) => r.some((e) => e.event === 'session.ended'));
		expect(await s.waitEnded()).toBe(true);
	});
});

describe('the video page’s data', () => {
	it('carries the chat so far and the newest event id, whatever else the database holds', async () => {
		const agent = await h.loginAs('agent');
		const desk = (await openDesk(h, agent, '1号窗口', ['A', 'B'])).id;
		const { citizen, session } = await openVideoSession(h, agent, desk, {
			citizenName: '视频群众'
		});
		const chat = await h.request('POST', `/api/video-sessions/${session.id}/chat`, {
			token: citizen.token,
			body: { text: '您好' }
		});
		expect(chat.status).toBe(201);
		await appendHallEvents(hallB, 10_000);
		const seen = (
			await (
				await h.request('GET', `/api/video-sessions/${session.id}`, { token: citizen.token })
			).json()
		).session;
		expect(seen.chat.map((m: { payload: { text: string } }) => m.payload.text)).toEqual(['您好']);
		expect(seen.lastEventId).toBeGreaterThan(0);
	});
});
