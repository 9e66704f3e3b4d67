// LiveKit in distributed mode (issue 22, item 3): two real livekit-server nodes sharing a real
// Redis, the hall's API in front of them, and real WebRTC participants (@livekit/rtc-node). Each
// session's room is placed on a chosen node with RoomService's createRoom nodeId (what LiveKit
// v1.13.5 honours; left to itself its `any` selector picks a node at random), and the test reads
// Redis's room_node_map to check where each room really is, so both nodes are exercised.
// Webhooks go through a relay in this file that can hold back a room's events, as a network or a
// restarted app node would: the reconciliation pass then has to find what was missed.
import http from 'node:http';
import { Room as RtcRoom, dispose } from '@livekit/rtc-node';
import { RoomServiceClient, type WebhookEvent, WebhookReceiver } from 'livekit-server-sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
	findLiveKitBinary,
	freeTcpPort,
	startLiveKit,
	startLiveKitCluster,
	type LiveKitCluster,
	type LiveKitProcess
} from '../../scripts/livekit-process.ts';
import { liveKitNodeStates, roomHost } from '../../scripts/livekit-cluster-state.ts';
import { startRedis, type RedisProcess } from '../../scripts/redis-process.ts';
import { loadConfig } from '../../server/config.ts';
import { createLiveKitGateway, type LiveKitGateway } from '../../server/video/livekit.ts';
import { reconcileVideoSessions } from '../../server/video/reconcile.ts';
import { isInLiveCall } from '../../server/video/sessions.ts';
import { createHarness, type Harness } from './harness.ts';
import { openDesk, openVideoSession } from './builders.ts';

const PARTICIPANT_ACTIVE = 2;

let redis: RedisProcess;
let cluster: LiveKitCluster;
let nodeA: LiveKitProcess;
let nodeB: LiveKitProcess;
/** The hall's gateway talks to node A only: every room on B is reached through A. */
let gatewayA: LiveKitGateway;
let relay: WebhookRelay;

beforeAll(async () => {
	// .ci/run provisions both; locally a missing one fails the file, loudly, rather than skip it
	const binary = findLiveKitBinary(false);
	if (!binary)
		throw new Error(
			'livekit-server is needed for the LiveKit cluster tests: run `npm run livekit`'
		);
	redis = await startRedis();
	relay = await startWebhookRelay();
	cluster = await startLiveKitCluster(binary, {
		redisAddress: redis.address,
		webhookUrl: relay.url,
		nodes: 2
	});
	[nodeA, nodeB] = cluster.nodes;
	gatewayA = createLiveKitGateway({
		url: nodeA.url,
		apiKey: nodeA.apiKey,
		apiSecret: nodeA.apiSecret
	});
}, 60_000);
afterAll(async () => {
	await cluster?.stop();
	await redis?.stop();
	await relay?.close();
	await dispose();
}, 30_000);

let h: Harness;
let desks: { token: string; userId: string; deskId: string }[];
const joined: RtcRoom[] = [];
/** session id → its host's token (who may read its timeline) */
const hostTokens = new Map<string, string>();

beforeEach(async () => {
	h = await createHarness({
		env: { LIVEKIT_URL: nodeA.url, LIVEKIT_API_KEY: 'devkey', LIVEKIT_API_SECRET: 'secret' },
		livekit: gatewayA
	});
	relay.deliverTo = h;
	desks = [];
});
afterEach(async () => {
	relay.deliverTo = null;
	await Promise.all(joined.splice(0).map((r) => r.disconnect().catch(() => {})));
	hostTokens.clear();
	await h?.close();
});

/**
 * An agent at an open desk of their own: the demo agent at 1号窗口, then a second agent at
 * 2号窗口 (a desk serves one ticket, so each open session has its own desk).
 */
async function nextDesk() {
	const n = desks.length;
	let token = await h.loginAs('agent');
	if (n > 0) {
		const me = await (await h.request('GET', '/api/me', { token })).json();
		const orgUnitId = me.user.orgUnitId as string;
		const created = await h.request('POST', '/api/admin/staff', {
			token: await h.loginAs('admin'),
			body: {
				username: `agent.lk${n}`,
				name: `坐席${n}`,
				role: 'agent',
				orgUnitId,
				password: 'Agent#2026'
			}
		});
		expect(created.status, `second agent: ${await created.clone().text()}`).toBe(201);
		const login = await h.request('POST', '/api/auth/login', {
			body: { login: `agent.lk${n}`, password: 'Agent#2026' }
		});
		token = (await login.json()).token;
	}
	const userId = (await (await h.request('GET', '/api/me', { token })).json()).user.id as string;
	const deskId = (await openDesk(h, token, `${n + 1}号窗口`, ['A', 'B'])).id;
	const desk = { token, userId, deskId };
	desks.push(desk);
	return desk;
}

/** A video session whose citizen is admitted, its room created on `host` (through the other node). */
async function sessionOn(
	host: LiveKitProcess | null,
	citizenName: string,
	o: { holdBackWebhooks?: boolean } = {}
) {
	const agent = await nextDesk();
	const opened = await openVideoSession(h, agent.token, agent.deskId, { citizenName });
	const id = opened.session.id;
	expect((await post(id, '/admit', agent.token)).status).toBe(200);
	if (o.holdBackWebhooks) relay.holdBack(id);
	if (host) {
		const other = host === nodeA ? nodeB : nodeA;
		await roomService(other).createRoom({ name: id, nodeId: host.nodeId });
		expect(await roomHost(redis.address, id), 'the room is on the chosen node').toBe(host.nodeId);
	}
	hostTokens.set(id, agent.token);
	return { id, citizen: opened.citizen, agent };
}

const post = (id: string, path: string, token: string, body?: unknown) =>
	h.request('POST', `/api/video-sessions/${id}${path}`, { token, body });

const roomService = (node: LiveKitProcess) =>
	new RoomServiceClient(node.url.replace(/^ws/, 'http'), node.apiKey, node.apiSecret);

/** The app's token for this user, used by a real WebRTC participant connecting to `via`. */
async function join(id: string, userToken: string, via: LiveKitProcess): Promise<RtcRoom> {
	const res = await post(id, '/token', userToken);
	expect(res.status, 'token').toBe(200);
	const { token, url } = (await res.json()) as { token: string; url: string };
	expect(url).toBe(nodeA.url); // the app hands out its configured URL; the test picks the node
	const room = new RtcRoom();
	joined.push(room);
	await room.connect(via.url, token, { autoSubscribe: false, dynacast: false });
	return room;
}

async function timeline(id: string) {
	const res = await h.request('GET', `/api/video-sessions/${id}`, {
		token: hostTokens.get(id)
	});
	return (await res.json()).session.timeline as {
		type: string;
		actorId: string | null;
		payload: Record<string, unknown>;
	}[];
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 10_000) {
	const deadline = Date.now() + ms;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

const activeIn = async (gateway: LiveKitGateway, id: string) =>
	(await gateway.listParticipants(id))
		.filter((p) => p.state === PARTICIPANT_ACTIVE)
		.map((p) => p.identity)
		.sort();

const typesOf = async (id: string, actorId?: string) =>
	(await timeline(id))
		.filter(
			(e) => e.type.startsWith('livekit.') && (actorId === undefined || e.actorId === actorId)
		)
		.map((e) => e.type);

describe('tokens', () => {
	it('lets the app’s tokens join rooms on either node, connected through either node', async () => {
		const onA = await sessionOn(nodeA, '甲节点群众');
		const onB = await sessionOn(nodeB, '乙节点群众');
		// each room: the citizen through the node that hosts it, the agent through the other one
		await join(onA.id, onA.citizen.token, nodeA);
		await join(onA.id, onA.agent.token, nodeB);
		await join(onB.id, onB.citizen.token, nodeB);
		await join(onB.id, onB.agent.token, nodeA);
		for (const s of [onA, onB]) {
			const active = await until(`both participants active in ${s.id}`, async () => {
				const ids = await activeIn(gatewayA, s.id);
				return ids.length === 2 && ids;
			});
			expect(active).toEqual([s.agent.userId, s.citizen.id].sort());
		}
		// joining did not move a room: it stays on the node it was created on
		expect(await roomHost(redis.address, onA.id)).toBe(nodeA.nodeId);
		expect(await roomHost(redis.address, onB.id)).toBe(nodeB.nodeId);
	});

	it('places a room LiveKit chose itself on one of the two nodes, and the other node reaches it', async () => {
		const s = await sessionOn(null, '自选节点');
		await join(s.id, s.citizen.token, nodeB);
		const host = await roomHost(redis.address, s.id);
		expect([nodeA.nodeId, nodeB.nodeId]).toContain(host);
		const viaOther = createLiveKitGateway({
			url: (host === nodeA.nodeId ? nodeB : nodeA).url,
			apiKey: 'devkey',
			apiSecret: 'secret'
		});
		await until('the citizen listed through the node not hosting the room', async () =>
			(await activeIn(viaOther, s.id)).includes(s.citizen.id)
		);
	});
});

describe('RoomService through node A', () => {
	it('lists, removes from and closes a room hosted on node B', async () => {
		const s = await sessionOn(nodeB, '乙节点移出');
		const citizenRoom = await join(s.id, s.citizen.token, nodeB);
		await join(s.id, s.agent.token, nodeB);
		expect((await gatewayA.listRooms()).map((r) => r.name)).toContain(s.id);
		await until('two participants listed through A', async () => {
			return (await activeIn(gatewayA, s.id)).length === 2;
		});
		// the host removes the citizen: the app's gateway (node A) asks node B to disconnect them
		expect((await post(s.id, '/remove', s.agent.token, { userId: s.citizen.id })).status).toBe(200);
		await until('the citizen disconnected by node B', async () => !citizenRoom.isConnected);
		expect(await activeIn(gatewayA, s.id)).not.toContain(s.citizen.id);
		// ending the session closes the room on node B through node A
		expect((await post(s.id, '/end', s.agent.token)).status).toBe(200);
		await until('the room gone from both nodes', async () => {
			const [a, b] = await Promise.all([gatewayA.listRooms(), roomService(nodeB).listRooms()]);
			return ![...a, ...b].some((r) => r.name === s.id);
		});
	});
});

describe('a gateway given several nodes', () => {
	it('skips a node it cannot reach: tokens, listing and removal go on through the next', async () => {
		const gone = await freeTcpPort(); // nothing listens there: a node restarting
		const config = loadConfig({
			DATA_DIR: h.dir,
			LIVEKIT_URL: `ws://127.0.0.1:${gone},${nodeB.url}`,
			LIVEKIT_PUBLIC_URL: nodeA.url,
			LIVEKIT_API_KEY: 'devkey',
			LIVEKIT_API_SECRET: 'secret'
		});
		h.deps.livekit = createLiveKitGateway(config.livekit!);
		const s = await sessionOn(nodeA, '多节点网关');
		const citizenRoom = await join(s.id, s.citizen.token, nodeA);
		await join(s.id, s.agent.token, nodeB);
		await until('both active, listed through the gateway', async () => {
			return (await activeIn(h.deps.livekit!, s.id)).length === 2;
		});
		expect((await post(s.id, '/remove', s.agent.token, { userId: s.citizen.id })).status).toBe(200);
		await until('the citizen disconnected', async () => !citizenRoom.isConnected);
	});
});

describe('webhooks', () => {
	it('reach the app from the node hosting each room, whichever node the participant used', async () => {
		const onA = await sessionOn(nodeA, '甲节点回调');
		const onB = await sessionOn(nodeB, '乙节点回调');
		await join(onA.id, onA.citizen.token, nodeB);
		await join(onB.id, onB.citizen.token, nodeA);
		for (const s of [onA, onB]) {
			await until(`room_started and participant_joined of ${s.id} recorded`, async () => {
				const types = await typesOf(s.id);
				return (
					types.includes('livekit.room_started') && types.includes('livekit.participant_joined')
				);
			});
			expect(await isInLiveCall(h.deps, s.citizen.id)).toBe(true);
		}
		// the relay saw them: every one of them is signed by the cluster's one key and was recorded
		expect(relay.seen(onA.id).map((e) => e.event)).toContain('participant_joined');
		expect(relay.seen(onB.id).map((e) => e.event)).toContain('participant_joined');
	});
});

describe('reconciliation', () => {
	it('records a leave whose webhook was lost exactly once, and the late webhook adds nothing', async () => {
		const s = await sessionOn(nodeB, '漏掉离开');
		const citizenRoom = await join(s.id, s.citizen.token, nodeA);
		await join(s.id, s.agent.token, nodeB);
		// both joins recorded by their webhooks: the pass below then has only the leave to find
		await until('both joins recorded', async () => {
			const joins = (await timeline(s.id)).filter((e) => e.type === 'livekit.participant_joined');
			return joins.length === 2;
		});
		relay.holdBack(s.id);
		await citizenRoom.disconnect();
		// LiveKit sent the leave and the relay kept it from the app
		const lost = await until('the leave held back by the relay', async () =>
			relay.held(s.id).find((e) => e.event.event === 'participant_left')
		);
		expect(await typesOf(s.id, s.citizen.id)).toEqual(['livekit.participant_joined']);
		expect(await isInLiveCall(h.deps, s.citizen.id)).toBe(true);

		const first = await reconcileVideoSessions(h.deps);
		expect(first.failed).toBe(0);
		expect(first.recorded).toBe(1);
		expect(await typesOf(s.id, s.citizen.id)).toEqual([
			'livekit.participant_joined',
			'livekit.participant_left'
		]);
		const left = (await timeline(s.id)).find((e) => e.type === 'livekit.participant_left')!;
		expect(left.payload).toMatchObject({ identity: s.citizen.id, reconciled: true });
		expect(await isInLiveCall(h.deps, s.citizen.id)).toBe(false);

		// a second pass, and the lost webhook arriving after all, record nothing more
		expect((await reconcileVideoSessions(h.deps)).recorded).toBe(0);
		expect(await relay.replay(lost)).toEqual({ recorded: false });
		expect(await typesOf(s.id, s.citizen.id)).toEqual([
			'livekit.participant_joined',
			'livekit.participant_left'
		]);
	});

	it('records a lost join, and a room that finished unseen with whoever was still in it, once', async () => {
		const s = await sessionOn(nodeA, '漏掉开始', { holdBackWebhooks: true });
		await join(s.id, s.citizen.token, nodeB);
		await until('the join held back by the relay', async () =>
			relay.held(s.id).some((e) => e.event.event === 'participant_joined')
		);
		expect(await typesOf(s.id)).toEqual([]);
		const joinedPass = await reconcileVideoSessions(h.deps);
		expect(joinedPass.recorded).toBe(2); // the room's start and the citizen's join
		expect(await typesOf(s.id)).toEqual(['livekit.room_started', 'livekit.participant_joined']);
		expect(await isInLiveCall(h.deps, s.citizen.id)).toBe(true);

		// the room is closed behind the app's back (through node B), the webhooks lost again
		await roomService(nodeB).deleteRoom(s.id);
		await until(
			'the room gone',
			async () => !(await gatewayA.listRooms()).some((r) => r.name === s.id)
		);
		const endedPass = await reconcileVideoSessions(h.deps);
		expect(endedPass.recorded).toBe(2); // the citizen's leave and the room's finish
		expect(await typesOf(s.id)).toEqual([
			'livekit.room_started',
			'livekit.participant_joined',
			'livekit.participant_left',
			'livekit.room_finished'
		]);
		expect(await isInLiveCall(h.deps, s.citizen.id)).toBe(false);
		expect((await reconcileVideoSessions(h.deps)).recorded).toBe(0);
		// every held-back webhook delivered late: each fact is on the timeline already
		for (const e of relay.held(s.id)) await relay.replay(e);
		expect(await typesOf(s.id)).toEqual([
			'livekit.room_started',
			'livekit.participant_joined',
			'livekit.participant_left',
			'livekit.room_finished'
		]);
	});

	it('closes a room LiveKit still holds for a session that has ended', async () => {
		const s = await sessionOn(nodeB, '遗留房间');
		await join(s.id, s.citizen.token, nodeA);
		// the session ends while the app cannot reach LiveKit: its room stays open there
		const unreachable = createLiveKitGateway({
			url: 'ws://127.0.0.1:9',
			apiKey: 'devkey',
			apiSecret: 'secret'
		});
		h.deps.livekit = unreachable;
		expect((await post(s.id, '/end', s.agent.token)).status).toBe(200);
		h.deps.livekit = gatewayA;
		expect((await gatewayA.listRooms()).map((r) => r.name)).toContain(s.id);
		const pass = await reconcileVideoSessions(h.deps);
		expect(pass.roomsClosed).toBe(1);
		await until(
			'the room closed on node B',
			async () => !(await gatewayA.listRooms()).some((r) => r.name === s.id)
		);
	});
});

describe('draining', () => {
	// A third node of the same cluster, drained with SIGTERM: the two nodes the other tests use
	// keep running whatever order the tests run in.
	it('keeps a draining node’s running call and sends new rooms to the other nodes', async () => {
		const binary = findLiveKitBinary(false)!;
		const nodeC = await startLiveKit(binary, {
			redis: { address: redis.address },
			webhookUrl: relay.url
		});
		try {
			const s = await sessionOn(nodeC, '排空节点');
			const citizenRoom = await join(s.id, s.citizen.token, nodeC);
			await until('the citizen active on node C', async () =>
				(await activeIn(gatewayA, s.id)).includes(s.citizen.id)
			);
			nodeC.kill('SIGTERM');
			await until('node C marked shutting down in Redis', async () => {
				const states = await liveKitNodeStates(redis.address);
				return states.get(nodeC.nodeId) === 'shutting_down';
			});
			// new rooms, created through the draining node itself or joined through A, avoid it
			const created = await Promise.all(
				[0, 1, 2, 3, 4, 5].map((i) => roomService(nodeC).createRoom({ name: `${s.id}-new-${i}` }))
			);
			for (const r of created)
				expect([nodeA.nodeId, nodeB.nodeId]).toContain(await roomHost(redis.address, r.name));
			const fresh = await sessionOn(null, '排空后新房间');
			await join(fresh.id, fresh.citizen.token, nodeA);
			expect([nodeA.nodeId, nodeB.nodeId]).toContain(await roomHost(redis.address, fresh.id));
			// meanwhile the running call goes on: three seconds later the citizen is still there
			await new Promise((r) => setTimeout(r, 3000));
			expect(citizenRoom.isConnected).toBe(true);
			expect(await activeIn(gatewayA, s.id)).toContain(s.citizen.id);
			expect((await gatewayA.listRooms()).map((r) => r.name)).toContain(s.id);
			// when the last participant leaves, the node finishes its shutdown by itself (it looks
			// for participants every 5 s)
			await citizenRoom.disconnect();
			const leftAt = Date.now();
			const code = await Promise.race([
				nodeC.exited,
				new Promise<'still running'>((r) => setTimeout(() => r('still running'), 15_000))
			]);
			expect(code).not.toBe('still running');
			console.info(
				`drain: node C exited ${Date.now() - leftAt} ms after its last participant left`
			);
			// a gateway that names the drained node first goes on through the next one
			const listed = createLiveKitGateway({
				url: `${nodeC.url},${nodeB.url}`,
				apiKey: 'devkey',
				apiSecret: 'secret'
			});
			expect((await listed.listRooms()).map((r) => r.name)).toContain(fresh.id);
			for (const r of created) await roomService(nodeA).deleteRoom(r.name);
		} finally {
			await nodeC.stop();
		}
	}, 45_000);
});

interface HeldWebhook {
	body: string;
	authorization: string | undefined;
	event: WebhookEvent;
}

interface WebhookRelay {
	url: string;
	deliverTo: Harness | null;
	/** From now on, keep this room's webhooks from the app (as if they were lost). */
	holdBack(room: string): void;
	held(room: string): HeldWebhook[];
	/** Events of the room that went through to the app. */
	seen(room: string): WebhookEvent[];
	/** Delivers a held webhook to the app now, as a late retry would. */
	replay(w: HeldWebhook): Promise<{ recorded: boolean }>;
	close(): Promise<void>;
}

/** The cluster's webhook target: passes LiveKit's webhooks to the current test's app. */
async function startWebhookRelay(): Promise<WebhookRelay> {
	const receiver = new WebhookReceiver('devkey', 'secret');
	const heldBack = new Set<string>();
	const held: HeldWebhook[] = [];
	const passed: WebhookEvent[] = [];
	const port = await freeTcpPort();
	const deliver = (to: Harness, w: HeldWebhook) =>
		to.request('POST', '/api/livekit/webhook', {
			body: w.body,
			headers: {
				'content-type': 'application/webhook+json',
				...(w.authorization ? { authorization: w.authorization } : {})
			}
		});
	// the app's answer goes back to LiveKit, which retries what was not accepted
	const relayed = async (req: http.IncomingMessage, res: http.ServerResponse) => {
		let body = '';
		for await (const chunk of req) body += chunk;
		const authorization = req.headers.authorization;
		let status = 200;
		try {
			const event = await receiver.receive(body, authorization);
			const w = { body, authorization, event };
			if (heldBack.has(event.room?.name ?? '')) held.push(w);
			else if (relay.deliverTo) {
				status = (await deliver(relay.deliverTo, w)).status;
				if (status === 200) passed.push(event);
			}
		} catch {
			status = 500;
		}
		res.writeHead(status).end();
	};
	const server = http.createServer((req, res) => void relayed(req, res));
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	const relay: WebhookRelay = {
		url: `http://127.0.0.1:${port}/webhook`,
		deliverTo: null,
		holdBack: (room) => heldBack.add(room),
		held: (room) => held.filter((w) => w.event.room?.name === room),
		seen: (room) => passed.filter((e) => e.room?.name === room),
		async replay(w) {
			const res = await deliver(relay.deliverTo!, w);
			expect(res.status, 'late webhook accepted').toBe(200);
			return (await res.json()) as { recorded: boolean };
		},
		close: () => new Promise((resolve) => server.close(() => resolve()))
	};
	return relay;
}
