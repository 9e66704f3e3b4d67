// Video sessions through the API: who may get a token, host actions, chat, webhooks.
import { createHash } from 'node:crypto';
import { AccessToken, TokenVerifier } from 'livekit-server-sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLiveKitGateway, type LiveKitGateway } from '../../server/video/livekit.ts';
import {
	findLiveKitBinary,
	startLiveKit,
	type LiveKitProcess
} from '../../scripts/livekit-process.ts';
import { count, createHarness, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import { desksOf, take } from './queue-helpers.ts';
import { calledVideoTicket, openDesk, openVideoSession } from './builders.ts';

let lk: LiveKitProcess;
let gateway: LiveKitGateway;
let env: Record<string, string>;
let h: Harness;
let agent: string;
let deskId: string;
let citizen: { id: string; token: string; phone: string };
let ticketId: string;
let sessionId: string;

beforeAll(async () => {
	// a real livekit-server --dev (.ci/run provisions it; `npm run livekit` builds it locally),
	// shared by the file: each test's sessions are rooms of their own
	const binary = findLiveKitBinary(false);
	if (!binary)
		throw new Error('livekit-server is needed for the video API tests: run `npm run livekit`');
	lk = await startLiveKit(binary);
	env = { LIVEKIT_URL: lk.url, LIVEKIT_API_KEY: lk.apiKey, LIVEKIT_API_SECRET: lk.apiSecret };
	gateway = createLiveKitGateway({ url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret });
}, 60_000); // livekit-server gets 20 s to answer; more for a slow, busy machine
afterAll(async () => {
	await lk?.stop();
}, 30_000);

// Every test: a fresh hall where the agent has called a citizen's video ticket at 1号窗口 and
// opened its session (the citizen still in the waiting room).
beforeEach(async () => {
	h = await createHarness({ env, livekit: gateway });
	agent = await h.loginAs('agent');
	deskId = (await openDesk(h, agent, '1号窗口', ['A', 'B'])).id;
	const opened = await openVideoSession(h, agent, deskId, { citizenName: '视频群众' });
	citizen = opened.citizen;
	ticketId = opened.ticket.id;
	sessionId = opened.session.id;
});
afterEach(() => h?.close());

describe('opening', () => {
	it('opens one session per ticket and shows it on the citizen’s ticket', async () => {
		const again = await h.request('POST', '/api/video-sessions', {
			token: agent,
			body: { ticketId }
		});
		expect((await again.json()).session.id).toBe(sessionId);
		const seen = (
			await (
				await h.request('GET', `/api/queue/tickets/${ticketId}`, { token: citizen.token })
			).json()
		).ticket;
		expect(seen.videoSessionId).toBe(sessionId);
	});

	// At once: on PostgreSQL the two requests run on two connections; the ticket's hall lock and
	// the unique ticket_id leave one session, one session.opened and one ticket.video.
	it('opens one session when the agent opens a ticket’s session twice at once', async () => {
		await finishTicket(ticketId);
		const { ticket } = await calledVideoTicket(h, agent, deskId, { citizenName: '同时打开' });
		const opened = await Promise.all(
			[0, 1].map(() =>
				h.request('POST', '/api/video-sessions', { token: agent, body: { ticketId: ticket.id } })
			)
		);
		expect(opened.map((r) => r.status)).toEqual([201, 201]);
		const ids = await Promise.all(opened.map(async (r) => (await r.json()).session.id));
		expect(ids[1]).toBe(ids[0]);
		expect(await countWhere('video_sessions', 'ticket_id = ?', [ticket.id])).toBe(1);
		expect(
			await countWhere('session_events', "session_id = ? AND type = 'session.opened'", [ids[0]])
		).toBe(1);
		expect(
			await countWhere('queue_events', "ticket_id = ? AND type = 'ticket.video'", [ticket.id])
		).toBe(1);
	});

	it('never leaves a session open on a ticket finished at the same moment', async () => {
		await finishTicket(ticketId);
		const { ticket } = await calledVideoTicket(h, agent, deskId, { citizenName: '同时办结' });
		const [opened, finished] = await Promise.all([
			h.request('POST', '/api/video-sessions', { token: agent, body: { ticketId: ticket.id } }),
			h.request('POST', `/api/queue/tickets/${ticket.id}/finish`, { token: agent })
		]);
		expect(finished.status).toBe(200);
		// opened first (and ended by the finish), or refused because the ticket was done
		expect([201, 409]).toContain(opened.status);
		expect(
			await countWhere('video_sessions', "ticket_id = ? AND status = 'open'", [ticket.id])
		).toBe(0);
	});
});

async function finishTicket(id: string) {
	const res = await h.request('POST', `/api/queue/tickets/${id}/finish`, { token: agent });
	expect(res.status, 'finish').toBe(200);
}

/** Rows of a table matching a condition, on either engine. */
async function countWhere(table: string, where: string, params: unknown[]) {
	return (await h.store.get<{ n: number }>(
		`SELECT count(*) AS n FROM ${table} WHERE ${where}`,
		params
	))!.n;
}

const post = (path: string, token: string, body?: unknown) =>
	h.request('POST', `/api/video-sessions/${sessionId}${path}`, { token, body });

describe('tokens', () => {
	it('keeps the citizen in the waiting room until admitted, then grants this room only, briefly', async () => {
		const waiting = await post('/token', citizen.token);
		expect(waiting.status).toBe(409);
		expect((await waiting.json()).error.code).toBe('not_admitted');
		expect((await post('/admit', agent)).status).toBe(200);
		const res = await post('/token', citizen.token);
		expect(res.status).toBe(200);
		const body = await res.json();
		const claims = await new TokenVerifier('devkey', 'secret').verify(body.token);
		expect(claims.sub).toBe(citizen.id);
		expect(claims.video).toMatchObject({
			room: sessionId,
			roomJoin: true,
			canPublish: true,
			canSubscribe: true,
			roomAdmin: false
		});
		expect(JSON.parse(claims.metadata!)).toMatchObject({ role: 'citizen', kind: 'citizen' });
		expect(claims.exp! - claims.nbf!).toBeLessThanOrEqual(300);
	});

	it('lets only the agent who called the ticket open its session', async () => {
		const admin = await h.loginAs('admin');
		const orgUnitId = (await desksOf(h, agent)).find((d) => d.id === deskId)!.orgUnitId;
		await h.request('POST', '/api/admin/staff', {
			token: admin,
			body: {
				username: 'agent.other',
				name: '别的坐席',
				role: 'agent',
				orgUnitId,
				password: 'Agent#2026'
			}
		});
		const other = (
			await (
				await h.request('POST', '/api/auth/login', {
					body: { login: 'agent.other', password: 'Agent#2026' }
				})
			).json()
		).token;
		const session = (
			await (await h.request('GET', `/api/video-sessions/${sessionId}`, { token: agent })).json()
		).session;
		const res = await h.request('POST', '/api/video-sessions', {
			token: other,
			body: { ticketId: session.ticketId }
		});
		expect(res.status).toBe(403);
	});

	it('refuses a non-participant with 403 and no session with 401', async () => {
		const stranger = await newCitizen(h);
		expect((await post('/token', stranger.token)).status).toBe(403);
		expect((await post('/token', await h.loginAs('supervisor'))).status).toBe(403);
		expect((await h.request('POST', `/api/video-sessions/${sessionId}/token`)).status).toBe(401);
		expect(
			(await h.request('GET', `/api/video-sessions/${sessionId}`, { token: stranger.token })).status
		).toBe(403);
		expect((await post('/admit', citizen.token)).status).toBe(403); // a citizen is no host
	});

	it('invites township staff (in-app alert with a join link), who may then join; removal revokes it', async () => {
		const township = await h.loginAs('township');
		const list = (
			await (
				await h.request('GET', `/api/video-sessions/${sessionId}/invitable`, { token: agent })
			).json()
		).users;
		const tsUser = list.find((u: { name: string }) => u.name === '赵磊');
		expect(tsUser).toBeTruthy();
		expect((await post('/token', township)).status).toBe(403);
		const invited = await post('/invite', agent, { userId: tsUser.id });
		expect(
			(await invited.json()).session.participants.map((p: { name: string }) => p.name)
		).toContain('赵磊');
		const notices = (
			await (await h.request('GET', '/api/notifications', { token: township })).json()
		).notifications;
		expect(notices[0]).toMatchObject({ kind: 'video_invite', link: `/video/${sessionId}` });
		expect((await post('/token', township)).status).toBe(200);
		const removed = await post('/remove', agent, { userId: tsUser.id });
		expect(removed.status).toBe(200);
		expect((await post('/token', township)).status).toBe(403);
		const bad = await post('/invite', agent, { userId: citizen.id });
		expect(bad.status).toBe(400);
	});

	it('admits the citizen once when the host lets them in twice at once', async () => {
		const admitted = await Promise.all([post('/admit', agent), post('/admit', agent)]);
		expect(admitted.map((r) => r.status)).toEqual([200, 200]);
		expect(
			await countWhere('session_events', "session_id = ? AND type = 'participant.admitted'", [
				sessionId
			])
		).toBe(1);
		expect(
			await countWhere('queue_events', "ticket_id = ? AND type = 'ticket.started'", [ticketId])
		).toBe(1);
		expect((await post('/token', citizen.token)).status).toBe(200);
	});

	it('stores chat with the session', async () => {
		const sent = await post('/chat', citizen.token, { text: '  听不清，我打字吧  ' });
		expect(sent.status).toBe(201);
		expect((await sent.json()).message).toMatchObject({
			type: 'chat',
			actorName: '视频群众',
			payload: { text: '听不清，我打字吧' }
		});
		expect((await post('/chat', citizen.token, { text: '   ' })).status).toBe(400);
	});

	it('answers 503 video_unavailable when LiveKit does not answer', async () => {
		// an admitted citizen, who would otherwise get a token
		expect((await post('/admit', agent)).status).toBe(200);
		const down = createLiveKitGateway({
			url: 'ws://127.0.0.1:9',
			apiKey: 'devkey',
			apiSecret: 'secret'
		});
		const deps = { ...h.deps, livekit: down };
		const { issueSessionToken } = await import('../../server/video/sessions.ts');
		const me = (await (await h.request('GET', '/api/me', { token: citizen.token })).json()).user;
		await expect(issueSessionToken(deps, me, sessionId)).rejects.toMatchObject({
			status: 503,
			code: 'video_unavailable'
		});
	});
});

function signed(body: string, secret = 'secret') {
	const at = new AccessToken('devkey', secret);
	at.sha256 = createHash('sha256').update(body).digest('base64');
	return at.toJwt();
}

describe('webhooks', () => {
	const event = (id: string, room: string) =>
		JSON.stringify({
			event: 'participant_joined',
			id,
			createdAt: '1764150000',
			room: { name: room },
			participant: { identity: citizen.id, name: '视频群众' }
		});

	it('records a verified event once, even when delivered twice', async () => {
		const body = event('EV_join_1', sessionId);
		const before = await count(h.store, 'session_events');
		for (let i = 0; i < 2; i++) {
			const res = await h.request('POST', '/api/livekit/webhook', {
				body,
				headers: { 'content-type': 'application/webhook+json', authorization: await signed(body) }
			});
			expect(res.status).toBe(200);
			expect((await res.json()).recorded).toBe(i === 0);
		}
		expect(await count(h.store, 'session_events')).toBe(before + 1);
		const timeline = (
			await (await h.request('GET', `/api/video-sessions/${sessionId}`, { token: agent })).json()
		).session.timeline;
		expect(timeline.at(-1)).toMatchObject({
			type: 'livekit.participant_joined',
			actorName: '视频群众'
		});
	});

	it('records an event once when it is delivered twice at once', async () => {
		const body = event('EV_join_at_once', sessionId);
		const before = await count(h.store, 'session_events');
		const headers = {
			'content-type': 'application/webhook+json',
			authorization: await signed(body)
		};
		const answers = await Promise.all(
			[0, 1].map(() => h.request('POST', '/api/livekit/webhook', { body, headers }))
		);
		expect(answers.map((r) => r.status)).toEqual([200, 200]);
		const recorded = await Promise.all(answers.map(async (r) => (await r.json()).recorded));
		expect(recorded.sort()).toEqual([false, true]);
		expect(await count(h.store, 'session_events')).toBe(before + 1);
	});

	it('refuses a tampered body or a wrong key, and ignores unknown rooms, without side effects', async () => {
		const before = await count(h.store, 'session_events');
		const body = event('EV_join_2', sessionId);
		const tampered = await h.request('POST', '/api/livekit/webhook', {
			body: body.replace('participant_joined', 'participant_left'),
			headers: { 'content-type': 'application/webhook+json', authorization: await signed(body) }
		});
		expect(tampered.status).toBe(401);
		const wrongKey = await h.request('POST', '/api/livekit/webhook', {
			body,
			headers: {
				'content-type': 'application/webhook+json',
				authorization: await signed(body, 'not-the-secret')
			}
		});
		expect(wrongKey.status).toBe(401);
		const other = event('EV_other', 'device-check-xyz');
		const unknown = await h.request('POST', '/api/livekit/webhook', {
			body: other,
			headers: { 'content-type': 'application/webhook+json', authorization: await signed(other) }
		});
		expect((await unknown.json()).recorded).toBe(false);
		expect(await count(h.store, 'session_events')).toBe(before);
	});
});

describe('ending', () => {
	it('ends the session: tokens answer 410, chat too, and the record has start, end and duration', async () => {
		// a session with some history: the citizen admitted, township staff invited and removed
		expect((await post('/admit', agent)).status).toBe(200);
		const tsUser = (
			await (
				await h.request('GET', `/api/video-sessions/${sessionId}/invitable`, { token: agent })
			).json()
		).users.find((u: { name: string }) => u.name === '赵磊');
		expect((await post('/invite', agent, { userId: tsUser.id })).status).toBe(200);
		expect((await post('/remove', agent, { userId: tsUser.id })).status).toBe(200);
		h.clock.advance(12 * 60_000);
		const res = await post('/end', agent);
		expect(res.status).toBe(200);
		const session = (await res.json()).session;
		expect(session).toMatchObject({ status: 'ended', durationSeconds: 720 });
		expect(session.timeline.map((e: { type: string }) => e.type)).toEqual(
			expect.arrayContaining([
				'session.opened',
				'participant.admitted',
				'participant.invited',
				'participant.removed',
				'session.ended'
			])
		);
		expect((await post('/token', citizen.token)).status).toBe(410);
		expect((await post('/chat', citizen.token, { text: '还在吗' })).status).toBe(410);
		expect((await post('/end', agent)).status).toBe(410);
	});

	it('ends once, with one session.ended, when the host ends it twice at once', async () => {
		const ended = await Promise.all([post('/end', agent), post('/end', agent)]);
		// the later one may already see the session ended (410)
		expect(ended.map((r) => r.status)).toContain(200);
		for (const r of ended) expect([200, 410]).toContain(r.status);
		expect(
			await countWhere('session_events', "session_id = ? AND type = 'session.ended'", [sessionId])
		).toBe(1);
	});
});

describe('finishing the ticket', () => {
	it('closes the ticket’s open video session, so no more tokens are issued', async () => {
		const first = (
			await (await h.request('GET', `/api/video-sessions/${sessionId}`, { token: agent })).json()
		).session;
		expect(
			(await h.request('POST', `/api/queue/tickets/${first.ticketId}/finish`, { token: agent }))
				.status
		).toBe(200);
		const c = await newCitizen(h, '第二位');
		const item = await serviceByCode(h, '370281-XZSP-001');
		const ticket = (await (await take(h, c.token, { serviceId: item.id, channel: 'video' })).json())
			.ticket;
		await h.request('POST', `/api/desks/${deskId}/call-next`, { token: agent });
		const id = (
			await (
				await h.request('POST', '/api/video-sessions', {
					token: agent,
					body: { ticketId: ticket.id }
				})
			).json()
		).session.id;
		expect(
			(await h.request('POST', `/api/video-sessions/${id}/token`, { token: agent })).status
		).toBe(200);
		expect(
			(await h.request('POST', `/api/queue/tickets/${ticket.id}/finish`, { token: agent })).status
		).toBe(200);
		expect(
			(await h.request('POST', `/api/video-sessions/${id}/token`, { token: agent })).status
		).toBe(410);
	});
});
